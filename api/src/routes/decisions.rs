//! `/decisions`: recognition decisions of the recognising units.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::decisions;
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, post, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::workflow::{Decision, DecisionInput, DecisionItemsInput};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of `GET /decisions`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    period_id: Option<Uuid>,
}

/// Decisions of the units inside the caller's unit, newest first.
#[utoipa::path(
    operation_id = "decisions_list",
    tag = "decisions",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, description = "Decisions", body = Vec<Decision>))
)]
#[get("/decisions")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Vec<Decision>>, ApiError> {
    decisions::list(&state.db, &actor, query.into_inner().period_id)
        .await
        .map(web::Json)
}

/// Draft a recognition decision (number, date, signer, title) of the recognising unit.
#[utoipa::path(
    operation_id = "decisions_create",
    tag = "decisions",
    security(("bearer" = [])),
    request_body = DecisionInput,
    responses(
        (status = 201, description = "The draft", body = Decision),
        (status = 409, description = "The unit has a decision with this number (`duplicate`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/decisions")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<DecisionInput>,
) -> Result<HttpResponse, ApiError> {
    let d = decisions::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/decisions/{}", d.id)))
        .json(d))
}

/// One decision with the registrations it lists.
#[utoipa::path(
    operation_id = "decisions_get",
    tag = "decisions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Decision id")),
    responses(
        (status = 200, description = "The decision", body = Decision),
        (status = 404, description = "No such decision in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/decisions/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Decision>, ApiError> {
    decisions::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Add review-passed registrations to a draft decision.
#[utoipa::path(
    operation_id = "decisions_add_items",
    tag = "decisions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Decision id")),
    request_body = DecisionItemsInput,
    responses(
        (status = 200, description = "The decision", body = Decision),
        (status = 409, description = "The decision is issued", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A registration cannot be listed (names which)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/decisions/{id}/items")]
pub async fn add_items(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<DecisionItemsInput>,
) -> Result<web::Json<Decision>, ApiError> {
    decisions::add_items(&state.db, &actor, id.into_inner(), body.0.registration_ids)
        .await
        .map(web::Json)
}

/// Remove registrations from a draft decision.
#[utoipa::path(
    operation_id = "decisions_remove_items",
    tag = "decisions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Decision id")),
    request_body = DecisionItemsInput,
    responses(
        (status = 200, description = "The decision", body = Decision),
        (status = 409, description = "The decision is issued", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/decisions/{id}/items")]
pub async fn remove_items(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<DecisionItemsInput>,
) -> Result<web::Json<Decision>, ApiError> {
    decisions::remove_items(&state.db, &actor, id.into_inner(), body.0.registration_ids)
        .await
        .map(web::Json)
}

/// Issue the decision: every listed assessment is recognised in one transaction and gets the
/// next certificate number of the issuing unit and year, with no gap and no duplicate.
#[utoipa::path(
    operation_id = "decisions_issue",
    tag = "decisions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Decision id")),
    responses(
        (status = 200, description = "The issued decision", body = Decision),
        (status = 409, description = "Already issued, empty, or an item is no longer review-passed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/decisions/{id}/issue")]
pub async fn issue(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Decision>, ApiError> {
    decisions::issue(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// All certificates of an issued decision, one page each, in one PDF.
#[utoipa::path(
    operation_id = "decisions_certificates",
    tag = "decisions",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Decision id")),
    responses(
        (status = 200, description = "The certificates", content_type = "application/pdf", body = Vec<u8>),
        (status = 409, description = "Not issued yet", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/decisions/{id}/certificates.pdf")]
pub async fn certificates(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let pdf = decisions::decision_pdf(&state.db, &actor, id, &state.public_url).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "Content-Disposition",
            format!("inline; filename=\"decision-{id}.pdf\""),
        ))
        .body(pdf))
}
