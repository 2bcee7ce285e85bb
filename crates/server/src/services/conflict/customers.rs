//! The in-memory customer matching index, kept in step with the accounts table: built at
//! start, updated after every account write, rebuilt after bulk imports. Reads share it;
//! a write takes it briefly.

use std::sync::{Arc, RwLock};

use tributary_domain::matching::{CandidateAccount, CustomerQuery, MatchThresholds};
use tributary_engine::matching::{Candidate, MatchIndex};
use tributary_store::Db;
use tributary_store::page::{Cursor, PageRequest, Sort};
use tributary_store::repo::accounts::{self, Account, AccountFilter};

use crate::error::{AppResult, internal};

/// How many candidates a check or registration looks at.
pub const CANDIDATES: usize = 5;

#[derive(Clone)]
pub struct CustomerIndex {
    index: Arc<RwLock<MatchIndex>>,
    pub thresholds: MatchThresholds,
}

impl Default for CustomerIndex {
    fn default() -> Self {
        Self {
            index: Arc::new(RwLock::new(MatchIndex::build(Vec::new()))),
            thresholds: MatchThresholds::DEFAULT,
        }
    }
}

pub fn candidate_of(account: &Account) -> CandidateAccount {
    CandidateAccount {
        name: account.fields.name.clone(),
        domains: account.fields.domains.clone(),
        country: account.fields.country.clone(),
        city: account.fields.city.clone(),
    }
}

impl CustomerIndex {
    /// Rebuilds the index from every account in the database.
    pub async fn rebuild(&self, db: &Db) -> AppResult<usize> {
        let mut all = Vec::new();
        let mut pooled = db.acquire().await?;
        let mut conn = pooled.conn();
        let mut cursor: Option<Cursor> = None;
        loop {
            let request = PageRequest {
                sort: Sort {
                    column: "created_at",
                    descending: false,
                },
                cursor: cursor.take(),
                limit: 1000,
            };
            let page = accounts::list(&mut conn, &AccountFilter::default(), &request).await?;
            all.extend(page.items.iter().map(|a| (a.id.clone(), candidate_of(a))));
            match page.next_cursor {
                Some(next) => cursor = Some(Cursor::decode(&next).map_err(internal)?),
                None => break,
            }
        }
        let count = all.len();
        let built = tokio::task::spawn_blocking(move || MatchIndex::build(all))
            .await
            .map_err(internal)?;
        *self.index.write().expect("index lock is never poisoned") = built;
        Ok(count)
    }

    /// Keeps the index in step with one saved account.
    pub fn upsert(&self, account: &Account) {
        self.index
            .write()
            .expect("index lock is never poisoned")
            .upsert(&account.id, candidate_of(account));
    }

    /// The best-scoring accounts for a customer, best first.
    pub fn search(&self, query: &CustomerQuery) -> Vec<Candidate> {
        self.index
            .read()
            .expect("index lock is never poisoned")
            .search(query, CANDIDATES)
    }
}
