//! Old addresses (before 2025-07-01) sent through the API instead of a current commune.
//!
//! A record sent to `POST /people`, `PUT /people/{id}` or `PUT /sync/people` with
//! `legacy_address` and no `commune_code` is placed under the import's own rules
//! (`import::rows::convert_legacy`): an old commune that went whole into one current commune
//! gives that commune. A split old commune, or one the conversion table lacks, is not guessed:
//!
//! - a record that already sits on one of the candidate communes keeps it (the choice was made
//!   before, by an officer or by the sender);
//! - otherwise the record is held in the legacy-address queue, after its other fields were
//!   checked as the single-record endpoints check them (so that an officer's choice does not
//!   meet an invalid record). The item keeps the whole input, encrypted like ID numbers, and a
//!   key that finds it again when the same record is sent twice: the ID number's blind index,
//!   else the client and its external id, else the external id, else the name, birth year and
//!   old address. A second send replaces the held input instead of queuing the record again.
//!
//! When an officer picks the commune, `legacy_queue` creates the record (or updates the held
//! existing one) through `people`, and links the client's external id to it, so that the next
//! push of that id updates the record.
//!
//! Converting needs the current communes, the legacy list and the conversion table (about
//! 24,000 rows). Each process keeps one copy, read again when the set of applied
//! restructurings changes (the only writes to the list of units).

use crate::auth::{Actor, UnitPath};
use crate::crypto::PiiKeys;
use crate::db::entities::{legacy_queue_item, restructuring};
use crate::error::ApiError;
use crate::import::rows::{
    Address, Context, HeldIdentity, LegacyConversion, QueueTicket, convert_legacy,
};
use crate::services::{audit, legacy_queue, people};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::error::FieldError;
use shared::import::{CandidateCommune, RowMessage};
use shared::registry::{Conversion, ConversionStatus, LegacyAddress, PersonInput};
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// The reference data, with the signature of the applied restructurings it reflects.
type Signed = Option<(String, Arc<Context>)>;

/// The reference data of conversions, shared by the requests of one process.
#[derive(Debug, Clone, Default)]
pub struct Cache {
    slot: Arc<Mutex<Signed>>,
}

impl Cache {
    /// The reference data as of the last applied restructuring.
    pub async fn get(&self, db: &impl ConnectionTrait) -> Result<Arc<Context>, ApiError> {
        let mut applied: Vec<String> = restructuring::Entity::find()
            .filter(restructuring::Column::Status.ne("draft"))
            .order_by_asc(restructuring::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .map(|r| format!("{}:{}", r.id, r.status))
            .collect();
        applied.sort();
        let signature = applied.join(",");
        if let Some((held, ctx)) = self.lock().as_ref()
            && *held == signature
        {
            return Ok(ctx.clone());
        }
        let ctx = Arc::new(Context::for_addresses(db).await?);
        *self.lock() = Some((signature, ctx.clone()));
        Ok(ctx)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Signed> {
        // A poisoned slot only ever holds a complete value: take it.
        self.slot.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The field of `legacy_address` an import column stands for.
fn field_of(column: &str) -> &'static str {
    match column {
        "legacy_province" => "province",
        "legacy_district" => "district",
        _ => "commune",
    }
}

fn field_errors(prefix: &str, messages: Vec<RowMessage>) -> Vec<FieldError> {
    messages
        .into_iter()
        .map(|m| FieldError {
            field: format!("{prefix}.{}", field_of(&m.column)),
            code: m.code,
            message: m.message,
        })
        .collect()
}

/// Where a record goes.
#[derive(Debug)]
pub enum Placement {
    /// `commune_code` is set: given, converted, or kept.
    Placed,
    /// An officer must choose among the ticket's candidates.
    Held(QueueTicket),
}

/// Fills the input's `commune_code` from its `legacy_address` when it has none, or says why
/// the record must wait; `current` is the record the input replaces, if any.
pub async fn place(
    cache: &Cache,
    db: &impl ConnectionTrait,
    input: &mut PersonInput,
    current: Option<(&str, &str)>,
) -> Result<Placement, ApiError> {
    input.commune_code = input.commune_code.trim().to_string();
    if !input.commune_code.is_empty() {
        return Ok(Placement::Placed);
    }
    let Some(address) = &input.legacy_address else {
        return Err(ApiError::field(
            "commune_code",
            "required",
            "give commune_code (the current commune), or legacy_address (the address before 2025-07-01)",
        ));
    };
    let ctx = cache.get(db).await?;
    let LegacyConversion {
        address: found,
        errors,
        ..
    } = convert_legacy(&ctx, address);
    if !errors.is_empty() {
        return Err(ApiError::Validation(field_errors("legacy_address", errors)));
    }
    match found {
        Some(Address::Current { commune, .. }) => {
            input.commune_code = commune;
            Ok(Placement::Placed)
        }
        Some(Address::Queue(ticket)) => match current {
            Some((_, commune)) if ticket.candidates.iter().any(|c| c == commune) => {
                input.commune_code = commune.to_string();
                Ok(Placement::Placed)
            }
            _ => Ok(Placement::Held(ticket)),
        },
        None => Err(anyhow::anyhow!("an old address converted to nothing without a reason").into()),
    }
}

/// What the queue item of a record sent through the API keeps (encrypted).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Held {
    /// The API client that sent it, whose external id names the record once created.
    pub client_id: Option<Uuid>,
    /// The record as sent.
    pub api_input: PersonInput,
}

impl Held {
    /// Reads a queue item's held data, when it is a record sent through the API.
    pub fn open(pii: &PiiKeys, item: &legacy_queue_item::Model) -> Result<Option<Held>, ApiError> {
        let Some(sealed) = &item.row_data else {
            return Ok(None);
        };
        if item.import_job_id.is_some() || item.restructuring_id.is_some() {
            return Ok(None);
        }
        let text = pii.decrypt(sealed)?;
        Ok(Some(
            serde_json::from_str(&text).map_err(anyhow::Error::from)?,
        ))
    }
}

/// Whether the actor may hold a record for this ticket: the same rule as an import row's.
fn may_hold(actor: &Actor, ticket: &QueueTicket) -> bool {
    match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => true,
        (Some(p), None) => *p == ticket.province,
        (Some(p), Some(c)) => *p == ticket.province && ticket.candidates.contains(c),
    }
}

/// The key that finds a held record again: the import's rule, with the client's ids apart.
fn held_key(pii: &PiiKeys, client_id: Option<Uuid>, input: &PersonInput, written: &str) -> String {
    let personal_id = input
        .personal_id
        .as_deref()
        .and_then(|p| shared::person::PersonalId::parse(p).ok());
    HeldIdentity {
        personal_id: personal_id.as_ref().map(|p| p.as_str()),
        client_id,
        external_id: input.external_id.as_deref(),
        full_name: &input.full_name,
        birth_year: input
            .birth_year
            .or(input.birth_date.map(|d| chrono::Datelike::year(&d)))
            .unwrap_or_default(),
        legacy_address: written,
    }
    .key(pii)
}

/// Holds a record in the queue for an officer's choice of commune, after checking its other
/// fields; `person_id` is the existing record it would update. Returns the queue item's id
/// (the one already waiting for this record, if any). The caller commits.
pub async fn hold(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    pii: &PiiKeys,
    actor: &Actor,
    client_id: Option<Uuid>,
    ticket: QueueTicket,
    input: PersonInput,
    person_id: Option<Uuid>,
) -> Result<Uuid, ApiError> {
    if !may_hold(actor, &ticket) {
        return Err(ApiError::Forbidden(
            "the old address lies outside your unit: only records of your own unit can be sent"
                .into(),
        ));
    }
    // The other fields, checked as on a commune the record may end up on.
    let mut probe = input.clone();
    probe.commune_code = ticket
        .candidates
        .iter()
        .find(|c| {
            actor.unit.province.is_none()
                || actor.unit.contains(&UnitPath::commune(&ticket.province, c))
        })
        .or(ticket.candidates.first())
        .cloned()
        .unwrap_or_default();
    probe.village_id = None;
    probe.legacy_address = None;
    let personal_id = people::check_fields(db, actor, probe).await?;
    if person_id.is_none()
        && let Some(id) = &personal_id
    {
        people::ensure_unique(db, actor, &pii.blind_index(id), None).await?;
    }
    let written = input
        .legacy_address
        .as_ref()
        .map(LegacyAddress::written)
        .unwrap_or_default();
    let key = held_key(pii, client_id, &input, &written);
    let full_name = shared::text::clean(&input.full_name);
    let data = serde_json::to_string(&Held {
        client_id,
        api_input: input,
    })
    .map_err(anyhow::Error::from)?;
    let waiting = legacy_queue_item::Entity::find()
        .filter(legacy_queue_item::Column::MatchKey.eq(key.clone()))
        .filter(legacy_queue_item::Column::Status.eq("pending"))
        .one(db)
        .await?;
    let now = chrono::Utc::now();
    let (id, action) = match waiting {
        Some(item) if item.import_job_id.is_some() || item.restructuring_id.is_some() => {
            // The same person waits from a file or a restructuring: one choice serves both.
            return Ok(item.id);
        }
        Some(item) => {
            let id = item.id;
            let mut model: legacy_queue_item::ActiveModel = item.into();
            model.reason = Set(ticket.reason.as_str().to_string());
            model.province_code = Set(ticket.province.clone());
            model.full_name = Set(full_name.clone());
            model.legacy_address = Set(written.chars().take(600).collect());
            model.legacy_commune_code = Set(ticket.legacy_commune_code.clone());
            model.candidates =
                Set(serde_json::to_string(&ticket.candidates).map_err(anyhow::Error::from)?);
            model.row_data = Set(Some(pii.encrypt(&data)?));
            model.person_id = Set(person_id);
            model.update(db).await?;
            (id, "legacy_queue.hold_again")
        }
        None => {
            let saved = ticket
                .item(full_name.clone(), pii.encrypt(&data)?, key, person_id, now)
                .map_err(anyhow::Error::from)?
                .insert(db)
                .await?;
            let id = saved.id;
            (id, "legacy_queue.hold")
        }
    };
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action,
            resource_type: "legacy_queue",
            resource_id: Some(id.to_string()),
            unit: &UnitPath::province(&ticket.province),
            detail: Some(json!({
                "full_name": full_name,
                "reason": ticket.reason.as_str(),
                "legacy_commune_code": ticket.legacy_commune_code,
                "candidates": ticket.candidates,
                "person_id": person_id,
            })),
        },
    )
    .await?;
    Ok(id)
}

/// `POST /admin-units/legacy/convert`: what the conversion table says of each address.
pub async fn convert_many(
    cache: &Cache,
    db: &impl ConnectionTrait,
    items: &[LegacyAddress],
) -> Result<Vec<Conversion>, ApiError> {
    let ctx = cache.get(db).await?;
    let candidate = |code: &String| {
        let (province_code, name) = ctx.communes.get(code).cloned().unwrap_or_default();
        CandidateCommune {
            code: code.clone(),
            name,
            province_code,
        }
    };
    Ok(items
        .iter()
        .enumerate()
        .map(|(index, address)| {
            let found = convert_legacy(&ctx, address);
            let mut out = Conversion {
                index,
                status: ConversionStatus::Invalid,
                legacy_commune_code: found.legacy_commune,
                commune_code: None,
                commune_name: None,
                province_code: None,
                candidates: Vec::new(),
                errors: field_errors(&format!("items[{index}]"), found.errors),
            };
            match found.address {
                Some(Address::Current { commune, province }) if out.errors.is_empty() => {
                    out.status = ConversionStatus::Converted;
                    out.commune_name = ctx.communes.get(&commune).map(|(_, n)| n.clone());
                    out.commune_code = Some(commune);
                    out.province_code = Some(province);
                }
                Some(Address::Queue(ticket)) if out.errors.is_empty() => {
                    out.status = match ticket.reason {
                        shared::import::QueueReason::Split => ConversionStatus::Split,
                        _ => ConversionStatus::Unmapped,
                    };
                    out.province_code = Some(ticket.province.clone());
                    out.candidates = ticket.candidates.iter().map(candidate).collect();
                }
                _ => {}
            }
            out
        })
        .collect())
}

/// Closes the items a record sent through the API was waiting in, once the sender placed it
/// itself (a later send with the current commune): the item is marked resolved on the record's
/// commune, so that no officer's choice creates the record a second time.
pub async fn settle(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    pii: &PiiKeys,
    actor: &Actor,
    client_id: Option<Uuid>,
    input: &PersonInput,
    person: (Uuid, &str, &str),
) -> Result<(), ApiError> {
    let (person_id, province, commune) = person;
    let written = input
        .legacy_address
        .as_ref()
        .map(LegacyAddress::written)
        .unwrap_or_default();
    let key = held_key(pii, client_id, input, &written);
    let waiting = legacy_queue_item::Entity::find()
        .filter(legacy_queue_item::Column::MatchKey.eq(key))
        .filter(legacy_queue_item::Column::Status.eq("pending"))
        .filter(legacy_queue_item::Column::ImportJobId.is_null())
        .filter(legacy_queue_item::Column::RestructuringId.is_null())
        .all(db)
        .await?;
    let now = chrono::Utc::now();
    for item in waiting {
        let id = item.id;
        legacy_queue::mark_resolved(db, actor, item, commune, Some(person_id), now).await?;
        audit::record(
            db,
            audit::Entry {
                actor: Some(actor),
                action: "legacy_queue.settle",
                resource_type: "legacy_queue",
                resource_id: Some(id.to_string()),
                unit: &UnitPath::commune(province, commune),
                detail: Some(json!({"person_id": person_id, "commune_code": commune})),
            },
        )
        .await?;
    }
    Ok(())
}
