//! The change feed: one row per created, updated or deleted record, numbered in commit order.
//!
//! Rows are appended by [`append`], which `audit::record` calls in the transaction of every write,
//! so any write path that audits (and every one does) feeds the change log without knowing it.
//!
//! On PostgreSQL a change takes its number from a sequence, so writers never wait for each other;
//! numbers are then handed out before commit, and a transaction may commit after a later number
//! was committed. So that a reader never steps over a number still to come, every writing
//! transaction first registers itself: it reads the sequence's `last_value` and holds a shared
//! transaction-level advisory lock keyed by it (shared locks never wait for each other) before it
//! takes a number, so each of its numbers is at least its key. A reader reads `last_value` (every
//! number up to it is handed out), then the keys of the registrations in flight in `pg_locks`,
//! and only then the rows: it returns numbers up to `last_value` and below the smallest key.
//! Every number below that horizon belongs to a transaction that had ended before the rows were
//! read (in flight, it would show a key at most its number), and every number to come is above it;
//! a reader paging by "greater than the last number seen" therefore neither skips nor repeats a
//! change. A record's changes are numbered in the order they commit, since each writer takes its
//! number after it locked the record; a change shows once the transactions registered before
//! it have ended.
//!
//! On SQLite writers are serialised (`db::begin_write`) and the number comes from a one-row
//! counter updated in the writing transaction. A rolled-back transaction leaves a gap in the
//! numbers, never a hole a reader could step over.

use crate::auth::Actor;
use crate::db::entities::change_log;
use crate::error::ApiError;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait, Value,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The kinds of change.
pub const CREATED: &str = "created";
pub const UPDATED: &str = "updated";
pub const DELETED: &str = "deleted";

/// Resource types of the feed, with the table holding their `version` and the operation an API
/// client needs to see them (`None`: reference data every reader of the feed sees).
const RESOURCES: [(&str, &str, Option<&str>); 8] = [
    ("person", "people", Some("people:read")),
    ("membership", "memberships", Some("memberships:read")),
    ("registration", "registrations", Some("registrations:read")),
    ("decision", "decisions", Some("registrations:read")),
    ("village", "villages", None),
    ("association_unit", "association_units", None),
    ("period", "periods", None),
    ("criteria_set", "criteria_sets", None),
];

/// What kind of change an audited action is, when it is one the feed carries: reads (views,
/// lookups, exports) and records outside the feed (accounts, API clients) are not.
pub fn kind_of(resource_type: &str, action: &str) -> Option<&'static str> {
    RESOURCES.iter().find(|(t, _, _)| *t == resource_type)?;
    let verb = action.rsplit('.').next().unwrap_or(action);
    match verb {
        "view" | "lookup" | "reveal_personal_id" | "export" | "read" | "list" | "certificate" => {
            None
        }
        "create" | "register" => Some(CREATED),
        "delete" => Some(DELETED),
        _ => Some(UPDATED),
    }
}

/// The version lookup of a change of `resource_type` (`NULL` for a deletion or a type without
/// a version), as an SQL expression with one `?` for the record's id when it has one.
fn version_of(resource_type: &str, kind: &str) -> Option<String> {
    match RESOURCES.iter().find(|(t, _, _)| *t == resource_type) {
        Some((_, table, _)) if kind != DELETED => {
            Some(format!("(SELECT version FROM {table} WHERE id = ?)"))
        }
        _ => None,
    }
}

/// PostgreSQL: registers the writing transaction (module documentation) before it takes a
/// number: a shared advisory lock, held until the transaction ends, keyed by the last number
/// handed out. Once per transaction (a transaction-local setting remembers it, and is undone
/// with the lock when a savepoint rolls back), so a batch of a thousand changes holds one lock,
/// not a thousand. Shared advisory locks with a `bigint` key in this database are the feed's.
/// One row, always.
const REGISTER: &str = "SELECT CASE WHEN current_setting('cdht.feed_registered', true) = 'yes' \
     THEN 0 ELSE (SELECT count(*) FROM (SELECT pg_advisory_xact_lock_shared(last_value), \
     set_config('cdht.feed_registered', 'yes', true) FROM change_log_seq) AS r) END AS registered";

/// Appends one change in the caller's transaction. On PostgreSQL it is one statement that
/// registers the transaction and takes a number from the sequence, so it waits for nobody; on
/// SQLite the counter and the row are written in a savepoint (or a transaction of its own on a
/// bare connection).
pub async fn append<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    kind: &str,
    resource_type: &str,
    resource_id: &str,
    unit_code: &str,
    province_code: Option<&str>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let mut values: Vec<Value> = vec![resource_type.into(), resource_id.into(), kind.into()];
    let version = match version_of(resource_type, kind) {
        Some(lookup) => {
            let id = uuid::Uuid::parse_str(resource_id)
                .map_err(|e| DbErr::Custom(format!("resource id {resource_id}: {e}")))?;
            values.push(Value::from(id));
            lookup
        }
        None => "NULL".to_string(),
    };
    values.extend([
        unit_code.into(),
        province_code.map(str::to_string).into(),
        chrono::Utc::now().into(),
    ]);
    if backend == sea_orm::DatabaseBackend::Postgres {
        db.execute(crate::db::sql(
            backend,
            &format!(
                "WITH registered AS MATERIALIZED ({REGISTER}) \
                 INSERT INTO change_log (seq, resource_type, resource_id, kind, version, \
                 unit_code, province_code, at) \
                 SELECT nextval('change_log_seq'), ?, ?, ?, {version}, ?, ?, ? FROM registered"
            ),
            values,
        ))
        .await?;
        return Ok(());
    }
    let txn = db.begin().await?;
    let row = txn
        .query_one(crate::db::sql(
            backend,
            "UPDATE change_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq",
            vec![],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("the change counter row is missing".into()))?;
    let seq: i64 = row.try_get("", "last_seq")?;
    values.insert(0, seq.into());
    txn.execute(crate::db::sql(
        backend,
        &format!(
            "INSERT INTO change_log (seq, resource_type, resource_id, kind, version, unit_code, \
             province_code, at) VALUES (?, ?, ?, ?, {version}, ?, ?, ?)"
        ),
        values,
    ))
    .await?;
    txn.commit().await
}

/// A change about to be appended by [`append_many`].
#[derive(Debug, Clone, Default)]
pub struct Pending {
    pub kind: &'static str,
    pub resource_type: &'static str,
    pub id: uuid::Uuid,
    /// The current commune the record belongs to.
    pub commune_code: String,
    /// The record's version and province when the writer knows them (a bulk insert does);
    /// otherwise they are looked up.
    pub version: Option<i32>,
    pub province_code: Option<String>,
}

/// Appends many changes of a bulk write (an import, a restructuring) in its transaction, by
/// multi-row `INSERT`s, so a bulk write costs a few statements, not three per record: on
/// PostgreSQL one statement numbering the rows from the sequence, in the order given; on SQLite
/// the counter moves once by their number. Same ordering guarantee as [`append`].
pub async fn append_many<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    items: &[Pending],
) -> Result<(), DbErr> {
    if items.is_empty() {
        return Ok(());
    }
    let now = chrono::Utc::now();
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        return append_unnest(db, items, now).await;
    }
    let txn = db.begin().await?;
    let backend = txn.get_database_backend();
    let n = i64::try_from(items.len()).map_err(|e| DbErr::Custom(e.to_string()))?;
    let row = txn
        .query_one(crate::db::sql(
            backend,
            "UPDATE change_counter SET last_seq = last_seq + ? WHERE id = 1 RETURNING last_seq",
            vec![n.into()],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("the change counter row is missing".into()))?;
    let last: i64 = row.try_get("", "last_seq")?;
    let first = last - n + 1;
    // 8 values a row; 400 rows stay far below SQLite's limit of bound values.
    for (chunk_no, chunk) in items.chunks(400).enumerate() {
        let mut sql = String::from(
            "INSERT INTO change_log (seq, resource_type, resource_id, kind, version, unit_code, province_code, at) VALUES ",
        );
        let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 8);
        for (i, item) in chunk.iter().enumerate() {
            let table = RESOURCES
                .iter()
                .find(|(t, _, _)| *t == item.resource_type)
                .map(|(_, table, _)| *table)
                .ok_or_else(|| {
                    DbErr::Custom(format!("{} is not in the change feed", item.resource_type))
                })?;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!(
                "(?, ?, ?, ?, (SELECT version FROM {table} WHERE id = ?), ?, \
                 (SELECT province_code FROM admin_units WHERE era = 'current' AND level = 'commune' AND code = ?), ?)"
            ));
            let offset = i64::try_from(chunk_no * 400 + i).unwrap_or(i64::MAX);
            values.extend([
                Value::from(first + offset),
                item.resource_type.into(),
                item.id.to_string().into(),
                item.kind.into(),
                Value::from(item.id),
                item.commune_code.clone().into(),
                item.commune_code.clone().into(),
                now.into(),
            ]);
        }
        txn.execute(crate::db::sql(backend, &sql, values)).await?;
    }
    txn.commit().await
}

/// PostgreSQL: every change of a bulk write in one statement of constant text (so its plan is
/// prepared once per connection), one array per column; the version and the province are looked
/// up by the statement.
async fn append_unnest<C: ConnectionTrait>(
    txn: &C,
    items: &[Pending],
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), DbErr> {
    let mut versions = String::from("CASE u.resource_type");
    for (resource, table, _) in RESOURCES {
        versions.push_str(&format!(
            " WHEN '{resource}' THEN (SELECT version FROM {table} WHERE id = u.resource_id)"
        ));
    }
    versions.push_str(" END");
    for item in items {
        if !RESOURCES.iter().any(|(t, _, _)| *t == item.resource_type) {
            return Err(DbErr::Custom(format!(
                "{} is not in the change feed",
                item.resource_type
            )));
        }
    }
    let texts = |f: &dyn Fn(&Pending) -> Option<String>| {
        let values: Vec<Option<String>> = items.iter().map(f).collect();
        Value::from(crate::db::pg_array(values.iter().map(|v| v.as_deref())))
    };
    let sql = format!(
        "WITH registered AS MATERIALIZED ({REGISTER}) \
         INSERT INTO change_log (seq, resource_type, resource_id, kind, version, unit_code, \
         province_code, at) \
         SELECT nextval('change_log_seq'), u.resource_type, u.resource_id::text, u.kind, \
         CASE WHEN u.kind = 'deleted' THEN NULL ELSE COALESCE(u.version, {versions}) END, \
         u.commune_code, \
         COALESCE(u.province_code, (SELECT a.province_code FROM admin_units a \
          WHERE a.era = 'current' AND a.level = 'commune' AND a.code = u.commune_code)), $1 \
         FROM (SELECT * FROM UNNEST($2::text[], $3::uuid[], $4::text[], $5::text[], $6::int[], \
         $7::text[]) WITH ORDINALITY AS v(resource_type, resource_id, kind, commune_code, version, \
         province_code, n) ORDER BY v.n) AS u CROSS JOIN registered"
    );
    txn.execute(sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        sql,
        vec![
            now.into(),
            texts(&|i| Some(i.resource_type.to_string())),
            texts(&|i| Some(i.id.to_string())),
            texts(&|i| Some(i.kind.to_string())),
            texts(&|i| Some(i.commune_code.clone())),
            texts(&|i| i.version.map(|v| v.to_string())),
            texts(&|i| i.province_code.clone()),
        ],
    ))
    .await?;
    Ok(())
}

/// One change of the feed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, ToSchema)]
#[schema(example = json!({
    "cursor": "1042",
    "kind": "updated",
    "resource_type": "person",
    "id": "0b7f8f52-3c1e-4a8e-9d7a-6c9e2b1f4a30",
    "version": 3,
    "unit": "00004",
    "at": "2026-11-28T08:15:02.113Z"
}))]
pub struct Change {
    /// Position of this change; `since=<cursor>` continues after it.
    pub cursor: String,
    /// `created`, `updated` or `deleted`.
    pub kind: String,
    /// `person`, `membership`, `registration`, `decision`, `village`, `association_unit`,
    /// `period` or `criteria_set`.
    pub resource_type: String,
    pub id: String,
    /// The record's version after the change (`null` for a deletion).
    pub version: Option<i32>,
    /// The unit the record belongs to.
    pub unit: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// One page of the feed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "items": [{
        "cursor": "1042",
        "kind": "created",
        "resource_type": "person",
        "id": "0b7f8f52-3c1e-4a8e-9d7a-6c9e2b1f4a30",
        "version": 1,
        "unit": "00004",
        "at": "2026-11-28T08:15:02.113Z"
    }],
    "next_cursor": "1042",
    "has_more": false
}))]
pub struct ChangePage {
    /// In commit order.
    pub items: Vec<Change>,
    /// Pass as `since` for the next page; equal to `since` when nothing new was committed.
    pub next_cursor: String,
    /// Whether more changes are waiting after this page (ask again at once).
    pub has_more: bool,
}

/// Largest and default page of the feed.
pub const MAX_LIMIT: u64 = 1000;
pub const DEFAULT_LIMIT: u64 = 100;

/// PostgreSQL: the first number a reader must not return yet (module documentation): above
/// the last number handed out, or the smallest key of a registration in flight. Read in two
/// statements, before the rows, in this order.
async fn horizon(db: &DatabaseConnection) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let sequence = db
        .query_one(crate::db::sql(
            backend,
            "SELECT last_value, is_called FROM change_log_seq",
            vec![],
        ))
        .await?
        .ok_or_else(|| DbErr::Custom("the change sequence is missing".into()))?;
    let last: i64 = sequence.try_get("", "last_value")?;
    let handed_out = if sequence.try_get::<bool>("", "is_called")? {
        last
    } else {
        last - 1
    };
    let registered: Option<i64> = db
        .query_one(crate::db::sql(
            backend,
            "SELECT min((classid::bigint << 32) | objid::bigint) AS key FROM pg_locks \
             WHERE locktype = 'advisory' AND objsubid = 1 AND mode = 'ShareLock' \
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            vec![],
        ))
        .await?
        .map(|r| r.try_get::<Option<i64>>("", "key"))
        .transpose()?
        .flatten();
    Ok(registered.map_or(handed_out + 1, |key| key.min(handed_out + 1)))
}

/// The changes after `since` inside the actor's unit, in commit order.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    since: Option<&str>,
    limit: Option<u64>,
) -> Result<ChangePage, ApiError> {
    let since: i64 = match since.map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(s) => s.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            ApiError::field("since", "invalid_cursor", "not a cursor of this feed")
        })?,
    };
    let limit = limit.unwrap_or(DEFAULT_LIMIT);
    if limit == 0 || limit > MAX_LIMIT {
        return Err(ApiError::field(
            "limit",
            "out_of_range",
            format!("must be between 1 and {MAX_LIMIT}"),
        ));
    }
    let mut query = change_log::Entity::find().filter(change_log::Column::Seq.gt(since));
    if db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        query = query.filter(change_log::Column::Seq.lt(horizon(db).await?));
    }
    query = match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => query,
        (Some(p), None) => query.filter(change_log::Column::ProvinceCode.eq(p.clone())),
        (_, Some(c)) => query.filter(change_log::Column::UnitCode.eq(c.clone())),
    };
    if let Some(client) = &actor.client {
        let hidden: Vec<&str> = RESOURCES
            .iter()
            .filter(|(_, _, op)| op.is_some_and(|op| !client.operations.iter().any(|o| o == op)))
            .map(|(t, _, _)| *t)
            .collect();
        if !hidden.is_empty() {
            query = query.filter(change_log::Column::ResourceType.is_not_in(hidden));
        }
    }
    let mut rows = query
        .order_by_asc(change_log::Column::Seq)
        .limit(limit + 1)
        .all(db)
        .await?;
    let has_more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = rows.last().map_or(since, |r| r.seq).to_string();
    Ok(ChangePage {
        items: rows
            .into_iter()
            .map(|r| Change {
                cursor: r.seq.to_string(),
                kind: r.kind,
                resource_type: r.resource_type,
                id: r.resource_id,
                version: r.version,
                unit: r.unit_code,
                at: r.at,
            })
            .collect(),
        next_cursor,
        has_more,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_are_changes_and_reads_are_not() {
        assert_eq!(kind_of("person", "person.create"), Some(CREATED));
        assert_eq!(
            kind_of("registration", "assessment.register"),
            Some(CREATED)
        );
        assert_eq!(kind_of("registration", "assessment.submit"), Some(UPDATED));
        assert_eq!(kind_of("person", "person.delete"), Some(DELETED));
        assert_eq!(kind_of("person", "person.view"), None);
        assert_eq!(kind_of("person", "person.reveal_personal_id"), None);
        assert_eq!(kind_of("account", "account.create"), None);
        assert_eq!(kind_of("api_client", "api_client.token"), None);
    }
}
