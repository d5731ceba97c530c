//! `/auth`: sign in, who am I, sign out.

use super::ApiError;
use super::client::{self, Call};
use crate::session::Session;
use shared::auth::{LoginRequest, RefreshRequest, TokenResponse, User};

/// `POST /auth/login`: an access token for the credentials; the server keeps the refresh token
/// in its `HttpOnly` cookie (the request asks for `keep: cookie`).
pub async fn login(request: &LoginRequest) -> Result<TokenResponse, ApiError> {
    client::call_once(Call::post("/auth/login", request), None).await
}

/// `POST /auth/refresh` with the browser's cookie: an access token when this browser holds a
/// session.
pub async fn resume() -> Result<TokenResponse, ApiError> {
    client::refresh_with_cookie().await
}

/// `GET /auth/me`: the signed-in account.
pub async fn me(session: Session) -> Result<User, ApiError> {
    client::call(session, Call::get("/auth/me", &[])).await
}

/// `POST /auth/logout` with the session's access token: ends the login on the server and
/// clears its cookie. Does not clear the session.
pub async fn logout(session: Session) -> Result<(), ApiError> {
    let access = session.tokens().map(|tokens| tokens.access_token);
    client::call_once(
        Call::post("/auth/logout", &RefreshRequest::default()),
        access.as_deref(),
    )
    .await
}
