//! Memberships of people in Association units: joining, changes, leaving and transfers that keep
//! the history. Both the person and the unit must lie in the actor's unit.

use crate::auth::Actor;
use crate::db::entities::{association_unit, membership, person};
use crate::error::ApiError;
use crate::services::{association_units, audit, people};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use shared::registry::{
    CreateMembershipRequest, MEMBERSHIP_STATUSES, Membership, TransferMembershipRequest,
    UpdateMembershipRequest,
};
use shared::text::clean;
use std::collections::HashMap;
use uuid::Uuid;

fn ensure_keeper(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::BranchOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not keep memberships".into(),
        ))
    }
}

async fn to_dtos(
    db: &impl ConnectionTrait,
    models: Vec<membership::Model>,
) -> Result<Vec<Membership>, ApiError> {
    let person_ids: Vec<Uuid> = models.iter().map(|m| m.person_id).collect();
    let unit_ids: Vec<Uuid> = models.iter().map(|m| m.association_unit_id).collect();
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.full_name))
        .collect();
    let units: HashMap<Uuid, String> = association_unit::Entity::find()
        .filter(association_unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(models
        .into_iter()
        .map(|m| Membership {
            person_name: names.get(&m.person_id).cloned().unwrap_or_default(),
            association_unit_name: units
                .get(&m.association_unit_id)
                .cloned()
                .unwrap_or_default(),
            id: m.id,
            person_id: m.person_id,
            association_unit_id: m.association_unit_id,
            role: m.role,
            joined_on: m.joined_on,
            card_number: m.card_number,
            status: m.status,
            ended_on: m.ended_on,
            transferred_to_id: m.transferred_to_id,
            note: m.note,
            version: m.version,
        })
        .collect())
}

async fn one(db: &impl ConnectionTrait, model: membership::Model) -> Result<Membership, ApiError> {
    to_dtos(db, vec![model])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("membership"))
}

/// Loads a membership whose unit lies in the actor's unit.
async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<(membership::Model, association_unit::Model), ApiError> {
    let model = membership::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("membership"))?;
    let unit = association_units::load(db, actor, model.association_unit_id)
        .await
        .map_err(|_| ApiError::not_found("membership"))?;
    Ok((model, unit))
}

async fn active_unit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    field: &str,
    id: Uuid,
) -> Result<association_unit::Model, ApiError> {
    let unit = association_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field(field, "unknown", "no such Association unit"))?;
    crate::auth::policy::ensure_within(actor, &association_units::location(&unit))?;
    if unit.status != "active" {
        return Err(ApiError::field(
            field,
            "inactive",
            "the Association unit is not active",
        ));
    }
    Ok(unit)
}

/// Refuses (409) when the person already has an active membership in the unit.
async fn ensure_not_active_in(
    db: &impl ConnectionTrait,
    person_id: Uuid,
    unit_id: Uuid,
) -> Result<(), ApiError> {
    let existing = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(person_id))
        .filter(membership::Column::AssociationUnitId.eq(unit_id))
        .filter(membership::Column::Status.eq("active"))
        .count(db)
        .await?;
    if existing > 0 {
        return Err(ApiError::Conflict(
            "the person is already an active member of this unit".into(),
        ));
    }
    Ok(())
}

/// A person joins a unit. A person has at most one active membership per unit.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    request: CreateMembershipRequest,
) -> Result<Membership, ApiError> {
    ensure_keeper(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let model = create_in(&txn, actor, request).await?;
    txn.commit().await?;
    one(db, model).await
}

/// [`create`] inside the caller's transaction (the batch upserts of the integration API).
pub(crate) async fn create_in(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    request: CreateMembershipRequest,
) -> Result<membership::Model, ApiError> {
    ensure_keeper(actor)?;
    let person = people::load(txn, actor, request.person_id)
        .await
        .map_err(|_| ApiError::field("person_id", "unknown", "no such person in your unit"))?;
    let unit = active_unit(
        txn,
        actor,
        "association_unit_id",
        request.association_unit_id,
    )
    .await?;
    ensure_not_active_in(txn, person.id, unit.id).await?;
    let now = chrono::Utc::now();
    let model = membership::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(person.id),
        association_unit_id: Set(unit.id),
        role: Set(request.role),
        joined_on: Set(request.joined_on.or(Some(now.date_naive()))),
        card_number: Set(request
            .card_number
            .map(|c| clean(&c))
            .filter(|c| !c.is_empty())),
        status: Set("active".into()),
        ended_on: Set(None),
        transferred_to_id: Set(None),
        note: Set(request.note.map(|n| clean(&n)).filter(|n| !n.is_empty())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        audit::Entry {
            actor: Some(actor),
            action: "membership.create",
            resource_type: "membership",
            resource_id: Some(model.id.to_string()),
            unit: &association_units::location(&unit),
            detail: Some(
                json!({"person_id": person.id, "association_unit_id": unit.id, "role": model.role}),
            ),
        },
    )
    .await?;
    Ok(model)
}

/// Changes role, card or note, or ends the membership (`left`, `deceased`).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    request: UpdateMembershipRequest,
) -> Result<Membership, ApiError> {
    ensure_keeper(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let saved = update_in(&txn, actor, id, request).await?;
    txn.commit().await?;
    one(db, saved).await
}

/// [`update`] inside the caller's transaction (the batch upserts of the integration API).
pub(crate) async fn update_in(
    txn: &sea_orm::DatabaseTransaction,
    actor: &Actor,
    id: Uuid,
    request: UpdateMembershipRequest,
) -> Result<membership::Model, ApiError> {
    ensure_keeper(actor)?;
    let (old, unit) = load(txn, actor, id).await?;
    if old.status == "transferred" {
        return Err(ApiError::Conflict(
            "a transferred membership is history; change the one it continues as".into(),
        ));
    }
    let mut model: membership::ActiveModel = old.clone().into();
    if let Some(role) = request.role {
        model.role = Set(role);
    }
    if let Some(card) = request.card_number {
        model.card_number = Set(Some(clean(&card)).filter(|c| !c.is_empty()));
    }
    if let Some(note) = request.note {
        model.note = Set(Some(clean(&note)).filter(|n| !n.is_empty()));
    }
    if let Some(status) = request.status.as_deref() {
        if !MEMBERSHIP_STATUSES.contains(&status) || status == "transferred" {
            return Err(ApiError::field(
                "status",
                "invalid_status",
                "must be active, left or deceased; transfers have their own endpoint",
            ));
        }
        if status == "active" && old.status != "active" {
            ensure_not_active_in(txn, old.person_id, old.association_unit_id).await?;
        }
        model.status = Set(status.to_string());
        model.ended_on = Set(if status == "active" {
            None
        } else {
            Some(
                request
                    .ended_on
                    .unwrap_or_else(|| chrono::Utc::now().date_naive()),
            )
        });
    }
    model.updated_at = Set(chrono::Utc::now());
    model.version = Set(old.version + 1);
    let saved = model.update(txn).await?;
    audit::record(
        txn,
        audit::Entry {
            actor: Some(actor),
            action: "membership.update",
            resource_type: "membership",
            resource_id: Some(id.to_string()),
            unit: &association_units::location(&unit),
            detail: Some(json!({
                "from": {"role": old.role, "status": old.status},
                "to": {"role": saved.role, "status": saved.status},
            })),
        },
    )
    .await?;
    Ok(saved)
}

/// Moves an active member to another unit: the old membership becomes `transferred` and points
/// at the new, active one. Returns the new membership.
pub async fn transfer(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    request: TransferMembershipRequest,
) -> Result<Membership, ApiError> {
    ensure_keeper(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let (old, from_unit) = load(&txn, actor, id).await?;
    if old.status != "active" {
        return Err(ApiError::Conflict(format!(
            "only an active membership is transferred; this one is {}",
            old.status
        )));
    }
    let to_unit = active_unit(
        &txn,
        actor,
        "to_association_unit_id",
        request.to_association_unit_id,
    )
    .await?;
    if to_unit.id == from_unit.id {
        return Err(ApiError::field(
            "to_association_unit_id",
            "same_unit",
            "the member is already in this unit",
        ));
    }
    ensure_not_active_in(&txn, old.person_id, to_unit.id).await?;
    let on = request
        .on
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let now = chrono::Utc::now();
    let new = membership::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(old.person_id),
        association_unit_id: Set(to_unit.id),
        role: Set(request.role.unwrap_or_else(|| old.role.clone())),
        joined_on: Set(Some(on)),
        card_number: Set(request
            .card_number
            .map(|c| clean(&c))
            .filter(|c| !c.is_empty())
            .or_else(|| old.card_number.clone())),
        status: Set("active".into()),
        ended_on: Set(None),
        transferred_to_id: Set(None),
        note: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    let mut ended: membership::ActiveModel = old.clone().into();
    ended.status = Set("transferred".into());
    ended.ended_on = Set(Some(on));
    ended.transferred_to_id = Set(Some(new.id));
    ended.updated_at = Set(now);
    ended.version = Set(old.version + 1);
    ended.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "membership.transfer",
            resource_type: "membership",
            resource_id: Some(id.to_string()),
            unit: &association_units::location(&from_unit),
            detail: Some(
                json!({"from_unit": from_unit.id, "to_unit": to_unit.id, "new_membership": new.id}),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    one(db, new).await
}

/// Every membership of a person, history included, newest first.
pub async fn of_person(
    db: &DatabaseConnection,
    actor: &Actor,
    person_id: Uuid,
) -> Result<Vec<Membership>, ApiError> {
    let person = people::load(db, actor, person_id).await?;
    let rows = membership::Entity::find()
        .filter(membership::Column::PersonId.eq(person.id))
        .order_by_desc(membership::Column::CreatedAt)
        .all(db)
        .await?;
    to_dtos(db, rows).await
}

/// The members of a unit, and of the units under it with `descendants`.
pub async fn of_unit(
    db: &DatabaseConnection,
    actor: &Actor,
    unit_id: Uuid,
    descendants: bool,
    status: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
) -> Result<Page<Membership>, ApiError> {
    let unit = association_units::load(db, actor, unit_id).await?;
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = page.unwrap_or(1).max(1);
    let units = if descendants {
        let under = match unit.level.as_str() {
            "central" => Condition::all(),
            "province" => Condition::all()
                .add(association_unit::Column::ProvinceCode.eq(unit.province_code.clone())),
            "commune" => Condition::all()
                .add(association_unit::Column::CommuneCode.eq(unit.commune_code.clone())),
            _ => Condition::any()
                .add(association_unit::Column::Id.eq(unit.id))
                .add(association_unit::Column::ParentId.eq(unit.id)),
        };
        association_unit::Entity::find()
            .filter(under)
            .all(db)
            .await?
            .into_iter()
            .map(|u| u.id)
            .collect()
    } else {
        vec![unit.id]
    };
    let mut query =
        membership::Entity::find().filter(membership::Column::AssociationUnitId.is_in(units));
    query = query.filter(membership::Column::Status.eq(status.unwrap_or_else(|| "active".into())));
    let paginator = query
        .order_by_asc(membership::Column::AssociationUnitId)
        .order_by_asc(membership::Column::CreatedAt)
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
