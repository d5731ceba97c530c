//! Versions of records, in the transaction that writes them: every update of a versioned record
//! goes through its entity's `before_save`, which calls [`before_update`]. It reads the committed
//! version with the row locked (PostgreSQL; SQLite serialises writers) and saves the next one,
//! whatever version the writer read before; and when the write carries an `If-Match` for this
//! record, it fails the transaction with [`PreconditionFailed`] unless a tag matches.
//!
//! The `If-Match` reaches the entity hook in a task-local set by [`expecting`], because
//! sea-orm's `before_save` sees only the record and the connection, and every versioned save
//! of every service would otherwise have to pass it along; the HTTP layer (`concurrency`) sets
//! it around the handler, and nothing else reads it.

use sea_orm::{ActiveValue, ConnectionTrait, DatabaseBackend, DbErr};
use uuid::Uuid;

/// The `If-Match` of the write being handled, for the record its path names.
#[derive(Debug, Clone)]
pub struct Expected {
    pub table: &'static str,
    pub id: Uuid,
    pub if_match: String,
}

tokio::task_local! {
    /// Set by [`expecting`] while a write with `If-Match` runs.
    static EXPECTED: Expected;
}

tokio::task_local! {
    /// Set by [`restoring`] while a write gives records back their saved images.
    static RESTORING: ();
}

/// Runs a write whose saves of the record `expected` names are checked against its `If-Match`.
pub async fn expecting<F: std::future::Future>(expected: Expected, write: F) -> F::Output {
    EXPECTED.scope(expected, write).await
}

/// Runs a write that gives records back saved images, versions included (a restructuring's
/// undo, which first checks that nothing changed them since): inside it, [`before_update`]
/// saves the version the write sets instead of the next one.
pub async fn restoring<F: std::future::Future>(write: F) -> F::Output {
    RESTORING.scope((), write).await
}

/// A write's `If-Match` names another version than the record's committed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("precondition failed: the record's version is now {current_version}")]
pub struct PreconditionFailed {
    pub current_version: i64,
}

impl PreconditionFailed {
    /// The error the entity hook fails its transaction with. `DbErr` has no variant for a
    /// caller's own error other than `TryIntoErr`'s boxed source, so it travels there, typed,
    /// and [`PreconditionFailed::of`] finds it again.
    fn into_db_err(self) -> DbErr {
        DbErr::TryIntoErr {
            from: "If-Match",
            into: "version",
            source: Box::new(self),
        }
    }

    /// The failed precondition a database error carries, if it carries one.
    pub fn of(err: &DbErr) -> Option<PreconditionFailed> {
        match err {
            DbErr::TryIntoErr { source, .. } => {
                source.downcast_ref::<PreconditionFailed>().copied()
            }
            _ => None,
        }
    }
}

/// Called when a versioned record is updated (the entities' `before_save`). When the update sets
/// a new version, it reads the row's committed version with the row locked (PostgreSQL; SQLite
/// serialises writers) and makes the new version the next one: so concurrent writes of one
/// record get distinct, consecutive versions, whatever version the writer read before. When the
/// write's `If-Match` ([`expecting`]) names this record, it fails the transaction with
/// [`PreconditionFailed`] unless a tag matches the committed version.
pub async fn before_update<C: ConnectionTrait>(
    db: &C,
    table: &str,
    id: Uuid,
    version: &mut ActiveValue<i32>,
) -> Result<(), DbErr> {
    let expected = EXPECTED
        .try_with(Clone::clone)
        .ok()
        .filter(|e| e.table == table && e.id == id);
    let bumps = matches!(version, ActiveValue::Set(_)) && RESTORING.try_with(|_| ()).is_err();
    if expected.is_none() && !bumps {
        return Ok(());
    }
    let Some(current) = locked_version(db, table, id).await? else {
        return Ok(());
    };
    if let Some(expected) = expected
        && !if_match_allows(&expected.if_match, i64::from(current))
    {
        return Err(PreconditionFailed {
            current_version: i64::from(current),
        }
        .into_db_err());
    }
    if bumps {
        *version = ActiveValue::Set(current + 1);
    }
    Ok(())
}

/// The committed version of a record, its row locked until the transaction ends on PostgreSQL.
async fn locked_version<C: ConnectionTrait>(
    db: &C,
    table: &str,
    id: Uuid,
) -> Result<Option<i32>, DbErr> {
    let backend = db.get_database_backend();
    let lock = if backend == DatabaseBackend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    };
    db.query_one(super::sql(
        backend,
        &format!("SELECT version FROM {table} WHERE id = ?{lock}"),
        vec![id.into()],
    ))
    .await?
    .map(|row| row.try_get::<i32>("", "version"))
    .transpose()
}

/// The strong entity tag of a version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Whether an `If-Match` value lets a write to `version` through (strong comparison: a weak
/// tag never matches).
pub fn if_match_allows(header_value: &str, version: i64) -> bool {
    let wanted = etag(version);
    header_value
        .split(',')
        .map(str::trim)
        .any(|tag| tag == "*" || tag == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_compares_strong_tags() {
        assert!(if_match_allows("\"3\"", 3));
        assert!(if_match_allows("\"2\", \"3\"", 3));
        assert!(if_match_allows("*", 3));
        assert!(!if_match_allows("\"2\"", 3));
        assert!(!if_match_allows("W/\"3\"", 3));
    }

    #[test]
    fn a_failed_precondition_travels_typed_through_a_database_error() {
        let err = PreconditionFailed { current_version: 7 }.into_db_err();
        assert_eq!(
            PreconditionFailed::of(&err),
            Some(PreconditionFailed { current_version: 7 })
        );
        assert_eq!(
            PreconditionFailed::of(&DbErr::Custom("precondition_failed:7".into())),
            None
        );
    }
}
