//! The data layer: the connection pool, migrations, entities and hand-written queries.
//!
//! The bottom layer of the crate: nothing here imports another module of `api` (the layering
//! test in `tests/layers.rs` checks it). What the layers above need to tell it (where the
//! database is, the `If-Match` of a write) is passed in: [`ConnectOptions`], [`versioning`].

pub mod entities;
pub mod versioning;

use anyhow::Context;
use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::postgres::PgPoolOptions;
use sea_orm::sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
};
use sea_orm::{
    ConnectionTrait, DatabaseBackend, DatabaseConnection, SqlxPostgresConnector,
    SqlxSqliteConnector, Statement, Value,
};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

/// Where the database is and how many connections the pool may hold (built from the settings:
/// `impl From<&Settings> for ConnectOptions` in `configuration`).
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// `sqlite://…` or `postgres://…`.
    pub url: SecretString,
    /// Created when missing, for an SQLite file.
    pub data_dir: PathBuf,
    pub max_connections: u32,
}

impl ConnectOptions {
    fn is_sqlite(&self) -> bool {
        self.url.expose_secret().starts_with("sqlite:")
    }
}

/// Opens the pool the whole process shares. SQLite runs in WAL mode with a busy timeout, so the
/// CLI can write while a server runs; its file and directory are created when missing.
pub async fn connect(options: impl Into<ConnectOptions>) -> anyhow::Result<DatabaseConnection> {
    let options = options.into();
    connect_with(&options, options.max_connections).await
}

async fn connect_with(
    target: &ConnectOptions,
    max_connections: u32,
) -> anyhow::Result<DatabaseConnection> {
    let url = target.url.expose_secret();
    if target.is_sqlite() {
        std::fs::create_dir_all(&target.data_dir)
            .with_context(|| format!("creating {}", target.data_dir.display()))?;
        let options = SqliteConnectOptions::from_str(url)
            .context("parsing CDHT_DATABASE_URL")?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections.clamp(1, 8))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .context("opening the SQLite database")?;
        Ok(SqlxSqliteConnector::from_sqlx_sqlite_pool(pool))
    } else {
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(SqlxPostgresConnector::from_sqlx_postgres_pool(pool))
    }
}

/// Applies every pending migration (schema and seed data) over one dedicated connection, so
/// that each statement sees the schema the previous one left (SQLite caches schemas per
/// connection). On PostgreSQL an advisory lock makes processes that start together migrate one
/// after the other. Running it again changes nothing.
pub async fn migrate(options: impl Into<ConnectOptions>) -> anyhow::Result<()> {
    let db = connect_with(&options.into(), 1).await?;
    let postgres = db.get_database_backend() == DatabaseBackend::Postgres;
    if postgres {
        db.execute_unprepared(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
            .await
            .context("waiting for the migration lock")?;
    }
    let result = Migrator::up(&db, None).await.context("running migrations");
    if postgres {
        let _ = db
            .execute_unprepared(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
            .await;
    }
    db.close()
        .await
        .context("closing the migration connection")?;
    result
}

/// Key of the PostgreSQL advisory lock held while migrating.
const MIGRATION_LOCK: i64 = 0x0043_4448_545f_4d49;

/// A statement written once with `?` placeholders, turned into `$1, $2…` for PostgreSQL. Used
/// for the few queries that are clearer as SQL than as builder calls; the text must not contain
/// a literal `?`.
pub fn sql(backend: DatabaseBackend, text: &str, values: Vec<Value>) -> Statement {
    let text = match backend {
        DatabaseBackend::Postgres => {
            let mut out = String::with_capacity(text.len() + 8);
            let mut n = 0;
            for c in text.chars() {
                if c == '?' {
                    n += 1;
                    out.push('$');
                    out.push_str(&n.to_string());
                } else {
                    out.push(c);
                }
            }
            out
        }
        _ => text.to_string(),
    };
    Statement::from_sql_and_values(backend, text, values)
}

/// A PostgreSQL array literal of text values (`NULL` for `None`), quoted and escaped, to bind
/// as one text parameter cast to an array (`$1::text[]`, `$1::uuid[]`).
pub fn pg_array<'a>(values: impl Iterator<Item = Option<&'a str>>) -> String {
    let mut out = String::from("{");
    for (i, v) in values.enumerate() {
        if i > 0 {
            out.push(',');
        }
        match v {
            None => out.push_str("NULL"),
            Some(v) => {
                out.push('"');
                for c in v.chars() {
                    if c == '"' || c == '\\' {
                        out.push('\\');
                    }
                    out.push(c);
                }
                out.push('"');
            }
        }
    }
    out.push('}');
    out
}

/// `LIKE` pattern matching `needle` anywhere, with `%`, `_` and `\` escaped (use `ESCAPE '\'`).
pub fn like_contains(needle: &str) -> String {
    format!("%{}%", escape_like(needle))
}

/// `LIKE` pattern matching values that start with `needle`.
pub fn like_prefix(needle: &str) -> String {
    format!("{}%", escape_like(needle))
}

fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (a no-op
/// write as its first statement), so that a transaction reading before it writes waits its turn
/// (busy timeout) instead of failing with "database is locked" when another writer committed
/// after its first read. On PostgreSQL it is a plain transaction.
pub async fn begin_write(
    db: &DatabaseConnection,
) -> Result<sea_orm::DatabaseTransaction, sea_orm::DbErr> {
    use sea_orm::TransactionTrait;
    let txn = db.begin().await?;
    if db.get_database_backend() == DatabaseBackend::Sqlite {
        txn.execute_unprepared("UPDATE seaql_migrations SET version = version WHERE 0")
            .await?;
    }
    Ok(txn)
}

/// Checks that the database answers.
pub async fn ping(db: &DatabaseConnection) -> Result<(), sea_orm::DbErr> {
    db.execute(Statement::from_string(
        db.get_database_backend(),
        "SELECT 1",
    ))
    .await
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_for_postgres_only() {
        let pg = sql(
            DatabaseBackend::Postgres,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let lite = sql(
            DatabaseBackend::Sqlite,
            "a = ? AND b = ?",
            vec![1.into(), 2.into()],
        );
        assert_eq!(lite.sql, "a = ? AND b = ?");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_contains("ba dinh"), "%ba dinh%");
        assert_eq!(like_prefix("50%_x"), "50\\%\\_x%");
    }

    #[test]
    fn array_literals_quote_escape_and_keep_nulls() {
        let values = [Some("a"), None, Some("Nguyễn \"Tư\" \\ ,{}")];
        assert_eq!(
            pg_array(values.into_iter()),
            r#"{"a",NULL,"Nguyễn \"Tư\" \\ ,{}"}"#
        );
        assert_eq!(pg_array(std::iter::empty()), "{}");
    }
}
