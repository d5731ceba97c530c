//! `/villages`: villages and residential groups under the current communes.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::villages::{self, ListFilter};
use crate::state::AppState;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::page::Page;
use shared::registry::{CreateVillageRequest, UpdateVillageRequest, Village};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of `GET /villages`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Only this commune (inside the caller's unit).
    commune_code: Option<String>,
    /// Part of the name, with or without diacritics.
    q: Option<String>,
    /// Also list deactivated villages.
    include_inactive: Option<bool>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// List the villages of the caller's unit (or of one commune in it).
#[utoipa::path(
    operation_id = "villages_list",
    tag = "villages",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of villages", body = Page<Village>),
        (status = 403, description = "The commune is outside the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/villages")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<Village>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        commune_code: q.commune_code,
        q: q.q,
        include_inactive: q.include_inactive.unwrap_or(false),
        page: q.page,
        per_page: q.per_page,
    };
    villages::list(&state.db, &actor, filter)
        .await
        .map(web::Json)
}

/// Create a village or residential group under a commune of the caller's unit.
#[utoipa::path(
    operation_id = "villages_create",
    tag = "villages",
    security(("bearer" = [])),
    request_body = CreateVillageRequest,
    responses(
        (status = 201, description = "Created", body = Village),
        (status = 403, description = "Outside the caller's role or unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/villages")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CreateVillageRequest>,
) -> Result<HttpResponse, ApiError> {
    let village = villages::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/villages/{}", village.id)))
        .json(village))
}

/// One village.
#[utoipa::path(
    operation_id = "villages_get",
    tag = "villages",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Village id")),
    responses(
        (status = 200, description = "The village", body = Village),
        (status = 403, description = "Outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such village", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/villages/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Village>, ApiError> {
    villages::load(&state.db, &actor, id.into_inner())
        .await
        .map(|m| web::Json(villages::to_dto(m)))
}

/// Rename, change the kind, move to another commune of the same province, or deactivate.
#[utoipa::path(
    operation_id = "villages_update",
    tag = "villages",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Village id")),
    request_body = UpdateVillageRequest,
    responses(
        (status = 200, description = "The changed village", body = Village),
        (status = 403, description = "Outside the caller's role or unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such village", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/villages/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<UpdateVillageRequest>,
) -> Result<web::Json<Village>, ApiError> {
    villages::update(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}
