//! The `Actor` extractor: the account behind a bearer token, reread from the database on every
//! request so that a disabled account, a new role or a new unit takes effect at once.

use crate::auth::UnitPath;
use crate::db::entities::user;
use crate::error::ApiError;
use crate::services::units;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use sea_orm::EntityTrait;
use shared::auth::Role;
use uuid::Uuid;

/// The officer making the request.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Uuid,
    pub username: String,
    pub role: Role,
    /// The unit the account is attached to, and so its scope.
    pub unit: UnitPath,
    /// Branch and committee officers: the Association unit their work is limited to.
    pub association_unit_id: Option<Uuid>,
}

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
        Box::pin(async move {
            let state = state.ok_or_else(|| anyhow::anyhow!("application state missing"))?;
            let token = token.ok_or_else(ApiError::invalid_token)?;
            let claims = state
                .keys
                .verify(&token)
                .ok_or_else(ApiError::invalid_token)?;
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
            })
        })
    }
}
