//! Customer matching: is the customer a partner registers one of our accounts?
//!
//! The reference semantics, plain and deterministic, with integer arithmetic only. The
//! engine's `MatchIndex` finds candidates fast and scores them with [`score_prepared`].
//!
//! **Normalisation.** Names: [`normalize_company_name`] (folding, punctuation, "&", legal
//! forms in the major languages, abbreviations). Domains: [`registrable_domain`] of the
//! website and of the e-mail address; [`is_free_mail`] domains are never evidence. Cities:
//! [`normalize_city`] (folding, exonyms). Countries: ISO 3166 alpha-2, upper case.
//!
//! **Score.** A customer and an account earn points per field; the score is their sum,
//! clamped to 0..=1000. A field missing on either side earns 0.
//!
//! | field | agrees | differs |
//! |---|---:|---:|
//! | name | 0..=700: [`NAME_POINTS`] × the names' agreement (see [`similarity`]) / 1000 | |
//! | domain | +300: a company domain of the customer is the account's | −250: both have company domains, none shared |
//! | country | +50 | −400 |
//! | city | +100 (+60 one typing slip apart) | −150 |
//!
//! So the same name, domain, country and city give 1,150 points (score 1000); the same name
//! and country without a domain or city 750; the same name in another city of the same
//! country, with another domain, 350; the same name in another country, without a shared
//! domain, at most 400.
//!
//! **Classes.** [`classify`] compares a score with [`MatchThresholds`]: at or above `auto`
//! the customer is the account ([`MatchClass::Same`]), at or above `review` a channel
//! manager decides, below it the customer is someone else. [`decide`] classifies a ranked
//! list of candidates: two different accounts at or above `auto` and within
//! [`AMBIGUITY_MARGIN`] of each other are a question for a channel manager, not an
//! automatic answer.

mod city;
mod fold;
mod name;
mod score;
pub mod similarity;
mod tables;
mod web;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use city::{CityAgreement, compare_cities, normalize_city};
pub use fold::fold;
pub use name::{
    CONNECTOR_WEIGHT, DISTINCTIVE_WEIGHT, GENERIC_WEIGHT, NormalizedName, is_legal_suffix, normalize_company_name,
    token_weight,
};
pub use score::{
    CITY_MATCH_POINTS, CITY_MISMATCH_POINTS, CITY_SIMILAR_POINTS, COUNTRY_MATCH_POINTS, COUNTRY_MISMATCH_POINTS,
    DOMAIN_MATCH_POINTS, DOMAIN_MISMATCH_POINTS, NAME_POINTS, PreparedAccount, PreparedCity, PreparedQuery, score,
    score_points, score_prepared,
};
pub use web::{is_free_mail, registrable_domain};

/// The customer of a registration or a reservation request, as the partner gave it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CustomerQuery {
    pub name: String,
    /// The customer's website ("https://www.acme.com", "acme.com").
    pub website: Option<String>,
    /// A contact's e-mail address at the customer.
    pub email: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub city: Option<String>,
}

/// An existing customer account, as far as matching is concerned.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CandidateAccount {
    pub name: String,
    pub domains: Vec<String>,
    /// ISO 3166 alpha-2.
    pub country: String,
    pub city: Option<String>,
}

/// A field compared by the matcher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum MatchField {
    Name,
    Domain,
    Country,
    City,
}

impl MatchField {
    pub fn as_str(self) -> &'static str {
        match self {
            MatchField::Name => "name",
            MatchField::Domain => "domain",
            MatchField::Country => "country",
            MatchField::City => "city",
        }
    }
}

impl std::fmt::Display for MatchField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How one field compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldAgreement {
    pub field: MatchField,
    /// 0..=1000; 0 also when the field was not compared (then `weight_points` is 0).
    pub agreement: u16,
    /// The points the field added to (or took from) the score.
    pub weight_points: i32,
    /// In words, e.g. "city Berlin ≠ Munich".
    pub detail: String,
}

/// A score with the reasons for it, one entry per field (name, domain, country, city).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MatchExplanation {
    /// 0..=1000.
    pub score: u16,
    pub fields: Vec<FieldAgreement>,
}

impl MatchExplanation {
    /// The sum of the fields' points before clamping: it orders candidates whose scores
    /// are both 1000.
    pub fn points(&self) -> i32 {
        self.fields.iter().map(|f| f.weight_points).sum()
    }

    /// The fields' details in one line: "name 'acme' vs 'acme': 1000; domain acme.com = …".
    pub fn summary(&self) -> String {
        self.fields
            .iter()
            .map(|f| f.detail.as_str())
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn field(&self, field: MatchField) -> Option<&FieldAgreement> {
        self.fields.iter().find(|f| f.field == field)
    }
}

/// The two thresholds of a conflict policy, per mille.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MatchThresholds {
    /// At or above: treat the customer as the account.
    pub auto: u16,
    /// At or above (and below `auto`): a channel manager decides.
    pub review: u16,
}

impl MatchThresholds {
    /// Chosen with `tributary-bench conflicts` (see docs/benchmarks.md): the lowest `auto`
    /// with precision ≥ 0.98 there, and a `review` that keeps nearly every true duplicate
    /// above it.
    pub const DEFAULT: MatchThresholds = MatchThresholds { auto: 750, review: 550 };

    /// Both within 0..=1000 and `review` ≤ `auto`.
    pub fn validate(&self) -> Result<(), String> {
        if self.auto > 1000 || self.review > 1000 {
            return Err("match thresholds are per mille, 0 to 1000".into());
        }
        if self.review > self.auto {
            return Err(format!(
                "the review threshold ({}) must not be above the automatic one ({})",
                self.review, self.auto
            ));
        }
        Ok(())
    }
}

impl Default for MatchThresholds {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// What a score means under a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchClass {
    /// The customer is the account.
    Same,
    /// A channel manager decides.
    Review,
    /// The customer is someone else.
    Different,
}

/// The class of one score.
pub fn classify(score: u16, thresholds: MatchThresholds) -> MatchClass {
    if score >= thresholds.auto {
        MatchClass::Same
    } else if score >= thresholds.review {
        MatchClass::Review
    } else {
        MatchClass::Different
    }
}

/// How far ahead of a runner-up at or above `auto` the best candidate must be to be taken
/// automatically.
pub const AMBIGUITY_MARGIN: u16 = 50;

/// The class of a customer given its candidates' scores, best first (each candidate a
/// different account): [`classify`] of the best, except that a runner-up at or above `auto`
/// and less than [`AMBIGUITY_MARGIN`] behind makes it [`MatchClass::Review`] — two accounts
/// fit about as well, a person chooses.
pub fn decide(ranked_scores: &[u16], thresholds: MatchThresholds) -> MatchClass {
    match ranked_scores {
        [] => MatchClass::Different,
        [best, runner_up, ..]
            if *best >= thresholds.auto
                && *runner_up >= thresholds.auto
                && best.saturating_sub(*runner_up) < AMBIGUITY_MARGIN =>
        {
            MatchClass::Review
        }
        [best, ..] => classify(*best, thresholds),
    }
}

#[cfg(test)]
mod tests;
