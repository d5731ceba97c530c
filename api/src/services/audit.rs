//! Writes audit rows: who did what to which record, in which unit, for which request.

use crate::auth::{Actor, UnitPath};
use crate::db::entities::audit_log;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DbErr, Set, TransactionTrait};
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
/// commit or neither does. A write of a record the change feed carries also appends its change
/// there, in the same transaction.
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    entry: Entry<'_>,
) -> Result<(), DbErr> {
    if let (Some(kind), Some(id)) = (
        crate::services::changes::kind_of(entry.resource_type, entry.action),
        entry.resource_id.as_deref(),
    ) {
        crate::services::changes::append(
            db,
            kind,
            entry.resource_type,
            id,
            entry.unit.code(),
            entry.unit.province.as_deref(),
        )
        .await?;
    }
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
        request_id: Set(entry.actor.and_then(|a| a.request_id.clone())),
    }
    .insert(db)
    .await
    .map(|_| ())
}

/// Filters of the audit list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub resource_type: Option<String>,
    pub resource_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub to: Option<chrono::DateTime<chrono::Utc>>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// The entries about records inside the actor's unit, newest first.
pub async fn list(
    db: &sea_orm::DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<shared::page::Page<shared::registry::AuditEntry>, crate::error::ApiError> {
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
    use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
    if actor.role < shared::auth::Role::CommuneOfficer {
        return Err(crate::error::ApiError::Forbidden(
            "your role does not read the audit log".into(),
        ));
    }
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let mut query = audit_log::Entity::find();
    query = match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => query,
        (Some(p), None) => query.filter(audit_log::Column::ProvinceCode.eq(p.clone())),
        (_, Some(c)) => query.filter(audit_log::Column::UnitCode.eq(c.clone())),
    };
    if let Some(t) = filter.resource_type {
        query = query.filter(audit_log::Column::ResourceType.eq(t));
    }
    if let Some(r) = filter.resource_id {
        query = query.filter(audit_log::Column::ResourceId.eq(r));
    }
    if let Some(a) = filter.action {
        query = query.filter(audit_log::Column::Action.eq(a));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::Column::At.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(audit_log::Column::At.lt(to));
    }
    let paginator = query
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(shared::page::Page {
        items: items.into_iter().map(to_dto).collect(),
        total,
        page,
        per_page,
    })
}

/// An audit row as the API shows it.
pub fn to_dto(e: audit_log::Model) -> shared::registry::AuditEntry {
    shared::registry::AuditEntry {
        id: e.id,
        at: e.at,
        actor_user_id: e.actor_user_id,
        actor_username: e.actor_username,
        action: e.action,
        resource_type: e.resource_type,
        resource_id: e.resource_id,
        unit_code: e.unit_code,
        detail: e.detail,
        request_id: e.request_id,
    }
}
