//! `/users`: account management within the caller's unit, for lower roles only.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::accounts::{self, ListFilter};
use crate::state::AppState;
use actix_web::{HttpResponse, get, patch, post, web};
use serde::Deserialize;
use shared::auth::{CreateUserRequest, ResetPasswordRequest, Role, UpdateUserRequest, User};
use shared::error::Problem;
use shared::page::Page;
use utoipa::IntoParams;
use uuid::Uuid;

/// Filters and paging of `GET /users`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// Part of the username or display name.
    q: Option<String>,
    /// Only this role.
    role: Option<Role>,
    /// Only accounts attached to exactly this unit code.
    unit: Option<String>,
    /// Only active (`true`) or disabled (`false`) accounts.
    active: Option<bool>,
    /// Page number, from 1.
    page: Option<u64>,
    /// Page size, 1 to 200 (default 50).
    per_page: Option<u64>,
}

/// List the accounts attached to the caller's unit and the units inside it.
#[utoipa::path(
    operation_id = "users_list",
    tag = "users",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of accounts", body = Page<User>),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller's role does not manage accounts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<User>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        q: q.q,
        role: q.role,
        unit: q.unit,
        active: q.active,
        page: q.page,
        per_page: q.per_page,
    };
    accounts::list(&state.db, &actor, filter)
        .await
        .map(web::Json)
}

/// Create an account of a lower role than the caller's, attached to a unit inside the caller's.
///
/// `central_admin` is attached to `VN`, `province_officer` to a province, `commune_officer`
/// and `branch_officer` to a commune, `viewer` to any of them.
#[utoipa::path(
    operation_id = "users_create",
    tag = "users",
    security(("bearer" = [])),
    request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Created", body = User),
        (status = 401, description = "No valid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Role or unit outside the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The username is taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let user = accounts::create_by(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", user.id)))
        .json(user))
}

/// One account in the caller's unit.
#[utoipa::path(
    operation_id = "users_get",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    responses(
        (status = 200, description = "The account", body = User),
        (status = 403, description = "Outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<User>, ApiError> {
    accounts::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Change an account's role, unit, display name, or disable it (`"active": false`).
///
/// The caller must manage the account both as it is and as it will be. Disabling it or changing
/// its role or unit ends its sessions.
#[utoipa::path(
    operation_id = "users_update",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    request_body = UpdateUserRequest,
    responses(
        (status = 200, description = "The changed account", body = User),
        (status = 403, description = "Outside the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (names it)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<UpdateUserRequest>,
) -> Result<web::Json<User>, ApiError> {
    accounts::update(&state.db, &actor, id.into_inner(), body.0)
        .await
        .map(web::Json)
}

/// Set a new password for an account the caller manages; its sessions end.
#[utoipa::path(
    operation_id = "users_reset_password",
    tag = "users",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Account id")),
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "Password reset"),
        (status = 403, description = "Outside the caller's reach", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such account", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is too weak", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/users/{id}/password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<ResetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    accounts::reset_password(&state.db, &actor, id.into_inner(), body.0.new_password).await?;
    Ok(HttpResponse::NoContent().finish())
}
