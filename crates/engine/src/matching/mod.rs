//! The customer matching index: which accounts could a registered customer be, best first?
//!
//! [`MatchIndex`] holds every account normalised once (the domain's `PreparedAccount`)
//! under a dense slot number, and sorted key lists over the slots, each with a radix
//! directory on the keys' top bits (64-bit hashes, see `keys.rs`), so a key's entries are one
//! directory lookup and a short search away:
//!
//! - **ids**: (key of the account id, slot);
//! - **names**: (key, country, slot) for each name key of an account (weighty tokens,
//!   neighbouring tokens written together), the accounts of one key in one country side
//!   by side;
//! - **domains**: (key, slot) for each registrable company domain, looked up in every
//!   country;
//! - **dictionary**: the distinct typo-tolerant tokens and their deletion neighbourhoods,
//!   to find the tokens one typing slip away from a customer's.
//!
//! A search ([`MatchIndex::search`]) gathers candidates from those keys (blocking), ranks
//! them by the evidence of the keys they share, scores the best [`MAX_SCORED`] exactly with
//! the domain's `score_points` and explains the `limit` best with `score_prepared`. The
//! results are the domain's explanations, ordered by score, then unclamped points, then
//! account id; accounts scoring 0 are left out.
//!
//! **What blocking cannot miss.** When the customer names a country, names are looked up
//! in that country (and among accounts without one): an account in another country scores
//! at most 700 − 400 + 100 = 400 without a shared domain, and shared domains are looked up
//! everywhere. A key list may be skipped for finding new candidates only when the tokens
//! of all skipped lists together cannot give a name agreement above 358 (250 points: with
//! country and city at most 400 in all). So every account scoring above 400 is a candidate,
//! up to two limits that only large indexes reach: a list longer than [`LARGE_POSTINGS`]
//! only adds evidence to candidates already found by rarer keys, and only the
//! [`MAX_SCORED`] candidates with the most evidence are scored. The tests check the index
//! against scoring every account.
//!
//! **Changes.** The sorted lists are built once, in parallel ([`MatchIndex::build`]).
//! [`MatchIndex::upsert`] gives the account a new slot and records its id and keys in small
//! hash maps beside the lists; [`MatchIndex::remove`] empties its slot (searches skip empty
//! slots). When the changes
//! since the build pass a quarter of the accounts (at least 4,096), the index rebuilds
//! itself from the prepared accounts it holds.

mod directory;
mod keys;
mod search;
#[cfg(test)]
mod tests;

use rayon::prelude::*;
use tributary_domain::matching::similarity::typo_tolerant;
use tributary_domain::matching::{CandidateAccount, CustomerQuery, MatchExplanation, PreparedAccount, PreparedQuery};

use directory::Directory;
use keys::FastMap;
pub use search::{LARGE_POSTINGS, MAX_SCORED, SOUND_FLOOR};

/// One candidate account for a customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub account_id: String,
    pub explanation: MatchExplanation,
}

/// The country code of accounts without a country: they are candidates in every country.
const NO_COUNTRY: u16 = u16::MAX;
/// The code of a country no account has.
const UNKNOWN_COUNTRY: u16 = u16::MAX - 1;

struct Entry {
    id: Box<str>,
    account: PreparedAccount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Posting {
    key: u64,
    country: u16,
    slot: u32,
}

/// An in-memory index of customer accounts for matching; see the module documentation.
#[derive(Default)]
pub struct MatchIndex {
    entries: Vec<Option<Entry>>,
    alive: Vec<bool>,
    /// (key of the id, slot) of the accounts built, sorted.
    ids: Vec<(u64, u32)>,
    ids_directory: Directory,
    /// Slots of the accounts upserted since.
    ids_added: FastMap<Box<str>, u32>,
    country_of: Vec<u16>,
    city_of: Vec<u64>,
    country_codes: FastMap<String, u16>,
    names: Vec<Posting>,
    names_directory: Directory,
    names_added: FastMap<u64, Vec<(u16, u32)>>,
    domains: Vec<(u64, u32)>,
    domains_directory: Directory,
    domains_added: FastMap<u64, Vec<u32>>,
    dictionary: Vec<Box<str>>,
    /// Keys of the dictionary's built part, sorted (with the tokens in the same order).
    dictionary_keys: Vec<u64>,
    dictionary_added: FastMap<Box<str>, u32>,
    deletions: Vec<(u64, u32)>,
    deletions_directory: Directory,
    deletions_added: FastMap<u64, Vec<u32>>,
    live: usize,
    changes: usize,
}

fn city_key(account: &PreparedAccount) -> u64 {
    account.city.as_ref().map_or(0, |c| keys::key(&c.key).max(1))
}

impl MatchIndex {
    /// Builds the index over `accounts` (id, account); when an id occurs twice the later
    /// account counts. Normalisation, key extraction and sorting run on all cores.
    pub fn build(accounts: Vec<(String, CandidateAccount)>) -> Self {
        let prepared: Vec<(Box<str>, PreparedAccount)> = accounts
            .into_par_iter()
            .map(|(id, account)| (id.into_boxed_str(), PreparedAccount::new(&account)))
            .collect();
        Self::from_prepared(prepared)
    }

    /// Builds the index over prepared accounts; of accounts with the same id the last counts.
    fn from_prepared(accounts: Vec<(Box<str>, PreparedAccount)>) -> Self {
        let mut ids: Vec<(u64, u32)> = accounts
            .par_iter()
            .enumerate()
            .map(|(slot, (id, _))| (keys::key(id), slot as u32))
            .collect();
        ids.par_sort_unstable();
        let mut superseded: Vec<u32> = Vec::new();
        for run in ids.chunk_by(|a, b| a.0 == b.0).filter(|run| run.len() > 1) {
            for (i, earlier) in run.iter().enumerate() {
                let id = &accounts[earlier.1 as usize].0;
                if run[i + 1..].iter().any(|later| accounts[later.1 as usize].0 == *id) {
                    superseded.push(earlier.1);
                }
            }
        }
        if !superseded.is_empty() {
            let mut keep = vec![true; accounts.len()];
            for slot in superseded {
                keep[slot as usize] = false;
            }
            let unique = accounts
                .into_iter()
                .zip(keep)
                .filter_map(|(entry, keep)| keep.then_some(entry))
                .collect();
            return Self::from_prepared(unique);
        }

        let mut index = MatchIndex::default();
        index.country_of = accounts
            .iter()
            .map(|(_, a)| index.country_code(a.country.as_deref()))
            .collect();
        index.city_of = accounts.par_iter().map(|(_, a)| city_key(a)).collect();
        index.ids_directory = Directory::new(ids.iter().map(|e| e.0));
        index.ids = ids;

        let country_of = &index.country_of;
        let mut names: Vec<Posting> = accounts
            .par_iter()
            .enumerate()
            .flat_map_iter(|(slot, (_, account))| {
                let country = country_of[slot];
                keys::name_keys(&account.name).into_iter().map(move |key| Posting {
                    key,
                    country,
                    slot: slot as u32,
                })
            })
            .collect();
        names.par_sort_unstable();
        index.names_directory = Directory::new(names.iter().map(|p| p.key));
        index.names = names;

        let mut domains: Vec<(u64, u32)> = accounts
            .par_iter()
            .enumerate()
            .flat_map_iter(|(slot, (_, account))| account.domains.iter().map(move |d| (keys::key(d), slot as u32)))
            .collect();
        domains.par_sort_unstable();
        domains.dedup();
        index.domains_directory = Directory::new(domains.iter().map(|d| d.0));
        index.domains = domains;

        let mut dictionary: Vec<(u64, &str)> = accounts
            .par_iter()
            .flat_map_iter(|(_, account)| {
                account
                    .name
                    .tokens
                    .iter()
                    .map(String::as_str)
                    .filter(|t| typo_tolerant(t))
                    .map(|t| (keys::key(t), t))
            })
            .collect();
        dictionary.par_sort_unstable();
        dictionary.dedup();
        let mut deletions: Vec<(u64, u32)> = dictionary
            .par_iter()
            .enumerate()
            .flat_map_iter(|(i, (_, token))| keys::deletion_keys(token).into_iter().map(move |k| (k, i as u32)))
            .collect();
        deletions.par_sort_unstable();
        index.dictionary_keys = dictionary.iter().map(|d| d.0).collect();
        index.dictionary = dictionary.into_iter().map(|d| Box::from(d.1)).collect();
        index.deletions_directory = Directory::new(deletions.iter().map(|d| d.0));
        index.deletions = deletions;

        index.live = accounts.len();
        index.alive = vec![true; accounts.len()];
        index.entries = accounts
            .into_iter()
            .map(|(id, account)| Some(Entry { id, account }))
            .collect();
        index
    }

    /// The code of a country, interned; accounts beyond 65,533 distinct countries are
    /// treated as having none (a candidate everywhere, which is safe).
    fn country_code(&mut self, country: Option<&str>) -> u16 {
        let Some(country) = country else { return NO_COUNTRY };
        if let Some(code) = self.country_codes.get(country) {
            return *code;
        }
        let code = self.country_codes.len();
        if code >= usize::from(UNKNOWN_COUNTRY) {
            return NO_COUNTRY;
        }
        self.country_codes.insert(country.to_string(), code as u16);
        code as u16
    }

    /// How many accounts the index holds.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Whether the index holds an account with this id.
    pub fn contains(&self, id: &str) -> bool {
        self.slot_of(id).is_some()
    }

    /// The live slot of the account with this id.
    fn slot_of(&self, id: &str) -> Option<u32> {
        if let Some(slot) = self.ids_added.get(id) {
            return Some(*slot);
        }
        let range = directory::equal_range(&self.ids, &self.ids_directory, keys::key(id), |e| e.0);
        self.ids[range].iter().map(|e| e.1).find(|&slot| {
            self.alive[slot as usize] && self.entries[slot as usize].as_ref().is_some_and(|e| &*e.id == id)
        })
    }

    /// Forgets the account in `slot`.
    fn bury(&mut self, id: &str, slot: u32) {
        self.entries[slot as usize] = None;
        self.alive[slot as usize] = false;
        self.ids_added.remove(id);
        self.live -= 1;
    }

    /// Adds the account, or replaces the one with the same id.
    pub fn upsert(&mut self, id: &str, account: CandidateAccount) {
        self.upsert_prepared(id, PreparedAccount::new(&account));
    }

    /// [`MatchIndex::upsert`] of an account normalised already.
    pub fn upsert_prepared(&mut self, id: &str, account: PreparedAccount) {
        if let Some(old) = self.slot_of(id) {
            self.bury(id, old);
        }
        let slot = self.entries.len() as u32;
        let country = self.country_code(account.country.as_deref());
        for key in keys::name_keys(&account.name) {
            let list = self.names_added.entry(key).or_default();
            let at = list.partition_point(|&(c, _)| c <= country);
            list.insert(at, (country, slot));
        }
        for domain in &account.domains {
            let list = self.domains_added.entry(keys::key(domain)).or_default();
            if !list.contains(&slot) {
                list.push(slot);
            }
        }
        for token in account.name.tokens.iter().filter(|t| typo_tolerant(t)) {
            let k = keys::key(token);
            let start = self.dictionary_keys.partition_point(|d| *d < k);
            let known = self.dictionary_keys[start..]
                .iter()
                .take_while(|d| **d == k)
                .enumerate()
                .any(|(i, _)| *self.dictionary[start + i] == **token)
                || self.dictionary_added.contains_key(token.as_str());
            if !known {
                let id = self.dictionary.len() as u32;
                self.dictionary.push(token.as_str().into());
                self.dictionary_added.insert(token.as_str().into(), id);
                for key in keys::deletion_keys(token) {
                    self.deletions_added.entry(key).or_default().push(id);
                }
            }
        }
        self.country_of.push(country);
        self.city_of.push(city_key(&account));
        self.entries.push(Some(Entry { id: id.into(), account }));
        self.alive.push(true);
        self.ids_added.insert(id.into(), slot);
        self.live += 1;
        self.changed();
    }

    /// Removes the account with this id, if the index holds it.
    pub fn remove(&mut self, id: &str) {
        if let Some(slot) = self.slot_of(id) {
            self.bury(id, slot);
            self.changed();
        }
    }

    fn changed(&mut self) {
        self.changes += 1;
        if self.changes > (self.live / 4).max(4096) {
            self.compact();
        }
    }

    /// Rebuilds the sorted lists from the accounts held, folding in every change since the
    /// build (done automatically; see the module documentation).
    pub fn compact(&mut self) {
        let accounts = std::mem::take(&mut self.entries)
            .into_iter()
            .flatten()
            .map(|e| (e.id, e.account))
            .collect();
        *self = Self::from_prepared(accounts);
    }

    /// The accounts the customer could be, best first (at most `limit`), with the
    /// domain's explanation of each score.
    pub fn search(&self, query: &CustomerQuery, limit: usize) -> Vec<Candidate> {
        self.search_prepared(&PreparedQuery::new(query), limit)
    }

    /// [`MatchIndex::search`] for a query normalised already.
    pub fn search_prepared(&self, query: &PreparedQuery, limit: usize) -> Vec<Candidate> {
        search::search(self, query, limit)
    }
}
