//! End-customer accounts as hierarchies: a company, its foreign subsidiaries and the offices
//! of both. About 3% of companies are house accounts (with their whole subtree), and a few
//! companies have a near-namesake in another country ("Northwind Traders" in the US,
//! "Northwind Traders GmbH" in Germany) for conflict-matching demos.

use std::collections::HashSet;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use tributary_domain::account::{AccountFields, AccountKind};

use crate::geography::{COUNTRIES, Country, cities_in};
use crate::names::{company_core, slug, unique, unique_domain};
use crate::random::{Stream, chance, pick, pick_weighted, stream, uuid};

/// Subsidiaries per company: usually none, at most five.
const SUBSIDIARIES: [(usize, u64); 6] = [(0, 55), (1, 18), (2, 11), (3, 8), (4, 5), (5, 3)];
/// Offices per company or subsidiary.
const OFFICES: [(usize, u64); 4] = [(0, 76), (1, 18), (2, 5), (3, 1)];

struct Builder<'a> {
    rng: ChaCha8Rng,
    accounts: Vec<(String, AccountFields)>,
    target: usize,
    domains: &'a mut HashSet<String>,
}

/// A node that can receive offices: its id, name and country.
struct Site {
    id: String,
    name: String,
    country: &'static Country,
}

impl Builder<'_> {
    fn full(&self) -> bool {
        self.accounts.len() >= self.target
    }

    fn push(&mut self, fields: AccountFields) -> String {
        let id = uuid(&mut self.rng);
        self.accounts.push((id.clone(), fields));
        id
    }

    fn city(&mut self, country: &Country) -> String {
        pick(&mut self.rng, &cities_in(country.code)).name.to_string()
    }

    /// A company with its subtree; returns its distinctive name core and country.
    fn company(&mut self, names: &mut HashSet<String>) -> (String, &'static Country) {
        let country = pick_weighted(&mut self.rng, COUNTRIES, |c| c.weight);
        let core = unique(names, |attempt| company_core(&mut self.rng, attempt));
        let name = if chance(&mut self.rng, 25) {
            format!("{core} {}", country.legal_suffix)
        } else {
            core.clone()
        };
        let house = chance(&mut self.rng, 3);
        let domain = unique_domain(self.domains, &core, None);
        let city = self.city(country);
        let id = self.push(AccountFields {
            name: name.clone(),
            kind: AccountKind::Company,
            parent_id: None,
            domains: vec![domain.clone()],
            country: country.code.to_string(),
            city: Some(city),
            is_house_account: house,
        });
        let mut sites = vec![Site { id, name, country }];
        let subsidiaries = pick_weighted(&mut self.rng, &SUBSIDIARIES, |(_, w)| *w).0;
        for _ in 0..subsidiaries {
            let taken: Vec<&str> = sites.iter().map(|s| s.country.code).collect();
            let abroad = pick_weighted(&mut self.rng, COUNTRIES, |c| c.weight);
            if self.full() || taken.contains(&abroad.code) {
                continue;
            }
            let name = format!("{core} {} {}", abroad.name, abroad.legal_suffix);
            let sub_domain = unique_domain(self.domains, &slug(abroad.code), Some(&domain));
            let city = self.city(abroad);
            let id = self.push(AccountFields {
                name: name.clone(),
                kind: AccountKind::Subsidiary,
                parent_id: Some(sites[0].id.clone()),
                domains: vec![sub_domain],
                country: abroad.code.to_string(),
                city: Some(city),
                is_house_account: house,
            });
            sites.push(Site {
                id,
                name,
                country: abroad,
            });
        }
        for site in &sites {
            self.offices(site, house);
        }
        (core, country)
    }

    /// Up to three offices of `site` in distinct cities of its country.
    fn offices(&mut self, site: &Site, house: bool) {
        let wanted = pick_weighted(&mut self.rng, &OFFICES, |(_, w)| *w).0;
        let mut cities = cities_in(site.country.code);
        for _ in 0..wanted {
            if self.full() || cities.is_empty() {
                return;
            }
            let city = cities.swap_remove(self.rng.random_range(0..cities.len())).name;
            self.push(AccountFields {
                name: format!("{} – {city}", site.name),
                kind: AccountKind::Office,
                parent_id: Some(site.id.clone()),
                domains: Vec::new(),
                country: site.country.code.to_string(),
                city: Some(city.to_string()),
                is_house_account: house,
            });
        }
    }

    /// An unrelated company abroad whose name nearly matches `core` ("… GmbH").
    fn namesake(&mut self, core: &str, home: &Country) {
        let abroad = pick_weighted(&mut self.rng, COUNTRIES, |c| c.weight);
        if self.full() || abroad.code == home.code {
            return;
        }
        let name = format!("{core} {}", abroad.legal_suffix);
        let domain = unique_domain(self.domains, &name, None);
        let city = self.city(abroad);
        self.push(AccountFields {
            name,
            kind: AccountKind::Company,
            parent_id: None,
            domains: vec![domain],
            country: abroad.code.to_string(),
            city: Some(city),
            is_house_account: false,
        });
    }
}

/// Exactly `count` accounts, every parent before its children; domains are claimed in `domains`.
pub(crate) fn generate(seed: u64, count: usize, domains: &mut HashSet<String>) -> Vec<(String, AccountFields)> {
    let mut builder = Builder {
        rng: stream(seed, Stream::Accounts),
        accounts: Vec::with_capacity(count),
        target: count,
        domains,
    };
    let mut names = HashSet::new();
    while !builder.full() {
        let (core, country) = builder.company(&mut names);
        if chance(&mut builder.rng, 3) {
            builder.namesake(&core, country);
        }
    }
    builder.accounts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hierarchy_shape() {
        let accounts = generate(42, 5000, &mut HashSet::new());
        assert_eq!(accounts.len(), 5000);
        let companies = accounts.iter().filter(|(_, a)| a.kind == AccountKind::Company).count();
        assert!((1500..=2500).contains(&companies), "{companies} companies");
        let house = accounts
            .iter()
            .filter(|(_, a)| a.is_house_account && a.kind == AccountKind::Company)
            .count();
        assert!(house > 0 && house < companies / 10, "{house} house companies");
        let mut seen = HashSet::new();
        for (id, account) in &accounts {
            if let Some(parent) = &account.parent_id {
                assert!(seen.contains(parent), "parent of {} comes later", account.name);
            }
            seen.insert(id.clone());
        }
        let companies: std::collections::HashMap<&str, &str> = accounts
            .iter()
            .filter(|(_, a)| a.kind == AccountKind::Company)
            .map(|(_, a)| (a.name.as_str(), a.country.as_str()))
            .collect();
        let namesakes = companies
            .iter()
            .filter(|(name, country)| {
                name.match_indices(' ')
                    .any(|(at, _)| companies.get(&name[..at]).is_some_and(|other| other != *country))
            })
            .count();
        assert!(namesakes > 10, "{namesakes} namesakes");
    }
}
