//! `/audit`: the audit log of the caller's unit.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::services::audit::{self, ListFilter};
use crate::state::AppState;
use actix_web::{get, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::page::Page;
use shared::registry::AuditEntry;
use utoipa::IntoParams;

/// Filters of `GET /audit`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// e.g. `person`, `account`, `village`, `association_unit`.
    resource_type: Option<String>,
    resource_id: Option<String>,
    /// e.g. `person.view`, `person.reveal_personal_id`.
    action: Option<String>,
    /// Only entries from this time on (RFC 3339).
    from: Option<chrono::DateTime<chrono::Utc>>,
    /// Only entries before this time (RFC 3339).
    to: Option<chrono::DateTime<chrono::Utc>>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The audit entries about records of the caller's unit, newest first (commune officers and
/// above).
#[utoipa::path(
    operation_id = "audit_list",
    tag = "audit",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of entries", body = Page<AuditEntry>),
        (status = 403, description = "The caller's role does not read the audit log", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<AuditEntry>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        resource_type: q.resource_type,
        resource_id: q.resource_id,
        action: q.action,
        from: q.from,
        to: q.to,
        page: q.page,
        per_page: q.per_page,
    };
    audit::list(&state.db, &actor, filter).await.map(web::Json)
}
