//! `/imports`: bulk import of people from CSV and XLSX files, as background jobs.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::import::report;
use crate::services::imports::{self, ReportFormat};
use crate::state::AppState;
use actix_web::{HttpResponse, get, post, web};
use futures_util::StreamExt;
use serde::Deserialize;
use shared::error::Problem;
use shared::import::{
    ImportJob, ImportPreview, ImportUpload, PreviewRequest, RowOutcome, RowStatus,
    StartImportRequest,
};
use shared::page::Page;
use utoipa::IntoParams;
use uuid::Uuid;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn download(bytes: Vec<u8>, content_type: &str, file_name: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header(("Cache-Control", "no-store"))
        .body(bytes)
}

/// The import template as XLSX: the sheet to fill in (Vietnamese headers, every cell text) and
/// a guide to its columns. No login needed.
#[utoipa::path(
    operation_id = "imports_template_xlsx",
    tag = "imports",
    responses(
        (status = 200, description = "The template", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
    )
)]
#[get("/imports/template.xlsx")]
pub async fn template_xlsx() -> Result<HttpResponse, ApiError> {
    Ok(download(
        report::template_xlsx()?,
        XLSX,
        "mau-nhap-cong-dan.xlsx",
    ))
}

/// The import template as CSV (UTF-8 with a byte-order mark, the header line only). No login
/// needed.
#[utoipa::path(
    operation_id = "imports_template_csv",
    tag = "imports",
    responses(
        (status = 200, description = "The template", content_type = "text/csv", body = String),
    )
)]
#[get("/imports/template.csv")]
pub async fn template_csv() -> Result<HttpResponse, ApiError> {
    Ok(download(
        report::template_csv()?,
        "text/csv; charset=utf-8",
        "mau-nhap-cong-dan.csv",
    ))
}

/// Query of `POST /imports/uploads`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct UploadQuery {
    /// The file's name, shown in lists and used for the report's name.
    file_name: Option<String>,
}

/// Upload a file to import: the body is the file itself (CSV or XLSX, up to
/// `CDHT_MAX_UPLOAD_BYTES`). It is read at once: the answer gives its headers, the template
/// column each maps to, and its first rows. A file that cannot be read is refused (422, field
/// `file`) and nothing is stored.
#[utoipa::path(
    operation_id = "imports_upload",
    tag = "imports",
    security(("bearer" = [])),
    params(UploadQuery),
    request_body(content = Vec<u8>, description = "The CSV or XLSX file", content_type = "application/octet-stream"),
    responses(
        (status = 201, description = "Stored and read", body = ImportUpload),
        (status = 403, description = "The caller's role does not import", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The file is too large", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The file cannot be read (empty, not UTF-8, no header row)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/uploads")]
pub async fn upload(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<UploadQuery>,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limit = state.settings.max_upload_bytes;
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            code: "bad_request",
            detail: format!("reading the upload: {e}"),
        })?;
        if bytes.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        bytes.extend_from_slice(&chunk);
    }
    let file_name = query.into_inner().file_name.unwrap_or_default();
    let upload = imports::upload(&state.db, &state.addresses, &actor, &file_name, bytes).await?;
    Ok(HttpResponse::Created().json(upload))
}

/// How the first rows of an uploaded file read under a mapping (the same `mapping` as when
/// starting the import): the column each header maps to, the address headers that still need a
/// choice (old or current address), and where each row's address leads (a current commune,
/// converted from an old address, queued for an officer's choice, or an error with its reason).
/// Nothing is written.
#[utoipa::path(
    operation_id = "imports_preview",
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "The upload")),
    request_body = PreviewRequest,
    responses(
        (status = 200, description = "The preview", body = ImportPreview),
        (status = 403, description = "The caller's role does not import", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such upload in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The mapping names an unknown column", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/uploads/{id}/preview")]
pub async fn preview(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<Uuid>,
    body: Json<PreviewRequest>,
) -> Result<HttpResponse, ApiError> {
    let preview = imports::preview(
        &state.db,
        &state.addresses,
        &actor,
        path.into_inner(),
        body.0,
    )
    .await?;
    Ok(HttpResponse::Ok().json(preview))
}

/// Start importing an uploaded file, as a background job: `dry_run` reports every row's outcome
/// and writes nothing; `all_or_nothing` writes every row or, when any row has an error, none;
/// `valid_only` writes the valid rows in chunks. `mapping` names the template column of headers
/// that are not matched by name. Follow the job with `GET /imports/{id}`.
#[utoipa::path(
    operation_id = "imports_start",
    tag = "imports",
    security(("bearer" = [])),
    request_body = StartImportRequest,
    responses(
        (status = 202, description = "Queued", body = ImportJob),
        (status = 403, description = "The caller's role does not import", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown upload, a mapping that leaves a required column out or an address header that needs a choice (`ambiguous_column`), or an unknown default target group", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports")]
pub async fn start(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<StartImportRequest>,
) -> Result<HttpResponse, ApiError> {
    let job = imports::start(&state.db, &state.imports, &actor, body.0).await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/imports/{}", job.id)))
        .json(job))
}

/// Paging of the import lists.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The imports of the caller's unit and the units inside it, newest first.
#[utoipa::path(
    operation_id = "imports_list",
    tag = "imports",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of imports", body = Page<ImportJob>),
    )
)]
#[get("/imports")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<ImportJob>>, ApiError> {
    let q = query.into_inner();
    imports::list(&state.db, &actor, q.page, q.per_page)
        .await
        .map(web::Json)
}

/// One import, with its progress (`rows_done` of `rows_total`) and counts per outcome.
#[utoipa::path(
    operation_id = "imports_get",
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Import job id")),
    responses(
        (status = 200, description = "The job", body = ImportJob),
        (status = 404, description = "No such import in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/imports/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<ImportJob>, ApiError> {
    imports::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Filters of `GET /imports/{id}/rows`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct RowsQuery {
    /// Only rows with this outcome (`error` for the rows to fix).
    status: Option<RowStatus>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// The outcome of every row processed so far, in sheet order.
#[utoipa::path(
    operation_id = "imports_rows",
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Import job id"), RowsQuery),
    responses(
        (status = 200, description = "One page of row outcomes", body = Page<RowOutcome>),
        (status = 404, description = "No such import in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/imports/{id}/rows")]
pub async fn rows(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    query: crate::extract::Query<RowsQuery>,
) -> Result<web::Json<Page<RowOutcome>>, ApiError> {
    let q = query.into_inner();
    imports::rows(
        &state.db,
        &actor,
        id.into_inner(),
        q.status,
        q.page,
        q.per_page,
    )
    .await
    .map(web::Json)
}

/// The uploaded sheet with two added columns, "Trạng thái" (status) and "Thông báo" (messages in
/// Vietnamese), as XLSX.
#[utoipa::path(
    operation_id = "imports_report_xlsx",
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Import job id")),
    responses(
        (status = 200, description = "The annotated sheet", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>),
        (status = 404, description = "No such import in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/imports/{id}/report.xlsx")]
pub async fn report_xlsx(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (bytes, name) =
        imports::report(&state.db, &actor, id.into_inner(), ReportFormat::Xlsx).await?;
    Ok(download(bytes, XLSX, &name))
}

/// The annotated sheet as CSV (UTF-8 with a byte-order mark).
#[utoipa::path(
    operation_id = "imports_report_csv",
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Import job id")),
    responses(
        (status = 200, description = "The annotated sheet", content_type = "text/csv", body = String),
        (status = 404, description = "No such import in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/imports/{id}/report.csv")]
pub async fn report_csv(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let (bytes, name) =
        imports::report(&state.db, &actor, id.into_inner(), ReportFormat::Csv).await?;
    Ok(download(bytes, "text/csv; charset=utf-8", &name))
}

/// Resume an import a server stop interrupted (or that failed): a `valid_only` import continues
/// after its last committed chunk without duplicating rows; the other modes run again from the
/// start, having written nothing.
#[utoipa::path(
    operation_id = "imports_resume",
    tag = "imports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Import job id")),
    responses(
        (status = 202, description = "Queued again", body = ImportJob),
        (status = 404, description = "No such import in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The import is not interrupted or failed", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/{id}/resume")]
pub async fn resume(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let job = imports::resume(&state.db, &state.imports, &actor, id.into_inner()).await?;
    Ok(HttpResponse::Accepted().json(job))
}
