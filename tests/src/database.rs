//! Fresh databases for every test, cloned from a template migrated once per test process:
//! migrating and seeding the administrative units takes most of a second, copying takes
//! milliseconds.
//!
//! SQLite: the template is a file; each test copies it into its own directory. PostgreSQL: the
//! template is the database `cdht_tpl_<pid>`; each test gets `cdht_t_<pid>_<n>`, created with
//! `CREATE DATABASE … TEMPLATE`. Nothing is left on the server: a test's database is dropped when
//! its [`TestDatabase`] goes, at the end of the test or while a failed test unwinds; and when the
//! template is made, a watcher process is started that drops the template (and any test database
//! a killed test left) once this process has ended, whatever the outcome. Databases left by test
//! processes that no longer run (a watcher that was killed too) are dropped when the next
//! template is made.

use anyhow::Context;
use api::configuration::Settings;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use secrecy::SecretString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, OnceCell};

/// Which database a [`crate::TestApp`] runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432";
const TEMPLATE_PREFIX: &str = "cdht_tpl_";
const TEST_PREFIX: &str = "cdht_t_";

static SQLITE_TEMPLATE: OnceCell<Result<PathBuf, String>> = OnceCell::const_new();
static POSTGRES_TEMPLATE: OnceCell<Result<String, String>> = OnceCell::const_new();
/// PostgreSQL refuses to copy a template that another `CREATE DATABASE` is copying.
static POSTGRES_CREATE: Mutex<()> = Mutex::const_new(());
static POSTGRES_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// The server the PostgreSQL tests use, without a database name: `CDHT_TEST_POSTGRES_URL`, by
/// default `postgres://postgres@127.0.0.1:5432`.
pub fn postgres_base_url() -> String {
    std::env::var("CDHT_TEST_POSTGRES_URL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_string())
}

/// `base` with its database name replaced by `database` (query parameters kept).
pub(crate) fn postgres_url(base: &str, database: &str) -> String {
    let (main, query) = match base.split_once('?') {
        Some((main, query)) => (main, Some(query)),
        None => (base, None),
    };
    let (scheme, rest) = main.split_once("://").unwrap_or(("postgres", main));
    let authority = rest.split('/').next().unwrap_or(rest);
    match query {
        Some(query) => format!("{scheme}://{authority}/{database}?{query}"),
        None => format!("{scheme}://{authority}/{database}"),
    }
}

/// The URL with any password hidden, for messages.
pub(crate) fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.split_once('@') {
        Some((credentials, host)) if credentials.contains(':') => {
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        _ => url.to_string(),
    }
}

fn pid_is_alive(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

/// Settings pointing at `url`, for migrating a template.
fn settings_for(url: &str, dir: &Path) -> Settings {
    let mut settings = Settings::for_data_dir(dir);
    settings.database_url = SecretString::from(url.to_string());
    settings.db_max_connections = 2;
    settings
}

/// The migrated SQLite template of this process.
pub(crate) async fn sqlite_template() -> Result<&'static Path, String> {
    SQLITE_TEMPLATE
        .get_or_init(|| async {
            build_sqlite_template()
                .await
                .map_err(|e| format!("preparing the SQLite template: {e:#}"))
        })
        .await
        .as_ref()
        .map(PathBuf::as_path)
        .map_err(Clone::clone)
}

async fn build_sqlite_template() -> anyhow::Result<PathBuf> {
    let root = std::env::temp_dir().join("cdht-test-templates");
    std::fs::create_dir_all(&root).with_context(|| format!("creating {}", root.display()))?;
    // Templates of test processes that have ended.
    if let Ok(entries) = std::fs::read_dir(&root) {
        for entry in entries.flatten() {
            let stale = entry
                .file_name()
                .to_str()
                .and_then(|name| name.parse::<u32>().ok())
                .is_some_and(|pid| pid != std::process::id() && !pid_is_alive(pid));
            if stale {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
    let dir = root.join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let file = dir.join("template.db");
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let settings = settings_for(&url, &dir);
    api::db::migrate(&settings).await?;
    let db = api::db::connect(&settings).await?;
    // Fold the write-ahead log into the file, so that copying the file copies everything.
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await
        .context("checkpointing the template")?;
    db.close().await.context("closing the template")?;
    Ok(file)
}

/// Copies the SQLite template into `dir` and returns the URL of the copy.
pub(crate) async fn fresh_sqlite_database(dir: &Path) -> Result<String, String> {
    let template = sqlite_template().await?;
    let file = dir.join("cdht.db");
    tokio::fs::copy(template, &file)
        .await
        .map_err(|e| format!("copying the SQLite template to {}: {e}", file.display()))?;
    Ok(format!("sqlite://{}?mode=rwc", file.display()))
}

async fn connect_maintenance(base: &str) -> anyhow::Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(postgres_url(base, "postgres"));
    options
        .max_connections(1)
        .min_connections(0)
        .connect_timeout(Duration::from_secs(5))
        .acquire_timeout(Duration::from_secs(5))
        .sqlx_logging(false);
    Database::connect(options)
        .await
        .with_context(|| format!("PostgreSQL not reachable at {}", redacted(base)))
}

async fn execute(db: &DatabaseConnection, sql: &str) -> anyhow::Result<()> {
    db.execute_unprepared(sql)
        .await
        .with_context(|| format!("running `{sql}`"))?;
    Ok(())
}

/// The migrated PostgreSQL template of this process, or why there is none.
pub(crate) async fn postgres_template() -> Result<&'static str, String> {
    POSTGRES_TEMPLATE
        .get_or_init(|| async {
            build_postgres_template()
                .await
                .map_err(|e| format!("{e:#}"))
        })
        .await
        .as_deref()
        .map_err(Clone::clone)
}

async fn build_postgres_template() -> anyhow::Result<String> {
    let base = postgres_base_url();
    let maintenance = connect_maintenance(&base).await?;
    drop_stale_databases(&maintenance).await?;
    let name = format!("{TEMPLATE_PREFIX}{}", std::process::id());
    drop_after_this_process(&base, &name)?;
    execute(&maintenance, &format!("CREATE DATABASE \"{name}\"")).await?;
    maintenance.close().await?;

    let dir = crate::ScratchDir::new("cdht-pg-template");
    let settings = settings_for(&postgres_url(&base, &name), dir.path());
    api::db::migrate(&settings).await?;
    Ok(name)
}

/// Starts the watcher that, once this process has ended (passed, failed or killed), drops its
/// template and any of its test databases still there: a shell loop and `psql`, which come with
/// the PostgreSQL server. Its output goes nowhere, so that `cargo test` does not wait for it.
fn drop_after_this_process(base: &str, template: &str) -> anyhow::Result<()> {
    let pid = std::process::id();
    let script = format!(
        r#"while kill -0 {pid} 2>/dev/null; do sleep 0.2; done
psql -X -q -A -t -d "$1" -c "SELECT datname FROM pg_database WHERE datname = '{template}' OR datname LIKE '{TEST_PREFIX}{pid}\_%'" |
while read -r name; do
  [ -n "$name" ] && psql -X -q -d "$1" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)"
done"#
    );
    Command::new("sh")
        .args(["-c", &script, "cdht-test-databases"])
        .arg(postgres_url(base, "postgres"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting the watcher that drops the test databases (sh, psql)")?;
    Ok(())
}

/// Drops the databases of test processes that no longer run (and any of this process id, which
/// can only be left from an earlier process that had the same id).
async fn drop_stale_databases(maintenance: &DatabaseConnection) -> anyhow::Result<()> {
    let rows = maintenance
        .query_all(Statement::from_string(
            maintenance.get_database_backend(),
            "SELECT datname FROM pg_database \
             WHERE datname LIKE 'cdht\\_t\\_%' OR datname LIKE 'cdht\\_tpl\\_%'",
        ))
        .await
        .context("listing test databases")?;
    let own = std::process::id();
    for row in rows {
        let name: String = row.try_get("", "datname")?;
        let pid = name
            .strip_prefix(TEMPLATE_PREFIX)
            .or_else(|| {
                name.strip_prefix(TEST_PREFIX)
                    .and_then(|rest| rest.split('_').next())
            })
            .and_then(|pid| pid.parse::<u32>().ok());
        if let Some(pid) = pid
            && (pid == own || !pid_is_alive(pid))
        {
            execute(
                maintenance,
                &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
            )
            .await?;
        }
    }
    Ok(())
}

/// Creates a database for one test from the template; returns its name and URL.
pub(crate) async fn fresh_postgres_database() -> Result<(String, String), String> {
    let template = postgres_template().await?;
    let base = postgres_base_url();
    let name = format!(
        "{TEST_PREFIX}{}_{}",
        std::process::id(),
        POSTGRES_COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let created = async {
        let _one_copy_at_a_time = POSTGRES_CREATE.lock().await;
        let maintenance = connect_maintenance(&base).await?;
        execute(
            &maintenance,
            &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{template}\""),
        )
        .await?;
        maintenance.close().await?;
        anyhow::Ok(())
    };
    created
        .await
        .map_err(|e| format!("creating the test database {name}: {e:#}"))?;
    let url = postgres_url(&base, &name);
    Ok((name, url))
}

/// A test's PostgreSQL database: dropped by [`TestDatabase::drop_now`] when the test stops its
/// server, or, when the test failed before (a panic unwinding), when the value is dropped.
#[derive(Debug)]
pub(crate) struct TestDatabase {
    name: Option<String>,
}

impl TestDatabase {
    pub(crate) fn new(name: String) -> TestDatabase {
        TestDatabase { name: Some(name) }
    }

    /// Drops the database now, closing any connection still open to it.
    pub(crate) async fn drop_now(mut self) -> anyhow::Result<()> {
        match self.name.take() {
            Some(name) => drop_postgres_database(&name)
                .await
                .with_context(|| format!("dropping the test database {name}")),
            None => Ok(()),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.name.take() else {
            return;
        };
        // Called while a failed test unwinds, maybe inside its runtime: drop the database from a
        // thread of its own, on a runtime of its own, and wait for it.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(drop_postgres_database(&name))
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            crate::shout("could not drop the database of a failed test; the watcher will");
        }
    }
}

/// Drops a test database, closing any connection still open to it.
async fn drop_postgres_database(name: &str) -> anyhow::Result<()> {
    let maintenance = connect_maintenance(&postgres_base_url()).await?;
    execute(
        &maintenance,
        &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
    )
    .await?;
    maintenance.close().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postgres_urls_get_the_database_name_replaced() {
        let cases = [
            (
                "postgres://postgres@127.0.0.1:5432",
                "postgres://postgres@127.0.0.1:5432/x",
            ),
            (
                "postgres://postgres@127.0.0.1:5432/",
                "postgres://postgres@127.0.0.1:5432/x",
            ),
            ("postgres://u:p@h/other", "postgres://u:p@h/x"),
            (
                "postgresql://u@h:1/db?sslmode=disable",
                "postgresql://u@h:1/x?sslmode=disable",
            ),
        ];
        for (base, expected) in cases {
            assert_eq!(postgres_url(base, "x"), expected, "{base}");
        }
    }

    #[test]
    fn passwords_are_hidden_in_messages() {
        assert_eq!(
            redacted("postgres://u:secret@h:5432"),
            "postgres://u:***@h:5432"
        );
        assert_eq!(redacted("postgres://u@h:5432"), "postgres://u@h:5432");
    }
}
