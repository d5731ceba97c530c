//! Reports: live counts per period and unit, baselines (denominators), the Decision 677 targets
//! and progress against them. The API serves these types and the SPA draws them.
//!
//! What each count means (a registration counts once, in the bucket of its current status):
//!
//! | count | registrations of the period whose status is |
//! |---|---|
//! | `registered` | anything but `withdrawn` |
//! | `self_assessed` | `submitted` or later: submitted, under review, review passed or failed, recognised, not recognised, revoked |
//! | `under_review` | `submitted` or `under_review` (waiting for the reviewer's outcome) |
//! | `review_passed` | passed at review, whatever came after: review passed, recognised, not recognised, revoked |
//! | `review_failed` | `review_failed` |
//! | `recognised` | `recognised` (holding the title of that period; a recognition past its validity still counts for its period) |
//! | `not_recognised` | `not_recognised` |
//! | `revoked` | `revoked` |
//! | `withdrawn` | `withdrawn` |

use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The age bands of the reports, by age reached in the period's year (year − birth year).
pub const AGE_BANDS: [&str; 4] = ["under_18", "18_35", "36_60", "over_60"];

/// The age band of someone born in `birth_year`, in the period of `period_year`.
pub fn age_band(period_year: i32, birth_year: i32) -> &'static str {
    match period_year - birth_year {
        a if a < 18 => "under_18",
        a if a <= 35 => "18_35",
        a if a <= 60 => "36_60",
        _ => "over_60",
    }
}

/// Cells of a breakdown by ethnicity or religion below this are suppressed.
pub const SMALL_COUNT_THRESHOLD: i64 = 5;

/// The counts of one group of registrations (see the module documentation for each meaning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatusCounts {
    pub registered: i64,
    pub self_assessed: i64,
    pub under_review: i64,
    pub review_passed: i64,
    pub review_failed: i64,
    pub recognised: i64,
    pub not_recognised: i64,
    pub revoked: i64,
    pub withdrawn: i64,
}

impl StatusCounts {
    /// Adds `n` registrations currently in `status` (a stored status string).
    pub fn add_status(&mut self, status: &str, n: i64) {
        match status {
            "registered" | "draft" => self.registered += n,
            "submitted" | "under_review" => {
                self.registered += n;
                self.self_assessed += n;
                self.under_review += n;
            }
            "review_passed" => {
                self.registered += n;
                self.self_assessed += n;
                self.review_passed += n;
            }
            "review_failed" => {
                self.registered += n;
                self.self_assessed += n;
                self.review_failed += n;
            }
            "recognised" => {
                self.registered += n;
                self.self_assessed += n;
                self.review_passed += n;
                self.recognised += n;
            }
            "not_recognised" => {
                self.registered += n;
                self.self_assessed += n;
                self.review_passed += n;
                self.not_recognised += n;
            }
            "revoked" => {
                self.registered += n;
                self.self_assessed += n;
                self.review_passed += n;
                self.revoked += n;
            }
            "withdrawn" => self.withdrawn += n,
            _ => {}
        }
    }

    /// The column names of [`StatusCounts::values`], in order (for exports).
    pub const COLUMNS: [&'static str; 9] = [
        "registered",
        "self_assessed",
        "under_review",
        "review_passed",
        "review_failed",
        "recognised",
        "not_recognised",
        "revoked",
        "withdrawn",
    ];

    /// The counts in the order of [`StatusCounts::COLUMNS`].
    pub fn values(&self) -> [i64; 9] {
        [
            self.registered,
            self.self_assessed,
            self.under_review,
            self.review_passed,
            self.review_failed,
            self.recognised,
            self.not_recognised,
            self.revoked,
            self.withdrawn,
        ]
    }
}

/// The unit a report is about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportUnit {
    /// `nation`, `province` or `commune` (legacy view: `legacy_nation`, `legacy_province`,
    /// `legacy_district`).
    pub level: String,
    /// `VN`, a province or a commune code.
    #[cfg_attr(feature = "openapi", schema(example = "01"))]
    pub code: String,
    pub name: String,
}

/// One row of a breakdown: a key (target group code, `male`/`female`, an age band) and its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BreakdownRow {
    #[cfg_attr(feature = "openapi", schema(example = "18_35"))]
    pub key: String,
    pub label: String,
    pub counts: StatusCounts,
}

/// One child unit of the report's unit: a province of the nation, a commune of a province, or a
/// branch or committee of a commune (whose reviewing unit it is; `level` = `commune` for the
/// registrations the commune's Association reviews itself).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChildRow {
    /// A province or commune code, or an Association unit id for branches and committees.
    pub code: String,
    pub name: String,
    /// `province`, `commune`, `branch`, `committee` (legacy view: `legacy_province`,
    /// `legacy_district`, `legacy_commune`, `unattributed`).
    pub level: String,
    pub counts: StatusCounts,
    /// Active members of the Association units inside this child (not in the legacy view).
    pub members: Option<i64>,
    pub baseline: Baseline,
    pub rates: Rates,
}

/// A row of a breakdown by a sensitive attribute (ethnicity, religion): counts below
/// [`SMALL_COUNT_THRESHOLD`] are `null` with `suppressed = true`, and so is the next smallest
/// cell of the same column when one suppressed cell could be recovered from the total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SensitiveRow {
    /// The value as recorded, or `not_stated`.
    pub key: String,
    pub registered: Option<i64>,
    pub recognised: Option<i64>,
    /// Whether any cell of this row is withheld.
    pub suppressed: bool,
}

/// Denominators of a unit and period, summed over what lies inside it. `None` when no unit
/// inside has one entered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Baseline {
    pub population: Option<i64>,
    pub adult_population: Option<i64>,
    /// Staff of the committees' workplaces (agencies, schools, enterprises).
    pub staff: Option<i64>,
}

/// Rates as fractions (0.4 = 40 %): sum of numerators over sum of denominators at the level
/// shown, never an average of the rates below. `None` without a denominator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rates {
    /// Recognised citizens (all target groups) over the adult population.
    pub recognised_of_adults: Option<f64>,
    /// Recognised in the officials-and-employees group over the committees' staff.
    pub recognised_officials_of_staff: Option<f64>,
    /// Registered over the adult population.
    pub registered_of_adults: Option<f64>,
}

/// `GET /reports/summary`: where the programme stands for one period in one unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitReport {
    pub period_id: Uuid,
    pub period_year: i32,
    pub unit: ReportUnit,
    pub totals: StatusCounts,
    /// Active members of the Association units inside the unit.
    pub members: i64,
    /// Recognised registrations of the officials-and-employees target group.
    pub recognised_officials: i64,
    pub baseline: Baseline,
    pub rates: Rates,
    pub by_target_group: Vec<BreakdownRow>,
    pub by_gender: Vec<BreakdownRow>,
    pub by_age_band: Vec<BreakdownRow>,
    pub children: Vec<ChildRow>,
    pub by_ethnicity: Vec<SensitiveRow>,
    pub by_religion: Vec<SensitiveRow>,
}

/// `GET /reports/legacy`: a report of a period before 2025-07-01 on the legacy units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LegacyReport {
    pub period_id: Uuid,
    pub period_year: i32,
    /// `legacy_nation`, `legacy_province` or `legacy_district` and its legacy code.
    pub unit: ReportUnit,
    pub totals: StatusCounts,
    /// Legacy provinces, districts or communes; registrations whose current commune came from
    /// several legacy units are counted in an `unattributed` row at the finest level known.
    pub children: Vec<ChildRow>,
}

/// A national target of Decision 677/QĐ-TTg, as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Target {
    /// `adults` (learning families, clans, communities) or `officials` (learning units).
    #[cfg_attr(feature = "openapi", schema(example = "adults"))]
    pub measure: String,
    /// The target applies to periods up to and including this year.
    #[cfg_attr(feature = "openapi", schema(example = 2025))]
    pub by_year: i32,
    /// 0.4 = 40 %.
    #[cfg_attr(feature = "openapi", schema(example = 0.4))]
    pub rate: f64,
    pub source: String,
}

/// Progress of one measure of a unit in one period against the target in force.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProgressRow {
    /// `adults` or `officials`.
    pub measure: String,
    /// Recognised citizens (adults) or recognised officials and employees.
    pub numerator: i64,
    /// Adult population or staff; `None` when no baseline is entered.
    pub denominator: Option<i64>,
    pub rate: Option<f64>,
    /// The target in force for the period's year (the nearest `by_year` not before it).
    pub target_rate: Option<f64>,
    pub target_year: Option<i32>,
    /// `rate / target_rate`; 1.0 means the target is met.
    pub achievement: Option<f64>,
}

/// `GET /reports/progress`: a unit's progress in one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    pub period_id: Uuid,
    pub period_year: i32,
    pub unit: ReportUnit,
    pub measures: Vec<ProgressRow>,
}

/// One period of a time series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SeriesPoint {
    pub period_id: Uuid,
    pub period_year: i32,
    pub period_name: String,
    pub totals: StatusCounts,
    pub baseline: Baseline,
    pub measures: Vec<ProgressRow>,
}

/// `GET /reports/series`: one row per period, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Series {
    pub unit: ReportUnit,
    pub points: Vec<SeriesPoint>,
}

/// `PUT /periods/{id}/baselines/communes/{code}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, validator::Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommuneBaselineInput {
    #[validate(range(
        min = 0,
        max = 100_000_000,
        message = "must be between 0 and 100000000"
    ))]
    #[cfg_attr(feature = "openapi", schema(example = 24000))]
    pub population: i64,
    #[validate(range(
        min = 0,
        max = 100_000_000,
        message = "must be between 0 and 100000000"
    ))]
    #[cfg_attr(feature = "openapi", schema(example = 17500))]
    pub adult_population: i64,
}

/// `PUT /periods/{id}/baselines/committees/{unit_id}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, validator::Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommitteeBaselineInput {
    #[validate(range(min = 0, max = 10_000_000, message = "must be between 0 and 10000000"))]
    #[cfg_attr(feature = "openapi", schema(example = 120))]
    pub staff: i64,
}

/// A stored baseline of a commune (population) or a committee (staff) in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BaselineEntry {
    pub period_id: Uuid,
    /// `commune` or `committee`.
    pub kind: String,
    /// The commune code, or the committee's Association unit id.
    pub unit: String,
    pub unit_name: String,
    pub commune_code: String,
    pub province_code: String,
    pub population: Option<i64>,
    pub adult_population: Option<i64>,
    pub staff: Option<i64>,
}

/// The answer to a baseline CSV import (all rows or none are written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BaselineImportResult {
    pub communes: u64,
    pub committees: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn age_bands_follow_the_age_reached_in_the_period_year() {
        let cases = [
            (2008, "under_18"),
            (2007, "18_35"),
            (1990, "18_35"),
            (1989, "36_60"),
            (1965, "36_60"),
            (1964, "over_60"),
        ];
        for (birth_year, band) in cases {
            assert_eq!(age_band(2025, birth_year), band, "born {birth_year}");
        }
    }

    #[test]
    fn a_registration_counts_in_every_bucket_its_status_has_reached() {
        let mut c = StatusCounts::default();
        for status in [
            "registered",
            "draft",
            "submitted",
            "under_review",
            "review_passed",
            "review_failed",
            "recognised",
            "not_recognised",
            "revoked",
            "withdrawn",
        ] {
            c.add_status(status, 1);
        }
        assert_eq!(
            c.values(),
            [9, 7, 2, 4, 1, 1, 1, 1, 1],
            "{:?}",
            StatusCounts::COLUMNS
        );
    }
}
