//! `/registrations`: registrations for a period and the assessment each carries, one endpoint
//! per workflow transition.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::{Json, OptionalJson};
use crate::services::decisions;
use crate::services::registrations::{self, ListFilter};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;
use shared::assessment::{Action, AssessmentStatus};
use shared::error::Problem;
use shared::page::Page;
use shared::workflow::{
    AssessmentEvent, BulkInput, BulkOutcome, Registration, RegistrationInput, RevokeInput,
    ScoresInput, TransitionInput,
};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of `GET /registrations` (the review queue).
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    period_id: Option<Uuid>,
    status: Option<AssessmentStatus>,
    reviewing_unit_id: Option<Uuid>,
    /// `VN`, a province or a commune code inside the caller's unit.
    unit: Option<String>,
    target_group: Option<String>,
    /// Words of the person's name, with or without diacritics.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// List registrations inside the caller's unit, with filters: the review queue.
#[utoipa::path(
    operation_id = "registrations_list",
    tag = "registrations",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, description = "One page of registrations", body = Page<Registration>))
)]
#[get("/registrations")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<Registration>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        period_id: q.period_id,
        status: q.status,
        reviewing_unit_id: q.reviewing_unit_id,
        unit: q.unit,
        target_group: q.target_group,
        q: q.q,
        page: q.page,
        per_page: q.per_page,
    };
    registrations::list(&state.db, &actor, filter)
        .await
        .map(web::Json)
}

/// Register a person for a period (while registration is open); one per person per period.
#[utoipa::path(
    operation_id = "registrations_create",
    tag = "registrations",
    security(("bearer" = [])),
    request_body = RegistrationInput,
    responses(
        (status = 201, description = "Registered", body = Registration),
        (status = 409, description = "Already registered (`duplicate`) or registration closed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<RegistrationInput>,
) -> Result<HttpResponse, ApiError> {
    let r = registrations::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/registrations/{}", r.id)))
        .json(r))
}

/// One registration with its assessment, results and allowed actions.
#[utoipa::path(
    operation_id = "registrations_get",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The registration", body = Registration),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/registrations/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Registration>, ApiError> {
    registrations::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// The history of the assessment: every transition with who, when, from, to and note.
#[utoipa::path(
    operation_id = "registrations_events",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    responses((status = 200, description = "Transitions, oldest first", body = Vec<AssessmentEvent>))
)]
#[get("/registrations/{id}/events")]
pub async fn events(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<AssessmentEvent>>, ApiError> {
    registrations::events(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Enter the self-assessment scores (per indicator code) in draft; a registered assessment
/// starts, pinned to the criteria set in force. Totals and verdict are computed by the server.
#[utoipa::path(
    operation_id = "registrations_self_assessment",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body = ScoresInput,
    responses(
        (status = 200, description = "The registration with its self result", body = Registration),
        (status = 409, description = "Not in draft, or outside the self-assessment dates", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Scores missing, unknown or above their maximum (each named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/registrations/{id}/self-assessment")]
pub async fn self_assessment(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<ScoresInput>,
) -> Result<web::Json<Registration>, ApiError> {
    registrations::put_self_scores(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}

/// Enter the review scores, kept apart from the self scores; a submitted assessment moves under
/// review.
#[utoipa::path(
    operation_id = "registrations_review",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body = ScoresInput,
    responses(
        (status = 200, description = "The registration with its review result", body = Registration),
        (status = 409, description = "Not submitted or under review, or outside the review dates", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Scores invalid (each named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/registrations/{id}/review")]
pub async fn review(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<ScoresInput>,
) -> Result<web::Json<Registration>, ApiError> {
    registrations::put_review_scores(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}

/// Pass many reviews at once; each one is done or refused on its own.
#[utoipa::path(
    operation_id = "registrations_bulk_pass",
    tag = "registrations",
    security(("bearer" = [])),
    request_body = BulkInput,
    responses((status = 200, description = "The outcome of each", body = Vec<BulkOutcome>))
)]
#[post("/registrations/bulk-pass")]
pub async fn bulk_pass(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<BulkInput>,
) -> Result<web::Json<Vec<BulkOutcome>>, ApiError> {
    let body = body.0;
    registrations::bulk_pass(&state.db, &actor, body.ids, body.note)
        .await
        .map(web::Json)
}

/// Revoke a recognition, with a reason.
#[utoipa::path(
    operation_id = "registrations_revoke",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body = RevokeInput,
    responses(
        (status = 200, description = "Revoked", body = Registration),
        (status = 409, description = "Not recognised", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<RevokeInput>,
) -> Result<web::Json<Registration>, ApiError> {
    decisions::revoke(&state.db, &actor, id.into_inner(), body.0.reason)
        .await
        .map(web::Json)
}

/// The certificate of a recognition, as a PDF with a QR code to the public verification page.
#[utoipa::path(
    operation_id = "registrations_certificate",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The certificate", content_type = "application/pdf", body = Vec<u8>),
        (status = 409, description = "Not recognised", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/registrations/{id}/certificate.pdf")]
pub async fn certificate(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let pdf = decisions::certificate_pdf(&state.db, &actor, id, &state.public_url).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"certificate-{id}.pdf\""),
        ))
        .body(pdf))
}

async fn act(
    state: &AppState,
    actor: &Actor,
    id: Uuid,
    action: Action,
    body: Option<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    registrations::transition(&state.db, actor, id, action, body.and_then(|b| b.note))
        .await
        .map(web::Json)
}

/// Start the self-assessment (registered → draft), pinned to the criteria set in force.
#[utoipa::path(
    operation_id = "registrations_start",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/start")]
pub async fn start(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(
        &state,
        &actor,
        id.into_inner(),
        Action::StartSelfAssessment,
        body.0,
    )
    .await
}

/// Submit the self-assessment (draft → submitted); its scores must be complete.
#[utoipa::path(
    operation_id = "registrations_submit",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/submit")]
pub async fn submit(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(&state, &actor, id.into_inner(), Action::Submit, body.0).await
}

/// Start the review (submitted → under review).
#[utoipa::path(
    operation_id = "registrations_start_review",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/start-review")]
pub async fn start_review(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(&state, &actor, id.into_inner(), Action::StartReview, body.0).await
}

/// Return the assessment to draft with a note saying why (`note` required).
#[utoipa::path(
    operation_id = "registrations_return_to_draft",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/return")]
pub async fn return_to_draft(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(&state, &actor, id.into_inner(), Action::Return, body.0).await
}

/// Pass the review; the review scores (or, without them, the self scores) must meet the pass rule.
#[utoipa::path(
    operation_id = "registrations_pass",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/pass")]
pub async fn pass(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(&state, &actor, id.into_inner(), Action::Pass, body.0).await
}

/// Fail the review.
#[utoipa::path(
    operation_id = "registrations_fail",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/fail")]
pub async fn fail(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(&state, &actor, id.into_inner(), Action::Fail, body.0).await
}

/// Withdraw a registration that is registered or in draft.
#[utoipa::path(
    operation_id = "registrations_withdraw",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    request_body(content = Option<TransitionInput>, description = "An optional note"),
    responses(
        (status = 200, description = "The registration in its new state", body = Registration),
        (status = 403, description = "The caller's role does not do this", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such registration in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not allowed in the current state or outside the period's dates; `detail` names the current state", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/withdraw")]
pub async fn withdraw(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: OptionalJson<TransitionInput>,
) -> Result<web::Json<Registration>, ApiError> {
    act(&state, &actor, id.into_inner(), Action::Withdraw, body.0).await
}
