//! Criteria sets as data: drafts edited by the central administrator, frozen once published;
//! the set in force for a target group is its latest published version.

use crate::auth::Actor;
use crate::auth::UnitPath;
use crate::db::entities::{criteria_set, target_group};
use crate::error::ApiError;
use crate::services::audit;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::criteria::{CriteriaStructure, PassRule};
use shared::error::FieldError;
use shared::workflow::{CriteriaSet, CriteriaSetInput, CriteriaSetStatus};
use uuid::Uuid;

fn ensure_central(actor: &Actor) -> Result<(), ApiError> {
    if actor.role == Role::CentralAdmin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the central administrator edits criteria sets".into(),
        ))
    }
}

/// The structure and rule stored with a set.
pub fn parts(m: &criteria_set::Model) -> Result<(CriteriaStructure, PassRule), ApiError> {
    let structure: CriteriaStructure = serde_json::from_value(m.structure.clone())
        .map_err(|e| anyhow::anyhow!("criteria set {} has a broken structure: {e}", m.id))?;
    let rule = PassRule {
        min_total: u32::try_from(m.min_total).unwrap_or(0),
        min_per_indicator: u32::try_from(m.min_per_indicator).unwrap_or(0),
    };
    Ok((structure, rule))
}

pub fn to_dto(m: criteria_set::Model) -> Result<CriteriaSet, ApiError> {
    let (structure, pass_rule) = parts(&m)?;
    Ok(CriteriaSet {
        id: m.id,
        code: m.code,
        set_version: m.set_version,
        target_group: m.target_group,
        title: m.title,
        status: CriteriaSetStatus::parse(&m.status).unwrap_or(CriteriaSetStatus::Draft),
        is_template: m.is_template,
        total_max: structure.total_max(),
        structure,
        pass_rule,
        published_at: m.published_at,
        updated_at: m.updated_at,
        version: m.version,
    })
}

/// Every set, newest versions first, optionally of one target group.
pub async fn list(
    db: &DatabaseConnection,
    target_group: Option<String>,
) -> Result<Vec<CriteriaSet>, ApiError> {
    let mut query = criteria_set::Entity::find();
    if let Some(g) = target_group {
        query = query.filter(criteria_set::Column::TargetGroup.eq(g));
    }
    query
        .order_by_asc(criteria_set::Column::Code)
        .order_by_desc(criteria_set::Column::SetVersion)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect()
}

pub async fn get(db: &DatabaseConnection, id: Uuid) -> Result<CriteriaSet, ApiError> {
    let m = criteria_set::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("criteria set"))?;
    to_dto(m)
}

/// The set in force for a target group: its most recently published one.
pub async fn in_force(
    db: &impl ConnectionTrait,
    target_group: &str,
) -> Result<Option<criteria_set::Model>, ApiError> {
    Ok(criteria_set::Entity::find()
        .filter(criteria_set::Column::TargetGroup.eq(target_group))
        .filter(criteria_set::Column::Status.eq("published"))
        .order_by_desc(criteria_set::Column::PublishedAt)
        .order_by_desc(criteria_set::Column::SetVersion)
        .one(db)
        .await?)
}

async fn check(
    db: &impl ConnectionTrait,
    input: CriteriaSetInput,
) -> Result<(String, String, String, CriteriaStructure, PassRule), ApiError> {
    let mut errors: Vec<FieldError> = Vec::new();
    let code = input.code.trim().to_string();
    if !code
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    {
        errors.push(FieldError {
            field: "code".into(),
            code: "invalid_code".into(),
            message: "must be lowercase letters, digits and '-'".into(),
        });
    }
    let known = target_group::Entity::find_by_id(input.target_group.clone())
        .one(db)
        .await?
        .is_some();
    if !known {
        errors.push(FieldError {
            field: "target_group".into(),
            code: "unknown_target_group".into(),
            message: format!("no target group has the code {}", input.target_group),
        });
    }
    let structure = input.structure.cleaned();
    if let Err(problems) = structure.validate(&input.pass_rule) {
        for p in &problems {
            let mut e = FieldError::from(p);
            if e.field.starts_with("competencies") {
                e.field = format!("structure.{}", e.field);
            }
            errors.push(e);
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok((
        code,
        input.target_group,
        shared::text::clean(&input.title),
        structure,
        input.pass_rule,
    ))
}

fn structure_json(structure: &CriteriaStructure) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(structure)
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("serialising a structure: {e}")))
}

/// Creates a draft: version 1 of a new family, or the next version of an existing one.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: CriteriaSetInput,
) -> Result<CriteriaSet, ApiError> {
    ensure_central(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let (code, group, title, structure, rule) = check(&txn, input).await?;
    let latest = criteria_set::Entity::find()
        .filter(criteria_set::Column::Code.eq(&code))
        .order_by_desc(criteria_set::Column::SetVersion)
        .one(&txn)
        .await?;
    if let Some(l) = &latest
        && l.status == "draft"
    {
        return Err(ApiError::Conflict(format!(
            "version {} of {code} is still a draft: edit it instead",
            l.set_version
        )));
    }
    let now = chrono::Utc::now();
    let model = criteria_set::ActiveModel {
        id: Set(Uuid::new_v4()),
        code: Set(code),
        set_version: Set(latest.map(|l| l.set_version + 1).unwrap_or(1)),
        target_group: Set(group),
        title: Set(title),
        status: Set("draft".into()),
        is_template: Set(false),
        structure: Set(structure_json(&structure)?),
        min_total: Set(i32::try_from(rule.min_total).unwrap_or(i32::MAX)),
        min_per_indicator: Set(i32::try_from(rule.min_per_indicator).unwrap_or(i32::MAX)),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        published_at: Set(None),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "criteria_set.create",
            resource_type: "criteria_set",
            resource_id: Some(model.id.to_string()),
            unit: &UnitPath::nation(),
            detail: Some(json!({"code": model.code, "set_version": model.set_version})),
        },
    )
    .await?;
    txn.commit().await?;
    to_dto(model)
}

async fn load_draft(db: &impl ConnectionTrait, id: Uuid) -> Result<criteria_set::Model, ApiError> {
    let m = criteria_set::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("criteria set"))?;
    if m.status != "draft" {
        return Err(ApiError::Conflict(format!(
            "version {} of {} is {}: a published criteria set never changes; create a new version",
            m.set_version, m.code, m.status
        )));
    }
    Ok(m)
}

/// Edits a draft; a published set is refused with 409.
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    input: CriteriaSetInput,
) -> Result<CriteriaSet, ApiError> {
    ensure_central(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let old = load_draft(&txn, id).await?;
    let (code, group, title, structure, rule) = check(&txn, input).await?;
    if code != old.code {
        return Err(ApiError::field(
            "code",
            "immutable",
            "the family code of a set does not change",
        ));
    }
    let mut m: criteria_set::ActiveModel = old.clone().into();
    m.target_group = Set(group);
    m.title = Set(title);
    m.structure = Set(structure_json(&structure)?);
    m.min_total = Set(i32::try_from(rule.min_total).unwrap_or(i32::MAX));
    m.min_per_indicator = Set(i32::try_from(rule.min_per_indicator).unwrap_or(i32::MAX));
    m.updated_at = Set(chrono::Utc::now());
    m.version = Set(old.version + 1);
    let saved = m.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "criteria_set.update",
            resource_type: "criteria_set",
            resource_id: Some(id.to_string()),
            unit: &UnitPath::nation(),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    to_dto(saved)
}

/// Publishes a draft: from now on it is frozen, and in force for its target group.
pub async fn publish(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<CriteriaSet, ApiError> {
    ensure_central(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let old = load_draft(&txn, id).await?;
    let now = chrono::Utc::now();
    let mut m: criteria_set::ActiveModel = old.clone().into();
    m.status = Set("published".into());
    m.published_at = Set(Some(now));
    m.updated_at = Set(now);
    m.version = Set(old.version + 1);
    let saved = m.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "criteria_set.publish",
            resource_type: "criteria_set",
            resource_id: Some(id.to_string()),
            unit: &UnitPath::nation(),
            detail: Some(json!({"code": saved.code, "set_version": saved.set_version})),
        },
    )
    .await?;
    txn.commit().await?;
    to_dto(saved)
}
