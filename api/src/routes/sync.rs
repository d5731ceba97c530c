//! `/sync/…`: batch upserts of API clients, keyed by the client's external ids.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::BatchJson;
use crate::services::sync::{self, BatchResult, PeopleBatch, RawBatch};
use crate::state::AppState;
use actix_web::{put, web};
use shared::error::Problem;

/// Create or update up to 1,000 people, keyed by the client's `external_id`.
///
/// Each item is a whole person record as for `POST /people`, plus the client's `external_id`
/// (unique per client). An external id seen for the first time creates a record; a known one
/// replaces that record (`updated`), or changes nothing when the item and the record are as the
/// client last sent them (`unchanged`). Each item is applied on its own: a rejected item (with
/// the problem details the single-record endpoint would answer, field paths prefixed
/// `items[<index>].`) does not stop the others, and leaves nothing behind. A personal ID number
/// already on another record is rejected as `duplicate`, naming the record when it lies in the
/// client's scope. The answer is 200 whatever the items' outcomes.
#[utoipa::path(
    operation_id = "sync_people",
    tag = "integration",
    security(("bearer" = [])),
    request_body = PeopleBatch,
    responses(
        (status = 200, description = "One result per item, in order", body = BatchResult),
        (status = 400, description = "The body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not an API client, or not granted `people:write`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 1,000 items, or a body over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not `{\"items\": [...]}`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The client's rate limit is exhausted; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/sync/people")]
pub async fn people(
    state: web::Data<AppState>,
    actor: Actor,
    BatchJson(batch): BatchJson<RawBatch>,
) -> Result<web::Json<BatchResult>, ApiError> {
    sync::people(&state.db, &state.pii, &state.addresses, &actor, batch)
        .await
        .map(web::Json)
}

/// Create or update up to 1,000 memberships, keyed by the client's `external_id`.
///
/// Each item names the person by your `person_external_id` (as pushed to `/sync/people`) or by
/// `person_id`, and the Association unit by id. A new external id creates the membership (ended
/// at once when `status` is `left` or `deceased`); a known one updates role, card, note and
/// status. A membership keeps its person and unit: moving it is a transfer
/// (`POST /memberships/{id}/transfer`), and an item that changes them is rejected. Items are
/// applied one by one, as for `/sync/people`.
#[utoipa::path(
    operation_id = "sync_memberships",
    tag = "integration",
    security(("bearer" = [])),
    request_body = crate::services::sync::MembershipBatch,
    responses(
        (status = 200, description = "One result per item, in order", body = BatchResult),
        (status = 403, description = "Not an API client, or not granted `memberships:write`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 1,000 items, or a body over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not `{\"items\": [...]}`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The client's rate limit is exhausted; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/sync/memberships")]
pub async fn memberships(
    state: web::Data<AppState>,
    actor: Actor,
    BatchJson(batch): BatchJson<RawBatch>,
) -> Result<web::Json<BatchResult>, ApiError> {
    sync::memberships(&state.db, &actor, batch)
        .await
        .map(web::Json)
}

/// Register up to 1,000 people for periods, keyed by the client's `external_id`.
///
/// Each item names the person by your `person_external_id` or by `person_id`, and the period by
/// id; the rules are those of `POST /registrations` (registration open, a published criteria
/// set for the target group, one registration per person and period). The same item again
/// answers `unchanged`; another `target_group` or `reviewing_unit_id` is `updated` while the
/// self-assessment has not started, and rejected (409) afterwards, when only the workflow
/// transitions change it; another person or period under the same external id is rejected
/// (409). Items are applied one by one, as for `/sync/people`.
#[utoipa::path(
    operation_id = "sync_registrations",
    tag = "integration",
    security(("bearer" = [])),
    request_body = crate::services::sync::RegistrationBatch,
    responses(
        (status = 200, description = "One result per item, in order", body = BatchResult),
        (status = 403, description = "Not an API client, or not granted `registrations:write`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 1,000 items, or a body over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not `{\"items\": [...]}`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The client's rate limit is exhausted; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/sync/registrations")]
pub async fn registrations(
    state: web::Data<AppState>,
    actor: Actor,
    BatchJson(batch): BatchJson<RawBatch>,
) -> Result<web::Json<BatchResult>, ApiError> {
    sync::registrations(&state.db, &actor, batch)
        .await
        .map(web::Json)
}

/// Enter review scores of up to 1,000 assessments, keyed by the client's `external_id` of each
/// registration.
///
/// Each item names a registration by your `external_id` (as pushed to `/sync/registrations`)
/// and gives the reviewer's points per indicator code; the rules are those of
/// `PUT /registrations/{id}/review` (a submitted assessment is taken under review; scores are
/// checked against the criteria set; the review window of the period applies). The same scores
/// again answer `unchanged`. The verdict is a transition of its own:
/// `POST /registrations/{id}/pass` or `/fail`.
#[utoipa::path(
    operation_id = "sync_results",
    tag = "integration",
    security(("bearer" = [])),
    request_body = crate::services::sync::ResultBatch,
    responses(
        (status = 200, description = "One result per item, in order", body = BatchResult),
        (status = 403, description = "Not an API client, or not granted `registrations:write`", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 1,000 items, or a body over the size limit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is not `{\"items\": [...]}`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "The client's rate limit is exhausted; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/sync/results")]
pub async fn results(
    state: web::Data<AppState>,
    actor: Actor,
    BatchJson(batch): BatchJson<RawBatch>,
) -> Result<web::Json<BatchResult>, ApiError> {
    sync::results(&state.db, &actor, batch).await.map(web::Json)
}
