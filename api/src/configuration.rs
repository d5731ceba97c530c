//! Typed settings, loaded once at start-up from an optional TOML file and `CDHT_…` environment
//! variables, with a default for everything: with nothing configured the server keeps an SQLite
//! database and its keys under `./data/` and listens on 127.0.0.1:8080.
//!
//! Nothing else in the server reads the environment.

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every setting of the server and the CLI.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `host:port` to listen on (`CDHT_BIND`).
    pub bind: String,
    /// Directory for the embedded database and generated keys (`CDHT_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…` (`CDHT_DATABASE_URL`); defaults to `<data_dir>/cdht.db`.
    pub database_url: SecretString,
    /// File holding the JWT signing key, created on first start when missing
    /// (`CDHT_JWT_KEY_FILE`); every API process of one installation must share it.
    pub jwt_key_file: PathBuf,
    /// File holding the keys that encrypt and index personal ID numbers, created on first start
    /// when missing (`CDHT_PII_KEY_FILE`); every API process must share it, and losing it makes
    /// the stored numbers unreadable: back it up with the database.
    pub pii_key_file: PathBuf,
    /// The address the public reaches the application at, printed in certificates' QR codes
    /// (`CDHT_PUBLIC_URL`; defaults to `http://` and the address the server listens on).
    pub public_url: Option<String>,
    /// Public verification requests allowed per client address per minute
    /// (`CDHT_VERIFY_PER_MINUTE`).
    pub verify_per_minute: u32,
    /// Directory of the built SPA, served at `/` (`CDHT_WEB_DIR`).
    pub web_dir: PathBuf,
    /// HTTP worker threads; 0 means one per core (`CDHT_WORKERS`).
    pub workers: usize,
    /// Largest database pool (`CDHT_DB_MAX_CONNECTIONS`).
    pub db_max_connections: u32,
    /// Lifetime of access tokens (`CDHT_ACCESS_TOKEN_TTL_SECS`).
    pub access_token_ttl: Duration,
    /// Lifetime of refresh tokens (`CDHT_REFRESH_TOKEN_TTL_SECS`).
    pub refresh_token_ttl: Duration,
    /// Largest JSON request body in bytes (`CDHT_MAX_BODY_BYTES`).
    pub max_body_bytes: usize,
    /// Wrong passwords per account within the window before logins are refused
    /// (`CDHT_LOGIN_MAX_FAILURES_PER_ACCOUNT`).
    pub login_max_failures_per_account: u32,
    /// Wrong passwords per client address within the window
    /// (`CDHT_LOGIN_MAX_FAILURES_PER_ADDRESS`).
    pub login_max_failures_per_address: u32,
    /// The throttling window (`CDHT_LOGIN_WINDOW_SECS`).
    pub login_window: Duration,
    /// `text` or `json` log lines (`CDHT_LOG_FORMAT`).
    pub log_format: LogFormat,
    /// Which log lines to keep, in `tracing` filter syntax (`CDHT_LOG`, default `info`).
    pub log_filter: String,
    /// Create the first administrator with a generated password when the database has no account
    /// (`CDHT_BOOTSTRAP_ADMIN`, default true).
    pub bootstrap_admin: bool,
    /// Largest uploaded import file in bytes (`CDHT_MAX_UPLOAD_BYTES`, default 64 MiB).
    pub max_upload_bytes: usize,
    /// Rows per transaction of a valid-rows-only import: the step of its resume cursor
    /// (`CDHT_IMPORT_CHUNK_ROWS`, at most 5000; by default 5000 on PostgreSQL and 1000 on
    /// SQLite, whose statements take fewer bound values).
    pub import_chunk_rows: Option<usize>,
    /// Pause between two chunks of an import, so a large import leaves room for other writers
    /// (`CDHT_IMPORT_CHUNK_PAUSE_MS`, default 0).
    pub import_chunk_pause: Duration,
    /// Sustained requests per second allowed to one API client (`CDHT_CLIENT_RATE_PER_SEC`).
    pub client_rate_per_sec: f64,
    /// Requests an API client may send in a burst above the sustained rate
    /// (`CDHT_CLIENT_BURST`).
    pub client_burst: u32,
    /// How long a stored answer of an `Idempotency-Key` is replayed (`CDHT_IDEMPOTENCY_TTL_SECS`).
    pub idempotency_ttl: Duration,
    /// When set, the method, matched route and status of every answer is appended to this file
    /// (`CDHT_STATUS_LOG`): the test suite checks them against the OpenAPI document.
    pub status_log: Option<PathBuf>,
}

/// Shape of the log output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The optional TOML file (`CDHT_CONFIG`, else `./cdht.toml` when present): the same keys as the
/// environment variables, lowercase and without the prefix.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSettings {
    bind: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    jwt_key_file: Option<PathBuf>,
    pii_key_file: Option<PathBuf>,
    public_url: Option<String>,
    verify_per_minute: Option<u32>,
    web_dir: Option<PathBuf>,
    workers: Option<usize>,
    db_max_connections: Option<u32>,
    access_token_ttl_secs: Option<u64>,
    refresh_token_ttl_secs: Option<u64>,
    max_body_bytes: Option<usize>,
    login_max_failures_per_account: Option<u32>,
    login_max_failures_per_address: Option<u32>,
    login_window_secs: Option<u64>,
    log_format: Option<String>,
    log: Option<String>,
    bootstrap_admin: Option<bool>,
    max_upload_bytes: Option<usize>,
    import_chunk_rows: Option<usize>,
    import_chunk_pause_ms: Option<u64>,
    client_rate_per_sec: Option<f64>,
    client_burst: Option<u32>,
    idempotency_ttl_secs: Option<u64>,
}

impl Settings {
    /// Loads the settings of this process: file, then environment.
    pub fn load() -> anyhow::Result<Self> {
        let env: HashMap<String, String> = std::env::vars()
            .filter(|(k, _)| k.starts_with("CDHT_"))
            .collect();
        let file = match env.get("CDHT_CONFIG") {
            Some(path) => Some(PathBuf::from(path)),
            None => Some(PathBuf::from("cdht.toml")).filter(|p| p.exists()),
        };
        let file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?
            }
            None => FileSettings::default(),
        };
        Self::resolve(file, &env)
    }

    /// Settings for one data directory with every other value at its default: what tests and
    /// tools start from.
    pub fn for_data_dir(data_dir: &Path) -> Self {
        let mut env = HashMap::new();
        env.insert(
            "CDHT_DATA_DIR".to_string(),
            data_dir.to_string_lossy().into_owned(),
        );
        #[expect(clippy::expect_used, reason = "the defaults always resolve")]
        Self::resolve(FileSettings::default(), &env).expect("default settings resolve")
    }

    fn resolve(file: FileSettings, env: &HashMap<String, String>) -> anyhow::Result<Self> {
        fn parse<T: std::str::FromStr>(
            env: &HashMap<String, String>,
            key: &str,
        ) -> anyhow::Result<Option<T>>
        where
            T::Err: std::fmt::Display,
        {
            env.get(key)
                .map(|v| {
                    v.trim()
                        .parse::<T>()
                        .map_err(|e| anyhow::anyhow!("{key}={v:?}: {e}"))
                })
                .transpose()
        }
        let data_dir = env
            .get("CDHT_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("data"));
        let database_url = env
            .get("CDHT_DATABASE_URL")
            .cloned()
            .or(file.database_url)
            .unwrap_or_else(|| {
                format!(
                    "sqlite://{}?mode=rwc",
                    data_dir.join("cdht.db").to_string_lossy()
                )
            });
        if !(database_url.starts_with("sqlite:") || database_url.starts_with("postgres")) {
            anyhow::bail!("CDHT_DATABASE_URL must start with sqlite:// or postgres://");
        }
        let log_format = match env
            .get("CDHT_LOG_FORMAT")
            .cloned()
            .or(file.log_format)
            .as_deref()
        {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => anyhow::bail!("CDHT_LOG_FORMAT must be text or json, not {other:?}"),
        };
        let bind = env
            .get("CDHT_BIND")
            .cloned()
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".to_string());
        Ok(Settings {
            public_url: env
                .get("CDHT_PUBLIC_URL")
                .cloned()
                .or(file.public_url)
                .map(|u| u.trim_end_matches('/').to_string()),
            verify_per_minute: parse(env, "CDHT_VERIFY_PER_MINUTE")?
                .or(file.verify_per_minute)
                .unwrap_or(60),
            bind,
            jwt_key_file: env
                .get("CDHT_JWT_KEY_FILE")
                .map(PathBuf::from)
                .or(file.jwt_key_file)
                .unwrap_or_else(|| data_dir.join("jwt-signing.key")),
            pii_key_file: env
                .get("CDHT_PII_KEY_FILE")
                .map(PathBuf::from)
                .or(file.pii_key_file)
                .unwrap_or_else(|| data_dir.join("pii.key")),
            web_dir: env
                .get("CDHT_WEB_DIR")
                .map(PathBuf::from)
                .or(file.web_dir)
                .unwrap_or_else(|| PathBuf::from("dist")),
            workers: parse(env, "CDHT_WORKERS")?.or(file.workers).unwrap_or(0),
            db_max_connections: parse(env, "CDHT_DB_MAX_CONNECTIONS")?
                .or(file.db_max_connections)
                .unwrap_or(16),
            access_token_ttl: Duration::from_secs(
                parse(env, "CDHT_ACCESS_TOKEN_TTL_SECS")?
                    .or(file.access_token_ttl_secs)
                    .unwrap_or(15 * 60),
            ),
            refresh_token_ttl: Duration::from_secs(
                parse(env, "CDHT_REFRESH_TOKEN_TTL_SECS")?
                    .or(file.refresh_token_ttl_secs)
                    .unwrap_or(14 * 24 * 3600),
            ),
            max_body_bytes: parse(env, "CDHT_MAX_BODY_BYTES")?
                .or(file.max_body_bytes)
                .unwrap_or(1024 * 1024),
            login_max_failures_per_account: parse(env, "CDHT_LOGIN_MAX_FAILURES_PER_ACCOUNT")?
                .or(file.login_max_failures_per_account)
                .unwrap_or(5),
            login_max_failures_per_address: parse(env, "CDHT_LOGIN_MAX_FAILURES_PER_ADDRESS")?
                .or(file.login_max_failures_per_address)
                .unwrap_or(20),
            login_window: Duration::from_secs(
                parse(env, "CDHT_LOGIN_WINDOW_SECS")?
                    .or(file.login_window_secs)
                    .unwrap_or(15 * 60),
            ),
            log_format,
            log_filter: env
                .get("CDHT_LOG")
                .cloned()
                .or(file.log)
                .unwrap_or_else(|| "info".to_string()),
            bootstrap_admin: parse(env, "CDHT_BOOTSTRAP_ADMIN")?
                .or(file.bootstrap_admin)
                .unwrap_or(true),
            max_upload_bytes: parse(env, "CDHT_MAX_UPLOAD_BYTES")?
                .or(file.max_upload_bytes)
                .unwrap_or(64 * 1024 * 1024),
            import_chunk_rows: parse(env, "CDHT_IMPORT_CHUNK_ROWS")?
                .or(file.import_chunk_rows)
                .map(|n: usize| n.clamp(1, 5000)),
            import_chunk_pause: Duration::from_millis(
                parse(env, "CDHT_IMPORT_CHUNK_PAUSE_MS")?
                    .or(file.import_chunk_pause_ms)
                    .unwrap_or(0),
            ),
            client_rate_per_sec: parse(env, "CDHT_CLIENT_RATE_PER_SEC")?
                .or(file.client_rate_per_sec)
                .unwrap_or(20.0),
            client_burst: parse(env, "CDHT_CLIENT_BURST")?
                .or(file.client_burst)
                .unwrap_or(100),
            idempotency_ttl: Duration::from_secs(
                parse(env, "CDHT_IDEMPOTENCY_TTL_SECS")?
                    .or(file.idempotency_ttl_secs)
                    .unwrap_or(24 * 3600),
            ),
            status_log: env
                .get("CDHT_STATUS_LOG")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            database_url: SecretString::from(database_url),
            data_dir,
        })
    }

    /// Whether the database is the embedded SQLite one.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose_secret().starts_with("sqlite:")
    }
}

impl From<&Settings> for crate::db::ConnectOptions {
    fn from(settings: &Settings) -> Self {
        crate::db::ConnectOptions {
            url: settings.database_url.clone(),
            data_dir: settings.data_dir.clone(),
            max_connections: settings.db_max_connections,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_need_no_configuration() {
        let s = Settings::resolve(FileSettings::default(), &env(&[])).expect("defaults");
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.data_dir, PathBuf::from("data"));
        assert_eq!(
            s.database_url.expose_secret(),
            "sqlite://data/cdht.db?mode=rwc"
        );
        assert_eq!(s.jwt_key_file, PathBuf::from("data/jwt-signing.key"));
        assert!(s.is_sqlite());
    }

    #[test]
    fn environment_overrides_the_file() {
        let file = FileSettings {
            bind: Some("0.0.0.0:1".into()),
            ..FileSettings::default()
        };
        let s = Settings::resolve(
            file,
            &env(&[
                ("CDHT_BIND", "127.0.0.1:9000"),
                ("CDHT_DATA_DIR", "/var/lib/cdht"),
                ("CDHT_DATABASE_URL", "postgres://u@h/db"),
            ]),
        )
        .expect("valid");
        assert_eq!(s.bind, "127.0.0.1:9000");
        assert_eq!(
            s.jwt_key_file,
            PathBuf::from("/var/lib/cdht/jwt-signing.key")
        );
        assert!(!s.is_sqlite());
    }

    #[test]
    fn bad_values_are_refused_with_their_name() {
        let err = Settings::resolve(FileSettings::default(), &env(&[("CDHT_WORKERS", "many")]))
            .expect_err("invalid");
        assert!(err.to_string().contains("CDHT_WORKERS"));
        let err = Settings::resolve(
            FileSettings::default(),
            &env(&[("CDHT_DATABASE_URL", "mysql://x")]),
        )
        .expect_err("invalid");
        assert!(err.to_string().contains("CDHT_DATABASE_URL"));
    }
}
