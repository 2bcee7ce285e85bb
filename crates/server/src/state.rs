//! Shared application state handed to every handler.

use std::sync::Arc;

use tributary_store::Db;

use crate::auth::throttle::LoginThrottle;
use crate::jobs::Jobs;
use crate::observability::Metrics;
use crate::portal::templates::Templates;
use crate::services::conflict::customers::CustomerIndex;

/// Settings the server needs at run time (validated by the binary before start).
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Mark the session cookie `Secure` (off only for plain-HTTP deployments).
    pub secure_cookies: bool,
    /// How long a portal session lasts.
    pub session_ttl: chrono::Duration,
    /// Largest accepted request body (imports included).
    pub body_limit_bytes: usize,
    /// How long account reservations last and how often they may be renewed.
    pub reservation_rules: tributary_domain::deals::reservation::ReservationRules,
    /// How deal registrations are decided, protected and extended.
    pub registration_rules: tributary_domain::deals::registration::RegistrationRules,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_ttl: chrono::Duration::hours(12),
            body_limit_bytes: 256 << 20,
            reservation_rules: Default::default(),
            registration_rules: Default::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState(Arc<Inner>);

pub struct Inner {
    pub db: Db,
    pub config: ServerConfig,
    pub throttle: LoginThrottle,
    pub metrics: Metrics,
    pub templates: Templates,
    pub jobs: Jobs,
    /// Customer accounts indexed for matching (kept in step with the accounts table).
    pub customers: CustomerIndex,
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl AppState {
    pub fn new(db: Db, config: ServerConfig) -> Self {
        Self(Arc::new(Inner {
            db,
            config,
            throttle: LoginThrottle::default(),
            metrics: Metrics::default(),
            templates: Templates::new(),
            jobs: Jobs::default(),
            customers: CustomerIndex::default(),
        }))
    }
}
