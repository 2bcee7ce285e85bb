//! The score of one customer against one account, and its explanation. See the module
//! documentation of [`super`] for the points.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::city::{CityAgreement, compare_cities, normalize_city};
use super::name::token_weight;
use super::name::{NormalizedName, normalize_company_name};
use super::similarity::{compare_names, name_agreement_weighted};
use super::web::company_or_free_domain;
use super::{CandidateAccount, CustomerQuery, FieldAgreement, MatchExplanation, MatchField};

/// Points for names that agree fully; a name agreeing `a` per mille earns `a × 700 / 1000`.
pub const NAME_POINTS: i32 = 700;
/// Points when a company domain of the customer is one of the account's.
pub const DOMAIN_MATCH_POINTS: i32 = 300;
/// Points when both have company domains and none is shared.
pub const DOMAIN_MISMATCH_POINTS: i32 = -250;
/// Points for the same country.
pub const COUNTRY_MATCH_POINTS: i32 = 50;
/// Points for different countries.
pub const COUNTRY_MISMATCH_POINTS: i32 = -400;
/// Points for the same city.
pub const CITY_MATCH_POINTS: i32 = 100;
/// Points for cities one typing slip apart.
pub const CITY_SIMILAR_POINTS: i32 = 60;
/// Points for different cities.
pub const CITY_MISMATCH_POINTS: i32 = -150;

/// A city as typed (for explanations) and as compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreparedCity {
    pub display: String,
    pub key: String,
}

impl PreparedCity {
    fn new(city: Option<&str>) -> Option<Self> {
        let display = city?.trim();
        let key = normalize_city(display);
        (!key.is_empty()).then(|| PreparedCity {
            display: display.to_string(),
            key,
        })
    }
}

fn weights(name: &NormalizedName) -> Vec<u32> {
    name.tokens.iter().map(|t| token_weight(t)).collect()
}

fn country(code: Option<&str>) -> Option<String> {
    let code = code?.trim();
    (!code.is_empty()).then(|| code.to_ascii_uppercase())
}

/// A customer query normalised once, to be scored against many accounts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreparedQuery {
    pub name: NormalizedName,
    /// [`token_weight`] of each name token.
    pub name_weights: Vec<u32>,
    /// Registrable company domains of the website and the e-mail address (no free mail).
    pub domains: Vec<String>,
    /// Free-mail domains given, which are not evidence.
    pub free_mail: Vec<String>,
    /// ISO 3166 alpha-2, upper case.
    pub country: Option<String>,
    pub city: Option<PreparedCity>,
}

impl PreparedQuery {
    pub fn new(query: &CustomerQuery) -> Self {
        let mut domains = Vec::new();
        let mut free_mail = Vec::new();
        for text in [query.website.as_deref(), query.email.as_deref()].into_iter().flatten() {
            if let Some((domain, free)) = company_or_free_domain(text) {
                let list = if free { &mut free_mail } else { &mut domains };
                if !list.contains(&domain) {
                    list.push(domain);
                }
            }
        }
        let name = normalize_company_name(&query.name);
        PreparedQuery {
            name_weights: weights(&name),
            name,
            domains,
            free_mail,
            country: country(query.country.as_deref()),
            city: PreparedCity::new(query.city.as_deref()),
        }
    }
}

/// An account normalised once, to be scored against many queries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PreparedAccount {
    pub name: NormalizedName,
    /// [`token_weight`] of each name token.
    pub name_weights: Vec<u32>,
    /// Registrable company domains (no free mail), each once.
    pub domains: Vec<String>,
    /// ISO 3166 alpha-2, upper case; `None` when the account has none.
    pub country: Option<String>,
    pub city: Option<PreparedCity>,
}

impl PreparedAccount {
    pub fn new(account: &CandidateAccount) -> Self {
        let mut domains: Vec<String> = Vec::new();
        for (domain, free) in account.domains.iter().filter_map(|d| company_or_free_domain(d)) {
            if !free && !domains.contains(&domain) {
                domains.push(domain);
            }
        }
        let name = normalize_company_name(&account.name);
        PreparedAccount {
            name_weights: weights(&name),
            name,
            domains,
            country: country(Some(&account.country)),
            city: PreparedCity::new(account.city.as_deref()),
        }
    }
}

enum Evidence {
    Absent,
    Agrees,
    Similar,
    Differs,
}

fn domain_evidence(query: &PreparedQuery, account: &PreparedAccount) -> Evidence {
    if query.domains.is_empty() || account.domains.is_empty() {
        Evidence::Absent
    } else if query.domains.iter().any(|d| account.domains.contains(d)) {
        Evidence::Agrees
    } else {
        Evidence::Differs
    }
}

fn country_evidence(query: &PreparedQuery, account: &PreparedAccount) -> Evidence {
    match (&query.country, &account.country) {
        (Some(q), Some(a)) if q == a => Evidence::Agrees,
        (Some(_), Some(_)) => Evidence::Differs,
        _ => Evidence::Absent,
    }
}

fn city_evidence(query: &PreparedQuery, account: &PreparedAccount) -> Evidence {
    match (&query.city, &account.city) {
        (Some(q), Some(a)) => match compare_cities(&q.key, &a.key) {
            CityAgreement::Same => Evidence::Agrees,
            CityAgreement::Similar => Evidence::Similar,
            CityAgreement::Different => Evidence::Differs,
        },
        _ => Evidence::Absent,
    }
}

fn name_points(agreement: u16) -> i32 {
    NAME_POINTS * i32::from(agreement) / 1000
}

fn domain_points(evidence: &Evidence) -> i32 {
    match evidence {
        Evidence::Agrees => DOMAIN_MATCH_POINTS,
        Evidence::Differs => DOMAIN_MISMATCH_POINTS,
        Evidence::Absent | Evidence::Similar => 0,
    }
}

fn country_points(evidence: &Evidence) -> i32 {
    match evidence {
        Evidence::Agrees => COUNTRY_MATCH_POINTS,
        Evidence::Differs => COUNTRY_MISMATCH_POINTS,
        Evidence::Absent | Evidence::Similar => 0,
    }
}

fn city_points(evidence: &Evidence) -> i32 {
    match evidence {
        Evidence::Agrees => CITY_MATCH_POINTS,
        Evidence::Similar => CITY_SIMILAR_POINTS,
        Evidence::Differs => CITY_MISMATCH_POINTS,
        Evidence::Absent => 0,
    }
}

fn clamp(points: i32) -> u16 {
    points.clamp(0, 1000) as u16
}

/// The score (0..=1000) and the unclamped sum of points, without the explanation: the
/// same numbers as [`score_prepared`], cheaper.
pub fn score_points(query: &PreparedQuery, account: &PreparedAccount) -> (u16, i32) {
    let agreement = name_agreement_weighted(
        &query.name.tokens,
        &query.name_weights,
        &account.name.tokens,
        &account.name_weights,
    );
    let points = name_points(agreement)
        + domain_points(&domain_evidence(query, account))
        + country_points(&country_evidence(query, account))
        + city_points(&city_evidence(query, account));
    (clamp(points), points)
}

fn agreement(evidence: &Evidence) -> u16 {
    match evidence {
        Evidence::Agrees => 1000,
        Evidence::Similar => 900,
        Evidence::Absent | Evidence::Differs => 0,
    }
}

/// Scores a prepared query against a prepared account, with the explanation.
pub fn score_prepared(query: &PreparedQuery, account: &PreparedAccount) -> MatchExplanation {
    let names = compare_names(&query.name.tokens, &account.name.tokens);
    let pairs: Vec<String> = names
        .pairs
        .iter()
        .map(|p| {
            let sign = if p.agreement == 1000 { "=" } else { "≈" };
            format!("{} {sign} {}", p.query, p.candidate)
        })
        .collect();
    let mut name_detail = format!(
        "name '{}' vs '{}': {}",
        query.name.text, account.name.text, names.agreement
    );
    if !pairs.is_empty() && names.agreement < 1000 {
        name_detail += &format!(" ({})", pairs.join("; "));
    }
    let name = FieldAgreement {
        field: MatchField::Name,
        agreement: names.agreement,
        weight_points: name_points(names.agreement),
        detail: name_detail,
    };

    let evidence = domain_evidence(query, account);
    let detail = match &evidence {
        Evidence::Agrees => {
            let shared = query
                .domains
                .iter()
                .find(|d| account.domains.contains(d))
                .expect("a shared domain");
            format!("domain {shared} = {shared}")
        }
        Evidence::Differs => format!("domain {} ≠ {}", query.domains.join(", "), account.domains.join(", ")),
        _ if query.domains.is_empty() && !query.free_mail.is_empty() => {
            format!("domain not compared: {} is free mail", query.free_mail.join(", "))
        }
        _ if query.domains.is_empty() => "domain not given".to_string(),
        _ => "domain not compared: the account has none".to_string(),
    };
    let domain = FieldAgreement {
        field: MatchField::Domain,
        agreement: agreement(&evidence),
        weight_points: domain_points(&evidence),
        detail,
    };

    let evidence = country_evidence(query, account);
    let detail = match (&query.country, &account.country) {
        (Some(q), Some(a)) if q == a => format!("country {q} = {a}"),
        (Some(q), Some(a)) => format!("country {q} ≠ {a}"),
        (None, _) => "country not given".to_string(),
        (Some(_), None) => "country not compared: the account has none".to_string(),
    };
    let country = FieldAgreement {
        field: MatchField::Country,
        agreement: agreement(&evidence),
        weight_points: country_points(&evidence),
        detail,
    };

    let evidence = city_evidence(query, account);
    let detail = match (&query.city, &account.city, &evidence) {
        (Some(q), Some(a), Evidence::Agrees) => format!("city {} = {}", q.display, a.display),
        (Some(q), Some(a), Evidence::Similar) => format!("city {} ≈ {}", q.display, a.display),
        (Some(q), Some(a), _) => format!("city {} ≠ {}", q.display, a.display),
        (None, _, _) => "city not given".to_string(),
        (Some(_), None, _) => "city not compared: the account has none".to_string(),
    };
    let city = FieldAgreement {
        field: MatchField::City,
        agreement: agreement(&evidence),
        weight_points: city_points(&evidence),
        detail,
    };

    let fields = vec![name, domain, country, city];
    let points: i32 = fields.iter().map(|f| f.weight_points).sum();
    MatchExplanation {
        score: clamp(points),
        fields,
    }
}

/// Scores a customer against an account, with the explanation. The reference semantics of
/// customer matching: the engine's index returns exactly these explanations.
pub fn score(query: &CustomerQuery, account: &CandidateAccount) -> MatchExplanation {
    score_prepared(&PreparedQuery::new(query), &PreparedAccount::new(account))
}
