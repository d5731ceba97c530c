//! `/criteria-sets`: versioned criteria sets; drafts edited by the central administrator.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::criteria_sets;
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, put, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::workflow::{CriteriaSet, CriteriaSetInput};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of `GET /criteria-sets`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    target_group: Option<String>,
}

/// Every criteria set, newest versions first.
#[utoipa::path(
    operation_id = "criteria_sets_list",
    tag = "criteria-sets",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, description = "Criteria sets", body = Vec<CriteriaSet>))
)]
#[get("/criteria-sets")]
pub async fn list(
    state: web::Data<AppState>,
    _actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Vec<CriteriaSet>>, ApiError> {
    criteria_sets::list(&state.db, query.into_inner().target_group)
        .await
        .map(web::Json)
}

/// One criteria set with its whole structure.
#[utoipa::path(
    operation_id = "criteria_sets_get",
    tag = "criteria-sets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Criteria set id")),
    responses(
        (status = 200, description = "The set", body = CriteriaSet),
        (status = 404, description = "No such set", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/criteria-sets/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    _actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<CriteriaSet>, ApiError> {
    criteria_sets::get(&state.db, id.into_inner())
        .await
        .map(web::Json)
}

/// Create a draft (version 1 of a new family, or the next version of an existing one).
#[utoipa::path(
    operation_id = "criteria_sets_create",
    tag = "criteria-sets",
    security(("bearer" = [])),
    request_body = CriteriaSetInput,
    responses(
        (status = 201, description = "The draft", body = CriteriaSet),
        (status = 403, description = "Only the central administrator", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The family has a draft already", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The structure or rule is invalid (each problem named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/criteria-sets")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CriteriaSetInput>,
) -> Result<HttpResponse, ApiError> {
    let set = criteria_sets::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/criteria-sets/{}", set.id)))
        .json(set))
}

/// Edit a draft. A published set never changes (409).
#[utoipa::path(
    operation_id = "criteria_sets_update",
    tag = "criteria-sets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Criteria set id")),
    request_body = CriteriaSetInput,
    responses(
        (status = 200, description = "The draft", body = CriteriaSet),
        (status = 409, description = "The set is published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The structure or rule is invalid", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/criteria-sets/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<CriteriaSetInput>,
) -> Result<web::Json<CriteriaSet>, ApiError> {
    criteria_sets::update(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}

/// Publish a draft: it is frozen and in force for its target group from now on.
#[utoipa::path(
    operation_id = "criteria_sets_publish",
    tag = "criteria-sets",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Criteria set id")),
    responses(
        (status = 200, description = "The published set", body = CriteriaSet),
        (status = 409, description = "Not a draft", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/criteria-sets/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<CriteriaSet>, ApiError> {
    criteria_sets::publish(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}
