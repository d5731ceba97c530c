//! Evidence files of an assessment: upload the raw bytes of a PDF or an image for one
//! indicator, list, download and remove.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::services::evidence::{self, MAX_FILE_BYTES};
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, post, web};
use futures_util::StreamExt;
use serde::Deserialize;
use shared::error::Problem;
use shared::workflow::EvidenceFile;
use utoipa::IntoParams;
use uuid::Uuid;

/// Query of an upload.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name as the officer knows it, e.g. `giay-khen.pdf`.
    file_name: Option<String>,
}

/// Reads the body up to the evidence limit; beyond it, `413` without reading the rest.
async fn read_limited(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            code: "invalid_body",
            detail: format!("the body could not be read: {e}"),
        })?;
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(bytes)
}

/// Attach a file to one indicator of an assessment. The body is the file itself (any
/// `Content-Type`; the type is recognised from the content): a PDF, JPEG, PNG or WebP of at
/// most 5 MiB, at most 10 files per indicator. Allowed while the self-assessment is a draft
/// (within the self-assessment dates) or under review (within the review dates), for indicators
/// whose evidence policy is `optional` or `required`.
#[utoipa::path(
    operation_id = "evidence_upload",
    tag = "registrations",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Registration id"),
        ("indicator_code" = String, Path, description = "Indicator code of the pinned criteria set, e.g. `1.1.1`"),
        UploadQuery,
    ),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, description = "Attached", body = EvidenceFile),
        (status = 400, description = "`invalid_body`: the body could not be read to its end (the upload broke off)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not editable in the current state or dates, or too many files", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Larger than 5 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not a PDF, JPEG, PNG or WebP file", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing file name, empty file, unknown indicator or one without evidence", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/registrations/{id}/evidence/{indicator_code}")]
pub async fn upload(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(Uuid, String)>,
    query: crate::extract::Query<UploadQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let (id, indicator) = path.into_inner();
    let bytes = read_limited(payload).await?;
    let file_name = query.into_inner().file_name.unwrap_or_default();
    let file = evidence::upload(&state.db, &actor, id, &indicator, &file_name, bytes).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/evidence-files/{}", file.id)))
        .json(file))
}

/// The evidence files of an assessment (names, types, sizes; not the bytes).
#[utoipa::path(
    operation_id = "evidence_list",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Registration id")),
    responses(
        (status = 200, description = "The files, by indicator", body = Vec<EvidenceFile>),
        (status = 404, description = "No such registration in your unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/registrations/{id}/evidence")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Vec<EvidenceFile>>, ApiError> {
    evidence::list(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Download an evidence file (audited: evidence is personal data).
#[utoipa::path(
    operation_id = "evidence_download",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Evidence file id")),
    responses(
        (status = 200, description = "The file, with its detected type", body = Vec<u8>, content_type = "application/octet-stream"),
        (status = 404, description = "No such file in your unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/evidence-files/{id}")]
pub async fn download(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (file, bytes) = evidence::download(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .content_type(file.content_type.as_str())
        .insert_header((
            "Content-Disposition",
            crate::export::attachment(&file.file_name),
        ))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(("Cache-Control", "private, no-store"))
        .body(bytes))
}

/// Remove an evidence file while the assessment is still editable.
#[utoipa::path(
    operation_id = "evidence_delete",
    tag = "registrations",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Evidence file id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "No such file in your unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not editable in the current state or dates", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/evidence-files/{id}")]
pub async fn remove(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    evidence::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
