//! The `Actor` extractor: the account behind a bearer token, reread from the database on every
//! request so that a disabled account, a new role or a new unit takes effect at once.
//!
//! Part of the HTTP layer (it reads the request and calls services), though it sits beside the
//! rest of `auth`: the `Actor` itself is defined below the services, in `auth::actor`.

use crate::auth::jwt::{CLIENT_ROLE, Claims};
use crate::auth::{Actor, ClientGrant, UnitPath};
use crate::db::entities::{api_client, user};
use crate::error::ApiError;
use crate::services::units;
use crate::state::AppState;
use crate::telemetry::RequestId;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use sea_orm::EntityTrait;
use shared::auth::Role;

impl FromRequest for Actor {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(|t| t.trim().to_string());
        let method = req.method().as_str().to_string();
        let request_id = RequestId::of(req);
        let path = req.path().to_string();
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            let token = token.ok_or_else(ApiError::invalid_token)?;
            let claims = state
                .keys
                .verify(&token)
                .ok_or_else(ApiError::invalid_token)?;
            if claims.role == CLIENT_ROLE {
                let actor = client_actor(&state, &claims, &method, &path, request_id).await?;
                crate::auth::policy::ensure_client_may(&actor, &method, &path)?;
                return Ok(actor);
            }
            let account = user::Entity::find_by_id(claims.sub)
                .one(&state.db)
                .await?
                .filter(|u| u.active)
                .ok_or_else(ApiError::invalid_token)?;
            // A password change ends every session opened before it.
            if claims.iat_ms < account.password_changed_at.timestamp_millis() {
                return Err(ApiError::invalid_token());
            }
            let role = Role::parse(&account.role)
                .ok_or_else(|| anyhow::anyhow!("account {} has unknown role", account.id))?;
            let unit = units::resolve_code(&state.db, &account.unit_code)
                .await?
                .ok_or_else(|| anyhow::anyhow!("account {} has unknown unit", account.id))?;
            Ok(Actor {
                user_id: account.id,
                username: account.username,
                role,
                unit,
                association_unit_id: account.association_unit_id,
                client: None,
                request_id,
            })
        })
    }
}

/// The actor of an API client's token: the client must still exist, not be revoked, and not
/// have had its secret rotated since the token was issued; each request takes a token of the
/// client's rate-limit bucket.
async fn client_actor(
    state: &AppState,
    claims: &Claims,
    method: &str,
    path: &str,
    request_id: Option<String>,
) -> Result<Actor, ApiError> {
    let client = api_client::Entity::find_by_id(claims.sub)
        .one(&state.db)
        .await?
        .filter(|c| c.revoked_at.is_none())
        .ok_or_else(ApiError::invalid_token)?;
    if claims.iat_ms < client.secret_changed_at.timestamp_millis() {
        return Err(ApiError::invalid_token());
    }
    if let Err(wait) = state.client_limiter.check(&client.id) {
        return Err(ApiError::TooManyRequests {
            retry_after_secs: wait,
            detail: "this client sent too many requests; retry after the given seconds".into(),
        });
    }
    let unit = match &client.province_code {
        None => UnitPath::nation(),
        Some(code) => UnitPath::province(code),
    };
    let allowed: Vec<&str> = client.scopes.split_whitespace().collect();
    let operations = claims
        .scope
        .as_deref()
        .unwrap_or_default()
        .split_whitespace()
        .filter(|op| allowed.contains(op))
        .map(str::to_string)
        .collect();
    let actor = Actor {
        user_id: client.id,
        username: format!("client:{}", client.id),
        // The records a client touches are those a province officer keeps; the operations it
        // was granted narrow that further (see `policy::client_operation`).
        role: Role::ProvinceOfficer,
        unit,
        association_unit_id: None,
        client: Some(ClientGrant {
            client_id: client.id,
            name: client.name,
            operations,
        }),
        request_id,
    };
    // Every call of a client is audited under the client's id, reads included.
    crate::services::audit::record(
        &state.db,
        crate::services::audit::Entry {
            actor: Some(&actor),
            action: "api_client.call",
            resource_type: "api_client",
            resource_id: Some(client.id.to_string()),
            unit: &actor.unit,
            detail: Some(serde_json::json!({"method": method, "path": path})),
        },
    )
    .await?;
    Ok(actor)
}
