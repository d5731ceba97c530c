//! `/memberships`: people's memberships of Association units, with their history.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::memberships;
use crate::state::AppState;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::page::Page;
use shared::registry::{
    CreateMembershipRequest, Membership, TransferMembershipRequest, UpdateMembershipRequest,
};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters of the member list of a unit.
#[derive(Debug, Deserialize, IntoParams)]
pub struct MembersQuery {
    /// Also the members of the units under this one.
    include_descendants: Option<bool>,
    /// `active` (default), `transferred`, `left` or `deceased`.
    status: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// A person joins an Association unit.
#[utoipa::path(
    operation_id = "memberships_create",
    tag = "memberships",
    security(("bearer" = [])),
    request_body = CreateMembershipRequest,
    responses(
        (status = 201, description = "Created", body = Membership),
        (status = 403, description = "Outside the caller's role or unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already an active member of the unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/memberships")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CreateMembershipRequest>,
) -> Result<HttpResponse, ApiError> {
    let m = memberships::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/memberships/{}", m.id)))
        .json(m))
}

/// Change role, card number or note, or end a membership (`left`, `deceased`).
#[utoipa::path(
    operation_id = "memberships_update",
    tag = "memberships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Membership id")),
    request_body = UpdateMembershipRequest,
    responses(
        (status = 200, description = "The changed membership", body = Membership),
        (status = 404, description = "No such membership in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A transferred membership is history", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/memberships/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<UpdateMembershipRequest>,
) -> Result<web::Json<Membership>, ApiError> {
    memberships::update(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}

/// Transfer a member to another unit; the old membership stays as history.
#[utoipa::path(
    operation_id = "memberships_transfer",
    tag = "memberships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Membership id")),
    request_body = TransferMembershipRequest,
    responses(
        (status = 201, description = "The new membership", body = Membership),
        (status = 404, description = "No such membership in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The membership is not active", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/memberships/{id}/transfer")]
pub async fn transfer(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<TransferMembershipRequest>,
) -> Result<HttpResponse, ApiError> {
    let m = memberships::transfer(&state.db, &actor, id.into_inner(), body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/memberships/{}", m.id)))
        .json(m))
}

/// Every membership of a person, history included.
#[utoipa::path(
    operation_id = "memberships_of_person",
    tag = "memberships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "Memberships, newest first", body = Vec<Membership>),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{id}/memberships")]
pub async fn of_person(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<Membership>>, ApiError> {
    memberships::of_person(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// The members of a unit (and of the units under it).
#[utoipa::path(
    operation_id = "memberships_of_unit",
    tag = "memberships",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Association unit id"), MembersQuery),
    responses(
        (status = 200, description = "One page of memberships", body = Page<Membership>),
        (status = 403, description = "Outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/association-units/{id}/members")]
pub async fn of_unit(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    query: crate::extract::Query<MembersQuery>,
) -> Result<web::Json<Page<Membership>>, ApiError> {
    let q = query.into_inner();
    memberships::of_unit(
        &state.db,
        &actor,
        id.into_inner(),
        q.include_descendants.unwrap_or(false),
        q.status,
        q.page,
        q.per_page,
    )
    .await
    .map(web::Json)
}
