//! `Idempotency-Key` on every `POST` of the API (except those answering with tokens, whose
//! answers are never stored): the first answer to a key is stored with a hash
//! of the request, and a retry with the same key and the same request gets that answer again
//! (with `Idempotency-Replayed: true`) without acting twice. The same key with another request is
//! refused (422 `idempotency_key_reused`); a retry while the first is still being handled is
//! refused (409 `idempotency_key_in_flight`). Keys belong to the caller (the account or API
//! client of the bearer token, else the anonymous caller) and expire after
//! `CDHT_IDEMPOTENCY_TTL_SECS` (24 hours). Answers 5xx, 429 and 401 are not stored: the request
//! did not happen (or its caller was not known), so the retry runs again.

use crate::db::entities::idempotency_key;
use crate::state::AppState;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse, web};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
};
use sha2::{Digest, Sha256};

/// Age after which an unanswered claim is taken as abandoned (its process stopped).
const STALE_CLAIM_SECS: i64 = 300;

/// Endpoints whose answers hold credentials (tokens): never stored, so the key is ignored there.
const ISSUES_CREDENTIALS: [&str; 3] = [
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/oauth/token",
];

/// The request header.
pub const HEADER: &str = "idempotency-key";
/// The header marking a replayed answer.
pub const REPLAYED: &str = "idempotency-replayed";

/// What to do with a keyed request.
pub enum Begin {
    /// First time: handle it, then [`finish`].
    Proceed,
    /// Answered before: send this again.
    Replay {
        status: u16,
        content_type: Option<String>,
        body: Vec<u8>,
    },
    /// The key came with another request.
    Mismatch,
    /// The first request with this key is still being handled.
    InFlight,
}

/// Claims `(owner, key)` for a request hashed `hash`, or says why not.
pub async fn begin(
    db: &DatabaseConnection,
    owner: &str,
    key: &str,
    hash: &str,
    ttl: std::time::Duration,
) -> Result<Begin, DbErr> {
    let now = chrono::Utc::now();
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::ExpiresAt.lt(now))
        .exec(db)
        .await?;
    let inserted = idempotency_key::ActiveModel {
        owner: Set(owner.to_string()),
        key: Set(key.to_string()),
        request_hash: Set(hash.to_string()),
        status: Set(None),
        content_type: Set(None),
        body: Set(None),
        created_at: Set(now),
        expires_at: Set(now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(1))),
    }
    .insert(db)
    .await;
    match inserted {
        Ok(_) => Ok(Begin::Proceed),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let Some(row) =
                idempotency_key::Entity::find_by_id((owner.to_string(), key.to_string()))
                    .one(db)
                    .await?
            else {
                // It expired and was purged between the two statements: a fresh start.
                return Box::pin(begin(db, owner, key, hash, ttl)).await;
            };
            if row.request_hash != hash {
                Ok(Begin::Mismatch)
            } else {
                match (row.status, row.body) {
                    (Some(status), Some(body)) => Ok(Begin::Replay {
                        status: u16::try_from(status).unwrap_or(500),
                        content_type: row.content_type,
                        body,
                    }),
                    // A claim older than any request can run was left by a process that
                    // stopped mid-request: release it and start again.
                    _ if row.created_at < now - chrono::Duration::seconds(STALE_CLAIM_SECS) => {
                        abandon(db, owner, key).await?;
                        Box::pin(begin(db, owner, key, hash, ttl)).await
                    }
                    _ => Ok(Begin::InFlight),
                }
            }
        }
        Err(e) => Err(e),
    }
}

/// Stores the answer of a claimed key.
pub async fn finish(
    db: &DatabaseConnection,
    owner: &str,
    key: &str,
    status: u16,
    content_type: Option<String>,
    body: Vec<u8>,
) -> Result<(), DbErr> {
    idempotency_key::Entity::update_many()
        .col_expr(
            idempotency_key::Column::Status,
            sea_orm::sea_query::Expr::value(i32::from(status)),
        )
        .col_expr(
            idempotency_key::Column::ContentType,
            sea_orm::sea_query::Expr::value(content_type),
        )
        .col_expr(
            idempotency_key::Column::Body,
            sea_orm::sea_query::Expr::value(body),
        )
        .filter(idempotency_key::Column::Owner.eq(owner))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(db)
        .await
        .map(|_| ())
}

/// Releases a claimed key whose request did not happen (5xx, 429, 401), so a retry runs again.
pub async fn abandon(db: &DatabaseConnection, owner: &str, key: &str) -> Result<(), DbErr> {
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::Owner.eq(owner))
        .filter(idempotency_key::Column::Key.eq(key))
        .exec(db)
        .await
        .map(|_| ())
}

/// A problem-details answer built here (the middleware runs outside the handlers' errors).
pub fn problem(
    request_id: Option<&str>,
    status: StatusCode,
    code: &str,
    title: &str,
    detail: String,
) -> HttpResponse {
    let problem = shared::error::Problem {
        kind: format!("/problems/{code}"),
        title: title.to_string(),
        status: status.as_u16(),
        code: code.to_string(),
        detail: Some(detail),
        request_id: request_id.map(str::to_string),
        errors: Vec::new(),
        existing_id: None,
    };
    HttpResponse::build(status)
        .content_type("application/problem+json")
        .json(problem)
}

/// Who owns a key: the subject of a valid bearer token, the client of Basic credentials, else
/// the anonymous caller.
fn owner_of(req: &ServiceRequest, state: &AppState) -> String {
    let auth = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if let Some(token) = auth
        .strip_prefix("Bearer ")
        .or_else(|| auth.strip_prefix("bearer "))
        && let Some(claims) = state.keys.verify(token.trim())
    {
        return claims.sub.to_string();
    }
    if let Some(basic) = auth
        .strip_prefix("Basic ")
        .or_else(|| auth.strip_prefix("basic "))
    {
        return format!(
            "basic:{}",
            hex::encode(&Sha256::digest(basic.trim().as_bytes())[..16])
        );
    }
    "anonymous".to_string()
}

/// Largest body read to hash for an idempotency key.
const MAX_KEYED_BODY: usize = 64 * 1024 * 1024;

async fn read_body(req: &mut ServiceRequest) -> Result<web::Bytes, StatusCode> {
    use actix_web::HttpMessage;
    use futures_util::StreamExt;
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| StatusCode::BAD_REQUEST)?;
        if body.len() + chunk.len() > MAX_KEYED_BODY {
            return Err(StatusCode::PAYLOAD_TOO_LARGE);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= 255 && key.bytes().all(|b| (0x21..=0x7e).contains(&b))
}

/// Middleware applying `Idempotency-Key` to every `POST` under `/api/v1`.
pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let key = req
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_string));
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (Some(key), Some(state)) = (key, state) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if req.method() != Method::POST
        || !req.path().starts_with("/api/v1/")
        || ISSUES_CREDENTIALS.contains(&req.path())
    {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let request_id = crate::telemetry::RequestId::of(req.request());
    let key = match key {
        Ok(k) if valid_key(k.trim()) => k.trim().to_string(),
        _ => {
            let response = problem(
                request_id.as_deref(),
                StatusCode::BAD_REQUEST,
                "bad_request",
                "Bad request",
                "Idempotency-Key must be 1 to 255 visible ASCII characters".into(),
            );
            return Ok(req.into_response(response));
        }
    };
    // Read the body here with a generous cap of its own: the route's own limit (which may be
    // larger than the JSON limit, for file uploads) still applies when the handler reads it.
    let body = match read_body(&mut req).await {
        Ok(b) => b,
        Err(status) => {
            let response = if status == StatusCode::PAYLOAD_TOO_LARGE {
                problem(
                    request_id.as_deref(),
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "Request body too large",
                    "the request body exceeds the size limit".into(),
                )
            } else {
                problem(
                    request_id.as_deref(),
                    StatusCode::BAD_REQUEST,
                    "bad_request",
                    "Bad request",
                    "the request body could not be read".into(),
                )
            };
            return Ok(req.into_response(response));
        }
    };
    let owner = owner_of(&req, &state);
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(req.uri().to_string().as_bytes());
    hasher.update(b"\n");
    hasher.update(
        req.headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes())
            .unwrap_or_default(),
    );
    hasher.update(b"\n");
    hasher.update(&body);
    let hash = hex::encode(hasher.finalize());
    let db = state.db.clone();
    let started = begin(&db, &owner, &key, &hash, state.settings.idempotency_ttl)
        .await
        .map_err(|e| crate::error::ApiError::Internal(e.into()))?;
    match started {
        Begin::Proceed => {}
        Begin::Replay {
            status,
            content_type,
            body,
        } => {
            let mut response = HttpResponse::build(
                StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            );
            if let Some(ct) = content_type {
                response.insert_header((header::CONTENT_TYPE, ct));
            }
            response.insert_header((REPLAYED, "true"));
            return Ok(req.into_response(response.body(body)));
        }
        Begin::Mismatch => {
            let response = problem(
                request_id.as_deref(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotency_key_reused",
                "Idempotency key reused",
                "this Idempotency-Key was used with another request; use a new key for a new request".into(),
            );
            return Ok(req.into_response(response));
        }
        Begin::InFlight => {
            let response = problem(
                request_id.as_deref(),
                StatusCode::CONFLICT,
                "idempotency_key_in_flight",
                "Conflict",
                "a request with this Idempotency-Key is still being handled; retry later".into(),
            );
            return Ok(req.into_response(response));
        }
    }
    req.set_payload(actix_web::dev::Payload::from(body));
    let response = match next.call(req).await {
        Ok(r) => r,
        Err(e) => {
            let _ = abandon(&db, &owner, &key).await;
            return Err(e);
        }
    };
    let status = response.status();
    if status.is_server_error()
        || status == StatusCode::TOO_MANY_REQUESTS
        || status == StatusCode::UNAUTHORIZED
    {
        let _ = abandon(&db, &owner, &key).await;
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (head, body) = response.into_parts();
    let bytes = match actix_web::body::to_bytes(body).await {
        Ok(b) => b,
        Err(_) => {
            let _ = abandon(&db, &owner, &key).await;
            return Err(crate::error::ApiError::Internal(anyhow::anyhow!(
                "reading a response to store for its idempotency key"
            ))
            .into());
        }
    };
    if let Err(e) = finish(
        &db,
        &owner,
        &key,
        status.as_u16(),
        content_type,
        bytes.to_vec(),
    )
    .await
    {
        tracing::error!(error = %e, "storing the answer of an idempotency key");
        let _ = abandon(&db, &owner, &key).await;
    }
    let response = head.set_body(BoxBody::new(bytes));
    Ok(ServiceResponse::new(request, response))
}
