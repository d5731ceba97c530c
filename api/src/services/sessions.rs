//! Logins, refresh-token rotation, logout and password changes.
//!
//! A refresh token is 32 random bytes, kept only as its SHA-256. Each login starts a family;
//! every refresh uses up the presented token and issues the next one of the family. Presenting
//! a used or revoked token revokes the whole family: someone replayed it.

use crate::auth::{Actor, password, throttle};
use crate::db::entities::{refresh_token, user};
use crate::error::ApiError;
use crate::services::accounts;
use crate::state::AppState;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};
use shared::auth::{LoginRequest, TokenResponse};
use uuid::Uuid;

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn invalid_credentials() -> ApiError {
    ApiError::Unauthorized {
        code: "invalid_credentials",
        detail: "wrong username or password".into(),
    }
}

fn invalid_refresh() -> ApiError {
    ApiError::Unauthorized {
        code: "invalid_token",
        detail: "the refresh token is invalid, used or expired".into(),
    }
}

/// Issues an access token and a new refresh token of `family`.
async fn issue_pair(
    state: &AppState,
    db: &impl ConnectionTrait,
    account: &user::Model,
    family: Uuid,
) -> Result<TokenResponse, ApiError> {
    let mut raw = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    let refresh = URL_SAFE_NO_PAD.encode(raw);
    let now = chrono::Utc::now();
    let ttl = chrono::Duration::from_std(state.settings.refresh_token_ttl)
        .map_err(|e| anyhow::anyhow!("refresh token lifetime: {e}"))?;
    refresh_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(account.id),
        family_id: Set(family),
        token_hash: Set(hash_token(&refresh)),
        created_at: Set(now),
        expires_at: Set(now + ttl),
        used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    let access = state
        .keys
        .issue(account.id, &account.role, &account.unit_code, family)?;
    Ok(TokenResponse {
        access_token: access,
        refresh_token: Some(refresh),
        token_type: "Bearer".into(),
        expires_in: state.keys.ttl().as_secs(),
    })
}

/// Checks a username and password, throttled per account and per client address.
pub async fn login(
    state: &AppState,
    request: LoginRequest,
    client_address: &str,
) -> Result<TokenResponse, ApiError> {
    let db = &state.db;
    let settings = &state.settings;
    let username = request.username.trim().to_lowercase();
    let keys = [
        throttle::Key::account(&username, settings.login_max_failures_per_account),
        throttle::Key::address(client_address, settings.login_max_failures_per_address),
    ];
    throttle::check(db, &keys, settings.login_window).await?;
    let account = accounts::find_by_username(db, &username).await?;
    let phc = account
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_string());
    let matches = password::verify(request.password, phc).await?;
    let account = match account {
        Some(a) if matches && a.active => a,
        _ => {
            throttle::record_failure(db, &keys, settings.login_window).await?;
            tracing::info!(username, client_address, "failed login");
            return Err(invalid_credentials());
        }
    };
    throttle::clear(db, &keys[0]).await?;
    tracing::info!(username, client_address, "login");
    issue_pair(state, db, &account, Uuid::new_v4()).await
}

/// How long a refresh token kept in the browser's cookie still works after it was used up. Tabs
/// of one browser share the cookie: two tabs opened together both present it, and the second
/// must not end the login the first just renewed. A page left while its refresh was on the way
/// may also lose the answer, and the renewed cookie with it. Within this time the token gives
/// a new pair of the same login instead of being taken for a replay.
pub const COOKIE_GRACE: chrono::Duration = chrono::Duration::seconds(30);

/// Where the presented refresh token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presented {
    /// The request's body: a token used twice is a replay.
    Body,
    /// The browser's `HttpOnly` cookie: a token used up within [`COOKIE_GRACE`] is another tab's.
    Cookie,
}

/// Uses up a refresh token and returns the next pair of its family. A cookie token used up
/// less than [`COOKIE_GRACE`] ago gives a new pair too.
pub async fn refresh(
    state: &AppState,
    token: &str,
    presented: Presented,
) -> Result<TokenResponse, ApiError> {
    let txn = crate::db::begin_write(&state.db).await?;
    let row = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(token)))
        .one(&txn)
        .await?
        .ok_or_else(invalid_refresh)?;
    let now = chrono::Utc::now();
    // A cookie token renewed moments ago: another tab's, or an answer the browser lost.
    let renewed_moments_ago = presented == Presented::Cookie
        && row.revoked_at.is_none()
        && row.expires_at > now
        && row.used_at.is_some_and(|used| now - used < COOKIE_GRACE);
    if !renewed_moments_ago {
        if row.used_at.is_some() || row.revoked_at.is_some() {
            revoke_family(&txn, row.family_id).await?;
            txn.commit().await?;
            tracing::warn!(family = %row.family_id, "refresh token replayed; its family is revoked");
            return Err(invalid_refresh());
        }
        if row.expires_at <= now {
            return Err(invalid_refresh());
        }
        // Use the token up; a concurrent refresh with the same token finds it used.
        let used = refresh_token::Entity::update_many()
            .col_expr(refresh_token::Column::UsedAt, Expr::value(Some(now)))
            .filter(refresh_token::Column::Id.eq(row.id))
            .filter(refresh_token::Column::UsedAt.is_null())
            .exec(&txn)
            .await?;
        if used.rows_affected != 1 {
            return Err(invalid_refresh());
        }
    }
    let account = user::Entity::find_by_id(row.user_id)
        .one(&txn)
        .await?
        .filter(|a| a.active)
        .ok_or_else(invalid_refresh)?;
    let pair = issue_pair(state, &txn, &account, row.family_id).await?;
    txn.commit().await?;
    Ok(pair)
}

async fn revoke_family(db: &impl ConnectionTrait, family: Uuid) -> Result<(), ApiError> {
    refresh_token::Entity::update_many()
        .col_expr(
            refresh_token::Column::RevokedAt,
            Expr::value(Some(chrono::Utc::now())),
        )
        .filter(refresh_token::Column::FamilyId.eq(family))
        .filter(refresh_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Ends the login the refresh token belongs to. Unknown tokens are ignored: logging out twice
/// is not an error.
pub async fn logout(state: &AppState, token: &str) -> Result<(), ApiError> {
    if let Some(row) = refresh_token::Entity::find()
        .filter(refresh_token::Column::TokenHash.eq(hash_token(token)))
        .one(&state.db)
        .await?
    {
        revoke_family(&state.db, row.family_id).await?;
    }
    Ok(())
}

/// Ends the login `family` (named by an access token of it): for the web application, whose
/// refresh token is out of its reach in a cookie.
pub async fn logout_family(state: &AppState, family: Uuid) -> Result<(), ApiError> {
    revoke_family(&state.db, family).await
}

/// The caller changes their own password; every session of the account ends, this one included.
pub async fn change_password(
    state: &AppState,
    actor: &Actor,
    current: String,
    new: String,
) -> Result<(), ApiError> {
    let account = user::Entity::find_by_id(actor.user_id)
        .one(&state.db)
        .await?
        .ok_or_else(ApiError::invalid_token)?;
    if !password::verify(current, account.password_hash.clone()).await? {
        return Err(ApiError::field(
            "current_password",
            "wrong_password",
            "is not the current password",
        ));
    }
    let hash = password::hash(new).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    accounts::set_password(&txn, account, hash).await?;
    crate::services::audit::record(
        &txn,
        crate::services::audit::Entry {
            actor: Some(actor),
            action: "account.change_password",
            resource_type: "account",
            resource_id: Some(actor.user_id.to_string()),
            unit: &actor.unit,
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
