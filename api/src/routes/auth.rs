//! `/auth`: login, token refresh, logout, the caller's own account and password.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::{accounts, sessions};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use shared::auth::{ChangePasswordRequest, LoginRequest, RefreshRequest, TokenResponse, User};
use shared::error::Problem;

/// Log in with a username and password.
///
/// Returns a short-lived access token (JWT) and a refresh token. After 5 wrong passwords for an
/// account within 15 minutes, or 20 from one client address, every login for it is answered
/// with 429 and `Retry-After` until the window ends.
#[utoipa::path(
    operation_id = "auth_login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong username or password (`invalid_credentials`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is missing or invalid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed logins; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    sessions::login(&state, body.0, &address)
        .await
        .map(web::Json)
}

/// Exchange a refresh token for a new token pair.
///
/// The refresh token presented is used up. Presenting it again revokes every token of that login.
#[utoipa::path(
    operation_id = "auth_refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "The refresh token is invalid, used or expired", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    sessions::refresh(&state, &body.0.refresh_token)
        .await
        .map(web::Json)
}

/// Log out: revoke the login the refresh token belongs to.
#[utoipa::path(
    operation_id = "auth_logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Logged out (also when the token was unknown)"))
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    body: Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    sessions::logout(&state, &body.0.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The account of the caller.
#[utoipa::path(
    operation_id = "auth_me",
    tag = "auth",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = User),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/me")]
pub async fn me(state: web::Data<AppState>, actor: Actor) -> Result<web::Json<User>, ApiError> {
    let account = accounts::find_by_username(&state.db, &actor.username)
        .await?
        .ok_or_else(ApiError::invalid_token)?;
    accounts::dto(&state.db, account).await.map(web::Json)
}

/// Change the caller's own password. Every session of the account ends, this one included.
#[utoipa::path(
    operation_id = "auth_change_password",
    tag = "auth",
    security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Password changed; log in again"),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password or a weak new one", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    sessions::change_password(&state, &actor, body.current_password, body.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}
