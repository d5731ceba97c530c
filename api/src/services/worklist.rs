//! The officer's work list: what waits for them in their own unit, counted by the services that
//! own each kind of record with the same scope as their lists, so a count always matches the
//! list its link opens.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::services::{imports, legacy_queue, periods, registrations};
use sea_orm::DatabaseConnection;
use shared::assessment::AssessmentStatus;
use shared::auth::Role;
use shared::workflow::Period;
use shared::worklist::{
    RunningImport, WORKLIST_IMPORTS, Worklist, WorklistPeriod, current_period, deadlines, is_open,
};
use uuid::Uuid;

/// The work list of `actor`, for the period `period_id` or the current one.
pub async fn for_actor(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Option<Uuid>,
) -> Result<Worklist, ApiError> {
    if actor.role < Role::BranchOfficer {
        return Err(ApiError::Forbidden(
            "your role reads records and has no work list".into(),
        ));
    }
    let today = chrono::Utc::now().date_naive();
    let period: Option<Period> = match period_id {
        Some(id) => Some(periods::to_dto(periods::load(db, id).await.map_err(
            |e| match e {
                ApiError::NotFound(_) => {
                    ApiError::field("period_id", "unknown_period", "no such period")
                }
                other => other,
            },
        )?)),
        None => current_period(&periods::list(db).await?, today).cloned(),
    };
    let counts = match &period {
        Some(p) => registrations::count_by_status(db, actor, p.id).await?,
        None => Default::default(),
    };
    let count = |status| counts.get(&status).copied().unwrap_or(0);
    let imports = imports::active(db, actor, WORKLIST_IMPORTS as u64).await?;
    Ok(Worklist {
        unit_code: actor.unit.code().to_string(),
        period: period.map(|p| WorklistPeriod {
            id: p.id,
            year: p.year,
            name: p.name.clone(),
            open: is_open(&p, today),
            deadlines: deadlines(&p, today),
        }),
        awaiting_review: count(AssessmentStatus::Submitted),
        under_review: count(AssessmentStatus::UnderReview),
        not_started: count(AssessmentStatus::Registered),
        in_draft: count(AssessmentStatus::Draft),
        legacy_queue_pending: legacy_queue::pending_count(db, actor).await?,
        imports_running: imports.as_ref().map(|(n, _)| *n),
        running_imports: imports
            .map(|(_, jobs)| jobs)
            .unwrap_or_default()
            .into_iter()
            .map(|job| RunningImport {
                id: job.id,
                file_name: job.file_name,
                status: job.status,
                rows_done: job.rows_done,
                rows_total: job.rows_total,
            })
            .collect(),
    })
}
