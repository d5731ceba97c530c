//! Batch upserts of API clients, keyed by the client's own `external_id`.
//!
//! External ids are unique per client and record type: the mapping (client, type, external id)
//! → record lives in `external_refs`, with a hash of the item last applied and the version it
//! produced. An item whose hash and record version are unchanged since is answered `unchanged`
//! without a write. Each item is applied in its own transaction, with the same validation,
//! encryption and duplicate checks as the single-record endpoints, so one bad item never blocks
//! the others and a failed item leaves nothing behind.

use crate::auth::Actor;
use crate::crypto::PiiKeys;
use crate::db::entities::{external_ref, person};
use crate::error::ApiError;
use crate::services::people;
use sea_orm::{ActiveModelTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, Set};
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
    Rejected,
}

/// The outcome of one item, in the order sent.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ItemResult {
    /// Position of the item in `items`, from 0.
    pub index: usize,
    pub external_id: Option<String>,
    pub status: ItemStatus,
    /// The record's id (absent when rejected before one existed).
    pub id: Option<Uuid>,
    /// The record's version after this item (its `ETag`).
    pub version: Option<i32>,
    /// Why the item was rejected: problem details as the single-record endpoint would answer,
    /// field paths prefixed with `items[<index>].`.
    pub error: Option<Problem>,
}

/// The answer of a batch: counts and one result per item.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "created": 1, "updated": 0, "unchanged": 1, "rejected": 1,
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
    "commune_code": "02264",
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
fn item_problem(index: usize, error: ApiError) -> Problem {
    let mut problem = error.problem();
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
    let item: T = crate::extract::parse_json(&bytes)?;
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
struct Applied {
    status: ItemStatus,
    id: Uuid,
    version: i32,
}

async fn save_ref(
    txn: &DatabaseTransaction,
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
    let current = match &existing {
        Some(r) => person::Entity::find_by_id(r.resource_id).one(txn).await?,
        None => None,
    };
    let applied = match (current, &existing) {
        (Some(p), Some(r)) if r.item_hash == hash && r.version == p.version => {
            if !actor.unit.contains(&crate::auth::UnitPath::commune(
                &p.province_code,
                &p.commune_code,
            )) {
                return Err(ApiError::not_found("person"));
            }
            return Ok(Applied {
                status: ItemStatus::Unchanged,
                id: p.id,
                version: p.version,
            });
        }
        (Some(p), _) => {
            let old = people::load(txn, actor, p.id).await?;
            let saved = people::update_in(txn, pii, actor, old, input).await?;
            Applied {
                status: ItemStatus::Updated,
                id: saved.id,
                version: saved.version,
            }
        }
        (None, _) => {
            let saved = people::create_in(txn, pii, actor, input).await?;
            Applied {
                status: ItemStatus::Created,
                id: saved.id,
                version: saved.version,
            }
        }
    };
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
    Ok(applied)
}

/// Upserts a batch of people, each item in its own transaction.
pub async fn people(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    batch: RawBatch,
) -> Result<BatchResult, ApiError> {
    let client_id = ensure_client(actor)?;
    if batch.items.len() > MAX_ITEMS {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut result = BatchResult {
        created: 0,
        updated: 0,
        unchanged: 0,
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
            Some(ext) => match parse_item::<PersonInput>(raw) {
                Err(e) => Err(e),
                Ok(input) => {
                    let txn = crate::db::begin_write(db).await?;
                    match upsert_person(&txn, pii, actor, client_id, ext, input).await {
                        Ok(applied) => {
                            if applied.status == ItemStatus::Unchanged {
                                txn.rollback().await?;
                            } else {
                                txn.commit().await?;
                            }
                            Ok(applied)
                        }
                        Err(e) => {
                            txn.rollback().await?;
                            Err(e)
                        }
                    }
                }
            },
        };
        let item = match outcome {
            Ok(applied) => ItemResult {
                index,
                external_id,
                status: applied.status,
                id: Some(applied.id),
                version: Some(applied.version),
                error: None,
            },
            Err(ApiError::Internal(e)) => return Err(ApiError::Internal(e)),
            Err(e) => ItemResult {
                index,
                external_id,
                status: ItemStatus::Rejected,
                id: None,
                version: None,
                error: Some(item_problem(index, e)),
            },
        };
        match item.status {
            ItemStatus::Created => result.created += 1,
            ItemStatus::Updated => result.updated += 1,
            ItemStatus::Unchanged => result.unchanged += 1,
            ItemStatus::Rejected => result.rejected += 1,
        }
        result.items.push(item);
    }
    Ok(result)
}
