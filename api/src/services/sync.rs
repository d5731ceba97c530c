//! Batch upserts of API clients, keyed by the client's own `external_id`.
//!
//! External ids are unique per client and record type: the mapping (client, type, external id)
//! → record lives in `external_refs`, with a hash of the item last applied and the version it
//! produced. An item whose hash and record version are unchanged since is answered `unchanged`
//! without a write. People and memberships are applied in one transaction per batch with a
//! savepoint per item (one commit per batch instead of one per item), with the same validation,
//! encryption and duplicate checks as the single-record endpoints: a rejected item is rolled
//! back to its savepoint and never blocks the others; a database failure rolls back the whole
//! batch and answers 500, so that a retry of the batch starts from a clean state.
//! Registrations go through the workflow service, one transaction per item.

use crate::auth::Actor;
use crate::crypto::PiiKeys;
use crate::db::entities::{external_ref, person};
use crate::error::ApiError;
use crate::services::legacy_address::{self, Placement};
use crate::services::people;
use sea_orm::{
    ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QuerySelect, Set,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shared::error::Problem;
use shared::registry::PersonInput;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// Most items in one batch.
pub const MAX_ITEMS: usize = 1000;

/// What happened to one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Created,
    Updated,
    Unchanged,
    /// Held in the legacy-address queue: the old address needs an officer's choice of commune
    /// (`queue_item_id`); nothing else was written.
    Queued,
    Rejected,
}

/// The outcome of one item, in the order sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemResult {
    /// Position of the item in `items`, from 0.
    pub index: usize,
    pub external_id: Option<String>,
    pub status: ItemStatus,
    /// The record's id (absent when rejected, or queued, before one existed).
    pub id: Option<Uuid>,
    /// The record's version after this item (its `ETag`).
    pub version: Option<i32>,
    /// The legacy-address queue item that holds the item (`queued`): follow it with
    /// `GET /legacy-queue/{id}`; once resolved, the record exists and your `external_id` names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue_item_id: Option<Uuid>,
    /// Why the item was rejected: problem details as the single-record endpoint would answer,
    /// field paths prefixed with `items[<index>].`.
    pub error: Option<Problem>,
}

/// The answer of a batch: counts and one result per item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "created": 1, "updated": 0, "unchanged": 1, "queued": 0, "rejected": 1,
    "items": [
        {"index": 0, "external_id": "TQ-000001", "status": "created", "id": "0b7f8f52-3c1e-4a8e-9d7a-6c9e2b1f4a30", "version": 1},
        {"index": 1, "external_id": "TQ-000002", "status": "unchanged", "id": "6a0f2f1e-8c41-4b7e-a1c2-3d4e5f607182", "version": 2},
        {"index": 2, "external_id": "TQ-000003", "status": "rejected", "error": {
            "type": "/problems/validation_failed", "title": "The request is not valid", "status": 422,
            "code": "validation_failed", "detail": "items[2].personal_id: …",
            "errors": [{"field": "items[2].personal_id", "code": "gender_mismatch", "message": "…"}]}}
    ]
}))]
pub struct BatchResult {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Items held in the legacy-address queue (people with an old address only).
    #[serde(default)]
    pub queued: usize,
    pub rejected: usize,
    pub items: Vec<ItemResult>,
}

/// `PUT /sync/people`: up to 1,000 person records, each with the client's `external_id`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({"items": [{
    "external_id": "TQ-000001",
    "full_name": "Nguyễn Thị Lan",
    "gender": "female",
    "birth_year": 1985,
    "personal_id": "008185012345",
    "commune_code": "00691",
    "occupation": "Giáo viên",
    "target_group": "adult"
}]}))]
pub struct PeopleBatch {
    pub items: Vec<PersonInput>,
}

/// The batch as read: items stay raw so that one malformed item is rejected alone.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBatch {
    pub items: Vec<serde_json::Value>,
}

fn ensure_client(actor: &Actor) -> Result<Uuid, ApiError> {
    actor.client.as_ref().map(|c| c.client_id).ok_or_else(|| {
        ApiError::Forbidden(
            "batch upserts are keyed by an API client's external ids; officers use the single-record endpoints"
                .into(),
        )
    })
}

/// The error of item `index`, its field paths prefixed.
fn item_problem(index: usize, error: ApiError, request_id: Option<&str>) -> Problem {
    let mut problem = error.problem(request_id);
    let prefix = format!("items[{index}]");
    for e in &mut problem.errors {
        e.field = if e.field == "body" {
            prefix.clone()
        } else {
            format!("{prefix}.{}", e.field)
        };
    }
    if let ApiError::Validation(errors) = &error
        && errors.len() == 1
    {
        problem.detail = Some(format!(
            "{prefix}.{}: {}",
            errors[0].field, errors[0].message
        ));
    }
    problem
}

fn parse_item<T: serde::de::DeserializeOwned + Validate>(
    value: &serde_json::Value,
) -> Result<T, ApiError> {
    let bytes = serde_json::to_vec(value).map_err(|e| ApiError::Internal(e.into()))?;
    let item: T = crate::json::parse_json(&bytes)?;
    item.validate()
        .map_err(|e| ApiError::Validation(shared::error::field_errors(&e)))?;
    Ok(item)
}

fn external_id_of(value: &serde_json::Value) -> Option<String> {
    value
        .get("external_id")
        .and_then(|v| v.as_str())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

fn hash_of<T: Serialize>(item: &T) -> Result<String, ApiError> {
    let bytes = serde_json::to_vec(item).map_err(|e| ApiError::Internal(e.into()))?;
    Ok(hex::encode(Sha256::digest(&bytes)))
}

/// Where an item landed.
#[derive(Debug)]
struct Applied {
    status: ItemStatus,
    id: Uuid,
    version: i32,
    /// The queue item holding a person whose old address needs an officer's choice.
    queue_item_id: Option<Uuid>,
}

impl Applied {
    fn record(status: ItemStatus, id: Uuid, version: i32) -> Applied {
        Applied {
            status,
            id,
            version,
            queue_item_id: None,
        }
    }
}

async fn save_ref(
    txn: &impl sea_orm::ConnectionTrait,
    existing: Option<external_ref::Model>,
    client_id: Uuid,
    resource_type: &str,
    external_id: &str,
    applied: &Applied,
    hash: String,
) -> Result<(), ApiError> {
    let now = chrono::Utc::now();
    match existing {
        Some(r) => {
            let mut model: external_ref::ActiveModel = r.into();
            model.resource_id = Set(applied.id);
            model.item_hash = Set(hash);
            model.version = Set(applied.version);
            model.updated_at = Set(now);
            model.update(txn).await?;
        }
        None => {
            external_ref::ActiveModel {
                client_id: Set(client_id),
                resource_type: Set(resource_type.to_string()),
                external_id: Set(external_id.to_string()),
                resource_id: Set(applied.id),
                item_hash: Set(hash),
                version: Set(applied.version),
                updated_at: Set(now),
            }
            .insert(txn)
            .await?;
        }
    }
    Ok(())
}

async fn upsert_person(
    txn: &DatabaseTransaction,
    pii: &PiiKeys,
    addresses: &legacy_address::Cache,
    actor: &Actor,
    client_id: Uuid,
    external_id: &str,
    mut input: PersonInput,
) -> Result<Applied, ApiError> {
    input.external_id = Some(external_id.to_string());
    let hash = hash_of(&input)?;
    let existing = external_ref::Entity::find_by_id((
        client_id,
        "person".to_string(),
        external_id.to_string(),
    ))
    .one(txn)
    .await?;
    // Locked (PostgreSQL) before it is compared and updated, so that concurrent pushes of one
    // record are applied one after the other, each on the version the previous one left.
    let current = match &existing {
        Some(r) => {
            person::Entity::find_by_id(r.resource_id)
                .lock_exclusive()
                .one(txn)
                .await?
        }
        None => None,
    };
    if let Some(p) = &current
        && !actor.unit.contains(&crate::auth::UnitPath::commune(
            &p.province_code,
            &p.commune_code,
        ))
    {
        return Err(ApiError::not_found("person"));
    }
    if let Some((p, r)) = current.as_ref().zip(existing.as_ref())
        && r.item_hash == hash
        && r.version == p.version
    {
        return Ok(Applied::record(ItemStatus::Unchanged, p.id, p.version));
    }
    let place = current
        .as_ref()
        .map(|p| (p.province_code.as_str(), p.commune_code.as_str()));
    if let Placement::Held(ticket) =
        legacy_address::place(addresses, txn, &mut input, place).await?
    {
        let person_id = current.as_ref().map(|p| p.id);
        let item = legacy_address::hold(txn, pii, actor, Some(client_id), ticket, input, person_id)
            .await?;
        return Ok(Applied {
            status: ItemStatus::Queued,
            id: person_id.unwrap_or(item),
            version: current.as_ref().map_or(0, |p| p.version),
            queue_item_id: Some(item),
        });
    }
    let sent = input.clone();
    let (status, saved) = match current {
        Some(p) => {
            let old = people::load(txn, actor, p.id).await?;
            let saved = people::update_in(txn, pii, actor, old, input).await?;
            (ItemStatus::Updated, saved)
        }
        None => {
            let saved = people::create_in(txn, pii, actor, input).await?;
            (ItemStatus::Created, saved)
        }
    };
    let applied = Applied::record(status, saved.id, saved.version);
    save_ref(
        txn,
        existing,
        client_id,
        "person",
        external_id,
        &applied,
        hash,
    )
    .await?;
    let at = (
        saved.id,
        saved.province_code.as_str(),
        saved.commune_code.as_str(),
    );
    legacy_address::settle(txn, pii, actor, Some(client_id), &sent, at).await?;
    Ok(applied)
}

/// Links a client's external id to the person an officer created (or updated) from the item
/// the client sent with an old address; the next push of the id updates that record.
pub(crate) async fn link_person(
    db: &impl sea_orm::ConnectionTrait,
    client_id: Uuid,
    external_id: &str,
    person_id: Uuid,
    version: i32,
) -> Result<(), ApiError> {
    let existing = find_ref(db, client_id, "person", external_id).await?;
    // No item hash: whatever the client sends next is applied, not answered `unchanged`.
    let applied = Applied::record(ItemStatus::Updated, person_id, version);
    save_ref(
        db,
        existing,
        client_id,
        "person",
        external_id,
        &applied,
        String::new(),
    )
    .await
}

/// Applies each raw item with `apply` (which owns the item's transaction), collecting the
/// outcomes; a database failure stops the batch with 500, every other error rejects the item.
async fn run_batch(
    actor: &Actor,
    batch: RawBatch,
    mut apply: impl AsyncFnMut(Uuid, &str, &serde_json::Value) -> Result<Applied, ApiError>,
) -> Result<BatchResult, ApiError> {
    let client_id = ensure_client(actor)?;
    if batch.items.len() > MAX_ITEMS {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut result = BatchResult {
        created: 0,
        updated: 0,
        unchanged: 0,
        queued: 0,
        rejected: 0,
        items: Vec::with_capacity(batch.items.len()),
    };
    for (index, raw) in batch.items.iter().enumerate() {
        let external_id = external_id_of(raw);
        let outcome = match &external_id {
            None => Err(ApiError::field(
                "external_id",
                "required",
                "each item needs the client's external_id",
            )),
            Some(ext) if shared::text::has_control_character(ext, false) => Err(ApiError::field(
                "external_id",
                "control_character",
                "must not contain control characters (such as NUL)",
            )),
            Some(ext) => apply(client_id, ext, raw).await,
        };
        let item = match outcome {
            Ok(applied) if applied.status == ItemStatus::Queued => ItemResult {
                index,
                external_id,
                status: applied.status,
                id: None,
                version: None,
                queue_item_id: applied.queue_item_id,
                error: None,
            },
            Ok(applied) => ItemResult {
                index,
                external_id,
                status: applied.status,
                id: Some(applied.id),
                version: Some(applied.version),
                queue_item_id: None,
                error: None,
            },
            Err(ApiError::Internal(e)) => return Err(ApiError::Internal(e)),
            Err(e) => ItemResult {
                index,
                external_id,
                status: ItemStatus::Rejected,
                id: None,
                version: None,
                queue_item_id: None,
                error: Some(item_problem(index, e, actor.request_id.as_deref())),
            },
        };
        match item.status {
            ItemStatus::Created => result.created += 1,
            ItemStatus::Updated => result.updated += 1,
            ItemStatus::Unchanged => result.unchanged += 1,
            ItemStatus::Queued => result.queued += 1,
            ItemStatus::Rejected => result.rejected += 1,
        }
        result.items.push(item);
    }
    Ok(result)
}

/// Releases an applied item's savepoint (rolls back an unchanged or failed one).
async fn finish(
    txn: DatabaseTransaction,
    outcome: Result<Applied, ApiError>,
) -> Result<Applied, ApiError> {
    match outcome {
        Ok(applied) if applied.status != ItemStatus::Unchanged => {
            txn.commit().await?;
            Ok(applied)
        }
        other => {
            txn.rollback().await?;
            other
        }
    }
}

/// Upserts a batch of people, each item in its own transaction.
pub async fn people(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    addresses: &legacy_address::Cache,
    actor: &Actor,
    batch: RawBatch,
) -> Result<BatchResult, ApiError> {
    let batch_txn = crate::db::begin_write(db).await?;
    let result = run_batch(actor, batch, async |client_id, ext, raw| {
        let input = parse_item::<PersonInput>(raw)?;
        let item_txn = batch_txn.begin().await?;
        let outcome = upsert_person(&item_txn, pii, addresses, actor, client_id, ext, input).await;
        finish(item_txn, outcome).await
    })
    .await?;
    batch_txn.commit().await?;
    Ok(result)
}

/// The record a client's external id of `resource_type` names, if any.
async fn find_ref(
    db: &impl sea_orm::ConnectionTrait,
    client_id: Uuid,
    resource_type: &str,
    external_id: &str,
) -> Result<Option<external_ref::Model>, ApiError> {
    Ok(external_ref::Entity::find_by_id((
        client_id,
        resource_type.to_string(),
        external_id.to_string(),
    ))
    .one(db)
    .await?)
}

/// The person an item names: by the client's external id of the person, or by id.
async fn person_of(
    db: &impl sea_orm::ConnectionTrait,
    client_id: Uuid,
    person_external_id: Option<&str>,
    person_id: Option<Uuid>,
) -> Result<Uuid, ApiError> {
    match (
        person_external_id.map(str::trim).filter(|s| !s.is_empty()),
        person_id,
    ) {
        (Some(ext), _) => find_ref(db, client_id, "person", ext)
            .await?
            .map(|r| r.resource_id)
            .ok_or_else(|| {
                ApiError::field(
                    "person_external_id",
                    "unknown",
                    "no person was pushed with this external_id",
                )
            }),
        (None, Some(id)) => Ok(id),
        (None, None) => Err(ApiError::field(
            "person_external_id",
            "required",
            "give person_external_id (your id of the person) or person_id",
        )),
    }
}

/// `PUT /sync/memberships`: up to 1,000 memberships, each with the client's `external_id`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "external_id": "TQ-M-000001",
    "person_external_id": "TQ-000001",
    "association_unit_id": "9d5c3f7e-1b2a-5c4d-8e9f-0a1b2c3d4e5f",
    "role": "hoi_vien",
    "joined_on": "2024-03-01",
    "card_number": "TQ-2024-0001",
    "status": "active"
}))]
pub struct MembershipItem {
    pub external_id: String,
    /// Your `external_id` of the person (pushed with `/sync/people`), or give `person_id`.
    pub person_external_id: Option<String>,
    pub person_id: Option<Uuid>,
    /// A membership moves to another unit only with `POST /memberships/{id}/transfer`.
    pub association_unit_id: Uuid,
    /// chu_tich, pho_chu_tich, uy_vien, chi_hoi_truong or hoi_vien.
    pub role: String,
    pub joined_on: Option<chrono::NaiveDate>,
    pub card_number: Option<String>,
    pub note: Option<String>,
    /// `active` (default for a new membership), `left` or `deceased`; absent keeps it.
    pub status: Option<String>,
    pub ended_on: Option<chrono::NaiveDate>,
}

/// The body of `PUT /sync/memberships` (for the OpenAPI document).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MembershipBatch {
    pub items: Vec<MembershipItem>,
}

async fn upsert_membership(
    txn: &DatabaseTransaction,
    actor: &Actor,
    client_id: Uuid,
    item: MembershipItem,
) -> Result<Applied, ApiError> {
    use crate::db::entities::membership;
    use crate::services::memberships;
    use shared::registry::{CreateMembershipRequest, UpdateMembershipRequest};
    let hash = hash_of(&item)?;
    let person_id = person_of(
        txn,
        client_id,
        item.person_external_id.as_deref(),
        item.person_id,
    )
    .await?;
    let create = CreateMembershipRequest {
        person_id,
        association_unit_id: item.association_unit_id,
        role: item.role.clone(),
        joined_on: item.joined_on,
        card_number: item.card_number.clone(),
        note: item.note.clone(),
    };
    create
        .validate()
        .map_err(|e| ApiError::Validation(shared::error::field_errors(&e)))?;
    let update = UpdateMembershipRequest {
        role: Some(item.role.clone()),
        card_number: Some(item.card_number.clone().unwrap_or_default()),
        note: Some(item.note.clone().unwrap_or_default()),
        status: item.status.clone(),
        ended_on: item.ended_on,
    };
    let existing = find_ref(txn, client_id, "membership", &item.external_id).await?;
    let current = match &existing {
        Some(r) => {
            membership::Entity::find_by_id(r.resource_id)
                .one(txn)
                .await?
        }
        None => None,
    };
    let applied = match (current, &existing) {
        (Some(m), Some(r)) if r.item_hash == hash && r.version == m.version => {
            crate::services::association_units::load(txn, actor, m.association_unit_id)
                .await
                .map_err(|_| ApiError::not_found("membership"))?;
            return Ok(Applied::record(ItemStatus::Unchanged, m.id, m.version));
        }
        (Some(m), _) => {
            if m.association_unit_id != item.association_unit_id || m.person_id != person_id {
                return Err(ApiError::field(
                    "association_unit_id",
                    "transfer_required",
                    "a membership keeps its person and unit; move it with POST /memberships/{id}/transfer",
                ));
            }
            let saved = memberships::update_in(txn, actor, m.id, update).await?;
            Applied::record(ItemStatus::Updated, saved.id, saved.version)
        }
        (None, _) => {
            let mut saved = memberships::create_in(txn, actor, create).await?;
            if item.status.as_deref().is_some_and(|s| s != "active") {
                saved = memberships::update_in(txn, actor, saved.id, update).await?;
            }
            Applied::record(ItemStatus::Created, saved.id, saved.version)
        }
    };
    save_ref(
        txn,
        existing,
        client_id,
        "membership",
        &item.external_id,
        &applied,
        hash,
    )
    .await?;
    Ok(applied)
}

/// Upserts a batch of memberships, each item in its own transaction.
pub async fn memberships(
    db: &DatabaseConnection,
    actor: &Actor,
    batch: RawBatch,
) -> Result<BatchResult, ApiError> {
    let batch_txn = crate::db::begin_write(db).await?;
    let result = run_batch(actor, batch, async |client_id, _ext, raw| {
        let item = parse_item::<MembershipItem>(raw)?;
        let item_txn = batch_txn.begin().await?;
        let outcome = upsert_membership(&item_txn, actor, client_id, item).await;
        finish(item_txn, outcome).await
    })
    .await?;
    batch_txn.commit().await?;
    Ok(result)
}

/// `PUT /sync/registrations`: up to 1,000 registrations, each with the client's `external_id`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "external_id": "TQ-R-2026-000001",
    "person_external_id": "TQ-000001",
    "period_id": "3e6b1c2d-4f5a-4b6c-8d7e-9f0a1b2c3d4e"
}))]
pub struct RegistrationItem {
    #[validate(length(min = 1, max = 100, message = "must be 1 to 100 characters"))]
    pub external_id: String,
    /// Your `external_id` of the person (pushed with `/sync/people`), or give `person_id`.
    pub person_external_id: Option<String>,
    pub person_id: Option<Uuid>,
    pub period_id: Uuid,
    /// Defaults to the person's target group.
    pub target_group: Option<String>,
    /// Defaults to the unit that reviews the person's commune or village.
    pub reviewing_unit_id: Option<Uuid>,
}

/// The body of `PUT /sync/registrations` (for the OpenAPI document).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct RegistrationBatch {
    pub items: Vec<RegistrationItem>,
}

/// Registers each item's person for its period. Sending it again answers `unchanged`; sending it
/// with another target group or reviewing unit updates it while its self-assessment has not
/// started (afterwards it changes only through its workflow transitions: 409); another person or
/// period is refused (409).
pub async fn registrations(
    db: &DatabaseConnection,
    actor: &Actor,
    batch: RawBatch,
) -> Result<BatchResult, ApiError> {
    use crate::db::entities::registration;
    use crate::services::registrations;
    run_batch(actor, batch, async |client_id, ext, raw| {
        let item = parse_item::<RegistrationItem>(raw)?;
        let hash = hash_of(&item)?;
        if let Some(r) = find_ref(db, client_id, "registration", ext).await? {
            let current = registrations::load(db, actor, r.resource_id).await?;
            if r.item_hash == hash {
                return Ok(Applied::record(ItemStatus::Unchanged, current.id, current.version));
            }
            let person_id =
                person_of(db, client_id, item.person_external_id.as_deref(), item.person_id)
                    .await?;
            if person_id != current.person_id || item.period_id != current.period_id {
                return Err(ApiError::Conflict(
                    "this external_id names a registration of another person or period; a registration does not move".into(),
                ));
            }
            let saved = registrations::update_details(
                db,
                actor,
                current.id,
                item.target_group.clone(),
                item.reviewing_unit_id,
            )
            .await?;
            let applied = Applied::record(if saved.version == current.version {
                    ItemStatus::Unchanged
                } else {
                    ItemStatus::Updated
                }, saved.id, saved.version);
            let txn = crate::db::begin_write(db).await?;
            save_ref(&txn, Some(r), client_id, "registration", ext, &applied, hash).await?;
            txn.commit().await?;
            return Ok(applied);
        }
        let person_id =
            person_of(db, client_id, item.person_external_id.as_deref(), item.person_id).await?;
        let input = shared::workflow::RegistrationInput {
            person_id,
            period_id: item.period_id,
            target_group: item.target_group.clone(),
            reviewing_unit_id: item.reviewing_unit_id,
            external_id: Some(ext.to_string()),
        };
        // The registration commits in its own transaction; the external id is then recorded. Were
        // the second step lost, the retry finds the registration by (person, period) and by the
        // external id it carries, and adopts it.
        let (status, id, version) = match registrations::create(db, actor, input).await {
            Ok(created) => (ItemStatus::Created, created.id, created.version),
            Err(ApiError::Duplicate {
                existing_id: Some(existing),
                detail,
            }) => {
                let adopted = Uuid::parse_str(&existing)
                    .ok()
                    .map(|id| registration::Entity::find_by_id(id).one(db));
                let adopted = match adopted {
                    Some(query) => query.await?,
                    None => None,
                }
                .filter(|m| m.external_id.as_deref() == Some(ext) && m.created_by == Some(client_id));
                match adopted {
                    Some(m) => (ItemStatus::Unchanged, m.id, m.version),
                    None => {
                        return Err(ApiError::Duplicate {
                            existing_id: Some(existing),
                            detail,
                        });
                    }
                }
            }
            Err(e) => return Err(e),
        };
        let applied = Applied::record(status, id, version);
        let txn = crate::db::begin_write(db).await?;
        save_ref(&txn, None, client_id, "registration", ext, &applied, hash).await?;
        txn.commit().await?;
        Ok(applied)
    })
    .await
}

/// `PUT /sync/results`: review scores of up to 1,000 registrations, each named by the client's
/// `external_id` of the registration.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "external_id": "TQ-R-2026-000001",
    "scores": {"1.1.1": 9, "1.2.1": 8, "2.1.1": 10}
}))]
pub struct ResultItem {
    /// Your `external_id` of the registration (pushed with `/sync/registrations`).
    pub external_id: String,
    /// Points per indicator code of the registration's criteria set.
    #[schema(value_type = std::collections::BTreeMap<String, u32>)]
    pub scores: shared::criteria::Scores,
    /// Optional evidence per indicator code.
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, shared::workflow::Evidence>)]
    pub evidence: std::collections::BTreeMap<String, shared::workflow::Evidence>,
}

/// The body of `PUT /sync/results` (for the OpenAPI document).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ResultBatch {
    pub items: Vec<ResultItem>,
}

/// Enters review scores, each item through the review service in its own transaction (a
/// submitted assessment is taken under review first, as `PUT /registrations/{id}/review` does).
/// The verdict stays a transition of its own (`POST /registrations/{id}/pass` or `/fail`).
pub async fn results(
    db: &DatabaseConnection,
    actor: &Actor,
    batch: RawBatch,
) -> Result<BatchResult, ApiError> {
    use crate::services::registrations;
    run_batch(actor, batch, async |client_id, ext, raw| {
        let item = parse_item::<ResultItem>(raw)?;
        let hash = hash_of(&item)?;
        let registration = find_ref(db, client_id, "registration", ext)
            .await?
            .ok_or_else(|| {
                ApiError::field(
                    "external_id",
                    "unknown",
                    "no registration was pushed with this external_id",
                )
            })?;
        let current = registrations::load(db, actor, registration.resource_id).await?;
        let previous = find_ref(db, client_id, "result", ext).await?;
        if let Some(r) = &previous
            && r.item_hash == hash
            && r.version == current.version
        {
            return Ok(Applied::record(
                ItemStatus::Unchanged,
                current.id,
                current.version,
            ));
        }
        let saved = registrations::put_review_scores(
            db,
            actor,
            current.id,
            shared::workflow::ScoresInput {
                scores: item.scores,
                evidence: item.evidence,
            },
        )
        .await?;
        let applied = Applied::record(ItemStatus::Updated, saved.id, saved.version);
        // Only the hash of what was sent is kept here; were it lost, the next push of the same
        // scores would enter them again, which changes nothing but the version.
        let txn = crate::db::begin_write(db).await?;
        save_ref(&txn, previous, client_id, "result", ext, &applied, hash).await?;
        txn.commit().await?;
        Ok(applied)
    })
    .await
}
