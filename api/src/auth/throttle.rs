//! The login throttle: wrong passwords are counted per account and per client address in a fixed
//! window, in the database so that every API process sees the same counts. Past the limit every
//! login for that key is refused with 429 until the window ends, even with the right password.

use crate::db::entities::login_throttle::{self, Column, Entity};
use crate::error::ApiError;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};
use std::time::Duration;

/// One throttled key and its limit.
#[derive(Debug, Clone)]
pub struct Key {
    pub key: String,
    pub limit: u32,
}

impl Key {
    pub fn account(username: &str, limit: u32) -> Self {
        Key {
            key: format!("account:{username}"),
            limit,
        }
    }

    pub fn address(address: &str, limit: u32) -> Self {
        Key {
            key: format!("address:{address}"),
            limit,
        }
    }
}

/// Refuses with 429 (and the seconds left) when any key is over its limit in the current window.
pub async fn check(
    db: &DatabaseConnection,
    keys: &[Key],
    window: Duration,
) -> Result<(), ApiError> {
    let now = chrono::Utc::now().timestamp();
    let window = i64::try_from(window.as_secs()).unwrap_or(900);
    let rows = Entity::find()
        .filter(Column::Key.is_in(keys.iter().map(|k| k.key.clone())))
        .all(db)
        .await?;
    let mut wait = 0i64;
    for row in rows {
        let Some(key) = keys.iter().find(|k| k.key == row.key) else {
            continue;
        };
        let ends = row.window_started_at + window;
        if ends > now && i64::from(row.failures) >= i64::from(key.limit) {
            wait = wait.max(ends - now);
        }
    }
    if wait > 0 {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: u64::try_from(wait).unwrap_or(1),
            detail: "too many failed logins; try again later".into(),
        });
    }
    Ok(())
}

/// Counts one failure for each key, starting a new window where the old one has ended.
pub async fn record_failure(
    db: &DatabaseConnection,
    keys: &[Key],
    window: Duration,
) -> Result<(), ApiError> {
    let now = chrono::Utc::now().timestamp();
    let expired_before = now - i64::try_from(window.as_secs()).unwrap_or(900);
    for key in keys {
        let stale = Expr::col((Entity, Column::WindowStartedAt)).lte(expired_before);
        let mut insert = Query::insert();
        insert
            .into_table(Entity)
            .columns([Column::Key, Column::Failures, Column::WindowStartedAt])
            .values_panic([key.key.clone().into(), 1.into(), now.into()])
            .on_conflict(
                OnConflict::column(Column::Key)
                    .value(
                        Column::Failures,
                        Expr::case(stale.clone(), 1)
                            .finally(Expr::col((Entity, Column::Failures)).add(1)),
                    )
                    .value(
                        Column::WindowStartedAt,
                        Expr::case(stale, now)
                            .finally(Expr::col((Entity, Column::WindowStartedAt))),
                    )
                    .to_owned(),
            );
        db.execute(db.get_database_backend().build(&insert)).await?;
    }
    Ok(())
}

/// Forgets the failures of an account after a successful login (the address count stays).
pub async fn clear(db: &DatabaseConnection, key: &Key) -> Result<(), ApiError> {
    login_throttle::Entity::delete_by_id(key.key.clone())
        .exec(db)
        .await?;
    Ok(())
}
