//! `/auth`: login, token refresh, logout, the caller's own account and password.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::{Json, OptionalJson};
use crate::services::sessions::Presented;
use crate::services::{accounts, sessions};
use crate::state::AppState;
use crate::telemetry::RequestId;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use shared::auth::{
    ChangePasswordRequest, LoginRequest, RefreshRequest, SessionKeeping, TokenResponse, User,
};
use shared::error::Problem;

/// The cookie that keeps the web application's refresh token out of its scripts' reach.
pub const REFRESH_COOKIE: &str = "cdht_refresh";

/// The only path the refresh cookie is sent to.
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth/refresh";

/// The refresh cookie carrying `token`, or, without one, the instruction to forget it.
fn refresh_cookie(token: Option<&str>, lifetime: std::time::Duration) -> Cookie<'static> {
    let mut cookie = Cookie::build(REFRESH_COOKIE, token.unwrap_or_default().to_owned())
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .finish();
    match token {
        Some(_) => cookie.set_max_age(CookieDuration::seconds(
            i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX),
        )),
        None => cookie.make_removal(),
    }
    cookie
}

/// The answer to a login or refresh: the pair as JSON, or, when the session is kept in the
/// cookie, the access token as JSON and the new refresh token (if any) in the cookie.
fn token_answer(
    state: &AppState,
    mut pair: TokenResponse,
    keep: SessionKeeping,
) -> Result<HttpResponse, ApiError> {
    let mut response = HttpResponse::Ok();
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if keep == SessionKeeping::Cookie
        && let Some(token) = pair.refresh_token.take()
    {
        response.cookie(refresh_cookie(
            Some(&token),
            state.settings.refresh_token_ttl,
        ));
    }
    Ok(response.json(pair))
}

/// Log in with a username and password.
///
/// Returns a short-lived access token (JWT) and a refresh token. With `"keep": "cookie"` (the
/// web application) the refresh token is not in the body but in the `cdht_refresh` cookie:
/// `HttpOnly; Secure; SameSite=Strict`, sent by the browser only to `POST /auth/refresh`.
/// After 5 wrong passwords for an account within 15 minutes, or 20 from one client address,
/// every login for it is answered with 429 and `Retry-After` until the window ends.
#[utoipa::path(
    operation_id = "auth_login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in; with `keep: cookie` the refresh token is set as the `cdht_refresh` cookie instead of being in the body", body = TokenResponse),
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
) -> Result<HttpResponse, ApiError> {
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    let keep = body.0.keep;
    let pair = sessions::login(&state, body.0, &address).await?;
    token_answer(&state, pair, keep)
}

/// Exchange a refresh token for a new token pair.
///
/// The refresh token is taken from the body or, when the body has none, from the
/// `cdht_refresh` cookie. The token presented is used up; presenting it again revokes every
/// token of that login. A cookie token used up in the last 30 seconds (by another tab of the
/// same browser, or by a page that was left before the answer arrived) gives a new pair too.
#[utoipa::path(
    operation_id = "auth_refresh",
    tag = "auth",
    request_body(content = RefreshRequest, description = "May be empty when the `cdht_refresh` cookie is sent"),
    responses(
        (status = 200, description = "A new token pair; for a cookie session, the access token, and the new refresh token in the cookie", body = TokenResponse),
        (status = 401, description = "No refresh token, or one that is invalid, used or expired; a cookie session's cookie is cleared", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`refresh_token` is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let from_body = body.0.and_then(|b| b.refresh_token);
    let cookie = req.cookie(REFRESH_COOKIE).map(|c| c.value().to_owned());
    let (token, presented) = match (from_body, cookie) {
        (Some(token), _) => (token, Presented::Body),
        (None, Some(token)) if !token.is_empty() => (token, Presented::Cookie),
        _ => return Err(ApiError::Unauthorized {
            code: "invalid_token",
            detail:
                "no refresh token: send `refresh_token` in the body, or the `cdht_refresh` cookie"
                    .into(),
        }),
    };
    match sessions::refresh(&state, &token, presented).await {
        Ok(pair) if presented == Presented::Cookie => {
            token_answer(&state, pair, SessionKeeping::Cookie)
        }
        Ok(pair) => token_answer(&state, pair, SessionKeeping::Body),
        Err(error) if presented == Presented::Cookie => {
            // The cookie will never work again: tell the browser to drop it.
            let mut response = error.response(RequestId::of(&req).as_deref());
            let removal = refresh_cookie(None, state.settings.refresh_token_ttl);
            if let Ok(value) = header::HeaderValue::from_str(&removal.to_string()) {
                response.headers_mut().append(header::SET_COOKIE, value);
            }
            Ok(response)
        }
        Err(error) => Err(error),
    }
}

/// Log out: revoke the login.
///
/// The login is named by the refresh token in the body or, without one, by the access token
/// in `Authorization` (the web application, whose refresh token is in the cookie). The
/// `cdht_refresh` cookie is cleared either way.
#[utoipa::path(
    operation_id = "auth_logout",
    tag = "auth",
    request_body(content = RefreshRequest, description = "May be empty when an access token of the login is sent in `Authorization`"),
    responses(
        (status = 204, description = "Logged out (also when the token was unknown)"),
        (status = 422, description = "`refresh_token` is empty or too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    state: web::Data<AppState>,
    req: HttpRequest,
    body: OptionalJson<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    match body.0.and_then(|b| b.refresh_token) {
        Some(token) => sessions::logout(&state, &token).await?,
        None => {
            let family = req
                .headers()
                .get(header::AUTHORIZATION)
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .and_then(|token| state.keys.verify(token.trim()))
                .and_then(|claims| claims.sid);
            if let Some(family) = family {
                sessions::logout_family(&state, family).await?;
            }
        }
    }
    Ok(HttpResponse::NoContent()
        .cookie(refresh_cookie(None, state.settings.refresh_token_ttl))
        .finish())
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
