//! The queue of records whose old address needs an officer's choice: rows of an import whose old
//! commune was split or is missing from the conversion table, and records on communes a
//! restructuring dissolved without a single successor. Officers of the province see the items and
//! the candidate current communes, and pick one, one by one or in bulk; nothing is guessed.
//! Resolving creates the held person (or moves the existing record) in the same transaction.
//!
//! An item is about a person, a village, or a branch or committee of the Association (the
//! latter two only from restructurings, see `restructuring`). Resolving moves its subject:
//!
//! - a village goes to the chosen commune (and its province); refused, naming `commune_code`,
//!   when that commune already has a village of the same name;
//! - a branch or committee goes under the chosen commune's Association unit (`parent_id`,
//!   `commune_code`, province), with the units under it; memberships stay on the unit, so they
//!   follow it.
//!
//! A record keeps its village only while the village lies in the record's commune. So a person
//! (or a branch) resolved to a commune keeps their village when the village was resolved to that
//! same commune before, and loses it otherwise; and when a village is resolved, the people and
//! branches on current communes other than the chosen one that point at it lose it. People and
//! branches still waiting on the dissolved commune keep it until their own item is resolved, as
//! the hint an officer needs to choose.
//!
//! A restructured item whose commune was dissolved with no successor at all has no candidates:
//! like an unmapped one, any commune of its province may be chosen.

use crate::auth::{Actor, UnitPath};
use crate::crypto::PiiKeys;
use crate::db::entities::{
    admin_unit, association_unit, legacy_queue_item, legacy_queue_subject, membership, person,
    registration, village,
};
use crate::error::ApiError;
use crate::import::jobs::{
    NewRegistration, RegistrationPlan, apply_record, insert_registrations, pii_columns,
    plan_registration,
};
use crate::import::rows::{Context, Record, registration_closed};
use crate::services::legacy_address::Held;
use crate::services::{audit, changes, people};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::error::FieldError;
use shared::import::{
    BulkResolveRequest, CandidateCommune, QueueItem, QueueReason, QueueSource, QueueSubject,
    ResolveOutcome, RowMessage,
};
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use shared::registry::AssociationLevel;
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Filters of the queue list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// `pending` (default) or `resolved`.
    pub status: Option<String>,
    pub reason: Option<QueueReason>,
    pub import_job_id: Option<Uuid>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn ensure_resolver(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::CommuneOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not choose communes for old addresses".into(),
        ))
    }
}

fn candidates_of(item: &legacy_queue_item::Model) -> Vec<String> {
    serde_json::from_str(&item.candidates).unwrap_or_default()
}

/// Whether the actor may see and resolve the item: officers of its province (and the central
/// administrator); a commune officer only items their commune is a candidate for.
fn visible(actor: &Actor, item: &legacy_queue_item::Model) -> bool {
    match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => true,
        (Some(p), None) => *p == item.province_code,
        (Some(p), Some(c)) => *p == item.province_code && candidates_of(item).contains(c),
    }
}

async fn to_dtos(
    db: &impl ConnectionTrait,
    items: Vec<legacy_queue_item::Model>,
) -> Result<Vec<QueueItem>, ApiError> {
    let mut codes: Vec<String> = items.iter().flat_map(candidates_of).collect();
    codes.sort();
    codes.dedup();
    let names: HashMap<String, (String, String)> = if codes.is_empty() {
        HashMap::new()
    } else {
        admin_unit::Entity::find()
            .filter(admin_unit::Column::Era.eq("current"))
            .filter(admin_unit::Column::Level.eq("commune"))
            .filter(admin_unit::Column::Code.is_in(codes))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.code, (u.name, u.province_code)))
            .collect()
    };
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let subjects: HashMap<Uuid, legacy_queue_subject::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        legacy_queue_subject::Entity::find()
            .filter(legacy_queue_subject::Column::Id.is_in(ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect()
    };
    let villages =
        crate::services::villages::names(db, subjects.values().filter_map(|s| s.village_id))
            .await?;
    let unit_ids: Vec<Uuid> = subjects
        .values()
        .filter_map(|s| s.association_unit_id)
        .collect();
    let units: HashMap<Uuid, (String, String)> = if unit_ids.is_empty() {
        HashMap::new()
    } else {
        association_unit::Entity::find()
            .filter(association_unit::Column::Id.is_in(unit_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, (u.name, u.level)))
            .collect()
    };
    Ok(items
        .into_iter()
        .map(|m| {
            let subject = subjects.get(&m.id);
            let subject_type = subject
                .and_then(|s| QueueSubject::parse(&s.subject_type))
                .unwrap_or(QueueSubject::Person);
            let village_id = subject.and_then(|s| s.village_id);
            let association_unit_id = subject.and_then(|s| s.association_unit_id);
            let unit = association_unit_id.and_then(|id| units.get(&id));
            let subject_name = match subject_type {
                QueueSubject::Person => None,
                QueueSubject::Village => village_id.and_then(|id| villages.get(&id)).cloned(),
                QueueSubject::AssociationUnit => unit.map(|(name, _)| name.clone()),
            }
            .unwrap_or_else(|| m.full_name.clone());
            QueueItem {
                subject_type,
                subject_name,
                village_id,
                association_unit_id,
                association_level: unit.and_then(|(_, level)| AssociationLevel::parse(level)),
                candidates: candidates_of(&m)
                    .into_iter()
                    .map(|code| {
                        let (name, province_code) = names.get(&code).cloned().unwrap_or_default();
                        CandidateCommune {
                            code,
                            name,
                            province_code,
                        }
                    })
                    .collect(),
                id: m.id,
                reason: QueueReason::parse(&m.reason).unwrap_or(QueueReason::Unmapped),
                status: m.status,
                province_code: m.province_code,
                full_name: m.full_name,
                legacy_address: m.legacy_address,
                legacy_commune_code: m.legacy_commune_code,
                source: match (m.import_job_id, m.restructuring_id) {
                    (Some(_), _) => QueueSource::Import,
                    (None, Some(_)) => QueueSource::Restructuring,
                    (None, None) => QueueSource::Api,
                },
                import_job_id: m.import_job_id,
                row: m.row_no.and_then(|r| u32::try_from(r).ok()),
                person_id: m.person_id,
                resolved_commune_code: m.resolved_commune_code,
                resolved_at: m.resolved_at,
                created_at: m.created_at,
            }
        })
        .collect())
}

/// The items the actor sees: those of their province; for a commune officer, those their
/// commune is a candidate for.
fn scoped(actor: &Actor) -> sea_orm::Select<legacy_queue_item::Entity> {
    let mut query = legacy_queue_item::Entity::find();
    if let Some(p) = &actor.unit.province {
        query = query.filter(legacy_queue_item::Column::ProvinceCode.eq(p.clone()));
    }
    if let Some(c) = &actor.unit.commune {
        query = query.filter(
            legacy_queue_item::Column::Candidates
                .like(crate::db::like_contains(&format!("\"{c}\""))),
        );
    }
    query
}

/// How many pending items the actor sees, or `None` when their role does not resolve them.
pub async fn pending_count(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Option<u64>, ApiError> {
    if ensure_resolver(actor).is_err() {
        return Ok(None);
    }
    let n = scoped(actor)
        .filter(legacy_queue_item::Column::Status.eq("pending"))
        .count(db)
        .await?;
    Ok(Some(n))
}

/// The items of the actor's province (pending by default), oldest first.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<Page<QueueItem>, ApiError> {
    ensure_resolver(actor)?;
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let status = filter.status.unwrap_or_else(|| "pending".into());
    let mut query = scoped(actor).filter(legacy_queue_item::Column::Status.eq(status));
    if let Some(r) = filter.reason {
        query = query.filter(legacy_queue_item::Column::Reason.eq(r.as_str()));
    }
    if let Some(j) = filter.import_job_id {
        query = query.filter(legacy_queue_item::Column::ImportJobId.eq(j));
    }
    let paginator = query
        .order_by_asc(legacy_queue_item::Column::CreatedAt)
        .order_by_asc(legacy_queue_item::Column::RowNo)
        .order_by_asc(legacy_queue_item::Column::Id)
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

/// One item.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<QueueItem, ApiError> {
    ensure_resolver(actor)?;
    let item = load(db, actor, id).await?;
    to_dtos(db, vec![item])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("queue item"))
}

async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<legacy_queue_item::Model, ApiError> {
    legacy_queue_item::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|item| visible(actor, item))
        .ok_or_else(|| ApiError::not_found("queue item"))
}

/// The subject of an item.
async fn subject_of(
    db: &impl ConnectionTrait,
    item: &legacy_queue_item::Model,
) -> Result<legacy_queue_subject::Model, ApiError> {
    legacy_queue_subject::Entity::find_by_id(item.id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("queue item"))
}

/// Whether another village of `commune` has the name of `v` (in any status: names identify
/// villages within a commune, and old addresses find them by name).
async fn village_name_taken(
    db: &impl ConnectionTrait,
    v: &village::Model,
    commune: &str,
) -> Result<bool, ApiError> {
    let others = village::Entity::find()
        .filter(village::Column::CommuneCode.eq(commune))
        .filter(village::Column::SearchName.eq(v.search_name.clone()))
        .filter(village::Column::Id.ne(v.id))
        .count(db)
        .await?;
    Ok(others > 0)
}

fn name_taken_message(name: &str, commune: &str) -> String {
    format!(
        "the commune {commune} already has a village named {name}; rename one of them or choose another commune"
    )
}

/// Why a choice is refused, or `None` when it is acceptable.
async fn check_choice(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    item: &legacy_queue_item::Model,
    subject: &legacy_queue_subject::Model,
    commune: &str,
) -> Result<Option<(String, String)>, ApiError> {
    if item.status != "pending" {
        return Ok(Some((
            "already_resolved".into(),
            "this item is resolved already".into(),
        )));
    }
    let unit = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Code.eq(commune))
        .filter(admin_unit::Column::Status.eq("active"))
        .one(db)
        .await?;
    let Some(unit) = unit else {
        return Ok(Some((
            "unknown_commune".into(),
            format!("no current commune has the code {commune}"),
        )));
    };
    let candidates = candidates_of(item);
    let reason = QueueReason::parse(&item.reason).unwrap_or(QueueReason::Unmapped);
    if reason != QueueReason::Unmapped
        && !candidates.is_empty()
        && !candidates.iter().any(|c| c == commune)
    {
        return Ok(Some((
            "not_a_candidate".into(),
            format!(
                "the old commune went into {}; choose one of them",
                candidates.join(", ")
            ),
        )));
    }
    if unit.province_code != item.province_code && !candidates.iter().any(|c| c == commune) {
        return Ok(Some((
            "other_province".into(),
            "choose a commune of the item's province".into(),
        )));
    }
    if !actor
        .unit
        .contains(&UnitPath::commune(&unit.province_code, &unit.code))
    {
        return Ok(Some((
            "outside_scope".into(),
            "the commune is outside your unit".into(),
        )));
    }
    match QueueSubject::parse(&subject.subject_type) {
        Some(QueueSubject::Village) => {
            let v = match subject.village_id {
                Some(id) => village::Entity::find_by_id(id).one(db).await?,
                None => None,
            };
            if let Some(v) = v
                && village_name_taken(db, &v, commune).await?
            {
                return Ok(Some((
                    "village_name_taken".into(),
                    name_taken_message(&v.name, commune),
                )));
            }
        }
        Some(QueueSubject::AssociationUnit) => {
            let parent = association_unit::Entity::find_by_id(
                migrations::m20251128_000004_registry::association_unit_id("commune", commune),
            )
            .one(db)
            .await?;
            if parent.is_none_or(|p| p.status != "active") {
                return Ok(Some((
                    "no_association_unit".into(),
                    format!(
                        "the commune {commune} has no active Association unit to move it under"
                    ),
                )));
            }
        }
        Some(QueueSubject::Person) | None => {}
    }
    Ok(None)
}

async fn village_of(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    commune: &str,
    name: Option<&str>,
) -> Result<Option<Uuid>, ApiError> {
    let Some(name) = name else { return Ok(None) };
    let folded = shared::text::fold(name);
    Ok(village::Entity::find()
        .filter(village::Column::CommuneCode.eq(commune))
        .filter(village::Column::SearchName.eq(folded))
        .filter(village::Column::Status.eq("active"))
        .one(db)
        .await?
        .map(|v| v.id))
}

/// The village a held row named, in the chosen commune: the registered one, else created there
/// when the officer keeps that commune's village list (as an import of theirs would), else
/// none, with a note saying so; the village is never dropped silently.
async fn held_village(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    commune: &str,
    province: &str,
    name: Option<&str>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Option<Uuid>, Vec<RowMessage>), ApiError> {
    let Some(name) = name else {
        return Ok((None, Vec::new()));
    };
    if let Some(id) = village_of(db, commune, Some(name)).await? {
        return Ok((Some(id), Vec::new()));
    }
    if !crate::import::jobs::creates_villages_by_default(actor) {
        return Ok((
            None,
            vec![note(
                "village",
                "unknown_village",
                format!(
                    "Xã đã chọn chưa có thôn, tổ dân phố \"{name}\": người này được ghi không kèm thôn"
                ),
            )],
        ));
    }
    let name = shared::text::clean(name);
    let created = crate::services::villages::new_village(
        Uuid::new_v4(),
        commune,
        province,
        &name,
        crate::import::jobs::village_kind(&name),
        now,
    )
    .insert(db)
    .await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "village.create",
            resource_type: "village",
            resource_id: Some(created.id.to_string()),
            unit: &UnitPath::commune(province, commune),
            detail: Some(
                json!({"name": created.name, "kind": created.kind, "source": "legacy_queue"}),
            ),
        },
    )
    .await?;
    Ok((
        Some(created.id),
        vec![note(
            "village",
            "village_created",
            format!("Thêm thôn, tổ dân phố \"{name}\" vào danh mục của xã đã chọn"),
        )],
    ))
}

/// Applies the choice: creates the held person or moves the record. The caller commits.
async fn apply(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    pii: &PiiKeys,
    actor: &Actor,
    item: legacy_queue_item::Model,
    commune: &str,
) -> Result<ResolveOutcome, ApiError> {
    let province = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Code.eq(commune))
        .one(db)
        .await?
        .map(|u| u.province_code)
        .ok_or_else(|| ApiError::field("commune_code", "unknown_commune", "no such commune"))?;
    let subject = subject_of(db, &item).await?;
    match (
        QueueSubject::parse(&subject.subject_type),
        subject.village_id,
        subject.association_unit_id,
    ) {
        (Some(QueueSubject::Village), Some(id), _) => {
            return apply_village(db, actor, item, id, commune, &province).await;
        }
        (Some(QueueSubject::AssociationUnit), _, Some(id)) => {
            return apply_unit(db, actor, item, id, commune, &province).await;
        }
        (Some(QueueSubject::Person), _, _) => {}
        _ => {
            return Err(anyhow::anyhow!(
                "queue item {} has the subject {} without its record",
                item.id,
                subject.subject_type
            )
            .into());
        }
    }
    if let Some(held) = Held::open(pii, &item)? {
        return apply_held(db, pii, actor, item, held, commune, &province).await;
    }
    let record: Option<Record> = match &item.row_data {
        Some(sealed) => {
            Some(serde_json::from_str(&pii.decrypt(sealed)?).map_err(anyhow::Error::from)?)
        }
        None => None,
    };
    let now = chrono::Utc::now();
    // The record to move: the item's own, or the one a re-import of its ID number made since.
    let mut existing = match item.person_id {
        Some(id) => person::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    if existing.is_none()
        && let Some(id) = record.as_ref().and_then(|r| r.personal_id.as_deref())
    {
        existing = person::Entity::find()
            .filter(person::Column::PersonalIdHash.eq(pii.blind_index(id)))
            .one(db)
            .await?;
    }
    let (village, mut messages) = held_village(
        db,
        actor,
        commune,
        &province,
        record.as_ref().and_then(|r| r.village.as_deref()),
        now,
    )
    .await?;
    ensure_reachable(
        actor,
        existing.as_ref(),
        "a record with this personal ID number exists outside your unit; ask its officers",
    )?;
    let (person_id, result, from) = match existing {
        Some(old) => {
            let from = old.commune_code.clone();
            let mut model: person::ActiveModel = old.clone().into();
            match &record {
                Some(r) => apply_record(&mut model, pii, village, r, commune, &province)?,
                None => {
                    model.commune_code = Set(commune.to_string());
                    model.province_code = Set(province.clone());
                    if !village_lies_in(db, old.village_id, commune).await? {
                        model.village_id = Set(None);
                    }
                }
            }
            model.updated_at = Set(now);
            model.version = Set(old.version + 1);
            model.update(db).await?;
            (old.id, "moved", Some(from))
        }
        None => {
            let r = record.as_ref().ok_or_else(|| {
                anyhow::anyhow!("queue item {} holds neither a row nor a person", item.id)
            })?;
            let (cipher, hash, masked) = pii_columns(pii, r.personal_id.as_deref())?;
            let id = Uuid::new_v4();
            person::ActiveModel {
                id: Set(id),
                full_name: Set(r.full_name.clone()),
                search_name: Set(shared::text::fold(&r.full_name)),
                gender: Set(r.gender.as_str().to_string()),
                birth_date: Set(r.birth_date),
                birth_year: Set(r.birth_year),
                personal_id_cipher: Set(cipher),
                personal_id_hash: Set(hash),
                personal_id_masked: Set(masked),
                phone: Set(r.phone.clone()),
                commune_code: Set(commune.to_string()),
                province_code: Set(province.clone()),
                village_id: Set(village),
                occupation: Set(r.occupation.clone()),
                target_group: Set(r.target_group.clone()),
                workplace: Set(r.workplace.clone()),
                ethnicity: Set(None),
                religion: Set(None),
                sensitive_consent_by: Set(None),
                sensitive_consent_at: Set(None),
                sensitive_consent_text: Set(None),
                external_id: Set(r.external_id.clone()),
                created_by: Set(Some(actor.user_id)),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            }
            .insert(db)
            .await?;
            (id, "created", None)
        }
    };
    if let Some(m) = record.as_ref().and_then(|r| r.membership.as_ref()) {
        let unit = migrations::m20251128_000004_registry::association_unit_id("commune", commune);
        let active = membership::Entity::find()
            .filter(membership::Column::PersonId.eq(person_id))
            .filter(membership::Column::AssociationUnitId.eq(unit))
            .filter(membership::Column::Status.eq("active"))
            .count(db)
            .await?;
        if active == 0 {
            membership::ActiveModel {
                id: Set(Uuid::new_v4()),
                person_id: Set(person_id),
                association_unit_id: Set(unit),
                role: Set(m.role.clone()),
                joined_on: Set(m.joined_on.or(Some(now.date_naive()))),
                card_number: Set(m.card_number.clone()),
                status: Set("active".into()),
                ended_on: Set(None),
                transferred_to_id: Set(None),
                note: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
            }
            .insert(db)
            .await?;
        }
    }
    let (registration_id, registered) = match record.as_ref().filter(|r| r.registration.is_some()) {
        Some(r) => register_held(db, actor, r, person_id, commune, now).await?,
        None => (None, Vec::new()),
    };
    messages.extend(registered);
    let id = item.id;
    mark_resolved(db, actor, item, commune, Some(person_id), now).await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "legacy_queue.resolve",
            resource_type: "person",
            resource_id: Some(person_id.to_string()),
            unit: &UnitPath::commune(&province, commune),
            detail: Some(json!({"queue_item": id, "result": result, "commune_code": commune, "from_commune": from})),
        },
    )
    .await?;
    Ok(ResolveOutcome {
        id,
        result: result.to_string(),
        person_id: Some(person_id),
        village_id: None,
        association_unit_id: None,
        registration_id,
        messages,
    })
}

/// Refuses to move a record outside the actor's unit (`commune_code`, `exists_outside_scope`).
fn ensure_reachable(
    actor: &Actor,
    record: Option<&person::Model>,
    message: &str,
) -> Result<(), ApiError> {
    match record {
        Some(old)
            if !actor
                .unit
                .contains(&UnitPath::commune(&old.province_code, &old.commune_code)) =>
        {
            Err(ApiError::field(
                "commune_code",
                "exists_outside_scope",
                message,
            ))
        }
        _ => Ok(()),
    }
}

/// Applies the choice to a record sent through the API: creates it, or updates the existing
/// record the change was for, through the registry's own checks; a client's external id then
/// names the record.
async fn apply_held(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    pii: &PiiKeys,
    actor: &Actor,
    item: legacy_queue_item::Model,
    held: Held,
    commune: &str,
    province: &str,
) -> Result<ResolveOutcome, ApiError> {
    let mut input = held.api_input;
    input.commune_code = commune.to_string();
    input.legacy_address = None;
    if !village_lies_in(db, input.village_id, commune).await? {
        input.village_id = None;
    }
    let existing = match item.person_id {
        Some(id) => Some(
            person::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or_else(|| {
                    ApiError::Conflict(
                        "the record this change was for has been erased since".into(),
                    )
                })?,
        ),
        None => None,
    };
    ensure_reachable(
        actor,
        existing.as_ref(),
        "the record this change was for lies outside your unit; ask its officers",
    )?;
    let (saved, result, from) = match existing {
        Some(old) => {
            let from = old.commune_code.clone();
            (
                people::update_in(db, pii, actor, old, input).await?,
                "moved",
                Some(from),
            )
        }
        None => (
            people::create_in(db, pii, actor, input).await?,
            "created",
            None,
        ),
    };
    if let (Some(client), Some(ext)) = (held.client_id, saved.external_id.as_deref()) {
        crate::services::sync::link_person(db, client, ext, saved.id, saved.version).await?;
    }
    let id = item.id;
    let now = chrono::Utc::now();
    mark_resolved(db, actor, item, commune, Some(saved.id), now).await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "legacy_queue.resolve",
            resource_type: "person",
            resource_id: Some(saved.id.to_string()),
            unit: &UnitPath::commune(province, commune),
            detail: Some(json!({"queue_item": id, "result": result, "commune_code": commune, "from_commune": from, "source": "api"})),
        },
    )
    .await?;
    Ok(ResolveOutcome {
        id,
        result: result.to_string(),
        person_id: Some(saved.id),
        village_id: None,
        association_unit_id: None,
        registration_id: None,
        messages: Vec::new(),
    })
}

fn note(column: &str, code: &str, message: String) -> RowMessage {
    RowMessage {
        column: column.into(),
        code: code.into(),
        message,
    }
}

/// Registers a held row's person for the period its file named, once the commune is chosen,
/// under the import's own rules (`import::jobs::plan_registration`, with the period's window
/// checked today). A registration that cannot be made does not hold up the choice of commune:
/// the outcome says why, in Vietnamese.
async fn register_held(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    record: &Record,
    person_id: Uuid,
    commune: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(Option<Uuid>, Vec<RowMessage>), ApiError> {
    let ctx = Context::for_commune(db, commune).await?;
    if let Some(closed) = record
        .registration
        .as_ref()
        .and_then(|cells| ctx.period(cells.period_id))
        .and_then(|period| registration_closed(period, ctx.today()))
    {
        return Ok((None, vec![closed]));
    }
    let person = person::Entity::find_by_id(person_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("person {person_id} vanished"))?;
    let registered: HashSet<(Uuid, Uuid)> = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(person_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.person_id, r.period_id))
        .collect();
    let (period_id, target_group, reviewing_unit_id) =
        match plan_registration(&ctx, actor, record, Some(&person), commune, &registered) {
            Ok(RegistrationPlan::New(period, group, reviewer)) => (period, group, reviewer),
            Ok(RegistrationPlan::None) => return Ok((None, Vec::new())),
            Ok(RegistrationPlan::Already(period)) => {
                return Ok((
                    None,
                    vec![note(
                        "registration_year",
                        "already_registered",
                        format!("Đã đăng ký {period} từ trước"),
                    )],
                ));
            }
            Err(why) => return Ok((None, vec![why])),
        };
    let name = ctx
        .period(period_id)
        .map(|p| p.name.clone())
        .unwrap_or_default();
    let new = NewRegistration {
        id: Uuid::new_v4(),
        person_id,
        period_id,
        target_group,
        reviewing_unit_id,
        commune: commune.to_string(),
        province: person.province_code.clone(),
    };
    let feed = insert_registrations(db, actor, std::slice::from_ref(&new), now).await?;
    changes::append_many(db, &feed).await?;
    Ok((
        Some(new.id),
        vec![note(
            "registration_year",
            "registered",
            format!("Đăng ký danh hiệu, kỳ {name}"),
        )],
    ))
}

/// Marks the item resolved with the chosen commune.
pub(crate) async fn mark_resolved(
    db: &impl ConnectionTrait,
    actor: &Actor,
    item: legacy_queue_item::Model,
    commune: &str,
    person_id: Option<Uuid>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), ApiError> {
    let person = person_id.or(item.person_id);
    let mut model: legacy_queue_item::ActiveModel = item.into();
    model.status = Set("resolved".into());
    model.resolved_commune_code = Set(Some(commune.to_string()));
    model.resolved_by = Set(Some(actor.user_id));
    model.resolved_at = Set(Some(now));
    model.person_id = Set(person);
    model.update(db).await?;
    Ok(())
}

/// Whether `village` (when there is one) lies in `commune` now.
async fn village_lies_in(
    db: &impl ConnectionTrait,
    village: Option<Uuid>,
    commune: &str,
) -> Result<bool, ApiError> {
    let Some(id) = village else {
        return Ok(false);
    };
    Ok(village::Entity::find_by_id(id)
        .one(db)
        .await?
        .is_some_and(|v| v.commune_code == commune))
}

/// Moves a queued village to the chosen commune. The people and branches on current communes
/// other than the chosen one that point at it lose it; those still on the dissolved commune keep
/// it until their own item is resolved (see the module header).
async fn apply_village(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    item: legacy_queue_item::Model,
    village_id: Uuid,
    commune: &str,
    province: &str,
) -> Result<ResolveOutcome, ApiError> {
    let v = village::Entity::find_by_id(village_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(
                "the queued village no longer exists (current state: pending)".into(),
            )
        })?;
    if village_name_taken(db, &v, commune).await? {
        return Err(ApiError::field(
            "commune_code",
            "village_name_taken",
            name_taken_message(&v.name, commune),
        ));
    }
    let now = chrono::Utc::now();
    let from = v.commune_code.clone();
    let mut model: village::ActiveModel = v.clone().into();
    model.commune_code = Set(commune.to_string());
    model.province_code = Set(province.to_string());
    model.updated_at = Set(now);
    model.version = Set(v.version + 1);
    model.update(db).await?;
    let place = UnitPath::commune(province, commune);
    let id = item.id;
    mark_resolved(db, actor, item, commune, None, now).await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "legacy_queue.resolve",
            resource_type: "village",
            resource_id: Some(v.id.to_string()),
            unit: &place,
            detail: Some(json!({"queue_item": id, "result": "moved", "commune_code": commune, "from_commune": from})),
        },
    )
    .await?;
    for p in person::Entity::find()
        .filter(person::Column::VillageId.eq(v.id))
        .filter(person::Column::CommuneCode.ne(commune))
        .filter(person::Column::CommuneCode.ne(from.clone()))
        .all(db)
        .await?
    {
        let unit = UnitPath::commune(&p.province_code, &p.commune_code);
        let mut m: person::ActiveModel = p.clone().into();
        m.village_id = Set(None);
        m.updated_at = Set(now);
        m.version = Set(p.version + 1);
        m.update(db).await?;
        audit::record(
            db,
            audit::Entry {
                actor: Some(actor),
                action: "legacy_queue.clear_village",
                resource_type: "person",
                resource_id: Some(p.id.to_string()),
                unit: &unit,
                detail: Some(
                    json!({"queue_item": id, "village_id": v.id, "village_commune": commune}),
                ),
            },
        )
        .await?;
    }
    for a in association_unit::Entity::find()
        .filter(association_unit::Column::VillageId.eq(v.id))
        .filter(association_unit::Column::CommuneCode.ne(commune))
        .filter(association_unit::Column::CommuneCode.ne(from.clone()))
        .all(db)
        .await?
    {
        let unit = crate::services::association_units::location(&a);
        let mut m: association_unit::ActiveModel = a.clone().into();
        m.village_id = Set(None);
        m.updated_at = Set(now);
        m.version = Set(a.version + 1);
        m.update(db).await?;
        audit::record(
            db,
            audit::Entry {
                actor: Some(actor),
                action: "legacy_queue.clear_village",
                resource_type: "association_unit",
                resource_id: Some(a.id.to_string()),
                unit: &unit,
                detail: Some(
                    json!({"queue_item": id, "village_id": v.id, "village_commune": commune}),
                ),
            },
        )
        .await?;
    }
    Ok(ResolveOutcome {
        id,
        result: "moved".into(),
        person_id: None,
        village_id: Some(v.id),
        association_unit_id: None,
        registration_id: None,
        messages: Vec::new(),
    })
}

/// Moves a queued branch or committee, with the units under it, to the chosen commune: it goes
/// under that commune's Association unit, the units below keep their parents. Memberships stay
/// on their units; the change feed carries them again under their new commune.
async fn apply_unit(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    item: legacy_queue_item::Model,
    unit_id: Uuid,
    commune: &str,
    province: &str,
) -> Result<ResolveOutcome, ApiError> {
    let top = association_unit::Entity::find_by_id(unit_id)
        .one(db)
        .await?
        .ok_or_else(|| {
            ApiError::Conflict(
                "the queued Association unit no longer exists (current state: pending)".into(),
            )
        })?;
    let parent = association_unit::Entity::find_by_id(
        migrations::m20251128_000004_registry::association_unit_id("commune", commune),
    )
    .one(db)
    .await?
    .filter(|p| p.status == "active")
    .ok_or_else(|| {
        ApiError::field(
            "commune_code",
            "no_association_unit",
            format!("the commune {commune} has no active Association unit to move it under"),
        )
    })?;
    // The unit and every unit under it.
    let mut seen: HashSet<Uuid> = HashSet::from([top.id]);
    let mut units = vec![top.clone()];
    let mut frontier = vec![top.id];
    while !frontier.is_empty() {
        let children = association_unit::Entity::find()
            .filter(association_unit::Column::ParentId.is_in(frontier))
            .all(db)
            .await?;
        frontier = Vec::new();
        for c in children {
            if seen.insert(c.id) {
                frontier.push(c.id);
                units.push(c);
            }
        }
    }
    let now = chrono::Utc::now();
    let place = UnitPath::commune(province, commune);
    let id = item.id;
    mark_resolved(db, actor, item, commune, None, now).await?;
    for u in &units {
        let keep_village = village_lies_in(db, u.village_id, commune).await?;
        let mut m: association_unit::ActiveModel = u.clone().into();
        if u.id == top.id {
            m.parent_id = Set(Some(parent.id));
        }
        m.admin_unit_code = Set(parent.admin_unit_code.clone());
        m.province_code = Set(Some(province.to_string()));
        m.commune_code = Set(Some(commune.to_string()));
        if !keep_village {
            m.village_id = Set(None);
        }
        m.updated_at = Set(now);
        m.version = Set(u.version + 1);
        m.update(db).await?;
        audit::record(
            db,
            audit::Entry {
                actor: Some(actor),
                action: "legacy_queue.resolve",
                resource_type: "association_unit",
                resource_id: Some(u.id.to_string()),
                unit: &place,
                detail: Some(json!({
                    "queue_item": id,
                    "result": "moved",
                    "commune_code": commune,
                    "from_commune": u.commune_code,
                    "parent_id": if u.id == top.id { Some(parent.id) } else { u.parent_id },
                })),
            },
        )
        .await?;
    }
    let feed: Vec<changes::Pending> = membership::Entity::find()
        .filter(membership::Column::AssociationUnitId.is_in(seen))
        .all(db)
        .await?
        .into_iter()
        .map(|m| changes::Pending {
            kind: changes::UPDATED,
            resource_type: "membership",
            id: m.id,
            commune_code: commune.to_string(),
            ..Default::default()
        })
        .collect();
    changes::append_many(db, &feed).await?;
    Ok(ResolveOutcome {
        id,
        result: "moved".into(),
        person_id: None,
        village_id: None,
        association_unit_id: Some(top.id),
        registration_id: None,
        messages: Vec::new(),
    })
}

/// Resolves one item with the chosen commune.
pub async fn resolve(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    id: Uuid,
    commune_code: &str,
) -> Result<ResolveOutcome, ApiError> {
    ensure_resolver(actor)?;
    let commune = shared::import::pad_code(commune_code, 5).ok_or_else(|| {
        ApiError::field(
            "commune_code",
            "invalid_code",
            "a commune code has 5 digits",
        )
    })?;
    let txn = crate::db::begin_write(db).await?;
    let item = load(&txn, actor, id).await?;
    let subject = subject_of(&txn, &item).await?;
    if let Some((code, message)) = check_choice(&txn, actor, &item, &subject, &commune).await? {
        if code == "already_resolved" {
            return Err(ApiError::Conflict(format!(
                "{message} (current state: resolved)"
            )));
        }
        return Err(ApiError::field("commune_code", &code, message));
    }
    let outcome = apply(&txn, pii, actor, item, &commune).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// Resolves several items in one transaction: every choice is checked first, and any bad one
/// refuses the whole request (naming `items[i]`), so nothing is half applied. Villages are moved
/// before the people and branches of the request, so that one resolved with its village to the
/// same commune keeps it whatever the order of the list; the outcomes follow the list.
pub async fn resolve_many(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    request: BulkResolveRequest,
) -> Result<Vec<ResolveOutcome>, ApiError> {
    ensure_resolver(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let mut errors = Vec::new();
    let mut work = Vec::new();
    let mut village_names = HashSet::new();
    for (i, choice) in request.items.iter().enumerate() {
        let field = format!("items[{i}].commune_code");
        let Some(commune) = shared::import::pad_code(&choice.commune_code, 5) else {
            errors.push(FieldError {
                field,
                code: "invalid_code".into(),
                message: "a commune code has 5 digits".into(),
            });
            continue;
        };
        let Ok(item) = load(&txn, actor, choice.id).await else {
            errors.push(FieldError {
                field: format!("items[{i}].id"),
                code: "not_found".into(),
                message: "no such queue item in your unit".into(),
            });
            continue;
        };
        if work
            .iter()
            .any(|(w, _, _): &(legacy_queue_item::Model, String, bool)| w.id == item.id)
        {
            errors.push(FieldError {
                field: format!("items[{i}].id"),
                code: "repeated".into(),
                message: "the item is listed twice".into(),
            });
            continue;
        }
        let subject = subject_of(&txn, &item).await?;
        if let Some((code, message)) = check_choice(&txn, actor, &item, &subject, &commune).await? {
            errors.push(FieldError {
                field,
                code,
                message,
            });
            continue;
        }
        // Two villages of one name cannot go to the same commune either.
        let moving = match subject.village_id {
            Some(v) => village::Entity::find_by_id(v).one(&txn).await?,
            None => None,
        };
        let is_village = moving.is_some();
        if let Some(v) = moving
            && !village_names.insert((commune.clone(), v.search_name.clone()))
        {
            errors.push(FieldError {
                field,
                code: "village_name_taken".into(),
                message: name_taken_message(&v.name, &commune),
            });
            continue;
        }
        work.push((item, commune, is_village));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut out: Vec<Option<ResolveOutcome>> = vec![None; work.len()];
    let (villages, others): (Vec<_>, Vec<_>) = work.into_iter().enumerate().partition(|(_, w)| w.2);
    for (i, (item, commune, _)) in villages.into_iter().chain(others) {
        let outcome = apply(&txn, pii, actor, item, &commune).await?;
        if let Some(slot) = out.get_mut(i) {
            *slot = Some(outcome);
        }
    }
    txn.commit().await?;
    Ok(out.into_iter().flatten().collect())
}
