//! The demo dataset as the loader sees it: every record passes the domain's validation,
//! references point at earlier records, the same seed gives the same data, and the
//! default configuration has the advertised size.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use tributary_demo::{DEMO_PASSWORD, DemoConfig, DemoDataset, DemoFact, demo_credentials, facts, generate};
use tributary_domain::account::{AccountInput, AccountKind};
use tributary_domain::fx::FxRateInput;
use tributary_domain::geography::{RegionInput, VerticalInput};
use tributary_domain::partner::{PartnerInput, PartnerStatus, PartnerType};
use tributary_domain::product::ProductInput;
use tributary_domain::role::Role;
use tributary_domain::sales::SalesFactInput;
use tributary_domain::user::{UserInput, password};

fn small() -> DemoConfig {
    DemoConfig {
        seed: 7,
        partners: 60,
        accounts: 3_000,
        products: 60,
        facts: 30_000,
        ..DemoConfig::default()
    }
}

fn text(value: &Option<rust_decimal::Decimal>) -> Option<String> {
    value.map(|d| d.to_string())
}

#[test]
fn every_record_passes_domain_validation_unchanged() {
    let dataset = generate(&small());
    for region in &dataset.regions {
        let input = RegionInput {
            code: region.code.clone(),
            name: region.name.clone(),
            countries: region.countries.clone(),
        };
        assert_eq!(input.validate().as_ref(), Ok(region));
    }
    for vertical in &dataset.verticals {
        let input = VerticalInput {
            code: vertical.code.clone(),
            name: vertical.name.clone(),
        };
        assert_eq!(input.validate().as_ref(), Ok(vertical));
    }
    assert!(password(DEMO_PASSWORD).is_ok());
    for user in &dataset.users {
        let u = &user.fields;
        let input = UserInput {
            email: u.email.clone(),
            display_name: u.display_name.clone(),
            role: u.role.as_str().to_string(),
            partner_id: u.partner_id.clone(),
            password: Some(DEMO_PASSWORD.to_string()),
        };
        assert_eq!(input.validate().as_ref(), Ok(u));
    }
    for (_, p) in &dataset.partners {
        let input = PartnerInput {
            name: p.name.clone(),
            partner_type: p.partner_type.as_str().to_string(),
            distributor_id: p.distributor_id.clone(),
            size_band: p.size_band.as_str().to_string(),
            verticals: p.verticals.clone(),
            countries_served: p.countries_served.clone(),
            address_line: p.address_line.clone(),
            city: p.city.clone(),
            postal_code: p.postal_code.clone(),
            country: p.country.clone(),
            latitude: text(&p.latitude),
            longitude: text(&p.longitude),
            website_domain: p.website_domain.clone(),
            payout_currency: p.payout_currency.code().to_string(),
            tax_country: p.tax_country.clone(),
            status: Some(p.status.as_str().to_string()),
            channel_manager_id: p.channel_manager_id.clone(),
            version: None,
        };
        assert_eq!(input.validate().as_ref(), Ok(p));
    }
    for (_, p) in &dataset.products {
        let input = ProductInput {
            sku: p.sku.clone(),
            name: p.name.clone(),
            family: p.family.clone(),
            list_price: p.list_price.to_string(),
            currency: p.currency.code().to_string(),
            active: Some(p.active),
        };
        assert_eq!(input.validate().as_ref(), Ok(p));
    }
    for (_, a) in &dataset.accounts {
        let input = AccountInput {
            name: a.name.clone(),
            kind: a.kind.as_str().to_string(),
            parent_id: a.parent_id.clone(),
            domains: a.domains.clone(),
            country: a.country.clone(),
            city: a.city.clone(),
            is_house_account: a.is_house_account,
        };
        assert_eq!(input.validate().as_ref(), Ok(a));
    }
    for rate in &dataset.fx_rates {
        let input = FxRateInput {
            from_currency: rate.from_currency.code().to_string(),
            to_currency: rate.to_currency.code().to_string(),
            rate_date: rate.rate_date.format("%Y-%m-%d").to_string(),
            rate: rate.rate.to_string(),
        };
        assert_eq!(input.validate().as_ref(), Ok(rate));
        assert_eq!(rate.rate.scale(), 6);
    }
    for fact in facts(&small(), &dataset) {
        let input = SalesFactInput {
            fact_date: fact.fact_date.format("%Y-%m-%d").to_string(),
            partner_id: dataset.partners[fact.partner as usize].0.clone(),
            distributor_id: fact.distributor.map(|d| dataset.partners[d as usize].0.clone()),
            account_id: dataset.accounts[fact.account as usize].0.clone(),
            product_sku: dataset.products[fact.product as usize].1.sku.clone(),
            quantity: fact.quantity.to_string(),
            amount: fact.currency.from_minor(fact.amount_minor).to_string(),
            currency: fact.currency.code().to_string(),
            deal_ref: fact.deal_ref.clone(),
            source: Some(fact.source.to_string()),
            cost: None,
        };
        let fields = input.validate().unwrap_or_else(|e| panic!("{fact:?}: {e:?}"));
        assert_eq!(fields.amount_minor, fact.amount_minor);
        assert_ne!(fact.quantity, 0);
    }
}

#[test]
fn the_same_seed_gives_the_same_data() {
    let config = small();
    let first = generate(&config);
    let second = generate(&config);
    assert_eq!(first, second);
    let a: Vec<DemoFact> = facts(&config, &first).take(1000).collect();
    let b: Vec<DemoFact> = facts(&config, &second).take(1000).collect();
    assert_eq!(a.len(), 1000);
    assert_eq!(a, b);
    let other = generate(&DemoConfig { seed: 8, ..config });
    assert_ne!(first.partners, other.partners);
}

fn ids<T>(records: &[(String, T)]) -> HashSet<&str> {
    records.iter().map(|(id, _)| id.as_str()).collect()
}

#[test]
fn references_point_at_earlier_records_of_the_right_kind() {
    let config = small();
    let dataset = generate(&config);
    let mut all_ids: Vec<&str> = dataset.users.iter().map(|u| u.id.as_str()).collect();
    all_ids.extend(ids(&dataset.partners));
    all_ids.extend(ids(&dataset.accounts));
    all_ids.extend(ids(&dataset.products));
    assert_eq!(
        all_ids.iter().collect::<HashSet<_>>().len(),
        all_ids.len(),
        "ids are unique"
    );
    assert!(all_ids.iter().all(|id| uuid::Uuid::parse_str(id).is_ok()));

    let region_of: HashMap<&str, &str> = dataset
        .regions
        .iter()
        .flat_map(|r| r.countries.iter().map(move |c| (c.as_str(), r.code.as_str())))
        .collect();
    let region_countries: usize = dataset.regions.iter().map(|r| r.countries.len()).sum();
    assert_eq!(region_of.len(), region_countries, "no country is in two regions");

    let cams: HashSet<&str> = dataset
        .users
        .iter()
        .filter(|u| u.fields.role == Role::ChannelManager)
        .map(|u| u.id.as_str())
        .collect();
    assert_eq!(cams.len(), 6);
    let verticals: HashSet<&str> = dataset.verticals.iter().map(|v| v.code.as_str()).collect();
    let mut earlier: HashMap<&str, &tributary_domain::partner::PartnerFields> = HashMap::new();
    let mut names = HashSet::new();
    let mut domains = HashSet::new();
    for (id, p) in &dataset.partners {
        if let Some(distributor) = &p.distributor_id {
            let d = earlier.get(distributor.as_str()).expect("distributor comes first");
            assert_eq!(d.partner_type, PartnerType::Distributor);
            assert_eq!(region_of[d.country.as_str()], region_of[p.country.as_str()]);
        }
        match &p.channel_manager_id {
            Some(cam) => assert!(cams.contains(cam.as_str())),
            None => assert_eq!(p.status, PartnerStatus::Prospect),
        }
        assert!(region_of.contains_key(p.country.as_str()));
        assert!(p.countries_served.iter().all(|c| region_of.contains_key(c.as_str())));
        assert_eq!(p.countries_served[0], p.country);
        assert!(p.verticals.iter().all(|v| verticals.contains(v.as_str())));
        assert_eq!(p.tax_country, p.country);
        assert!(names.insert(p.name.as_str()), "duplicate name {}", p.name);
        assert!(domains.insert(p.website_domain.as_deref().unwrap()));
        earlier.insert(id, p);
    }
    for user in dataset.users.iter().filter(|u| u.fields.role.is_partner()) {
        let partner = user.fields.partner_id.as_deref().unwrap();
        let domain = earlier[partner].website_domain.as_deref().unwrap();
        assert!(user.fields.email.ends_with(&format!("@{domain}")));
    }
    let emails: HashSet<&str> = dataset.users.iter().map(|u| u.fields.email.as_str()).collect();
    assert_eq!(emails.len(), dataset.users.len());

    let mut seen: HashMap<&str, (&AccountKind, bool)> = HashMap::new();
    for (id, a) in &dataset.accounts {
        if let Some(parent) = &a.parent_id {
            let (kind, house) = seen.get(parent.as_str()).expect("parent comes first");
            assert_ne!(**kind, AccountKind::Office, "offices have no children");
            assert_eq!(*house, a.is_house_account, "house accounts include their subtree");
        }
        assert!(region_of.contains_key(a.country.as_str()));
        for d in &a.domains {
            assert!(domains.insert(d.as_str()), "duplicate domain {d}");
        }
        seen.insert(id, (&a.kind, a.is_house_account));
    }

    let mut quoted: HashMap<&str, Vec<NaiveDate>> = HashMap::new();
    for rate in &dataset.fx_rates {
        assert!(rate.from_currency.code() == "USD" || rate.to_currency.code() == "USD");
        if rate.from_currency.code() == "USD" {
            quoted.entry(rate.to_currency.code()).or_default().push(rate.rate_date);
        }
    }
    for fact in facts(&config, &dataset) {
        if fact.currency.code() != "USD" {
            let dates = &quoted[fact.currency.code()];
            assert!(dates.iter().any(|d| *d <= fact.fact_date), "no rate for {fact:?}");
        }
    }
}

/// Partner, account, product and deal: what ties a return to its sale.
type SaleKey<'a> = (u32, u32, u32, Option<&'a str>);

#[test]
fn facts_look_like_a_channel_business() {
    let config = small();
    let dataset = generate(&config);
    let lines: Vec<DemoFact> = facts(&config, &dataset).collect();
    assert_eq!(lines.len(), config.facts);
    assert!(lines.windows(2).all(|w| w[0].fact_date <= w[1].fact_date), "date order");
    assert_eq!(
        lines.first().unwrap().fact_date,
        NaiveDate::from_ymd_opt(2025, 10, 1).unwrap()
    );
    assert_eq!(lines.last().unwrap().fact_date, config.end_date);
    let returns = lines.iter().filter(|f| f.quantity < 0).count();
    let deals = lines.iter().filter(|f| f.deal_ref.is_some()).count();
    assert!(
        (lines.len() * 3 / 100..lines.len() * 7 / 100).contains(&returns),
        "{returns} returns"
    );
    assert!(
        (lines.len() * 7 / 100..lines.len() * 13 / 100).contains(&deals),
        "{deals} deals"
    );
    let last_day = config.end_date;
    let cutoff = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let mut by_partner: HashMap<u32, usize> = HashMap::new();
    let mut served_home = 0;
    let mut sold_and_returned: HashMap<SaleKey, (i64, i64)> = HashMap::new();
    for fact in &lines {
        let key = (fact.partner, fact.account, fact.product, fact.deal_ref.as_deref());
        let (sold, returned) = sold_and_returned.entry(key).or_default();
        if fact.quantity > 0 {
            *sold += fact.quantity;
        } else {
            *returned -= fact.quantity;
            assert!(
                *returned <= *sold,
                "a return without an earlier matching sale: {fact:?}"
            );
        }
        let (_, partner) = &dataset.partners[fact.partner as usize];
        assert!(matches!(
            partner.status,
            PartnerStatus::Active | PartnerStatus::Suspended | PartnerStatus::Terminated
        ));
        assert_ne!(partner.partner_type, PartnerType::Distributor);
        if partner.status == PartnerStatus::Terminated {
            assert!(fact.fact_date < cutoff, "terminated partner sold on {}", fact.fact_date);
        }
        let expected = partner
            .distributor_id
            .as_ref()
            .map(|d| dataset.partners.iter().position(|(id, _)| id == d).unwrap() as u32);
        assert_eq!(fact.distributor, expected);
        assert_eq!(fact.currency, partner.payout_currency);
        assert!(["erp", "distributor_feed", "pos"].contains(&fact.source));
        if let Some(deal) = &fact.deal_ref {
            assert!(
                deal.starts_with("DR-20") && deal.len() == "DR-2026-000123".len(),
                "{deal}"
            );
        }
        let account = &dataset.accounts[fact.account as usize].1;
        assert!(!account.is_house_account);
        if partner.countries_served.contains(&account.country) {
            served_home += 1;
        }
        assert!(dataset.products[fact.product as usize].1.active);
        assert!((fact.quantity > 0 && fact.amount_minor >= 0) || (fact.quantity < 0 && fact.amount_minor <= 0));
        assert!(fact.fact_date <= last_day);
        *by_partner.entry(fact.partner).or_default() += 1;
    }
    assert!(
        served_home * 100 / lines.len() > 95,
        "accounts come from the partner's countries"
    );
    let mut volumes: Vec<usize> = by_partner.into_values().collect();
    volumes.sort_unstable_by(|a, b| b.cmp(a));
    let top_tenth: usize = volumes.iter().take(volumes.len().div_ceil(10)).sum();
    assert!(
        top_tenth * 100 / lines.len() >= 30,
        "a few partners sell a lot: {top_tenth}"
    );
}

#[test]
fn credentials_name_useful_users() {
    let dataset = generate(&small());
    let credentials = demo_credentials(&dataset);
    let roles: Vec<&str> = credentials.iter().map(|(role, _)| role.as_str()).collect();
    assert_eq!(
        roles,
        [
            "admin",
            "channel_manager",
            "finance",
            "legal",
            "marketing",
            "partner_admin",
            "partner_user"
        ]
    );
    let user = |email: &str| dataset.users.iter().find(|u| u.fields.email == email).unwrap();
    let cam = user(&credentials[1].1);
    assert!(
        dataset
            .partners
            .iter()
            .any(|(_, p)| p.channel_manager_id.as_deref() == Some(cam.id.as_str()))
    );
    let partner_of = |email: &str| user(email).fields.partner_id.clone().unwrap();
    let reseller = partner_of(&credentials[5].1);
    assert_eq!(reseller, partner_of(&credentials[6].1));
    let (_, fields) = dataset.partners.iter().find(|(id, _)| *id == reseller).unwrap();
    assert_eq!(
        (fields.partner_type, fields.status),
        (PartnerType::Reseller, PartnerStatus::Active)
    );
    assert_eq!(credentials[0].1, "admin@tributary.example");
}

#[test]
fn the_default_configuration_has_the_advertised_size() {
    let config = DemoConfig::default();
    assert_eq!((config.seed, config.months), (42, 13));
    assert_eq!(config.end_date, NaiveDate::from_ymd_opt(2026, 10, 31).unwrap());
    let dataset = generate(&config);
    assert_eq!(dataset.partners.len(), 300);
    assert_eq!(dataset.accounts.len(), 20_000);
    assert_eq!(dataset.products.len(), 200);
    assert_eq!(dataset.users.len(), 10 + 2 * 300);
    assert!((10..=12).contains(&dataset.verticals.len()));
    let distributors = dataset
        .partners
        .iter()
        .filter(|(_, p)| p.partner_type == PartnerType::Distributor)
        .count();
    assert_eq!(distributors, 24);
    let families: HashSet<&str> = dataset.products.iter().map(|(_, p)| p.family.as_str()).collect();
    assert_eq!(families.len(), 10);
    let companies = dataset
        .accounts
        .iter()
        .filter(|(_, a)| a.kind == AccountKind::Company)
        .count();
    assert!((7_000..=9_000).contains(&companies), "{companies} companies");
    let currencies: HashSet<&str> = dataset.fx_rates.iter().map(|r| r.from_currency.code()).collect();
    assert!(currencies.len() > 10, "{currencies:?}");
    assert_eq!(dataset.fx_rates.len(), 396 * (currencies.len() - 1) * 2);
    assert_eq!(facts(&config, &dataset).count(), 250_000);
    assert_eq!(demo_credentials(&dataset).len(), 7);
}

/// Throughput guard; run with `cargo test --release -p tributary-demo -- --ignored`.
#[test]
#[ignore = "a release-mode benchmark"]
fn ten_million_facts_stream_quickly() {
    let config = DemoConfig {
        facts: 10_000_000,
        ..DemoConfig::default()
    };
    let dataset = generate(&config);
    let started = std::time::Instant::now();
    let (mut lines, mut returns) = (0usize, 0usize);
    for fact in facts(&config, &dataset) {
        lines += 1;
        returns += usize::from(fact.quantity < 0);
    }
    let elapsed = started.elapsed();
    assert_eq!(lines, config.facts);
    assert!(
        (lines * 4 / 100..lines * 6 / 100).contains(&returns),
        "{returns} returns"
    );
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
    eprintln!("10,000,000 facts in {elapsed:?}");
}

#[test]
fn dataset_is_usable_for_tiny_and_empty_configurations() {
    for partners in [0, 1, 3, 7] {
        let config = DemoConfig {
            partners,
            accounts: partners * 5,
            products: partners,
            facts: 100,
            ..DemoConfig::default()
        };
        let dataset: DemoDataset = generate(&config);
        assert_eq!(dataset.partners.len(), partners);
        assert_eq!(dataset.accounts.len(), partners * 5);
        assert!(facts(&config, &dataset).count() <= 100);
        let _ = demo_credentials(&dataset);
    }
}
