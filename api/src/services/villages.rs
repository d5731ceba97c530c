//! Villages and residential groups under current communes: kept by commune officers and above
//! within their unit, readable by everyone in it.

use crate::auth::policy::ensure_within;
use crate::auth::{Actor, UnitPath};
use crate::db::entities::village;
use crate::error::ApiError;
use crate::services::{audit, units};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use shared::registry::{CreateVillageRequest, UpdateVillageRequest, Village};
use shared::text::{clean, fold};
use uuid::Uuid;

/// Filters of the village list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub commune_code: Option<String>,
    pub q: Option<String>,
    pub include_inactive: bool,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

pub fn to_dto(m: village::Model) -> Village {
    Village {
        id: m.id,
        commune_code: m.commune_code,
        province_code: m.province_code,
        name: m.name,
        kind: m.kind,
        status: m.status,
        version: m.version,
    }
}

fn ensure_editor(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::CommuneOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not keep villages".into(),
        ))
    }
}

async fn commune(db: &impl ConnectionTrait, field: &str, code: &str) -> Result<UnitPath, ApiError> {
    let unit = units::resolve_field(db, field, code).await?;
    if unit.level() != "commune" {
        return Err(ApiError::field(
            field,
            "not_a_commune",
            "must be a 5-digit current commune code",
        ));
    }
    Ok(unit)
}

/// Loads a village inside the actor's unit (404 when it does not exist, 403 outside).
pub async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<village::Model, ApiError> {
    let model = village::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("village"))?;
    ensure_within(
        actor,
        &UnitPath::commune(&model.province_code, &model.commune_code),
    )?;
    Ok(model)
}

/// The names of these villages, by id (one query; none for no ids).
pub async fn names(
    db: &impl ConnectionTrait,
    ids: impl IntoIterator<Item = Uuid>,
) -> Result<std::collections::HashMap<Uuid, String>, sea_orm::DbErr> {
    let ids: Vec<Uuid> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(Default::default());
    }
    Ok(village::Entity::find()
        .filter(village::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|v| (v.id, v.name))
        .collect())
}

/// Villages of the actor's unit, or of one commune in it.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<Page<Village>, ApiError> {
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let mut query = village::Entity::find();
    if let Some(code) = filter.commune_code.as_deref() {
        let unit = commune(db, "commune_code", code).await?;
        ensure_within(actor, &unit)?;
        query = query.filter(village::Column::CommuneCode.eq(code));
    } else if let Some(c) = actor.unit.commune.as_deref() {
        query = query.filter(village::Column::CommuneCode.eq(c));
    } else if let Some(p) = actor.unit.province.as_deref() {
        query = query.filter(village::Column::ProvinceCode.eq(p));
    }
    if let Some(q) = filter.q.as_deref().map(fold).filter(|q| !q.is_empty()) {
        query = query.filter(village::Column::SearchName.like(crate::db::like_contains(&q)));
    }
    if !filter.include_inactive {
        query = query.filter(village::Column::Status.eq("active"));
    }
    let paginator = query
        .order_by_asc(village::Column::CommuneCode)
        .order_by_asc(village::Column::SearchName)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page {
        items: items.into_iter().map(to_dto).collect(),
        total,
        page,
        per_page,
    })
}

/// A new active village (`name` already cleaned), as every path that adds one writes it: the
/// village page, an import naming a village its commune does not list, a queue choice.
pub fn new_village(
    id: Uuid,
    commune: &str,
    province: &str,
    name: &str,
    kind: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> village::ActiveModel {
    village::ActiveModel {
        id: Set(id),
        commune_code: Set(commune.to_string()),
        province_code: Set(province.to_string()),
        search_name: Set(fold(name)),
        name: Set(name.to_string()),
        kind: Set(kind.to_string()),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
}

/// Creates a village under a commune of the actor's unit.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    request: CreateVillageRequest,
) -> Result<Village, ApiError> {
    ensure_editor(actor)?;
    let unit = commune(db, "commune_code", &request.commune_code).await?;
    ensure_within(actor, &unit)?;
    let name = clean(&request.name);
    let now = chrono::Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let model = new_village(
        Uuid::new_v4(),
        &request.commune_code,
        &unit.province.clone().unwrap_or_default(),
        &name,
        &request.kind,
        now,
    )
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "village.create",
            resource_type: "village",
            resource_id: Some(model.id.to_string()),
            unit: &unit,
            detail: Some(json!({"name": model.name, "kind": model.kind})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(model))
}

/// Renames, changes the kind, moves to another commune of the same province, or (de)activates.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    request: UpdateVillageRequest,
) -> Result<Village, ApiError> {
    ensure_editor(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let old = load(&txn, actor, id).await?;
    let mut model: village::ActiveModel = old.clone().into();
    let mut unit = UnitPath::commune(&old.province_code, &old.commune_code);
    if let Some(code) = request
        .commune_code
        .as_deref()
        .filter(|c| *c != old.commune_code)
    {
        let target = commune(&txn, "commune_code", code).await?;
        if target.province.as_deref() != Some(old.province_code.as_str()) {
            return Err(ApiError::field(
                "commune_code",
                "other_province",
                "a village moves only to a commune of the same province",
            ));
        }
        ensure_within(actor, &target)?;
        model.commune_code = Set(code.to_string());
        unit = target;
    }
    if let Some(name) = request.name {
        let name = clean(&name);
        model.search_name = Set(fold(&name));
        model.name = Set(name);
    }
    if let Some(kind) = request.kind {
        model.kind = Set(kind);
    }
    if let Some(active) = request.active {
        model.status = Set(if active { "active" } else { "inactive" }.to_string());
    }
    model.updated_at = Set(chrono::Utc::now());
    model.version = Set(old.version + 1);
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "village.update",
            resource_type: "village",
            resource_id: Some(id.to_string()),
            unit: &unit,
            detail: Some(json!({
                "from": {"name": old.name, "kind": old.kind, "commune_code": old.commune_code, "status": old.status},
                "to": {"name": updated.name, "kind": updated.kind, "commune_code": updated.commune_code, "status": updated.status},
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(updated))
}
