//! `/auth`: sign in, who am I, sign out.

use super::ApiError;
use super::client::{self, Call};
use crate::session::Session;
use shared::auth::{LoginRequest, RefreshRequest, TokenResponse, User};

/// `POST /auth/login`: a token pair for the credentials.
pub async fn login(request: &LoginRequest) -> Result<TokenResponse, ApiError> {
    client::call_once(Call::post("/auth/login", request), None).await
}

/// `GET /auth/me`: the signed-in account.
pub async fn me(session: Session) -> Result<User, ApiError> {
    client::call(session, Call::get("/auth/me", &[])).await
}

/// `POST /auth/logout`: revokes the stored login on the server. Does not clear the session.
pub async fn logout(session: Session) -> Result<(), ApiError> {
    let Some(tokens) = session.tokens() else {
        return Ok(());
    };
    let body = RefreshRequest {
        refresh_token: tokens.refresh_token,
    };
    client::call_once(
        Call::post("/auth/logout", &body),
        Some(&tokens.access_token),
    )
    .await
}
