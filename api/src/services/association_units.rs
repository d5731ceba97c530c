//! The Association's units: central, province and commune units exist from the start (one per
//! current unit); commune officers and above add branches and committees, edit contacts and
//! deactivate units, each within their own unit.

use crate::auth::policy::ensure_within;
use crate::auth::{Actor, UnitPath};
use crate::db::entities::{association_unit, membership};
use crate::error::ApiError;
use crate::services::{audit, villages};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use shared::registry::{
    AssociationLevel, AssociationUnit, CreateAssociationUnitRequest, UnitStatus,
    UpdateAssociationUnitRequest,
};
use shared::text::{clean, fold};
use std::collections::HashMap;
use uuid::Uuid;

/// Kinds of committees.
pub const COMMITTEE_KINDS: [&str; 5] = ["agency", "school", "enterprise", "clan", "other"];

/// Filters of the list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub parent_id: Option<Uuid>,
    pub level: Option<AssociationLevel>,
    pub commune_code: Option<String>,
    pub q: Option<String>,
    pub include_inactive: bool,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

/// Where a unit sits, for the scope rules.
pub fn location(m: &association_unit::Model) -> UnitPath {
    match (&m.province_code, &m.commune_code) {
        (Some(p), Some(c)) => UnitPath::commune(p, c),
        (Some(p), None) => UnitPath::province(p),
        _ => UnitPath::nation(),
    }
}

#[derive(Debug, FromQueryResult)]
struct CountRow {
    key: Uuid,
    n: i64,
}

/// The units as the API shows them, with member and child counts (two grouped queries).
pub async fn to_dtos(
    db: &impl ConnectionTrait,
    models: Vec<association_unit::Model>,
) -> Result<Vec<AssociationUnit>, ApiError> {
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let children: HashMap<Uuid, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        association_unit::Entity::find()
            .select_only()
            .column_as(association_unit::Column::ParentId, "key")
            .column_as(association_unit::Column::Id.count(), "n")
            .filter(association_unit::Column::ParentId.is_in(ids.clone()))
            .filter(association_unit::Column::Status.eq("active"))
            .group_by(association_unit::Column::ParentId)
            .into_model::<CountRow>()
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.key, r.n))
            .collect()
    };
    let members: HashMap<Uuid, i64> = if ids.is_empty() {
        HashMap::new()
    } else {
        membership::Entity::find()
            .select_only()
            .column_as(membership::Column::AssociationUnitId, "key")
            .column_as(membership::Column::Id.count(), "n")
            .filter(membership::Column::AssociationUnitId.is_in(ids))
            .filter(membership::Column::Status.eq("active"))
            .group_by(membership::Column::AssociationUnitId)
            .into_model::<CountRow>()
            .all(db)
            .await?
            .into_iter()
            .map(|r| (r.key, r.n))
            .collect()
    };
    Ok(models
        .into_iter()
        .map(|m| AssociationUnit {
            member_count: u64::try_from(*members.get(&m.id).unwrap_or(&0)).unwrap_or(0),
            children_count: u64::try_from(*children.get(&m.id).unwrap_or(&0)).unwrap_or(0),
            id: m.id,
            name: m.name,
            level: AssociationLevel::parse(&m.level).unwrap_or(AssociationLevel::Branch),
            parent_id: m.parent_id,
            admin_unit_code: m.admin_unit_code,
            province_code: m.province_code,
            commune_code: m.commune_code,
            village_id: m.village_id,
            committee_kind: m.committee_kind,
            chairperson: m.chairperson,
            phone: m.phone,
            email: m.email,
            status: UnitStatus::parse(&m.status).unwrap_or(UnitStatus::Active),
            version: m.version,
            updated_at: m.updated_at,
        })
        .collect())
}

/// Condition selecting the units inside `scope`.
pub fn within(scope: &UnitPath) -> Condition {
    match (&scope.province, &scope.commune) {
        (None, _) => Condition::all(),
        (Some(p), None) => {
            Condition::all().add(association_unit::Column::ProvinceCode.eq(p.clone()))
        }
        (_, Some(c)) => Condition::all().add(association_unit::Column::CommuneCode.eq(c.clone())),
    }
}

/// Loads a unit inside the actor's unit (404 when missing, 403 outside).
pub async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<association_unit::Model, ApiError> {
    let model = association_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("association unit"))?;
    ensure_within(actor, &location(&model))?;
    Ok(model)
}

/// One unit.
pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<AssociationUnit, ApiError> {
    let model = load(db, actor, id).await?;
    one(db, model).await
}

async fn one(
    db: &impl ConnectionTrait,
    model: association_unit::Model,
) -> Result<AssociationUnit, ApiError> {
    to_dtos(db, vec![model])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("association unit"))
}

/// Units inside the actor's unit, filtered, by level then name.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<Page<AssociationUnit>, ApiError> {
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let mut query = association_unit::Entity::find().filter(within(&actor.unit));
    if let Some(parent) = filter.parent_id {
        query = query.filter(association_unit::Column::ParentId.eq(parent));
    }
    if let Some(level) = filter.level {
        query = query.filter(association_unit::Column::Level.eq(level.as_str()));
    }
    if let Some(code) = filter.commune_code {
        query = query.filter(association_unit::Column::CommuneCode.eq(code));
    }
    if let Some(q) = filter.q.as_deref().map(fold).filter(|q| !q.is_empty()) {
        query =
            query.filter(association_unit::Column::SearchName.like(crate::db::like_contains(&q)));
    }
    if !filter.include_inactive {
        query = query.filter(association_unit::Column::Status.eq("active"));
    }
    let paginator = query
        .order_by_asc(Expr::cust(
            "CASE level WHEN 'central' THEN 0 WHEN 'province' THEN 1 WHEN 'commune' THEN 2 ELSE 3 END",
        ))
        .order_by_asc(association_unit::Column::AdminUnitCode)
        .order_by_asc(association_unit::Column::SearchName)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page {
        items: to_dtos(db, items).await?,
        total,
        page,
        per_page,
    })
}

/// The unit the actor is attached to: the root of their tree.
pub async fn root_of(db: &DatabaseConnection, actor: &Actor) -> Result<AssociationUnit, ApiError> {
    let (level, code) = match actor.unit.level() {
        "nation" => ("central", "VN".to_string()),
        "province" => ("province", actor.unit.code().to_string()),
        _ => ("commune", actor.unit.code().to_string()),
    };
    let model = association_unit::Entity::find()
        .filter(association_unit::Column::Level.eq(level))
        .filter(association_unit::Column::AdminUnitCode.eq(code))
        .order_by_asc(association_unit::Column::CreatedAt)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("association unit"))?;
    one(db, model).await
}

fn ensure_editor(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::CommuneOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not keep Association units".into(),
        ))
    }
}

fn check_committee_kind(kind: Option<&str>) -> Result<(), ApiError> {
    match kind {
        Some(k) if !COMMITTEE_KINDS.contains(&k) => Err(ApiError::field(
            "committee_kind",
            "invalid_kind",
            "must be one of agency, school, enterprise, clan, other",
        )),
        _ => Ok(()),
    }
}

/// A committee names the kind of body it sits in; a branch has none.
fn check_kind_fits(level: &str, kind: Option<&str>) -> Result<(), ApiError> {
    match (level, kind) {
        ("committee", None) => Err(ApiError::field(
            "committee_kind",
            "required",
            "a committee sits in an agency, school, enterprise or clan: give its kind",
        )),
        ("committee", _) | (_, None) => Ok(()),
        _ => Err(ApiError::field(
            "committee_kind",
            "not_a_committee",
            "only committees have a committee kind",
        )),
    }
}

/// The village a branch serves: active and in the same commune, else a field error.
async fn branch_village(
    db: &impl ConnectionTrait,
    actor: &Actor,
    village_id: Uuid,
    commune_code: Option<&String>,
) -> Result<(), ApiError> {
    let village = villages::load(db, actor, village_id).await.map_err(|_| {
        ApiError::field(
            "village_id",
            "unknown_village",
            "no village of your unit has this id",
        )
    })?;
    if Some(&village.commune_code) != commune_code {
        return Err(ApiError::field(
            "village_id",
            "other_commune",
            "the village must lie in the same commune",
        ));
    }
    if village.status != "active" {
        return Err(ApiError::field(
            "village_id",
            "inactive_village",
            "the village is deactivated",
        ));
    }
    Ok(())
}

fn normalized_phone(phone: Option<String>) -> Result<Option<String>, ApiError> {
    phone
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            shared::person::normalize_phone(&p)
                .map_err(|e| ApiError::field("phone", e.code(), e.to_string()))
        })
        .transpose()
}

/// Creates a branch or committee under a commune's Association (or a committee under a branch).
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    request: CreateAssociationUnitRequest,
) -> Result<AssociationUnit, ApiError> {
    ensure_editor(actor)?;
    if !matches!(
        request.level,
        AssociationLevel::Branch | AssociationLevel::Committee
    ) {
        return Err(ApiError::field(
            "level",
            "not_creatable",
            "only branches and committees are created; central, province and commune units exist from the start",
        ));
    }
    check_committee_kind(request.committee_kind.as_deref())?;
    let txn = crate::db::begin_write(db).await?;
    let parent = association_unit::Entity::find_by_id(request.parent_id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::field("parent_id", "unknown", "no such Association unit"))?;
    let place = location(&parent);
    ensure_within(actor, &place)?;
    if place.level() != "commune" || parent.status != "active" {
        return Err(ApiError::field(
            "parent_id",
            "invalid_parent",
            "branches and committees sit under an active commune's Association, branch or committee",
        ));
    }
    check_kind_fits(request.level.as_str(), request.committee_kind.as_deref())?;
    if let Some(village_id) = request.village_id {
        branch_village(&txn, actor, village_id, parent.commune_code.as_ref()).await?;
    }
    let name = clean(&request.name);
    let now = chrono::Utc::now();
    let model = association_unit::ActiveModel {
        id: Set(Uuid::new_v4()),
        search_name: Set(fold(&name)),
        name: Set(name),
        level: Set(request.level.as_str().to_string()),
        parent_id: Set(Some(parent.id)),
        admin_unit_code: Set(parent.admin_unit_code.clone()),
        province_code: Set(parent.province_code.clone()),
        commune_code: Set(parent.commune_code.clone()),
        village_id: Set(request.village_id),
        committee_kind: Set(request.committee_kind),
        chairperson: Set(request
            .chairperson
            .map(|c| clean(&c))
            .filter(|c| !c.is_empty())),
        phone: Set(normalized_phone(request.phone)?),
        email: Set(request
            .email
            .map(|e| e.trim().to_string())
            .filter(|e| !e.is_empty())),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "association_unit.create",
            resource_type: "association_unit",
            resource_id: Some(model.id.to_string()),
            unit: &place,
            detail: Some(json!({"name": model.name, "level": model.level, "parent_id": parent.id})),
        },
    )
    .await?;
    txn.commit().await?;
    one(db, model).await
}

/// Edits names and contacts, or changes the status. Deactivating a unit with active sub-units or
/// members is refused (409): move them first.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    request: UpdateAssociationUnitRequest,
) -> Result<AssociationUnit, ApiError> {
    ensure_editor(actor)?;
    check_committee_kind(request.committee_kind.as_deref())?;
    let txn = crate::db::begin_write(db).await?;
    let old = load(&txn, actor, id).await?;
    let place = location(&old);
    // A unit is kept by the officers of the unit it sits in and above.
    let required = match place.level() {
        "nation" => Role::CentralAdmin,
        "province" => Role::ProvinceOfficer,
        _ => Role::CommuneOfficer,
    };
    if actor.role < required {
        return Err(ApiError::forbidden());
    }
    let mut model: association_unit::ActiveModel = old.clone().into();
    if let Some(name) = request.name {
        let name = clean(&name);
        model.search_name = Set(fold(&name));
        model.name = Set(name);
    }
    if let Some(village_id) = request.village_id {
        branch_village(&txn, actor, village_id, old.commune_code.as_ref()).await?;
        model.village_id = Set(Some(village_id));
    }
    if request.committee_kind.is_some() {
        check_kind_fits(&old.level, request.committee_kind.as_deref())?;
        model.committee_kind = Set(request.committee_kind);
    }
    if let Some(chair) = request.chairperson {
        model.chairperson = Set(Some(clean(&chair)).filter(|c| !c.is_empty()));
    }
    if request.phone.is_some() {
        model.phone = Set(normalized_phone(request.phone)?);
    }
    if let Some(email) = request.email {
        model.email = Set(Some(email.trim().to_string()).filter(|e| !e.is_empty()));
    }
    if let Some(status) = request.status {
        if status != UnitStatus::Active && old.status == "active" {
            if matches!(old.level.as_str(), "central" | "province" | "commune") {
                return Err(ApiError::Conflict(
                    "the units of the nation, provinces and communes follow the official list and are not deactivated by hand".into(),
                ));
            }
            let active_children = association_unit::Entity::find()
                .filter(association_unit::Column::ParentId.eq(id))
                .filter(association_unit::Column::Status.eq("active"))
                .count(&txn)
                .await?;
            let active_members = membership::Entity::find()
                .filter(membership::Column::AssociationUnitId.eq(id))
                .filter(membership::Column::Status.eq("active"))
                .count(&txn)
                .await?;
            if active_children > 0 || active_members > 0 {
                return Err(ApiError::Conflict(format!(
                    "the unit still has {active_children} active sub-units and {active_members} active members; move them first"
                )));
            }
        }
        model.status = Set(status.as_str().to_string());
    }
    model.updated_at = Set(chrono::Utc::now());
    model.version = Set(old.version + 1);
    let updated = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "association_unit.update",
            resource_type: "association_unit",
            resource_id: Some(id.to_string()),
            unit: &place,
            detail: Some(json!({
                "from": {"name": old.name, "status": old.status, "chairperson": old.chairperson},
                "to": {"name": updated.name, "status": updated.status, "chairperson": updated.chairperson},
            })),
        },
    )
    .await?;
    txn.commit().await?;
    one(db, updated).await
}
