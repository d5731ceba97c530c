//! `/restructurings`: newer official lists of communes and provinces, their difference with the
//! current list, applied with an effective date and a legal basis, and undone. Central
//! administrators only.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::restructuring;
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use shared::error::Problem;
use shared::import::{ApplyRestructuringRequest, Restructuring, RestructuringRequest};
use uuid::Uuid;

/// Compare a newer list of communes (CSV in the format of the shipped `dvhc-2025-communes.csv`,
/// with an optional lineage CSV in the format of `dvhc-2025-conversion.csv`), of provinces (CSV
/// in the format of `dvhc-2025-provinces.csv`), or both, with the current list; a list not given
/// stays as it is, but one of the two is required. The answer is a draft listing every added,
/// renamed, moved, merged and dissolved commune, and every added, renamed, merged and dissolved
/// province (`level: province`; a removed province is merged when all its communes went to one
/// province), with how many records sit on each. Nothing changes until it is applied.
#[utoipa::path(
    operation_id = "restructurings_create",
    tag = "restructurings",
    security(("bearer" = [])),
    request_body = RestructuringRequest,
    responses(
        (status = 201, description = "The draft with its difference", body = Restructuring),
        (status = 403, description = "Not a central administrator", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No file given, or a line of a file is invalid (the field and the line named), or a province left out still holds communes", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/restructurings")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<RestructuringRequest>,
) -> Result<HttpResponse, ApiError> {
    let draft = restructuring::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/restructurings/{}", draft.id)))
        .json(draft))
}

/// Every restructuring, newest first.
#[utoipa::path(
    operation_id = "restructurings_list",
    tag = "restructurings",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The restructurings", body = Vec<Restructuring>),
        (status = 403, description = "Not a central administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/restructurings")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<Vec<Restructuring>>, ApiError> {
    restructuring::list(&state.db, &actor).await.map(web::Json)
}

/// One restructuring with its difference.
#[utoipa::path(
    operation_id = "restructurings_get",
    tag = "restructurings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Restructuring id")),
    responses(
        (status = 200, description = "The restructuring", body = Restructuring),
        (status = 404, description = "No such restructuring", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/restructurings/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Restructuring>, ApiError> {
    restructuring::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Apply a draft, in one transaction: new provinces and communes (with their Association unit)
/// are added, renamed and moved ones changed, merged communes closed with their records moved to
/// the successor, and the people of dissolved ones queued for a choice of commune. A merged
/// province is closed and hands its committees, the memberships of its Association unit, its
/// accounts, API clients and pending queue items to its successor; a province dissolved over
/// several provinces (or none) while such records remain is refused (409, naming them). The
/// lineage is recorded.
#[utoipa::path(
    operation_id = "restructurings_apply",
    tag = "restructurings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Restructuring id")),
    request_body = ApplyRestructuringRequest,
    responses(
        (status = 200, description = "Applied", body = Restructuring),
        (status = 409, description = "Not a draft, a code would be reused, or a province dissolved over several still holds accounts or units", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Effective date or legal basis missing", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/restructurings/{id}/apply")]
pub async fn apply(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<ApplyRestructuringRequest>,
) -> Result<web::Json<Restructuring>, ApiError> {
    restructuring::apply(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}

/// Undo an applied restructuring, in one transaction, restoring the units and every record it
/// moved (accounts included) exactly. Refused (409) when a moved record changed since, a queued
/// one was resolved, or accounts or API clients were placed in a province it added.
#[utoipa::path(
    operation_id = "restructurings_undo",
    tag = "restructurings",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Restructuring id")),
    responses(
        (status = 200, description = "Undone", body = Restructuring),
        (status = 409, description = "Not applied, or records changed since", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/restructurings/{id}/undo")]
pub async fn undo(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Restructuring>, ApiError> {
    restructuring::undo(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}
