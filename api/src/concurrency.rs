//! Optimistic concurrency for single records, in one place for every resource with a `version`:
//! answers about one record (`/api/v1/<collection>/<id>…`) carry `ETag: "<version>"` (a strong
//! tag), and a write to it (`PUT`, `PATCH`, `DELETE`, or a `POST` transition) with `If-Match`
//! is refused with 412 `precondition_failed`, naming the current version, unless one of the
//! listed tags (or `*`) matches. A write without `If-Match` is allowed (last writer wins).
//!
//! The tag is checked twice, only for callers with a valid token (so it tells nothing to anonymous
//! callers): before the handler runs, against the committed version, which answers the common
//! case without touching the service; and again inside the write's own transaction, when the
//! record is saved (`db::versioning::before_update`, called by the entities' `before_save`),
//! with the row locked on PostgreSQL, so that of two concurrent writes sending the same tag only the first
//! succeeds and the second gets 412. The same step gives every update its version from the
//! locked row, so concurrent writes without `If-Match` get distinct, consecutive versions.

use crate::db::versioning::{Expected, etag, expecting, if_match_allows};
use crate::error::ApiError;
use crate::state::AppState;
use crate::telemetry::RequestId;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::{Error, web};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

/// Collections whose records carry a version, and their tables.
const VERSIONED: [(&str, &str); 9] = [
    ("people", "people"),
    ("memberships", "memberships"),
    ("villages", "villages"),
    ("association-units", "association_units"),
    ("registrations", "registrations"),
    ("criteria-sets", "criteria_sets"),
    ("periods", "periods"),
    ("decisions", "decisions"),
    ("users", "users"),
];

/// The table and id of a single-record path, and whether the path is the record itself (not a
/// sub-resource or transition).
pub fn record_of(path: &str) -> Option<(&'static str, Uuid, bool)> {
    let rest = path.strip_prefix("/api/v1/")?;
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    let collection = segments.next()?;
    let id = Uuid::parse_str(segments.next()?).ok()?;
    let (_, table) = VERSIONED.iter().find(|(c, _)| *c == collection)?;
    Some((table, id, segments.next().is_none()))
}

/// For a documented path template (`/api/v1/people/{id}`): whether it names a versioned record
/// (`Some(true)`) or a sub-resource or transition of one (`Some(false)`), as [`record_of`] sees
/// the paths it serves; `None` for any other path.
pub fn versioned_record_path(template: &str) -> Option<bool> {
    let rest = template.strip_prefix("/api/v1/")?;
    let mut segments = rest.split('/').filter(|s| !s.is_empty());
    let collection = segments.next()?;
    let id = segments.next()?;
    if !(id.starts_with('{') && id.ends_with('}')) {
        return None;
    }
    VERSIONED.iter().find(|(c, _)| *c == collection)?;
    Some(segments.next().is_none())
}

async fn current_version(
    state: &AppState,
    table: &str,
    id: Uuid,
) -> Result<Option<i64>, sea_orm::DbErr> {
    let backend = state.db.get_database_backend();
    let row = state
        .db
        .query_one(crate::db::sql(
            backend,
            &format!("SELECT version FROM {table} WHERE id = ?"),
            vec![id.into()],
        ))
        .await?;
    row.map(|r| r.try_get::<i32>("", "version").map(i64::from))
        .transpose()
}

fn has_valid_token(req: &ServiceRequest, state: &AppState) -> bool {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .is_some_and(|t| state.keys.verify(t.trim()).is_some())
}

/// Middleware: `If-Match` on writes, `ETag` on answers about one record.
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let Some((table, id, whole)) = record_of(req.path()) else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let write = matches!(
        *req.method(),
        Method::PUT | Method::PATCH | Method::DELETE | Method::POST
    );
    let mut expected = None;
    if write
        && let Some(if_match) = req.headers().get(header::IF_MATCH).cloned()
        && let Some(state) = req.app_data::<web::Data<AppState>>().cloned()
        && has_valid_token(&req, &state)
    {
        let if_match = if_match.to_str().unwrap_or_default().to_string();
        let current = current_version(&state, table, id)
            .await
            .map_err(|e| ApiError::Internal(e.into()))?;
        if let Some(version) = current
            && !if_match_allows(&if_match, version)
        {
            let error = ApiError::PreconditionFailed {
                current_version: version,
            };
            let answer = error.response(RequestId::of(req.request()).as_deref());
            return Ok(req.into_response(answer));
        }
        expected = Some(Expected {
            table,
            id,
            if_match,
        });
    }
    let response = match expected {
        Some(expected) => expecting(expected, next.call(req)).await?,
        None => next.call(req).await?,
    };
    let answered_record = response.status().is_success()
        && (whole || write)
        && response
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json"));
    if !answered_record {
        return Ok(response.map_into_boxed_body());
    }
    let (request, response) = response.into_parts();
    let (mut head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| ApiError::Internal(anyhow::anyhow!("reading a response to tag it")))?;
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes)
        && value.get("id").and_then(|v| v.as_str()) == Some(id.to_string().as_str())
        && let Some(version) = value.get("version").and_then(serde_json::Value::as_i64)
        && let Ok(tag) = header::HeaderValue::from_str(&etag(version))
    {
        head.headers_mut().insert(header::ETAG, tag);
    }
    Ok(ServiceResponse::new(
        request,
        head.set_body(BoxBody::new(bytes)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_paths_are_recognised() {
        let id = "0b7f8f52-3c1e-4a8e-9d7a-6c9e2b1f4a30";
        assert_eq!(
            record_of(&format!("/api/v1/people/{id}")).map(|(t, _, w)| (t, w)),
            Some(("people", true))
        );
        assert_eq!(
            record_of(&format!("/api/v1/registrations/{id}/submit")).map(|(t, _, w)| (t, w)),
            Some(("registrations", false))
        );
        assert!(record_of("/api/v1/people/lookup").is_none());
        assert_eq!(
            record_of(&format!("/api/v1/users/{id}")).map(|(t, _, w)| (t, w)),
            Some(("users", true))
        );
        assert!(record_of(&format!("/api/v1/clients/{id}")).is_none());
    }
}
