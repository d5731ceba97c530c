//! Liveness and readiness probes for load balancers and orchestrators.

use crate::db;
use crate::state::AppState;
use actix_web::{HttpResponse, get, web};
use serde_json::json;

/// The process is up.
#[utoipa::path(
    operation_id = "health_live",
    tag = "health",
    responses((status = 200, description = "The process answers", example = json!({"status": "ok"})))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// The process can serve requests: the database answers.
#[utoipa::path(
    operation_id = "health_ready",
    tag = "health",
    responses(
        (status = 200, description = "The database answers", example = json!({"status": "ok", "database": "ok"})),
        (status = 503, description = "The database does not answer", example = json!({"status": "unavailable", "database": "unreachable"}))
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    match db::ping(&state.db).await {
        Ok(()) => HttpResponse::Ok().json(json!({"status": "ok", "database": "ok"})),
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({"status": "unavailable", "database": "unreachable"}))
        }
    }
}
