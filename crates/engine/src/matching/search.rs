//! Candidate generation and scoring for one customer.
//!
//! Each key the customer's name gives (its weighty tokens, the dictionary tokens one slip
//! away from them, neighbouring tokens written together) is looked up in the customer's
//! country; the key lists are walked shortest first, adding evidence per account: the
//! token's weight × its agreement (a distinctive exact token 3,000, a generic one 1,000).
//! Shared domains add 100,000 and, among the accounts found, the same city 1,500. The
//! [`MAX_SCORED`] accounts with the most evidence (ties by slot) are scored exactly.

use std::cell::RefCell;

use tributary_domain::matching::similarity::{token_agreement, typo_tolerant, within_one_edit};
use tributary_domain::matching::{PreparedQuery, score_points, score_prepared, token_weight};

use super::keys::{deletion_keys, joined_key, key, whole_name_key};
use super::{Candidate, MatchIndex, NO_COUNTRY, Posting, UNKNOWN_COUNTRY};

/// Key lists longer than this only add evidence to accounts rarer keys found already.
pub const LARGE_POSTINGS: usize = 20_000;
/// How many candidates, at most, are scored exactly per search.
pub const MAX_SCORED: usize = 256;

const DOMAIN_EVIDENCE: u32 = 100_000;
const CITY_EVIDENCE: u32 = 1_500;
/// Evidence of a key made of two neighbouring tokens (a distinctive word).
const COMPOUND_EVIDENCE: u32 = 3_000;

#[derive(Default)]
struct Scratch {
    evidence: Vec<u32>,
    touched: Vec<u32>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The accounts of one key (in the customer's country and without a country, or in every
/// country).
struct Hits<'a> {
    built: [&'a [Posting]; 2],
    added: [&'a [(u16, u32)]; 2],
}

impl Hits<'_> {
    fn len(&self) -> usize {
        self.built.iter().map(|s| s.len()).sum::<usize>() + self.added.iter().map(|s| s.len()).sum::<usize>()
    }

    fn for_each(&self, mut f: impl FnMut(u32)) {
        for list in self.built {
            list.iter().for_each(|p| f(p.slot));
        }
        for list in self.added {
            list.iter().for_each(|&(_, slot)| f(slot));
        }
    }
}

/// The part of `list` (sorted by country) in `country`.
fn country_range<T>(list: &[T], country: u16, of: impl Fn(&T) -> u16) -> &[T] {
    let start = list.partition_point(|p| of(p) < country);
    let end = start + list[start..].partition_point(|p| of(p) <= country);
    &list[start..end]
}

impl MatchIndex {
    fn name_hits(&self, key: u64, country: Option<u16>) -> Hits<'_> {
        let start = self.names.partition_point(|p| p.key < key);
        let end = start + self.names[start..].partition_point(|p| p.key == key);
        let built = &self.names[start..end];
        let added: &[(u16, u32)] = self.names_added.get(&key).map_or(&[], Vec::as_slice);
        match country {
            None => Hits {
                built: [built, &[]],
                added: [added, &[]],
            },
            Some(country) => Hits {
                built: [
                    country_range(built, country, |p| p.country),
                    country_range(built, NO_COUNTRY, |p| p.country),
                ],
                added: [
                    country_range(added, country, |p| p.0),
                    country_range(added, NO_COUNTRY, |p| p.0),
                ],
            },
        }
    }

    /// Dictionary tokens one typing slip from `token` (not `token` itself), with their
    /// agreement.
    fn typo_neighbours(&self, token: &str) -> Vec<(&str, u16)> {
        let mut ids = Vec::new();
        for k in deletion_keys(token) {
            let start = self.deletions.partition_point(|e| e.0 < k);
            ids.extend(self.deletions[start..].iter().take_while(|e| e.0 == k).map(|e| e.1));
            if let Some(added) = self.deletions_added.get(&k) {
                ids.extend_from_slice(added);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| &*self.dictionary[id as usize])
            .filter(|d| *d != token && within_one_edit(token, d))
            .map(|d| (d, token_agreement(token, d)))
            .collect()
    }

    fn domain_slots(&self, domain: &str, mut f: impl FnMut(u32)) {
        let k = key(domain);
        let start = self.domains.partition_point(|e| e.0 < k);
        self.domains[start..]
            .iter()
            .take_while(|e| e.0 == k)
            .for_each(|e| f(e.1));
        if let Some(added) = self.domains_added.get(&k) {
            added.iter().copied().for_each(f);
        }
    }
}

/// The name keys of the customer with the evidence each gives, each key once.
fn lookups(index: &MatchIndex, query: &PreparedQuery) -> Vec<(u64, u32)> {
    let tokens = &query.name.tokens;
    let mut lookups = Vec::new();
    for token in tokens {
        let weight = token_weight(token);
        if weight == 0 {
            continue;
        }
        lookups.push((key(token), weight * 1000));
        if typo_tolerant(token) {
            for (neighbour, agreement) in index.typo_neighbours(token) {
                lookups.push((key(neighbour), weight * u32::from(agreement)));
            }
        }
    }
    for pair in tokens.windows(2) {
        lookups.push((joined_key(&pair[0], &pair[1]), COMPOUND_EVIDENCE));
    }
    if !tokens.is_empty() && tokens.iter().all(|t| token_weight(t) == 0) {
        lookups.push((whole_name_key(&query.name.text), 1000));
    }
    lookups.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    lookups.dedup_by_key(|l| l.0);
    lookups
}

pub(super) fn search(index: &MatchIndex, query: &PreparedQuery, limit: usize) -> Vec<Candidate> {
    if limit == 0 || index.live == 0 {
        return Vec::new();
    }
    SCRATCH.with(|scratch| {
        let mut scratch = scratch.borrow_mut();
        let Scratch { evidence, touched } = &mut *scratch;
        if evidence.len() < index.entries.len() {
            evidence.resize(index.entries.len(), 0);
        }
        let result = search_with(index, query, limit, evidence, touched);
        for slot in touched.drain(..) {
            evidence[slot as usize] = 0;
        }
        result
    })
}

fn search_with(
    index: &MatchIndex,
    query: &PreparedQuery,
    limit: usize,
    evidence: &mut [u32],
    touched: &mut Vec<u32>,
) -> Vec<Candidate> {
    let country = query
        .country
        .as_ref()
        .map(|c| index.country_codes.get(c).copied().unwrap_or(UNKNOWN_COUNTRY));
    let mut hits: Vec<(Hits, u32)> = lookups(index, query)
        .into_iter()
        .map(|(k, weight)| (index.name_hits(k, country), weight))
        .collect();
    hits.sort_by_key(|(h, _)| h.len());
    for (list, weight) in &hits {
        let open = list.len() <= LARGE_POSTINGS || touched.is_empty();
        list.for_each(|slot| {
            let e = &mut evidence[slot as usize];
            if *e == 0 {
                if !open || index.entries[slot as usize].is_none() {
                    return;
                }
                touched.push(slot);
            }
            *e += weight;
        });
    }
    for domain in &query.domains {
        index.domain_slots(domain, |slot| {
            let e = &mut evidence[slot as usize];
            if *e == 0 {
                if index.entries[slot as usize].is_none() {
                    return;
                }
                touched.push(slot);
            }
            *e += DOMAIN_EVIDENCE;
        });
    }
    if let Some(city) = &query.city {
        let city = key(&city.key).max(1);
        for &slot in touched.iter() {
            if index.city_of[slot as usize] == city {
                evidence[slot as usize] += CITY_EVIDENCE;
            }
        }
    }

    let mut chosen: Vec<(u32, u32)> = touched.iter().map(|&s| (evidence[s as usize], s)).collect();
    let most_evidence_first = |a: &(u32, u32), b: &(u32, u32)| b.0.cmp(&a.0).then(a.1.cmp(&b.1));
    if chosen.len() > MAX_SCORED {
        chosen.select_nth_unstable_by(MAX_SCORED - 1, most_evidence_first);
        chosen.truncate(MAX_SCORED);
    }
    let mut scored: Vec<(u16, i32, &str, u32)> = chosen
        .into_iter()
        .filter_map(|(_, slot)| {
            let entry = index.entries[slot as usize].as_ref()?;
            let (score, points) = score_points(query, &entry.account);
            (score > 0).then_some((score, points, &*entry.id, slot))
        })
        .collect();
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(b.2)));
    scored.truncate(limit);
    scored
        .into_iter()
        .map(|(score, _, id, slot)| {
            let entry = index.entries[slot as usize].as_ref().expect("a scored account");
            let explanation = score_prepared(query, &entry.account);
            debug_assert_eq!(explanation.score, score);
            Candidate {
                account_id: id.to_string(),
                explanation,
            }
        })
        .collect()
}
