//! `GET /changes`: the change feed of the records inside the caller's unit.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::services::changes::{self, ChangePage};
use crate::state::AppState;
use actix_web::{get, web};
use serde::Deserialize;
use shared::error::Problem;
use utoipa::IntoParams;

/// Parameters of `GET /changes`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ChangesQuery {
    /// The `next_cursor` of the previous page; absent to start from the beginning.
    #[param(example = "1042")]
    since: Option<String>,
    /// Changes per page, 1 to 1000 (default 100).
    #[param(example = 500)]
    limit: Option<u64>,
}

/// The changes (created, updated, deleted) of records inside the caller's unit, in commit order.
///
/// Start without `since`, then pass each page's `next_cursor` as `since`. No change is skipped
/// or repeated, also while others write: a change is numbered when its transaction commits.
/// When `has_more` is false the feed is caught up; poll again later with the same cursor. A
/// client sees only the record types of the operations it was granted (`people:read` for
/// `person`, `memberships:read` for `membership`, `registrations:read` for `registration` and
/// `decision`); villages, association units, periods and criteria sets are seen by every reader.
#[utoipa::path(
    operation_id = "changes_list",
    tag = "integration",
    security(("bearer" = [])),
    params(ChangesQuery),
    responses(
        (status = 200, description = "One page of changes", body = ChangePage),
        (status = 403, description = "A client without `changes:read`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`since` is not a cursor, or `limit` is out of range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/changes")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ChangesQuery>,
) -> Result<web::Json<ChangePage>, ApiError> {
    let q = query.into_inner();
    changes::list(&state.db, &actor, q.since.as_deref(), q.limit)
        .await
        .map(web::Json)
}
