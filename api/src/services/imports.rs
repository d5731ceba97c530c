//! Bulk imports: uploading a file (read at once, so a file that cannot be read is refused before
//! anything is stored), starting a job on it, following its progress, its rows' outcomes and its
//! annotated report, and resuming it after a stop. An officer sees the uploads and jobs of their
//! own unit and the units inside it.

use crate::auth::Actor;
use crate::db::entities::target_group;
use crate::db::entities::{import_job, import_result, import_upload};
use crate::error::ApiError;
use crate::import::jobs::{self, Runner};
use crate::import::{parse, report, rows};
use crate::services::{audit, legacy_address, units};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::import::{
    ImportCounts, ImportJob, ImportMode, ImportOptions, ImportPreview, ImportUpload, JobStatus,
    PreviewRequest, RowOutcome, RowStatus, StartImportRequest, resolve_mapping, suggest_mapping,
};
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use std::collections::HashMap;
use uuid::Uuid;

/// Data rows shown in an upload's preview.
const PREVIEW_ROWS: usize = 10;

fn ensure_importer(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::CommuneOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not import records; ask a commune officer".into(),
        ))
    }
}

async fn ensure_visible(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unit_code: &str,
    what: &str,
) -> Result<(), ApiError> {
    let inside = match units::resolve_code(db, unit_code).await? {
        Some(unit) => actor.unit.contains(&unit),
        None => false,
    };
    if inside {
        Ok(())
    } else {
        Err(ApiError::not_found(what))
    }
}

/// Reads and stores an uploaded file; answers its headers, their suggested mapping and the first
/// rows.
pub async fn upload(
    db: &DatabaseConnection,
    addresses: &legacy_address::Cache,
    actor: &Actor,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<ImportUpload, ApiError> {
    ensure_importer(actor)?;
    let sheet =
        parse::read(&bytes).map_err(|e| ApiError::field("file", e.code(), e.to_string()))?;
    let file_name: String = shared::text::clean(file_name).chars().take(255).collect();
    let file_name = if file_name.is_empty() {
        format!("import.{}", sheet.format.as_str())
    } else {
        file_name
    };
    let now = chrono::Utc::now();
    let model = import_upload::ActiveModel {
        id: Set(Uuid::new_v4()),
        file_name: Set(file_name),
        format: Set(sheet.format.as_str().to_string()),
        delimiter: Set(sheet.delimiter.map(|d| char::from(d).to_string())),
        content: Set(bytes),
        rows_total: Set(sheet.rows.len() as i64),
        unit_code: Set(actor.unit.code().to_string()),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
    }
    .insert(db)
    .await?;
    let (suggested_mapping, ambiguous_headers) = suggest_mapping(&sheet.headers);
    let address_preview = if ambiguous_headers.is_empty() {
        let ctx = addresses.get(db).await?;
        rows::preview_addresses(
            &ctx,
            actor,
            &suggested_mapping,
            &sheet.rows[..sheet.rows.len().min(PREVIEW_ROWS)],
        )
    } else {
        Vec::new()
    };
    Ok(ImportUpload {
        id: model.id,
        file_name: model.file_name,
        format: sheet.format,
        delimiter: model.delimiter,
        suggested_mapping,
        ambiguous_headers,
        address_preview,
        headers: sheet.headers,
        rows_total: sheet.rows.len() as u64,
        preview: sheet
            .rows
            .into_iter()
            .take(PREVIEW_ROWS)
            .map(|(_, cells)| cells)
            .collect(),
        uploaded_at: now,
    })
}

fn to_dto(m: import_job::Model, file_name: String) -> ImportJob {
    let status = JobStatus::parse(&m.status).unwrap_or(JobStatus::Failed);
    let stored = u64::try_from(m.rows_done).unwrap_or(0);
    let rows_done = if status == JobStatus::Running {
        jobs::progress(m.id).unwrap_or(stored).max(stored)
    } else {
        stored
    };
    ImportJob {
        id: m.id,
        upload_id: m.upload_id,
        file_name,
        mode: ImportMode::parse(&m.mode).unwrap_or(ImportMode::DryRun),
        status,
        rows_total: u64::try_from(m.rows_total).unwrap_or(0),
        rows_done,
        counts: serde_json::from_str::<ImportCounts>(&m.counts).unwrap_or_default(),
        error: m.error,
        unit_code: m.unit_code,
        created_by: m.created_by,
        created_at: m.created_at,
        started_at: m.started_at,
        finished_at: m.finished_at,
    }
}

async fn one(db: &impl ConnectionTrait, m: import_job::Model) -> Result<ImportJob, ApiError> {
    use sea_orm::QuerySelect;
    // The name only: the upload's row also holds the whole file.
    let name: Option<String> = import_upload::Entity::find_by_id(m.upload_id)
        .select_only()
        .column(import_upload::Column::FileName)
        .into_tuple()
        .one(db)
        .await?;
    Ok(to_dto(m, name.unwrap_or_default()))
}

/// Starts an import of an uploaded file in the background.
pub async fn start(
    db: &DatabaseConnection,
    runner: &Runner,
    actor: &Actor,
    request: StartImportRequest,
) -> Result<ImportJob, ApiError> {
    ensure_importer(actor)?;
    let upload = import_upload::Entity::find_by_id(request.upload_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("upload_id", "unknown_upload", "no such upload"))?;
    ensure_visible(db, actor, &upload.unit_code, "upload")
        .await
        .map_err(|_| ApiError::field("upload_id", "unknown_upload", "no such upload"))?;
    let sheet = parse::read(&upload.content)
        .map_err(|e| ApiError::field("upload_id", e.code(), e.to_string()))?;
    resolve_mapping(&sheet.headers, &request.mapping)
        .map_err(|e| ApiError::field("mapping", e.code(), e.to_string()))?;
    let options = ImportOptions {
        create_villages: request.create_villages,
        default_target_group: match request.default_target_group.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(group) => {
                let known = target_group::Entity::find()
                    .filter(target_group::Column::Active.eq(true))
                    .all(db)
                    .await?
                    .into_iter()
                    .find(|g| rows::group_keys(g).contains(&rows::group_key(group)));
                match known {
                    Some(g) => Some(g.code),
                    None => {
                        return Err(ApiError::field(
                            "default_target_group",
                            "unknown_target_group",
                            format!("no active target group {group:?}"),
                        ));
                    }
                }
            }
        },
    };
    let txn = crate::db::begin_write(db).await?;
    let job = import_job::ActiveModel {
        id: Set(Uuid::new_v4()),
        upload_id: Set(upload.id),
        mode: Set(request.mode.as_str().to_string()),
        status: Set(JobStatus::Queued.as_str().to_string()),
        mapping: Set(serde_json::to_string(&request.mapping).map_err(anyhow::Error::from)?),
        rows_total: Set(sheet.rows.len() as i64),
        rows_done: Set(0),
        counts: Set(serde_json::to_string(&ImportCounts::default()).map_err(anyhow::Error::from)?),
        error: Set(None),
        unit_code: Set(actor.unit.code().to_string()),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(chrono::Utc::now()),
        started_at: Set(None),
        finished_at: Set(None),
        options: Set(Some(
            serde_json::to_string(&options).map_err(anyhow::Error::from)?,
        )),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "import.start",
            resource_type: "import_job",
            resource_id: Some(job.id.to_string()),
            unit: &actor.unit,
            detail: Some(
                json!({"file_name": upload.file_name, "mode": job.mode, "rows": job.rows_total}),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    runner.submit(job.id)?;
    Ok(to_dto(job, upload.file_name))
}

async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<import_job::Model, ApiError> {
    let job = import_job::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("import"))?;
    ensure_visible(db, actor, &job.unit_code, "import").await?;
    Ok(job)
}

/// How the first rows of an upload read under a mapping: the mapping in force, the headers
/// still to choose, and where each row's address leads.
pub async fn preview(
    db: &DatabaseConnection,
    addresses: &legacy_address::Cache,
    actor: &Actor,
    upload_id: Uuid,
    request: PreviewRequest,
) -> Result<ImportPreview, ApiError> {
    ensure_importer(actor)?;
    let upload = import_upload::Entity::find_by_id(upload_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("upload"))?;
    ensure_visible(db, actor, &upload.unit_code, "upload").await?;
    let sheet = parse::read(&upload.content)
        .map_err(|e| ApiError::field("upload_id", e.code(), e.to_string()))?;
    let (suggested, mut ambiguous_headers) = suggest_mapping(&sheet.headers);
    ambiguous_headers.retain(|a| {
        !request.mapping.contains_key(&a.header)
            && !request
                .mapping
                .keys()
                .any(|k| shared::text::fold(k) == shared::text::fold(&a.header))
    });
    let (mapping, mapping_error) = match resolve_mapping(&sheet.headers, &request.mapping) {
        Ok(m) => (m, None),
        Err(e) => (suggested, Some(e.to_string())),
    };
    let address_preview = if ambiguous_headers.is_empty() {
        let ctx = addresses.get(db).await?;
        rows::preview_addresses(
            &ctx,
            actor,
            &mapping,
            &sheet.rows[..sheet.rows.len().min(PREVIEW_ROWS)],
        )
    } else {
        Vec::new()
    };
    Ok(ImportPreview {
        mapping,
        ambiguous_headers,
        mapping_error,
        address_preview,
    })
}

/// One job, with its progress.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<ImportJob, ApiError> {
    ensure_importer(actor)?;
    let job = load(db, actor, id).await?;
    one(db, job).await
}

/// The jobs of the actor's unit and the units inside it.
async fn scoped(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<sea_orm::Select<import_job::Entity>, ApiError> {
    let query = import_job::Entity::find();
    Ok(match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => query,
        (Some(p), None) => {
            let mut codes: Vec<String> = crate::db::entities::admin_unit::Entity::find()
                .filter(crate::db::entities::admin_unit::Column::Era.eq("current"))
                .filter(crate::db::entities::admin_unit::Column::ProvinceCode.eq(p.clone()))
                .all(db)
                .await?
                .into_iter()
                .map(|u| u.code)
                .collect();
            codes.push(p.clone());
            query.filter(import_job::Column::UnitCode.is_in(codes))
        }
        (_, Some(c)) => query.filter(import_job::Column::UnitCode.eq(c.clone())),
    })
}

/// The jobs of the actor's unit still queued or running: how many, and the oldest `shown` of
/// them; `None` when the actor's role does not import.
pub async fn active(
    db: &impl ConnectionTrait,
    actor: &Actor,
    shown: u64,
) -> Result<Option<(u64, Vec<ImportJob>)>, ApiError> {
    if ensure_importer(actor).is_err() {
        return Ok(None);
    }
    let query = scoped(db, actor).await?.filter(
        import_job::Column::Status.is_in([JobStatus::Queued.as_str(), JobStatus::Running.as_str()]),
    );
    let count = query.clone().count(db).await?;
    let mut jobs = Vec::new();
    for m in query
        .order_by_asc(import_job::Column::CreatedAt)
        .order_by_asc(import_job::Column::Id)
        .paginate(db, shown.max(1))
        .fetch_page(0)
        .await?
    {
        jobs.push(one(db, m).await?);
    }
    Ok(Some((count, jobs)))
}

/// The jobs of the actor's unit and the units inside it, newest first.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    page: Option<u64>,
    per_page: Option<u64>,
) -> Result<Page<ImportJob>, ApiError> {
    ensure_importer(actor)?;
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = page.unwrap_or(1).max(1);
    let paginator = scoped(db, actor)
        .await?
        .order_by_desc(import_job::Column::CreatedAt)
        .order_by_asc(import_job::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let mut items = Vec::new();
    for m in paginator.fetch_page(page - 1).await? {
        items.push(one(db, m).await?);
    }
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

async fn outcomes(db: &impl ConnectionTrait, id: Uuid) -> Result<Vec<RowOutcome>, ApiError> {
    let mut out = Vec::new();
    for chunk in import_result::Entity::find()
        .filter(import_result::Column::JobId.eq(id))
        .order_by_asc(import_result::Column::ChunkNo)
        .all(db)
        .await?
    {
        let rows: Vec<RowOutcome> =
            serde_json::from_str(&chunk.outcomes).map_err(anyhow::Error::from)?;
        out.extend(rows);
    }
    Ok(out)
}

/// The rows' outcomes, optionally of one status, in sheet order.
pub async fn rows(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    status: Option<RowStatus>,
    page: Option<u64>,
    per_page: Option<u64>,
) -> Result<Page<RowOutcome>, ApiError> {
    ensure_importer(actor)?;
    load(db, actor, id).await?;
    let per_page = per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE);
    let page = page.unwrap_or(1).max(1);
    let all: Vec<RowOutcome> = outcomes(db, id)
        .await?
        .into_iter()
        .filter(|o| status.is_none_or(|s| o.status == s))
        .collect();
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(usize::try_from((page - 1) * per_page).unwrap_or(usize::MAX))
        .take(usize::try_from(per_page).unwrap_or(usize::MAX))
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// Format of a downloaded report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    Csv,
    Xlsx,
}

/// The uploaded sheet with each row's status and messages: (bytes, file name).
pub async fn report(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    format: ReportFormat,
) -> Result<(Vec<u8>, String), ApiError> {
    ensure_importer(actor)?;
    let job = load(db, actor, id).await?;
    let upload = import_upload::Entity::find_by_id(job.upload_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("import"))?;
    let sheet = parse::read(&upload.content).map_err(|e| anyhow::anyhow!("{e}"))?;
    let by_row: HashMap<u32, RowOutcome> = outcomes(db, id)
        .await?
        .into_iter()
        .map(|o| (o.row, o))
        .collect();
    let stem = upload
        .file_name
        .rsplit_once('.')
        .map(|(s, _)| s.to_string())
        .unwrap_or(upload.file_name.clone());
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(match format {
        ReportFormat::Csv => (
            report::report_csv(&sheet.headers, &sheet.rows, &by_row)?,
            format!("{stem}-ket-qua.csv"),
        ),
        ReportFormat::Xlsx => (
            report::report_xlsx(&sheet.headers, &sheet.rows, &by_row)?,
            format!("{stem}-ket-qua.xlsx"),
        ),
    })
}

/// Resumes a job a stop interrupted (or that failed): a valid-rows-only job continues after its
/// last committed chunk, the other modes run again from the start (they wrote nothing).
pub async fn resume(
    db: &DatabaseConnection,
    runner: &Runner,
    actor: &Actor,
    id: Uuid,
) -> Result<ImportJob, ApiError> {
    ensure_importer(actor)?;
    let job = load(db, actor, id).await?;
    let status = JobStatus::parse(&job.status).unwrap_or(JobStatus::Failed);
    if !matches!(status, JobStatus::Interrupted | JobStatus::Failed) {
        return Err(ApiError::Conflict(format!(
            "only an interrupted or failed import can be resumed (current state: {})",
            job.status
        )));
    }
    let txn = crate::db::begin_write(db).await?;
    let mut model: import_job::ActiveModel = job.clone().into();
    model.status = Set(JobStatus::Queued.as_str().to_string());
    model.error = Set(None);
    model.finished_at = Set(None);
    let job = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "import.resume",
            resource_type: "import_job",
            resource_id: Some(id.to_string()),
            unit: &actor.unit,
            detail: Some(json!({"rows_done": job.rows_done})),
        },
    )
    .await?;
    txn.commit().await?;
    runner.submit(id)?;
    one(db, job).await
}
