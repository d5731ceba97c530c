//! `ApiError`, the one error type of the HTTP layer, rendered as RFC 9457 problem details.
//!
//! Every error answer carries a stable `code` and the request id. A 5xx never shows the cause:
//! that goes to the log with the same request id.
//!
//! The request id is not known where an error is made (a service, an extractor): the answer is
//! rendered without it by `ResponseError`, and the request-context middleware, which holds the
//! id, renders the body again with it ([`ApiError::body`]) and logs an internal error's cause
//! ([`ApiError::log`]). Below the HTTP layer only `db` is imported.

use crate::db::versioning::{PreconditionFailed, etag};
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use sea_orm::{DbErr, SqlErr};
use shared::error::{FieldError, Problem};

/// Everything a handler can answer with instead of success.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("bad request: {detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("unauthorized: {detail}")]
    Unauthorized { code: &'static str, detail: String },
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record exists already (a unique value is taken); `existing_id` only when the caller
    /// may see the existing record.
    #[error("duplicate: {detail}")]
    Duplicate {
        detail: String,
        existing_id: Option<String>,
    },
    #[error("payload too large")]
    PayloadTooLarge,
    /// The path exists, but not with this method; `allow` lists the methods it takes.
    #[error("method not allowed (allowed: {allow})")]
    MethodNotAllowed { allow: String },
    /// The body is of a kind the endpoint does not take (e.g. an evidence file that is not a
    /// PDF or an image).
    #[error("unsupported media type: {0}")]
    UnsupportedMediaType(String),
    /// `If-Match` names another version than the record's (see `concurrency` and
    /// `db::versioning`).
    #[error("precondition failed (current version {current_version})")]
    PreconditionFailed { current_version: i64 },
    #[error("too many requests")]
    TooManyRequests {
        retry_after_secs: u64,
        detail: String,
    },
    #[error("unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0:#}")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// One invalid field.
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError {
            field: field.to_string(),
            code: code.to_string(),
            message: message.into(),
        }])
    }

    pub fn forbidden() -> Self {
        ApiError::Forbidden("this is outside your role or your unit".to_string())
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    pub fn invalid_token() -> Self {
        ApiError::Unauthorized {
            code: "invalid_token",
            detail: "the access token is missing, invalid or expired".to_string(),
        }
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation_failed",
            ApiError::BadRequest { code, .. } | ApiError::Unauthorized { code, .. } => code,
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Duplicate { .. } => "duplicate",
            ApiError::PayloadTooLarge => "payload_too_large",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::UnsupportedMediaType(_) => "unsupported_media_type",
            ApiError::PreconditionFailed { .. } => "precondition_failed",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "The request is not valid",
            ApiError::BadRequest { .. } => "Bad request",
            ApiError::Unauthorized { .. } => "Authentication required",
            ApiError::Forbidden(_) => "Forbidden",
            ApiError::NotFound(_) => "Not found",
            ApiError::Conflict(_) => "Conflict",
            ApiError::Duplicate { .. } => "Duplicate",
            ApiError::PayloadTooLarge => "Request body too large",
            ApiError::MethodNotAllowed { .. } => "Method not allowed",
            ApiError::UnsupportedMediaType(_) => "Unsupported media type",
            ApiError::PreconditionFailed { .. } => "Precondition failed",
            ApiError::TooManyRequests { .. } => "Too many requests",
            ApiError::Unavailable(_) => "Service unavailable",
            ApiError::Internal(_) => "Internal error",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            ApiError::Validation(errors) => Some(match errors.len() {
                1 => format!("{}: {}", errors[0].field, errors[0].message),
                n => format!("{n} fields are not valid"),
            }),
            ApiError::BadRequest { detail, .. }
            | ApiError::Duplicate { detail, .. }
            | ApiError::Unauthorized { detail, .. }
            | ApiError::TooManyRequests { detail, .. } => Some(detail.clone()),
            ApiError::Forbidden(d)
            | ApiError::NotFound(d)
            | ApiError::Conflict(d)
            | ApiError::UnsupportedMediaType(d)
            | ApiError::Unavailable(d) => Some(d.clone()),
            ApiError::PayloadTooLarge => Some("the request body exceeds the size limit".into()),
            ApiError::MethodNotAllowed { allow } => Some(format!("this path takes only {allow}")),
            ApiError::PreconditionFailed { current_version } => Some(format!(
                "the record changed since you read it: its version is now {current_version}"
            )),
            ApiError::Internal(_) => Some("internal error".into()),
        }
    }

    /// The problem-details body of this error, in the request `request_id`.
    pub fn problem(&self, request_id: Option<&str>) -> Problem {
        let code = self.code();
        Problem {
            kind: format!("/problems/{code}"),
            title: self.title().to_string(),
            status: self.status_code().as_u16(),
            code: code.to_string(),
            detail: self.detail(),
            request_id: request_id.map(str::to_string),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            existing_id: match self {
                ApiError::Duplicate { existing_id, .. } => existing_id.clone(),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) | ApiError::Duplicate { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The answer without the request id; the request-context middleware fills it in.
    fn error_response(&self) -> HttpResponse {
        self.response(None)
    }
}

impl ApiError {
    /// The answer to this error in the request `request_id`.
    pub fn response(&self, request_id: Option<&str>) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::TooManyRequests {
                retry_after_secs, ..
            } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.max(&1).to_string()));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "1"));
            }
            ApiError::MethodNotAllowed { allow } => {
                response.insert_header((header::ALLOW, allow.as_str()));
            }
            ApiError::PreconditionFailed { current_version } => {
                response.insert_header((header::ETAG, etag(*current_version)));
            }
            ApiError::Unauthorized { .. } => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"cdht\""),
                ));
            }
            _ => {}
        }
        response.body(self.body(request_id))
    }

    /// The JSON body of the answer: the problem details, and for a failed precondition the
    /// record's `current_version`.
    pub fn body(&self, request_id: Option<&str>) -> Vec<u8> {
        let mut problem = self.problem(request_id);
        if let ApiError::PreconditionFailed { current_version } = self {
            problem.detail = Some(format!(
                "the record changed since you read it: its version is now {current_version}; \
                 read it again and retry with If-Match: {}",
                etag(*current_version)
            ));
        }
        let Ok(mut body) = serde_json::to_value(problem) else {
            return Vec::new();
        };
        if let ApiError::PreconditionFailed { current_version } = self
            && let Some(map) = body.as_object_mut()
        {
            map.insert("current_version".into(), (*current_version).into());
        }
        serde_json::to_vec(&body).unwrap_or_default()
    }

    /// Logs the cause of an internal error (nothing for the others: they are the caller's).
    pub fn log(&self, request_id: &str) {
        if let ApiError::Internal(cause) = self {
            tracing::error!(request_id, error = format!("{cause:#}"), "internal error");
        }
    }
}

impl From<DbErr> for ApiError {
    fn from(err: DbErr) -> Self {
        if let Some(PreconditionFailed { current_version }) = PreconditionFailed::of(&err) {
            return ApiError::PreconditionFailed { current_version };
        }
        if is_transient(&err) {
            return ApiError::Unavailable(
                "a concurrent change conflicted with this one; nothing was written, retry".into(),
            );
        }
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                ApiError::Conflict("a record with the same unique value exists".into())
            }
            _ => ApiError::Internal(anyhow::Error::new(err)),
        }
    }
}

/// Whether PostgreSQL aborted the transaction to resolve a deadlock (`40P01`) or a serialization
/// failure (`40001`): the transaction was rolled back whole, and the same request can be retried.
fn is_transient(err: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    use sea_orm::sqlx::Error;
    match err {
        DbErr::Exec(RuntimeErr::SqlxError(Error::Database(e)))
        | DbErr::Query(RuntimeErr::SqlxError(Error::Database(e))) => {
            matches!(e.code().as_deref(), Some("40P01" | "40001"))
        }
        _ => false,
    }
}
