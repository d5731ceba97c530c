//! `/association-units`: the Association's units at every level, as a tree.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::association_units::{self, ListFilter};
use crate::state::AppState;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::page::Page;
use shared::registry::{
    AssociationLevel, AssociationUnit, CreateAssociationUnitRequest, UpdateAssociationUnitRequest,
};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of `GET /association-units`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only the units directly under this one (a tree level).
    parent_id: Option<Uuid>,
    level: Option<AssociationLevel>,
    /// Only units in this commune.
    commune_code: Option<String>,
    /// Part of the name, with or without diacritics.
    q: Option<String>,
    /// Also list merged and dissolved units.
    include_inactive: Option<bool>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// List the units inside the caller's unit. With `parent_id`, one level of the tree.
#[utoipa::path(
    operation_id = "association_units_list",
    tag = "association-units",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, description = "One page of units", body = Page<AssociationUnit>))
)]
#[get("/association-units")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<AssociationUnit>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        parent_id: q.parent_id,
        level: q.level,
        commune_code: q.commune_code,
        q: q.q,
        include_inactive: q.include_inactive.unwrap_or(false),
        page: q.page,
        per_page: q.per_page,
    };
    association_units::list(&state.db, &actor, filter)
        .await
        .map(web::Json)
}

/// The unit the caller is attached to: the root of their tree.
#[utoipa::path(
    operation_id = "association_units_root",
    tag = "association-units",
    security(("bearer" = [])),
    responses((status = 200, description = "The caller's own Association unit", body = AssociationUnit))
)]
#[get("/association-units/root")]
pub async fn root(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<AssociationUnit>, ApiError> {
    association_units::root_of(&state.db, &actor)
        .await
        .map(web::Json)
}

/// Create a branch (chi hội) or committee (ban khuyến học) under a commune's Association.
#[utoipa::path(
    operation_id = "association_units_create",
    tag = "association-units",
    security(("bearer" = [])),
    request_body = CreateAssociationUnitRequest,
    responses(
        (status = 201, description = "Created", body = AssociationUnit),
        (status = 403, description = "Outside the caller's role or unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/association-units")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CreateAssociationUnitRequest>,
) -> Result<HttpResponse, ApiError> {
    let unit = association_units::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/association-units/{}", unit.id)))
        .json(unit))
}

/// One unit with its member and sub-unit counts.
#[utoipa::path(
    operation_id = "association_units_get",
    tag = "association-units",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Association unit id")),
    responses(
        (status = 200, description = "The unit", body = AssociationUnit),
        (status = 403, description = "Outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/association-units/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<AssociationUnit>, ApiError> {
    association_units::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Edit a unit's name and contacts, or deactivate it (`"status": "dissolved"` or `"merged"`).
#[utoipa::path(
    operation_id = "association_units_update",
    tag = "association-units",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Association unit id")),
    request_body = UpdateAssociationUnitRequest,
    responses(
        (status = 200, description = "The changed unit", body = AssociationUnit),
        (status = 403, description = "Outside the caller's role or unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Still has active sub-units or members", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/association-units/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<UpdateAssociationUnitRequest>,
) -> Result<web::Json<AssociationUnit>, ApiError> {
    association_units::update(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}
