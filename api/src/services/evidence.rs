//! Evidence files (minh chứng) attached to one indicator of an assessment: uploaded while the
//! citizen's self-assessment is a draft or while the reviewer works on it, read by whoever may
//! read the assessment, removed while still editable. The type is decided by the bytes, never by
//! the name or the declared type.

use crate::auth::Actor;
use crate::db::entities::{criteria_set, evidence_file, registration};
use crate::error::ApiError;
use crate::services::registrations::{self, Window};
use crate::services::{audit, criteria_sets};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use shared::assessment::AssessmentStatus;
use shared::auth::Role;
use shared::criteria::EvidencePolicy;
use shared::workflow::EvidenceFile;
use uuid::Uuid;

/// Largest evidence file accepted, in bytes.
pub const MAX_FILE_BYTES: usize = 5 * 1024 * 1024;
/// Most files one indicator of one assessment may carry.
pub const MAX_FILES_PER_INDICATOR: u64 = 10;

/// The kinds of file taken as evidence, recognised by their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else {
        None
    }
}

/// A file name safe to store and to send back: the last path segment, NFC, without control
/// characters, at most 255 bytes.
pub fn clean_file_name(raw: &str) -> Result<String, ApiError> {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = shared::text::clean(last)
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .collect();
    let mut name = cleaned.trim().trim_start_matches('.').to_string();
    while name.len() > 255 {
        name.pop();
    }
    if name.is_empty() {
        return Err(ApiError::field(
            "file_name",
            "required",
            "give the file's name, e.g. giay-chung-nhan.pdf",
        ));
    }
    Ok(name)
}

fn to_dto(m: &evidence_file::Model) -> EvidenceFile {
    EvidenceFile {
        id: m.id,
        registration_id: m.registration_id,
        indicator_code: m.indicator_code.clone(),
        file_name: m.file_name.clone(),
        content_type: m.content_type.clone(),
        size_bytes: u64::try_from(m.size_bytes).unwrap_or(0),
        sha256: m.sha256.clone(),
        uploaded_at: m.uploaded_at,
    }
}

/// Which window of the period an evidence change falls in: the self-assessment while the
/// assessment is a draft, the review while it is under review; refused in any other state.
fn editable_window(m: &registration::Model) -> Result<Window, ApiError> {
    match registrations::status_of(m)? {
        AssessmentStatus::Draft => Ok(Window::SelfAssessment),
        AssessmentStatus::UnderReview => Ok(Window::Review),
        _ => Err(registrations::conflict_state(
            m,
            "evidence is added or removed while the self-assessment is a draft or under review"
                .into(),
        )),
    }
}

async fn ensure_editable(
    db: &impl ConnectionTrait,
    m: &registration::Model,
) -> Result<(), ApiError> {
    let window = editable_window(m)?;
    let p = crate::services::periods::load(db, m.period_id).await?;
    registrations::check_window(&p, window, m)
}

/// Attaches a file to one indicator of an assessment.
pub async fn upload(
    db: &DatabaseConnection,
    actor: &Actor,
    registration_id: Uuid,
    indicator_code: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<EvidenceFile, ApiError> {
    registrations::ensure_officer(actor, Role::BranchOfficer, "attach evidence")?;
    let file_name = clean_file_name(file_name)?;
    if bytes.is_empty() {
        return Err(ApiError::field("body", "required", "the file is empty"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let content_type = sniff(&bytes).ok_or_else(|| {
        ApiError::UnsupportedMediaType(
            "evidence is a PDF, JPEG, PNG or WebP file; this file is none of them".into(),
        )
    })?;
    let txn = crate::db::begin_write(db).await?;
    let m = registrations::load(&txn, actor, registration_id).await?;
    ensure_editable(&txn, &m).await?;
    let policy = indicator_policy(&txn, &m, indicator_code).await?;
    if policy == EvidencePolicy::None {
        return Err(ApiError::field(
            "indicator_code",
            "no_evidence",
            format!("indicator {indicator_code} takes no evidence"),
        ));
    }
    let existing = evidence_file::Entity::find()
        .filter(evidence_file::Column::RegistrationId.eq(m.id))
        .filter(evidence_file::Column::IndicatorCode.eq(indicator_code))
        .count(&txn)
        .await?;
    if existing >= MAX_FILES_PER_INDICATOR {
        return Err(registrations::conflict_state(
            &m,
            format!(
                "indicator {indicator_code} already has {MAX_FILES_PER_INDICATOR} files; remove one first"
            ),
        ));
    }
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let size = i64::try_from(bytes.len()).unwrap_or(i64::MAX);
    let saved = evidence_file::ActiveModel {
        id: Set(Uuid::new_v4()),
        registration_id: Set(m.id),
        indicator_code: Set(indicator_code.to_string()),
        file_name: Set(file_name),
        content_type: Set(content_type.to_string()),
        size_bytes: Set(size),
        sha256: Set(sha256),
        content: Set(bytes),
        uploaded_by: Set(Some(actor.user_id)),
        uploaded_at: Set(chrono::Utc::now()),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "evidence.upload",
            resource_type: "registration",
            resource_id: Some(m.id.to_string()),
            unit: &registrations::location(&m),
            detail: Some(json!({
                "file_id": saved.id,
                "indicator": saved.indicator_code,
                "file_name": saved.file_name,
                "size_bytes": saved.size_bytes,
                "sha256": saved.sha256,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(&saved))
}

/// The evidence policy of an indicator of the assessment's pinned criteria set; a code the set
/// does not have is a field error.
async fn indicator_policy(
    db: &impl ConnectionTrait,
    m: &registration::Model,
    code: &str,
) -> Result<EvidencePolicy, ApiError> {
    let structure = pinned_structure(db, m).await?.ok_or_else(|| {
        registrations::conflict_state(m, "the self-assessment has not started".into())
    })?;
    structure
        .indicator(code)
        .map(|i| i.evidence)
        .ok_or_else(|| {
            ApiError::field(
                "indicator_code",
                "unknown_indicator",
                format!("the criteria set has no indicator {code}"),
            )
        })
}

/// The structure of the criteria set the assessment is pinned to; `None` before it starts.
async fn pinned_structure(
    db: &impl ConnectionTrait,
    m: &registration::Model,
) -> Result<Option<shared::criteria::CriteriaStructure>, ApiError> {
    let Some(set_id) = m.criteria_set_id else {
        return Ok(None);
    };
    let set = criteria_set::Entity::find_by_id(set_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("criteria set {set_id} is missing"))?;
    Ok(Some(criteria_sets::parts(&set)?.0))
}

/// The files of an assessment, by indicator then upload time (without their bytes).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    registration_id: Uuid,
) -> Result<Vec<EvidenceFile>, ApiError> {
    let m = registrations::load(db, actor, registration_id).await?;
    files_of(db, m.id).await
}

/// The files of one registration, without their bytes.
pub async fn files_of(
    db: &impl ConnectionTrait,
    registration_id: Uuid,
) -> Result<Vec<EvidenceFile>, ApiError> {
    let rows = evidence_file::Entity::find()
        .select_only()
        .columns([
            evidence_file::Column::Id,
            evidence_file::Column::RegistrationId,
            evidence_file::Column::IndicatorCode,
            evidence_file::Column::FileName,
            evidence_file::Column::ContentType,
            evidence_file::Column::SizeBytes,
            evidence_file::Column::Sha256,
            evidence_file::Column::UploadedAt,
        ])
        .filter(evidence_file::Column::RegistrationId.eq(registration_id))
        .order_by_asc(evidence_file::Column::IndicatorCode)
        .order_by_asc(evidence_file::Column::UploadedAt)
        .into_tuple::<(
            Uuid,
            Uuid,
            String,
            String,
            String,
            i64,
            String,
            chrono::DateTime<chrono::Utc>,
        )>()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, registration_id, indicator_code, file_name, content_type, size, sha256, at)| {
                EvidenceFile {
                    id,
                    registration_id,
                    indicator_code,
                    file_name,
                    content_type,
                    size_bytes: u64::try_from(size).unwrap_or(0),
                    sha256,
                    uploaded_at: at,
                }
            },
        )
        .collect())
}

/// Loads a file whose assessment the actor may read; any other file does not exist for them.
async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    file_id: Uuid,
) -> Result<(evidence_file::Model, registration::Model), ApiError> {
    let file = evidence_file::Entity::find_by_id(file_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("evidence file"))?;
    let m = registrations::load(db, actor, file.registration_id)
        .await
        .map_err(|e| match e {
            ApiError::NotFound(_) => ApiError::not_found("evidence file"),
            other => other,
        })?;
    Ok((file, m))
}

/// A file with its bytes, for download. Reading evidence is reading personal data: audited.
pub async fn download(
    db: &DatabaseConnection,
    actor: &Actor,
    file_id: Uuid,
) -> Result<(EvidenceFile, Vec<u8>), ApiError> {
    let txn = crate::db::begin_write(db).await?;
    let (file, m) = load(&txn, actor, file_id).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "evidence.download",
            resource_type: "registration",
            resource_id: Some(m.id.to_string()),
            unit: &registrations::location(&m),
            detail: Some(json!({"file_id": file.id, "indicator": file.indicator_code})),
        },
    )
    .await?;
    txn.commit().await?;
    let dto = to_dto(&file);
    Ok((dto, file.content))
}

/// Removes a file while the assessment is still editable.
pub async fn delete(db: &DatabaseConnection, actor: &Actor, file_id: Uuid) -> Result<(), ApiError> {
    registrations::ensure_officer(actor, Role::BranchOfficer, "remove evidence")?;
    let txn = crate::db::begin_write(db).await?;
    let (file, m) = load(&txn, actor, file_id).await?;
    ensure_editable(&txn, &m).await?;
    evidence_file::Entity::delete_by_id(file.id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "evidence.delete",
            resource_type: "registration",
            resource_id: Some(m.id.to_string()),
            unit: &registrations::location(&m),
            detail: Some(json!({
                "file_id": file.id,
                "indicator": file.indicator_code,
                "file_name": file.file_name,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The indicators whose policy requires evidence and that have neither a file nor the
/// reviewer's confirmation.
pub async fn missing_required(
    db: &impl ConnectionTrait,
    m: &registration::Model,
) -> Result<Vec<String>, ApiError> {
    let Some(structure) = pinned_structure(db, m).await? else {
        return Ok(Vec::new());
    };
    let required: Vec<String> = structure
        .indicators()
        .filter(|i| i.evidence == EvidencePolicy::Required)
        .map(|i| i.code.clone())
        .collect();
    if required.is_empty() {
        return Ok(Vec::new());
    }
    let confirmed: std::collections::BTreeMap<String, shared::workflow::Evidence> = m
        .evidence
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let with_files: std::collections::BTreeSet<String> = evidence_file::Entity::find()
        .select_only()
        .column(evidence_file::Column::IndicatorCode)
        .filter(evidence_file::Column::RegistrationId.eq(m.id))
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    Ok(required
        .into_iter()
        .filter(|code| {
            !with_files.contains(code)
                && !confirmed.get(code).is_some_and(|e| e.confirmed_by_reviewer)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some("application/pdf"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some("image/png"));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some("image/webp"));
        assert_eq!(sniff(b"MZ\x90\0"), None);
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn file_names_keep_their_last_segment_only() {
        assert_eq!(
            clean_file_name("C:\\Users\\an\\Giấy khen.pdf")
                .ok()
                .as_deref(),
            Some("Giấy khen.pdf")
        );
        assert_eq!(
            clean_file_name("../../etc/passwd").ok().as_deref(),
            Some("passwd")
        );
        assert_eq!(
            clean_file_name("..hidden\u{7}.png").ok().as_deref(),
            Some("hidden.png")
        );
        assert!(clean_file_name("  ").is_err());
        assert!(clean_file_name("a/").is_err());
    }
}
