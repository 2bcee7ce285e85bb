//! Configuration: command-line flags override `TRIBUTARY_*` environment variables, which
//! override an optional TOML file (`--config` / `TRIBUTARY_CONFIG`), which overrides the
//! defaults. Everything is validated before anything starts, and the database password is
//! never printed.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::Args;
use serde::Deserialize;
use tributary_domain::deals::registration::RegistrationRules;
use tributary_domain::deals::reservation::ReservationRules;

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// TOML configuration file.
    #[arg(long, env = "TRIBUTARY_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Database URL: postgres://user:pass@host/db, or sqlite:path/to/file.db.
    /// Default: SQLite in the data directory.
    #[arg(long, env = "TRIBUTARY_DATABASE_URL", global = true, hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory for the embedded SQLite database (default ./tributary-data).
    #[arg(long, env = "TRIBUTARY_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "TRIBUTARY_BIND", global = true)]
    pub bind: Option<String>,
    /// The URL people open (default http://<bind>); https makes session cookies Secure.
    #[arg(long, env = "TRIBUTARY_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Portal session lifetime in hours (default 12).
    #[arg(long, env = "TRIBUTARY_SESSION_HOURS", global = true)]
    pub session_hours: Option<i64>,
    /// Log filter, e.g. info or tributary_server=debug (default info).
    #[arg(long, env = "TRIBUTARY_LOG", global = true)]
    pub log: Option<String>,
}

/// The optional TOML file; same names as the flags, with underscores.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    database_url: Option<String>,
    data_dir: Option<PathBuf>,
    bind: Option<String>,
    public_url: Option<String>,
    session_hours: Option<i64>,
    log: Option<String>,
    /// `[reservations]`: `period_days`, `max_renewals`.
    reservations: Option<ReservationRules>,
    /// `[registrations]`: `house_account` and `reserved_by_another` (`decline` or
    /// `review`), `auto_approve_max_value`, `auto_approve_min_level`, `protection_days`,
    /// `max_extensions`.
    registrations: Option<RegistrationRules>,
}

/// Validated settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub bind: SocketAddr,
    pub public_url: String,
    pub session_hours: i64,
    pub log: String,
    pub reservation_rules: ReservationRules,
    pub registration_rules: RegistrationRules,
}

impl Settings {
    pub fn resolve(args: &GlobalArgs) -> anyhow::Result<Self> {
        let file = match &args.config {
            Some(path) => {
                let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
                toml::from_str::<FileConfig>(&text)
                    .with_context(|| format!("{} is not a valid configuration", path.display()))?
            }
            None => FileConfig::default(),
        };
        let data_dir = args
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("tributary-data"));
        let database_url = match args.database_url.clone().or(file.database_url) {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir)
                    .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
                format!("sqlite:{}", data_dir.join("tributary.db").display())
            }
        };
        if !(database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
            || database_url.starts_with("sqlite:"))
        {
            bail!(
                "database URL must start with postgres://, postgresql:// or sqlite: (got {})",
                redact(&database_url)
            );
        }
        let bind_text = args
            .bind
            .clone()
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into());
        let bind: SocketAddr = bind_text
            .parse()
            .with_context(|| format!("bind address '{bind_text}' is not host:port, e.g. 127.0.0.1:8080"))?;
        let public_url = args
            .public_url
            .clone()
            .or(file.public_url)
            .unwrap_or_else(|| format!("http://{bind}"));
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            bail!("public URL '{public_url}' must start with http:// or https://");
        }
        let reservation_rules = file.reservations.unwrap_or_default();
        if reservation_rules.period_days == 0 {
            bail!("reservations.period_days must be at least 1");
        }
        let registration_rules = file.registrations.unwrap_or_default();
        registration_rules.validate().map_err(anyhow::Error::msg)?;
        let session_hours = args.session_hours.or(file.session_hours).unwrap_or(12);
        if !(1..=24 * 30).contains(&session_hours) {
            bail!("session hours must be between 1 and 720 (got {session_hours})");
        }
        Ok(Self {
            database_url,
            bind,
            public_url,
            session_hours,
            log: args.log.clone().or(file.log).unwrap_or_else(|| "info".into()),
            reservation_rules,
            registration_rules,
        })
    }

    /// The database URL with any password replaced by `***`, for messages.
    pub fn database_label(&self) -> String {
        redact(&self.database_url)
    }

    pub fn server_config(&self) -> tributary_server::ServerConfig {
        tributary_server::ServerConfig {
            secure_cookies: self.public_url.starts_with("https://"),
            session_ttl: chrono::Duration::hours(self.session_hours),
            reservation_rules: self.reservation_rules,
            registration_rules: self.registration_rules.clone(),
            ..tributary_server::ServerConfig::default()
        }
    }

    /// Connects to the database and applies pending migrations.
    pub async fn open_db(&self) -> anyhow::Result<tributary_store::Db> {
        let db = tributary_store::Db::connect(&self.database_url)
            .await
            .with_context(|| format!("cannot open the database {}", self.database_label()))?;
        db.migrate().await.context("cannot apply database migrations")?;
        Ok(db)
    }
}

/// Hides the password of a `scheme://user:password@host` URL.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/trib"),
            "postgres://app:***@db:5432/trib"
        );
        assert_eq!(redact("sqlite:data/x.db"), "sqlite:data/x.db");
    }

    fn args() -> GlobalArgs {
        GlobalArgs {
            config: None,
            database_url: Some("sqlite:/tmp/x.db".into()),
            data_dir: None,
            bind: None,
            public_url: None,
            session_hours: None,
            log: None,
        }
    }

    #[test]
    fn bad_settings_are_named() {
        let bad_bind = GlobalArgs {
            bind: Some("localhost".into()),
            ..args()
        };
        assert!(
            Settings::resolve(&bad_bind)
                .unwrap_err()
                .to_string()
                .contains("bind address")
        );
        let bad_url = GlobalArgs {
            database_url: Some("mysql://x".into()),
            ..args()
        };
        assert!(
            Settings::resolve(&bad_url)
                .unwrap_err()
                .to_string()
                .contains("database URL")
        );
        let bad_hours = GlobalArgs {
            session_hours: Some(0),
            ..args()
        };
        assert!(
            Settings::resolve(&bad_hours)
                .unwrap_err()
                .to_string()
                .contains("session hours")
        );
        let ok = Settings::resolve(&args()).unwrap();
        assert_eq!(ok.bind.to_string(), "127.0.0.1:8080");
        assert!(!ok.server_config().secure_cookies);
    }

    #[test]
    fn file_settings_apply_and_unknown_keys_fail() {
        let dir = std::env::temp_dir().join(format!("tributary-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = dir.join("good.toml");
        std::fs::write(
            &good,
            "bind = \"127.0.0.1:9000\"\npublic_url = \"https://prm.example\"\n",
        )
        .unwrap();
        let settings = Settings::resolve(&GlobalArgs {
            config: Some(good),
            ..args()
        })
        .unwrap();
        assert_eq!(settings.bind.port(), 9000);
        assert!(settings.server_config().secure_cookies);
        let bad = dir.join("bad.toml");
        std::fs::write(&bad, "bnd = \"x\"\n").unwrap();
        assert!(
            Settings::resolve(&GlobalArgs {
                config: Some(bad),
                ..args()
            })
            .is_err()
        );
    }
}
