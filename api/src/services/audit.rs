//! Writes audit rows: who did what to which record, in which unit, for which request.

use crate::auth::{Actor, UnitPath};
use crate::db::entities::audit_log;
use crate::error::current_request_id;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set};
use uuid::Uuid;

/// One audit entry about to be written.
#[derive(Debug)]
pub struct Entry<'a> {
    pub actor: Option<&'a Actor>,
    pub action: &'a str,
    pub resource_type: &'a str,
    pub resource_id: Option<String>,
    /// The unit the record belongs to: decides who may read the entry.
    pub unit: &'a UnitPath,
    pub detail: Option<serde_json::Value>,
}

/// Writes the entry with the connection or transaction of the change it describes, so that both
/// commit or neither does.
pub async fn record<C: ConnectionTrait>(db: &C, entry: Entry<'_>) -> Result<(), DbErr> {
    audit_log::ActiveModel {
        id: Set(Uuid::new_v4()),
        at: Set(chrono::Utc::now()),
        actor_user_id: Set(entry.actor.map(|a| a.user_id)),
        actor_username: Set(entry.actor.map(|a| a.username.clone())),
        action: Set(entry.action.to_string()),
        resource_type: Set(entry.resource_type.to_string()),
        resource_id: Set(entry.resource_id),
        unit_code: Set(entry.unit.code().to_string()),
        province_code: Set(entry.unit.province.clone()),
        detail: Set(entry.detail),
        request_id: Set(current_request_id()),
    }
    .insert(db)
    .await
    .map(|_| ())
}
