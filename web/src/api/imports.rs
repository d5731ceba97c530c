//! Bulk import of people (template, upload, jobs, row outcomes, annotated reports), the
//! legacy-address queue and the restructurings of the list of units.

use super::ApiError;
use super::client::{self, Call, pairs};
use crate::session::Session;
use shared::import::{
    ApplyRestructuringRequest, BulkResolveItem, BulkResolveRequest, ImportJob, ImportMode,
    ImportOptions, ImportPreview, ImportUpload, PreviewRequest, QueueItem, ResolveOutcome,
    ResolveRequest, Restructuring, RestructuringRequest, RowOutcome, RowStatus, StartImportRequest,
};
use shared::page::Page;
use std::collections::HashMap;
use uuid::Uuid;

/// The two shapes of the template and of an annotated report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    Xlsx,
    Csv,
}

impl SheetFormat {
    /// The file extension, also the last part of the endpoint.
    pub fn extension(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => "xlsx",
            SheetFormat::Csv => "csv",
        }
    }

    /// The media type the browser saves the file as.
    pub fn content_type(self) -> &'static str {
        match self {
            SheetFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
            SheetFormat::Csv => "text/csv;charset=utf-8",
        }
    }
}

/// `GET /imports/template.{xlsx,csv}`: the template to fill in.
pub async fn template(session: Session, format: SheetFormat) -> Result<Vec<u8>, ApiError> {
    let path = format!("/imports/template.{}", format.extension());
    client::call_bytes(session, Call::get(&path, &[])).await
}

/// `POST /imports/uploads`: stores `file` (the raw body) and reads its headers and first rows;
/// `progress` hears the bytes sent.
pub async fn upload(
    session: Session,
    file: &web_sys::File,
    progress: super::Progress,
) -> Result<ImportUpload, ApiError> {
    let name = file.name();
    client::call_upload(
        session,
        "/imports/uploads",
        &[("file_name", name.as_str())],
        file,
        progress,
    )
    .await
}

/// `POST /imports/uploads/{id}/preview`: how the first rows read under `mapping`.
pub async fn preview(
    session: Session,
    upload_id: Uuid,
    mapping: HashMap<String, String>,
) -> Result<ImportPreview, ApiError> {
    let path = format!("/imports/uploads/{upload_id}/preview");
    client::call(session, Call::post(&path, &PreviewRequest { mapping })).await
}

/// `POST /imports`: starts a job over an uploaded file.
pub async fn start(
    session: Session,
    upload_id: Uuid,
    mode: ImportMode,
    mapping: HashMap<String, String>,
    options: ImportOptions,
) -> Result<ImportJob, ApiError> {
    let body = StartImportRequest {
        upload_id,
        mode,
        mapping,
        create_villages: options.create_villages,
        default_target_group: options.default_target_group,
    };
    client::call(session, Call::post("/imports", &body)).await
}

/// `GET /imports`: the imports of the caller's unit, newest first.
pub async fn jobs(session: Session, page: u64, per_page: u64) -> Result<Page<ImportJob>, ApiError> {
    let params = [
        ("page", page.to_string()),
        ("per_page", per_page.to_string()),
    ];
    client::call(session, Call::get("/imports", &pairs(&params))).await
}

/// `GET /imports/{id}`: one job and its progress.
pub async fn job(session: Session, id: Uuid) -> Result<ImportJob, ApiError> {
    let path = format!("/imports/{id}");
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /imports/{id}/rows`: the row outcomes, all or only those of `status`.
pub async fn rows(
    session: Session,
    id: Uuid,
    status: Option<RowStatus>,
    page: u64,
    per_page: u64,
) -> Result<Page<RowOutcome>, ApiError> {
    let path = format!("/imports/{id}/rows");
    let mut params = vec![
        ("page", page.to_string()),
        ("per_page", per_page.to_string()),
    ];
    if let Some(status) = status {
        params.push(("status", status.as_str().to_string()));
    }
    client::call(session, Call::get(&path, &pairs(&params))).await
}

/// `GET /imports/{id}/report.{xlsx,csv}`: the uploaded sheet with its status and messages.
pub async fn report(session: Session, id: Uuid, format: SheetFormat) -> Result<Vec<u8>, ApiError> {
    let path = format!("/imports/{id}/report.{}", format.extension());
    client::call_bytes(session, Call::get(&path, &[])).await
}

/// `POST /imports/{id}/resume`: runs an interrupted or failed job again.
pub async fn resume(session: Session, id: Uuid) -> Result<ImportJob, ApiError> {
    let path = format!("/imports/{id}/resume");
    client::call(session, Call::post(&path, &())).await
}

/// `GET /legacy-queue`: the records waiting for their current commune, pending ones unless
/// `status` says otherwise.
pub async fn queue(
    session: Session,
    status: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<QueueItem>, ApiError> {
    let params = [
        ("status", status.to_string()),
        ("page", page.to_string()),
        ("per_page", per_page.to_string()),
    ];
    client::call(session, Call::get("/legacy-queue", &pairs(&params))).await
}

/// `POST /legacy-queue/{id}/resolve`: puts one record on `commune_code`.
pub async fn resolve(
    session: Session,
    id: Uuid,
    commune_code: String,
) -> Result<ResolveOutcome, ApiError> {
    let path = format!("/legacy-queue/{id}/resolve");
    let body = ResolveRequest { commune_code };
    client::call(session, Call::post(&path, &body)).await
}

/// `POST /legacy-queue/resolve`: puts several records on the communes chosen for each.
pub async fn resolve_many(
    session: Session,
    items: Vec<(Uuid, String)>,
) -> Result<Vec<ResolveOutcome>, ApiError> {
    let body = BulkResolveRequest {
        items: items
            .into_iter()
            .map(|(id, commune_code)| BulkResolveItem { id, commune_code })
            .collect(),
    };
    client::call(session, Call::post("/legacy-queue/resolve", &body)).await
}

/// `POST /restructurings`: compares a newer official list (communes, provinces or both) with
/// the current one.
pub async fn compare(
    session: Session,
    communes_csv: Option<String>,
    provinces_csv: Option<String>,
    lineage_csv: Option<String>,
) -> Result<Restructuring, ApiError> {
    let body = RestructuringRequest {
        communes_csv,
        provinces_csv,
        lineage_csv,
    };
    client::call(session, Call::post("/restructurings", &body)).await
}

/// `GET /restructurings`: the restructurings, newest first.
pub async fn restructurings(session: Session) -> Result<Vec<Restructuring>, ApiError> {
    client::call(session, Call::get("/restructurings", &[])).await
}

/// `POST /restructurings/{id}/apply`.
pub async fn apply(
    session: Session,
    id: Uuid,
    body: &ApplyRestructuringRequest,
) -> Result<Restructuring, ApiError> {
    let path = format!("/restructurings/{id}/apply");
    client::call(session, Call::post(&path, body)).await
}

/// `POST /restructurings/{id}/undo`.
pub async fn undo(session: Session, id: Uuid) -> Result<Restructuring, ApiError> {
    let path = format!("/restructurings/{id}/undo");
    client::call(session, Call::post(&path, &())).await
}
