//! `/legacy-queue`: records whose old address needs an officer's choice of current commune.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::legacy_queue::{self, ListFilter};
use crate::state::AppState;
use actix_web::{get, post, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::import::{BulkResolveRequest, QueueItem, QueueReason, ResolveOutcome, ResolveRequest};
use shared::page::Page;
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of `GET /legacy-queue`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `pending` (default) or `resolved`.
    status: Option<String>,
    /// `split`, `unmapped` or `restructured`.
    reason: Option<QueueReason>,
    /// Only the rows one import held.
    import_job_id: Option<Uuid>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// Records waiting for a current commune, in the caller's province (a commune officer sees the
/// items their commune is a candidate for), with the candidate communes of each.
#[utoipa::path(
    operation_id = "legacy_queue_list",
    tag = "legacy-queue",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of items", body = Page<QueueItem>),
        (status = 403, description = "The caller's role does not resolve old addresses", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/legacy-queue")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<QueueItem>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        status: q.status,
        reason: q.reason,
        import_job_id: q.import_job_id,
        page: q.page,
        per_page: q.per_page,
    };
    legacy_queue::list(&state.db, &actor, filter)
        .await
        .map(web::Json)
}

/// One item.
#[utoipa::path(
    operation_id = "legacy_queue_get",
    tag = "legacy-queue",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Queue item id")),
    responses(
        (status = 200, description = "The item", body = QueueItem),
        (status = 404, description = "No such item in the caller's province", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/legacy-queue/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<QueueItem>, ApiError> {
    legacy_queue::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Choose the current commune of one item: the held row becomes a person there, or the record
/// moves there. For a split commune the choice must be one of the candidates.
#[utoipa::path(
    operation_id = "legacy_queue_resolve",
    tag = "legacy-queue",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Queue item id")),
    request_body = ResolveRequest,
    responses(
        (status = 200, description = "Resolved", body = ResolveOutcome),
        (status = 404, description = "No such item in the caller's province", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Resolved already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a candidate, unknown or outside the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/legacy-queue/{id}/resolve")]
pub async fn resolve(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<ResolveRequest>,
) -> Result<web::Json<ResolveOutcome>, ApiError> {
    legacy_queue::resolve(
        &state.db,
        &state.pii,
        &actor,
        id.into_inner(),
        &body.0.commune_code,
    )
    .await
    .map(web::Json)
}

/// Choose the communes of several items at once, in one transaction: any bad choice refuses the
/// whole request, naming `items[i]`.
#[utoipa::path(
    operation_id = "legacy_queue_resolve_many",
    tag = "legacy-queue",
    security(("bearer" = [])),
    request_body = BulkResolveRequest,
    responses(
        (status = 200, description = "Every item resolved", body = Vec<ResolveOutcome>),
        (status = 422, description = "At least one choice is refused; nothing was applied", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/legacy-queue/resolve")]
pub async fn resolve_many(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<BulkResolveRequest>,
) -> Result<web::Json<Vec<ResolveOutcome>>, ApiError> {
    legacy_queue::resolve_many(&state.db, &state.pii, &actor, body.0)
        .await
        .map(web::Json)
}
