//! API clients of provincial systems: registered by a central administrator (any scope) or a
//! province officer (their province only), each with a scope (one province or the nation), the
//! operations it may perform, and a secret shown once. Only a SHA-256 hash of the secret is kept:
//! secrets are 256 random bits, so a fast hash is as good as a slow one and keeps the token
//! endpoint cheap.

use crate::auth::policy::CLIENT_OPERATIONS;
use crate::auth::{Actor, UnitPath};
use crate::db::entities::api_client;
use crate::error::ApiError;
use crate::services::{audit, units};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sha2::{Digest, Sha256};
use shared::auth::Role;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

/// A registered client as the API shows it (never its secret).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "id": "5b0e6a8e-2f7c-4a53-9a55-0a7e3f6c9d11",
    "client_id": "5b0e6a8e-2f7c-4a53-9a55-0a7e3f6c9d11",
    "name": "Hệ thống CDHT tỉnh Tuyên Quang",
    "unit": "08",
    "operations": ["people:read", "people:write", "changes:read"],
    "active": true,
    "revoked_at": null,
    "secret_changed_at": "2026-11-28T08:00:00Z",
    "created_at": "2026-11-28T08:00:00Z",
    "version": 1
}))]
pub struct ApiClient {
    pub id: Uuid,
    /// The `client_id` of the token request (equal to `id`).
    pub client_id: String,
    pub name: String,
    /// `VN` for the nation, else the province code the client is limited to.
    pub unit: String,
    pub operations: Vec<String>,
    pub active: bool,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    pub secret_changed_at: chrono::DateTime<chrono::Utc>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub version: i32,
}

/// A client with its secret: the answer of registration and rotation, the only time the secret
/// is shown.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "client": {
        "id": "5b0e6a8e-2f7c-4a53-9a55-0a7e3f6c9d11",
        "client_id": "5b0e6a8e-2f7c-4a53-9a55-0a7e3f6c9d11",
        "name": "Hệ thống CDHT tỉnh Tuyên Quang",
        "unit": "08",
        "operations": ["people:read", "people:write", "changes:read"],
        "active": true,
        "revoked_at": null,
        "secret_changed_at": "2026-11-28T08:00:00Z",
        "created_at": "2026-11-28T08:00:00Z",
        "version": 1
    },
    "client_secret": "cdhts_3f1c0d5e8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"
}))]
pub struct ClientWithSecret {
    pub client: ApiClient,
    /// Shown only in this answer; store it in the client system's secret store.
    pub client_secret: String,
}

/// `POST /clients`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "name": "Hệ thống CDHT tỉnh Tuyên Quang",
    "unit": "08",
    "operations": ["people:read", "people:write", "registrations:read", "registrations:write", "changes:read"]
}))]
pub struct CreateClientRequest {
    #[validate(length(min = 1, max = 200, message = "must be 1 to 200 characters"))]
    pub name: String,
    /// `VN` (the nation) or a province code.
    #[validate(length(min = 1, max = 8, message = "is required"))]
    pub unit: String,
    /// Among `people:read people:write memberships:read memberships:write registrations:read
    /// registrations:write changes:read`.
    #[validate(length(min = 1, message = "grant at least one operation"))]
    pub operations: Vec<String>,
}

fn scope_of(m: &api_client::Model) -> UnitPath {
    match &m.province_code {
        None => UnitPath::nation(),
        Some(p) => UnitPath::province(p),
    }
}

/// The API view of a stored client.
pub fn to_dto(m: api_client::Model) -> ApiClient {
    ApiClient {
        id: m.id,
        client_id: m.id.to_string(),
        unit: m.province_code.clone().unwrap_or_else(|| "VN".into()),
        operations: m.scopes.split_whitespace().map(str::to_string).collect(),
        active: m.revoked_at.is_none(),
        revoked_at: m.revoked_at,
        secret_changed_at: m.secret_changed_at,
        created_at: m.created_at,
        version: m.version,
        name: m.name,
    }
}

/// SHA-256 of a secret, hex.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!("cdhts_{}", hex::encode(bytes))
}

/// Central administrators manage every client; province officers those of their province.
fn ensure_manager(actor: &Actor) -> Result<(), ApiError> {
    if actor.client.is_none() && actor.role >= Role::ProvinceOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only central administrators and province officers manage API clients".into(),
        ))
    }
}

async fn load(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<api_client::Model, ApiError> {
    ensure_manager(actor)?;
    api_client::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| actor.unit.contains(&scope_of(c)))
        .ok_or_else(|| ApiError::not_found("client"))
}

/// Registers a client; the answer holds its secret, shown only this once.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: CreateClientRequest,
) -> Result<ClientWithSecret, ApiError> {
    ensure_manager(actor)?;
    let name = shared::text::clean(&input.name);
    if name.is_empty() {
        return Err(ApiError::field("name", "required", "is required"));
    }
    let unit = units::resolve_field(db, "unit", input.unit.trim()).await?;
    if unit.level() == "commune" {
        return Err(ApiError::field(
            "unit",
            "invalid_unit",
            "a client's scope is the nation (VN) or one province",
        ));
    }
    crate::auth::policy::ensure_within(actor, &unit)?;
    let mut operations: Vec<String> = Vec::new();
    let mut errors = Vec::new();
    for (i, op) in input.operations.iter().enumerate() {
        let op = op.trim();
        if !CLIENT_OPERATIONS.contains(&op) {
            errors.push(shared::error::FieldError {
                field: format!("operations[{i}]"),
                code: "unknown_operation".into(),
                message: format!("must be one of {}", CLIENT_OPERATIONS.join(", ")),
            });
        } else if !operations.iter().any(|o| o == op) {
            operations.push(op.to_string());
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let secret = new_secret();
    let now = chrono::Utc::now();
    let txn = crate::db::begin_write(db).await?;
    let saved = api_client::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set(name),
        province_code: Set(unit.province.clone()),
        scopes: Set(operations.join(" ")),
        secret_hash: Set(hash_secret(&secret)),
        secret_changed_at: Set(now),
        revoked_at: Set(None),
        created_by: Set(Some(actor.user_id)),
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
            action: "api_client.create",
            resource_type: "api_client",
            resource_id: Some(saved.id.to_string()),
            unit: &unit,
            detail: Some(json!({"name": saved.name, "operations": saved.scopes})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ClientWithSecret {
        client: to_dto(saved),
        client_secret: secret,
    })
}

/// The clients inside the caller's unit, by name.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<ApiClient>, ApiError> {
    ensure_manager(actor)?;
    let mut query = api_client::Entity::find();
    if let Some(p) = &actor.unit.province {
        query = query.filter(api_client::Column::ProvinceCode.eq(p.clone()));
    }
    Ok(query
        .order_by_asc(api_client::Column::Name)
        .order_by_asc(api_client::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect())
}

/// One client.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<ApiClient, ApiError> {
    load(db, actor, id).await.map(to_dto)
}

/// Replaces the secret: the old one stops working at once, and so do the tokens issued with it.
pub async fn rotate_secret(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<ClientWithSecret, ApiError> {
    let old = load(db, actor, id).await?;
    if old.revoked_at.is_some() {
        return Err(ApiError::Conflict("the client is revoked".into()));
    }
    let secret = new_secret();
    let txn = crate::db::begin_write(db).await?;
    let mut model: api_client::ActiveModel = old.clone().into();
    let now = chrono::Utc::now();
    model.secret_hash = Set(hash_secret(&secret));
    model.secret_changed_at = Set(now);
    model.updated_at = Set(now);
    model.version = Set(old.version + 1);
    let saved = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "api_client.rotate_secret",
            resource_type: "api_client",
            resource_id: Some(id.to_string()),
            unit: &scope_of(&saved),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(ClientWithSecret {
        client: to_dto(saved),
        client_secret: secret,
    })
}

/// Revokes a client: its secret and every token it holds stop working at once.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<ApiClient, ApiError> {
    let old = load(db, actor, id).await?;
    if old.revoked_at.is_some() {
        return Ok(to_dto(old));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut model: api_client::ActiveModel = old.clone().into();
    let now = chrono::Utc::now();
    model.revoked_at = Set(Some(now));
    model.updated_at = Set(now);
    model.version = Set(old.version + 1);
    let saved = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "api_client.revoke",
            resource_type: "api_client",
            resource_id: Some(id.to_string()),
            unit: &scope_of(&saved),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(saved))
}

/// Why a token request failed, in the words of RFC 6749 §5.2.
#[derive(Debug)]
pub enum TokenError {
    InvalidRequest(String),
    InvalidClient,
    UnsupportedGrantType,
    InvalidScope(String),
    Internal(ApiError),
}

impl From<sea_orm::DbErr> for TokenError {
    fn from(e: sea_orm::DbErr) -> Self {
        TokenError::Internal(e.into())
    }
}

/// A granted token.
pub struct Granted {
    pub access_token: String,
    pub expires_in: u64,
    pub scope: String,
}

/// The client-credentials grant: checks the client's secret and issues a token for the
/// requested operations (all granted ones when none are requested).
pub async fn issue_token(
    db: &DatabaseConnection,
    keys: &crate::auth::jwt::JwtKeys,
    client_id: &str,
    client_secret: &str,
    requested: Option<&str>,
    request_id: Option<String>,
) -> Result<Granted, TokenError> {
    let Ok(id) = Uuid::parse_str(client_id.trim()) else {
        return Err(TokenError::InvalidClient);
    };
    let client = api_client::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|c| c.revoked_at.is_none())
        .ok_or(TokenError::InvalidClient)?;
    let presented = hash_secret(client_secret);
    // Compare digests in constant time (no early exit on the first differing byte).
    let same = presented.len() == client.secret_hash.len()
        && presented
            .bytes()
            .zip(client.secret_hash.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(TokenError::InvalidClient);
    }
    let allowed: Vec<&str> = client.scopes.split_whitespace().collect();
    let scope = match requested.map(str::trim).filter(|s| !s.is_empty()) {
        None => allowed.join(" "),
        Some(req) => {
            let wanted: Vec<&str> = req.split_whitespace().collect();
            if let Some(bad) = wanted.iter().find(|w| !allowed.contains(w)) {
                return Err(TokenError::InvalidScope(format!(
                    "the client is not granted {bad}"
                )));
            }
            wanted.join(" ")
        }
    };
    let unit = client.province_code.as_deref().unwrap_or("VN");
    let access_token = keys
        .issue_client(client.id, unit, &scope)
        .map_err(|e| TokenError::Internal(e.into()))?;
    let actor = Actor {
        user_id: client.id,
        username: format!("client:{}", client.id),
        role: Role::ProvinceOfficer,
        unit: scope_of(&client),
        association_unit_id: None,
        client: None,
        request_id,
    };
    audit::record(
        db,
        audit::Entry {
            actor: Some(&actor),
            action: "api_client.token",
            resource_type: "api_client",
            resource_id: Some(client.id.to_string()),
            unit: &actor.unit,
            detail: Some(json!({"scope": scope})),
        },
    )
    .await?;
    Ok(Granted {
        access_token,
        expires_in: keys.ttl().as_secs(),
        scope,
    })
}
