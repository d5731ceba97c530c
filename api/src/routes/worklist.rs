//! `/worklist`: the officer's work list, the counts behind the web application's home page.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::services::worklist;
use crate::state::AppState;
use actix_web::{get, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::worklist::Worklist;
use utoipa::IntoParams;
use uuid::Uuid;

/// Query of `GET /worklist`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct WorklistQuery {
    /// Count the registrations of this period instead of the current one.
    period_id: Option<Uuid>,
}

/// What waits for the caller in their own unit, in one answer: registrations of the period
/// waiting for review and under review, self-assessments not started and not submitted, old
/// addresses waiting for a choice of commune, imports queued or running (with the progress of
/// the oldest five), and the deadlines of the period counted (the one open today unless
/// `period_id` names another). A branch officer counts the registrations their branch reviews;
/// entries a role does not act on are `null`.
#[utoipa::path(
    operation_id = "worklist_get",
    tag = "worklist",
    security(("bearer" = [])),
    params(WorklistQuery),
    responses(
        (status = 200, description = "The caller's work list", body = Worklist),
        (status = 403, description = "`forbidden`: a viewer, or an API client: nothing to act on", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `period_id` is not a UUID or names no period (`unknown_period`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/worklist")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<WorklistQuery>,
) -> Result<web::Json<Worklist>, ApiError> {
    worklist::for_actor(&state.db, &actor, query.into_inner().period_id)
        .await
        .map(web::Json)
}
