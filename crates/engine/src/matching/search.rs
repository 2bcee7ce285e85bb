//! Candidate generation and scoring for one customer.
//!
//! Each key the customer's name gives (its weighty tokens, the dictionary tokens one slip
//! away from them, neighbouring tokens written together) is looked up in the customer's
//! country; the key lists are walked shortest first, adding evidence per account: the
//! token's weight × its agreement (a distinctive exact token 4,000, a generic one 1,000).
//! Shared domains add 100,000 and, among the accounts found, the same city 1,500. The
//! [`MAX_SCORED`] accounts with the most evidence (ties by slot) are scored exactly.
//!
//! **Lists that only add evidence.** The longest key lists of tokens that, even all
//! together, cannot lift an account above [`SOUND_FLOOR`] (a name agreement of at most
//! 358, see [`name_agreement_bound`]) — typically the generic word of "Varnex Logistik" —
//! do not bring in new candidates: they only add evidence to accounts found otherwise.

use std::cell::RefCell;

use tributary_domain::matching::similarity::{token_agreement, typo_tolerant};
use tributary_domain::matching::{
    CITY_MATCH_POINTS, COUNTRY_MATCH_POINTS, DISTINCTIVE_WEIGHT, NAME_POINTS, PreparedQuery, score_points,
    score_prepared, token_weight,
};

use super::directory::equal_range;
use super::keys::{deletion_keys, joined_key, key, whole_name_key};
use super::{Candidate, MatchIndex, NO_COUNTRY, Posting, UNKNOWN_COUNTRY};

/// Key lists longer than this only add evidence to accounts rarer keys found already.
pub const LARGE_POSTINGS: usize = 20_000;
/// How many candidates, at most, are scored exactly per search.
pub const MAX_SCORED: usize = 64;
/// Every account scoring above this (and within the two limits above) is a candidate.
pub const SOUND_FLOOR: u16 = 400;

const DOMAIN_EVIDENCE: u32 = 100_000;
const CITY_EVIDENCE: u32 = 1_500;
/// Evidence of a key made of two neighbouring tokens (a distinctive word).
const COMPOUND_EVIDENCE: u32 = DISTINCTIVE_WEIGHT * 1000;

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
        let built = &self.names[equal_range(&self.names, &self.names_directory, key, |p| p.key)];
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
            let range = equal_range(&self.deletions, &self.deletions_directory, k, |e| e.0);
            ids.extend(self.deletions[range].iter().map(|e| e.1));
            if let Some(added) = self.deletions_added.get(&k) {
                ids.extend_from_slice(added);
            }
        }
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter()
            .map(|id| &*self.dictionary[id as usize])
            .filter(|d| *d != token)
            .map(|d| (d, token_agreement(token, d)))
            .filter(|(_, agreement)| *agreement > 0)
            .collect()
    }

    fn domain_slots(&self, domain: &str, mut f: impl FnMut(u32)) {
        let k = key(domain);
        let range = equal_range(&self.domains, &self.domains_directory, k, |e| e.0);
        self.domains[range].iter().for_each(|e| f(e.1));
        if let Some(added) = self.domains_added.get(&k) {
            added.iter().copied().for_each(f);
        }
    }
}

/// One key to look up.
struct Lookup {
    key: u64,
    evidence: u32,
    /// The distinct query token it comes from (none for compounds and whole names).
    token: Option<usize>,
}

/// A distinct weighty token of the customer's name.
struct QueryToken {
    occurrences: u32,
    weight: u32,
    /// The largest weight of an account token it may agree with.
    found_weight: u32,
    postings: usize,
}

/// The name keys of the customer with the evidence each gives, and the distinct tokens.
fn lookups(index: &MatchIndex, query: &PreparedQuery) -> (Vec<Lookup>, Vec<QueryToken>) {
    let tokens = &query.name.tokens;
    let mut lookups = Vec::new();
    let mut distinct: Vec<(&str, QueryToken)> = Vec::new();
    for token in tokens {
        let weight = token_weight(token);
        if weight == 0 {
            continue;
        }
        if let Some((_, seen)) = distinct.iter_mut().find(|(t, _)| t == token) {
            seen.occurrences += 1;
            continue;
        }
        let id = distinct.len();
        let mut found_weight = weight;
        lookups.push(Lookup {
            key: key(token),
            evidence: weight * 1000,
            token: Some(id),
        });
        if typo_tolerant(token) {
            for (neighbour, agreement) in index.typo_neighbours(token) {
                let neighbour_weight = token_weight(neighbour);
                found_weight = found_weight.max(neighbour_weight);
                lookups.push(Lookup {
                    key: key(neighbour),
                    evidence: weight * u32::from(agreement),
                    token: Some(id),
                });
            }
        }
        distinct.push((
            token,
            QueryToken {
                occurrences: 1,
                weight,
                found_weight,
                postings: 0,
            },
        ));
    }
    for pair in tokens.windows(2) {
        lookups.push(Lookup {
            key: joined_key(&pair[0], &pair[1]),
            evidence: COMPOUND_EVIDENCE,
            token: None,
        });
    }
    if !tokens.is_empty() && tokens.iter().all(|t| token_weight(t) == 0) {
        lookups.push(Lookup {
            key: whole_name_key(&query.name.text),
            evidence: 1000,
            token: None,
        });
    }
    (lookups, distinct.into_iter().map(|(_, t)| t).collect())
}

/// The highest name agreement an account can reach when the only query tokens it agrees
/// with are `tokens` (each with the heaviest account token it may meet): the weighted Dice
/// coefficient with every one of them matched fully and nothing else on the account side.
fn name_agreement_bound(total_query_weight: u32, tokens: &[&QueryToken]) -> u32 {
    let matched: u32 = tokens.iter().map(|t| t.occurrences * (t.weight + t.found_weight)).sum();
    let account: u32 = tokens.iter().map(|t| t.occurrences * t.found_weight).sum();
    let total = total_query_weight + account;
    (matched * 1000).checked_div(total).unwrap_or(0)
}

/// The highest name agreement that keeps an account without a shared domain at or below
/// [`SOUND_FLOOR`] even with the same country and city.
fn agreement_below_floor() -> u32 {
    let others = COUNTRY_MATCH_POINTS + CITY_MATCH_POINTS;
    let most_name_points = i32::from(SOUND_FLOOR) - others;
    // name points are NAME_POINTS × agreement / 1000, rounded down
    (((most_name_points + 1) * 1000 - 1) / NAME_POINTS) as u32
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
    let (lookups, mut tokens) = lookups(index, query);
    let mut hits: Vec<(Hits, &Lookup)> = lookups.iter().map(|l| (index.name_hits(l.key, country), l)).collect();
    for (h, l) in &hits {
        if let Some(t) = l.token {
            tokens[t].postings += h.len();
        }
    }

    // The longest lists whose tokens together stay below the floor only add evidence.
    let total_query_weight: u32 = query.name.tokens.iter().map(|t| token_weight(t)).sum();
    let mut by_length: Vec<usize> = (0..tokens.len()).collect();
    by_length.sort_by_key(|&t| std::cmp::Reverse(tokens[t].postings));
    let mut evidence_only = vec![false; tokens.len()];
    let mut chosen: Vec<&QueryToken> = Vec::new();
    for t in by_length {
        chosen.push(&tokens[t]);
        if name_agreement_bound(total_query_weight, &chosen) > agreement_below_floor() {
            break;
        }
        evidence_only[t] = true;
    }

    hits.sort_by_key(|(h, l)| (l.token.is_some_and(|t| evidence_only[t]), h.len()));
    let alive = &index.alive;
    for (list, lookup) in &hits {
        let open =
            !lookup.token.is_some_and(|t| evidence_only[t]) && (list.len() <= LARGE_POSTINGS || touched.is_empty());
        let weight = lookup.evidence;
        list.for_each(|slot| {
            let e = &mut evidence[slot as usize];
            if *e == 0 {
                if !open || !alive[slot as usize] {
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
                if !alive[slot as usize] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_floor_and_the_bound() {
        // 700 × 358 / 1000 = 250 points, + 50 country + 100 city = 400
        assert_eq!(agreement_below_floor(), 358);
        let generic = QueryToken {
            occurrences: 1,
            weight: 1,
            found_weight: 1,
            postings: 0,
        };
        // "varnex logistik": the generic word alone reaches 2 / (5 + 1)
        assert_eq!(name_agreement_bound(5, &[&generic]), 333);
        // "acme logistik services": two generic words reach 4 / (6 + 2)
        assert_eq!(name_agreement_bound(6, &[&generic, &generic]), 500);
    }
}
