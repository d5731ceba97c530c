//! `/public/verify/{code}`: the public check of a certificate, without login, rate-limited.

use crate::error::ApiError;
use crate::services::decisions;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use shared::error::Problem;
use shared::workflow::Verification;

/// Check a certificate from the code in its QR link. Shows only the masked name, the title, the
/// period, the issuing unit and whether it is valid, revoked or expired. An unknown code is a
/// plain 404.
#[utoipa::path(
    operation_id = "verify_certificate",
    tag = "verification",
    params(("code" = String, Path, description = "The verification code of the certificate")),
    responses(
        (status = 200, description = "What the public may know", body = Verification),
        (status = 404, description = "No certificate has this code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many checks from this address; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/public/verify/{code}")]
pub async fn verify(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let address = req
        .peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into());
    state
        .verify_limiter
        .check(&address)
        .map_err(|wait| ApiError::TooManyRequests {
            retry_after_secs: wait,
            detail: "too many verification requests; try again later".into(),
        })?;
    let found = decisions::verify(&state.db, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("certificate"))?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(found))
}
