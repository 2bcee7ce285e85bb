//! Long-running work started from the portal or API (imports), tracked in memory so the
//! caller can watch progress. A job belongs to the user that started it; its outcome is
//! durable in the database (the import batch and audit trail), its progress is not.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::RowProblem;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    Running,
    Succeeded,
    Failed,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobStatus {
    pub id: String,
    pub kind: String,
    pub owner_user_id: String,
    pub state: JobState,
    pub bytes_done: u64,
    pub bytes_total: u64,
    pub rows_done: u64,
    /// A one-line outcome once the job has finished.
    pub message: Option<String>,
    /// Row errors of a failed import (the first ones).
    pub errors: Vec<RowProblem>,
}

impl JobStatus {
    pub fn percent(&self) -> u64 {
        match (self.bytes_done.min(self.bytes_total) * 100).checked_div(self.bytes_total) {
            Some(percent) => percent,
            None if self.state == JobState::Running => 0,
            None => 100,
        }
    }
}

#[derive(Default, Clone)]
pub struct Jobs {
    inner: Arc<Mutex<HashMap<String, JobStatus>>>,
}

impl Jobs {
    pub fn start(&self, kind: &str, owner_user_id: &str, bytes_total: u64) -> String {
        let id = tributary_domain::ids::new_id();
        let status = JobStatus {
            id: id.clone(),
            kind: kind.to_string(),
            owner_user_id: owner_user_id.to_string(),
            state: JobState::Running,
            bytes_done: 0,
            bytes_total,
            rows_done: 0,
            message: None,
            errors: Vec::new(),
        };
        let mut map = self.inner.lock().expect("jobs lock is never poisoned");
        if map.len() > 1000 {
            map.retain(|_, job| job.state == JobState::Running);
        }
        map.insert(id.clone(), status);
        id
    }

    pub fn update(&self, id: &str, change: impl FnOnce(&mut JobStatus)) {
        if let Some(job) = self.inner.lock().expect("jobs lock is never poisoned").get_mut(id) {
            change(job);
        }
    }

    /// The job, if it exists and belongs to `user_id`.
    pub fn get(&self, id: &str, user_id: &str) -> Option<JobStatus> {
        self.inner
            .lock()
            .expect("jobs lock is never poisoned")
            .get(id)
            .filter(|job| job.owner_user_id == user_id)
            .cloned()
    }
}
