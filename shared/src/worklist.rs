//! The officer's work list (`GET /worklist`): what waits for the caller in their own unit, as
//! counts, with the period's deadlines. The home page shows each entry with a link to the page
//! where the officer acts on it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Running imports listed by name in the work list (the count covers them all).
pub const WORKLIST_IMPORTS: usize = 5;

/// A window of a period, by the action it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PeriodPhase {
    Registration,
    SelfAssessment,
    Review,
}

impl PeriodPhase {
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodPhase::Registration => "registration",
            PeriodPhase::SelfAssessment => "self_assessment",
            PeriodPhase::Review => "review",
        }
    }
}

/// One window of the period that has not closed yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PhaseDeadline {
    pub phase: PeriodPhase,
    pub opens: NaiveDate,
    /// The last day of the window.
    pub closes: NaiveDate,
    /// Days from today to `closes` (0 on the last day).
    pub days_left: i64,
    /// Whether the window is open today.
    pub open: bool,
}

/// The period the work list counts registrations of.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorklistPeriod {
    pub id: Uuid,
    pub year: i32,
    pub name: String,
    /// Whether today lies between the opening of registration and the close of review.
    pub open: bool,
    /// The windows not yet closed, the soonest to close first; empty once the period is over.
    pub deadlines: Vec<PhaseDeadline>,
}

/// An import still queued or running, with its progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunningImport {
    pub id: Uuid,
    pub file_name: String,
    /// `queued` or `running`.
    pub status: crate::import::JobStatus,
    pub rows_done: u64,
    pub rows_total: u64,
}

/// What waits for the caller in their unit (for a branch officer: the registrations their branch
/// reviews). Entries a role does not act on are `null`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Worklist {
    /// `VN`, the province's or the commune's code: the unit counted.
    pub unit_code: String,
    /// The period counted: the one asked for, else the one open today (the one closing first
    /// when several are), else the latest; `null` when there is no period at all.
    pub period: Option<WorklistPeriod>,
    /// Registrations of the period whose self-assessment was submitted and waits for a reviewer
    /// (`submitted`).
    pub awaiting_review: u64,
    /// Registrations of the period being reviewed (`under_review`).
    pub under_review: u64,
    /// Registrations of the period whose self-assessment has not started (`registered`).
    pub not_started: u64,
    /// Self-assessments of the period started and not submitted (`draft`, including those
    /// returned by a reviewer).
    pub in_draft: u64,
    /// Old addresses waiting for the caller's choice of commune (pending items of the
    /// legacy-address queue the caller sees); `null` for roles that do not resolve them.
    pub legacy_queue_pending: Option<u64>,
    /// Imports of the unit queued or running; `null` for roles that do not import.
    pub imports_running: Option<u64>,
    /// The oldest of them (at most five), with their progress.
    pub running_imports: Vec<RunningImport>,
}

/// The windows of `period` not closed by `today`, the soonest to close first (registration
/// before self-assessment before review when they close together).
pub fn deadlines(period: &crate::workflow::Period, today: NaiveDate) -> Vec<PhaseDeadline> {
    let mut windows: Vec<PhaseDeadline> = [
        (
            PeriodPhase::Registration,
            period.registration_opens,
            period.registration_closes,
        ),
        (
            PeriodPhase::SelfAssessment,
            period.self_assessment_opens,
            period.self_assessment_closes,
        ),
        (
            PeriodPhase::Review,
            period.review_opens,
            period.review_closes,
        ),
    ]
    .into_iter()
    .filter(|(_, _, closes)| *closes >= today)
    .map(|(phase, opens, closes)| PhaseDeadline {
        phase,
        opens,
        closes,
        days_left: (closes - today).num_days(),
        open: opens <= today,
    })
    .collect();
    windows.sort_by_key(|w| w.closes);
    windows
}

/// Whether `today` lies between the opening of the period's registration and the close of its
/// review.
pub fn is_open(period: &crate::workflow::Period, today: NaiveDate) -> bool {
    period.registration_opens <= today && today <= period.review_closes
}

/// The period a work list counts when none is asked for: among those open `today` the one whose
/// review closes first, else the latest year's.
pub fn current_period(
    periods: &[crate::workflow::Period],
    today: NaiveDate,
) -> Option<&crate::workflow::Period> {
    periods
        .iter()
        .filter(|p| is_open(p, today))
        .min_by_key(|p| (p.review_closes, p.year))
        .or_else(|| periods.iter().max_by_key(|p| (p.year, p.review_closes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflow::Period;

    fn day(month: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, d).unwrap_or_default()
    }

    fn period(year: i32, windows: [(NaiveDate, NaiveDate); 3]) -> Period {
        Period {
            id: Uuid::nil(),
            year,
            name: format!("Năm {year}"),
            registration_opens: windows[0].0,
            registration_closes: windows[0].1,
            self_assessment_opens: windows[1].0,
            self_assessment_closes: windows[1].1,
            review_opens: windows[2].0,
            review_closes: windows[2].1,
            reviewer_level: "branch".into(),
            recogniser_level: "commune".into(),
            validity_months: 12,
            version: 1,
        }
    }

    #[test]
    fn deadlines_leave_out_closed_windows_and_come_soonest_first() {
        let p = period(
            2026,
            [
                (day(1, 1), day(3, 31)),
                (day(2, 1), day(9, 30)),
                (day(10, 1), day(12, 31)),
            ],
        );
        let phases = |today| {
            deadlines(&p, today)
                .into_iter()
                .map(|d| (d.phase, d.days_left, d.open))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            phases(day(3, 31)),
            vec![
                (PeriodPhase::Registration, 0, true),
                (PeriodPhase::SelfAssessment, 183, true),
                (PeriodPhase::Review, 275, false),
            ]
        );
        assert_eq!(
            phases(day(4, 1)),
            vec![
                (PeriodPhase::SelfAssessment, 182, true),
                (PeriodPhase::Review, 274, false),
            ]
        );
        assert!(phases(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap_or_default()).is_empty());
    }

    #[test]
    fn the_current_period_is_the_open_one_closing_first_else_the_latest() {
        let whole = |year: i32| {
            let start = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
            let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default();
            period(year, [(start, end); 3])
        };
        let periods = vec![whole(2027), whole(2026), whole(2025)];
        let year_of = |today| current_period(&periods, today).map(|p| p.year);
        assert_eq!(year_of(day(6, 1)), Some(2026));
        assert_eq!(
            year_of(NaiveDate::from_ymd_opt(2030, 1, 1).unwrap_or_default()),
            Some(2027)
        );
        assert_eq!(current_period(&[], day(6, 1)).map(|p| p.year), None);
    }
}
