//! `/clients`: API clients of provincial systems, managed by central administrators and
//! province officers.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::clients::{self, ApiClient, ClientWithSecret, CreateClientRequest};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use shared::error::Problem;
use uuid::Uuid;

/// Register an API client; the answer shows its secret, this once only.
///
/// A central administrator registers clients for the nation (`VN`) or any province, a province
/// officer for their own province only.
#[utoipa::path(
    operation_id = "clients_create",
    tag = "integration",
    security(("bearer" = [])),
    request_body = CreateClientRequest,
    responses(
        (status = 201, description = "Registered; `client_secret` is shown only now", body = ClientWithSecret),
        (status = 403, description = "The caller does not manage clients of that scope", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields are invalid (each named)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "/problems/validation_failed", "title": "The request is not valid", "status": 422, "code": "validation_failed",
                "detail": "operations[1]: must be one of people:read, …", "errors": [{"field": "operations[1]", "code": "unknown_operation", "message": "must be one of people:read, …"}]})),
    )
)]
#[post("/clients")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<CreateClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let created = clients::create(&state.db, &actor, body.0).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/clients/{}", created.client.id)))
        .insert_header(("Cache-Control", "no-store"))
        .json(created))
}

/// List the API clients inside the caller's unit.
#[utoipa::path(
    operation_id = "clients_list",
    tag = "integration",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The clients, by name", body = Vec<ApiClient>),
        (status = 403, description = "The caller does not manage clients", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<Vec<ApiClient>>, ApiError> {
    clients::list(&state.db, &actor).await.map(web::Json)
}

/// One API client.
#[utoipa::path(
    operation_id = "clients_get",
    tag = "integration",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The client", body = ApiClient),
        (status = 404, description = "No such client in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiClient>, ApiError> {
    clients::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Replace a client's secret; the old secret and every token issued with it stop working at once.
#[utoipa::path(
    operation_id = "clients_rotate_secret",
    tag = "integration",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The new secret, shown only now", body = ClientWithSecret),
        (status = 404, description = "No such client in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The client is revoked", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let rotated = clients::rotate_secret(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(rotated))
}

/// Revoke a client: its secret and its tokens are refused from now on. Revoking twice is harmless.
#[utoipa::path(
    operation_id = "clients_revoke",
    tag = "integration",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Client id")),
    responses(
        (status = 200, description = "The revoked client", body = ApiClient),
        (status = 404, description = "No such client in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients/{id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<ApiClient>, ApiError> {
    clients::revoke(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}
