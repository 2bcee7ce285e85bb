//! The partner ecosystem: distributors spread over every region, resellers (about half of
//! them buying through a distributor of their region), MSPs, system integrators and
//! referral partners — mostly small, mostly active, each looked after by a channel manager.

use std::collections::HashSet;

use rand::Rng;
use rand::seq::SliceRandom;
use rust_decimal::Decimal;
use tributary_domain::money::Currency;
use tributary_domain::partner::{PartnerFields, PartnerStatus, PartnerType, SizeBand};

use crate::addresses::{postal_code, street_address};
use crate::geography::{COUNTRIES, Country, REGIONS, cities_in, countries_in, country_by_code};
use crate::names::{partner_core, unique, unique_domain};
use crate::random::{Stream, chance, pick, pick_weighted, skewed, stream, uuid};
use crate::verticals::VERTICALS;

/// How many partners of each type `count` partners are: ~8% distributors, ~55% resellers,
/// ~17% MSPs, ~12% system integrators and the rest referral partners.
fn type_counts(count: usize) -> [(PartnerType, usize); 5] {
    let share = |percent: usize| (count * percent + 50) / 100;
    let distributors = if count >= 5 { share(8).max(1) } else { 0 };
    let mut left = count - distributors;
    let mut take = |wanted: usize| {
        let n = wanted.min(left);
        left -= n;
        n
    };
    let resellers = take(share(55));
    let msps = take(share(17));
    let integrators = take(share(12));
    [
        (PartnerType::Distributor, distributors),
        (PartnerType::Reseller, resellers),
        (PartnerType::Msp, msps),
        (PartnerType::SystemIntegrator, integrators),
        (PartnerType::Referral, left),
    ]
}

fn size_band(rng: &mut impl Rng, partner_type: PartnerType) -> SizeBand {
    let weights: [(SizeBand, u64); 5] = if partner_type == PartnerType::Distributor {
        [
            (SizeBand::Micro, 0),
            (SizeBand::Small, 0),
            (SizeBand::Medium, 25),
            (SizeBand::Large, 45),
            (SizeBand::Enterprise, 30),
        ]
    } else {
        [
            (SizeBand::Micro, 32),
            (SizeBand::Small, 38),
            (SizeBand::Medium, 19),
            (SizeBand::Large, 8),
            (SizeBand::Enterprise, 3),
        ]
    };
    pick_weighted(rng, &weights, |(_, w)| *w).0
}

fn status(rng: &mut impl Rng, partner_type: PartnerType) -> PartnerStatus {
    if partner_type == PartnerType::Distributor {
        return PartnerStatus::Active;
    }
    let weights = [
        (PartnerStatus::Active, 68),
        (PartnerStatus::Onboarding, 10),
        (PartnerStatus::Prospect, 9),
        (PartnerStatus::Suspended, 8),
        (PartnerStatus::Terminated, 5),
    ];
    pick_weighted(rng, &weights, |(_, w)| *w).0
}

/// One to three distinct vertical codes.
fn verticals(rng: &mut impl Rng) -> Vec<String> {
    let wanted = 1 + usize::try_from(skewed(rng, 3)).expect("below 3");
    let mut chosen: Vec<String> = Vec::new();
    while chosen.len() < wanted {
        let code = pick(rng, VERTICALS).0;
        if !chosen.iter().any(|c| c == code) {
            chosen.push(code.to_string());
        }
    }
    chosen
}

/// The home country first, then the neighbours it sells into; distributors cover their
/// whole region as well.
fn countries_served(rng: &mut impl Rng, home: &Country, partner_type: PartnerType) -> Vec<String> {
    let mut served = vec![home.code.to_string()];
    let mut add = |code: &str| {
        if !served.iter().any(|c| c == code) {
            served.push(code.to_string());
        }
    };
    match partner_type {
        PartnerType::Distributor => {
            countries_in(home.region).for_each(|c| add(c.code));
            home.neighbours.iter().for_each(|c| add(c));
        }
        PartnerType::Referral => {}
        _ => home.neighbours.iter().filter(|_| chance(rng, 35)).for_each(|c| add(c)),
    }
    served
}

/// Regions by market size, largest first, so that a handful of distributors lands where
/// most resellers are.
fn regions_by_size() -> Vec<&'static str> {
    let mut regions: Vec<(&str, u64)> = REGIONS
        .iter()
        .map(|(code, _)| (*code, countries_in(code).map(|c| c.weight).sum()))
        .collect();
    regions.sort_by_key(|(_, weight)| std::cmp::Reverse(*weight));
    regions.into_iter().map(|(code, _)| code).collect()
}

/// `count` partners: distributors first, then the other types in random order. Partners
/// that are not prospects get a channel manager from `channel_managers` in turn; domains
/// are claimed in `domains`.
pub(crate) fn generate(
    seed: u64,
    count: usize,
    channel_managers: &[String],
    domains: &mut HashSet<String>,
) -> Vec<(String, PartnerFields)> {
    let mut rng = stream(seed, Stream::Partners);
    let counts = type_counts(count);
    let mut others: Vec<PartnerType> = counts[1..]
        .iter()
        .flat_map(|(t, n)| std::iter::repeat_n(*t, *n))
        .collect();
    others.shuffle(&mut rng);
    let types = std::iter::repeat_n(PartnerType::Distributor, counts[0].1).chain(others);
    let regions = regions_by_size();
    let mut names = HashSet::new();
    let mut partners: Vec<(String, PartnerFields)> = Vec::with_capacity(count);
    let mut assignments = channel_managers.iter().cycle();
    for (index, partner_type) in types.enumerate() {
        let home = if partner_type == PartnerType::Distributor {
            let region = regions[index % regions.len()];
            let candidates: Vec<&Country> = countries_in(region).collect();
            *pick_weighted(&mut rng, &candidates, |c| c.weight)
        } else {
            pick_weighted(&mut rng, COUNTRIES, |c| c.weight)
        };
        let city = *pick(&mut rng, &cities_in(home.code));
        let core = unique(&mut names, |attempt| {
            partner_core(&mut rng, partner_type, city.name, attempt)
        });
        let name = if chance(&mut rng, 50) {
            format!("{core} {}", home.legal_suffix)
        } else {
            core.clone()
        };
        let website_domain = unique_domain(domains, &core, None);
        let status = status(&mut rng, partner_type);
        let distributor_id = if partner_type == PartnerType::Reseller && chance(&mut rng, 50) {
            let same_region: Vec<&String> = partners
                .iter()
                .filter(|(_, p)| p.partner_type == PartnerType::Distributor && region_of(&p.country) == home.region)
                .map(|(id, _)| id)
                .collect();
            (!same_region.is_empty()).then(|| (*pick(&mut rng, &same_region)).clone())
        } else {
            None
        };
        let jitter = |rng: &mut rand_chacha::ChaCha8Rng| Decimal::new(rng.random_range(-300..=300), 4);
        let latitude = city.latitude() + jitter(&mut rng);
        let longitude = city.longitude() + jitter(&mut rng);
        let fields = PartnerFields {
            name,
            partner_type,
            distributor_id,
            size_band: size_band(&mut rng, partner_type),
            verticals: verticals(&mut rng),
            countries_served: countries_served(&mut rng, home, partner_type),
            address_line: Some(street_address(&mut rng, home)),
            city: Some(city.name.to_string()),
            postal_code: Some(postal_code(&mut rng, home)),
            country: home.code.to_string(),
            latitude: Some(latitude),
            longitude: Some(longitude),
            website_domain: Some(website_domain),
            payout_currency: Currency::parse(home.currency)
                .expect("the geography table only uses ISO 4217 currencies (tested)"),
            tax_country: home.code.to_string(),
            status,
            channel_manager_id: if status == PartnerStatus::Prospect {
                None
            } else {
                assignments.next().cloned()
            },
        };
        partners.push((uuid(&mut rng), fields));
    }
    partners
}

fn region_of(country: &str) -> &'static str {
    country_by_code(country).region
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_mix_adds_up() {
        let counts = type_counts(300);
        assert_eq!(counts.iter().map(|(_, n)| n).sum::<usize>(), 300);
        assert_eq!(counts[0], (PartnerType::Distributor, 24));
        assert_eq!(counts[1], (PartnerType::Reseller, 165));
        for small in 0..12 {
            assert_eq!(type_counts(small).iter().map(|(_, n)| n).sum::<usize>(), small);
        }
    }

    #[test]
    fn about_half_of_resellers_have_a_distributor() {
        let cams: Vec<String> = (0..6).map(|n| format!("cam{n}")).collect();
        let partners = generate(42, 300, &cams, &mut HashSet::new());
        let resellers: Vec<_> = partners
            .iter()
            .filter(|(_, p)| p.partner_type == PartnerType::Reseller)
            .collect();
        let attached = resellers.iter().filter(|(_, p)| p.distributor_id.is_some()).count();
        assert!(
            (resellers.len() * 35 / 100..=resellers.len() * 65 / 100).contains(&attached),
            "{attached}"
        );
        let small = partners
            .iter()
            .filter(|(_, p)| matches!(p.size_band, SizeBand::Micro | SizeBand::Small))
            .count();
        assert!(small > partners.len() / 2);
        let active = partners
            .iter()
            .filter(|(_, p)| p.status == PartnerStatus::Active)
            .count();
        assert!(active > partners.len() / 2);
        for cam in &cams {
            assert!(partners.iter().any(|(_, p)| p.channel_manager_id.as_ref() == Some(cam)));
        }
    }
}
