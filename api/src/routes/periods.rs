//! `/periods`: the yearly periods and their configuration.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::periods;
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, put, web};
use shared::error::Problem;
use shared::workflow::{Period, PeriodInput};
use uuid::Uuid;

/// Every period, newest first.
#[utoipa::path(
    operation_id = "periods_list",
    tag = "periods",
    security(("bearer" = [])),
    responses((status = 200, description = "Periods", body = Vec<Period>))
)]
#[get("/periods")]
pub async fn list(
    state: web::Data<AppState>,
    _actor: Actor,
) -> Result<web::Json<Vec<Period>>, ApiError> {
    periods::list(&state.db).await.map(web::Json)
}

/// Create the period of a year (central administrator). Dates default to the whole year, the
/// reviewer to the branch, the recogniser to the commune, validity to 12 months.
#[utoipa::path(
    operation_id = "periods_create",
    tag = "periods",
    security(("bearer" = [])),
    request_body = PeriodInput,
    responses(
        (status = 201, description = "Created", body = Period),
        (status = 403, description = "Only the central administrator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The year has a period", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid dates or levels", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/periods")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<PeriodInput>,
) -> Result<HttpResponse, ApiError> {
    let period = periods::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/periods/{}", period.id)))
        .json(period))
}

/// Change a period's dates and configuration.
#[utoipa::path(
    operation_id = "periods_update",
    tag = "periods",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Period id")),
    request_body = PeriodInput,
    responses(
        (status = 200, description = "The period", body = Period),
        (status = 404, description = "No such period", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid dates or levels", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/periods/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<PeriodInput>,
) -> Result<web::Json<Period>, ApiError> {
    periods::update(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}
