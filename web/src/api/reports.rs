//! Reports: the live report of a unit in a period, progress against the Decision 677 targets,
//! the series over periods, the legacy-unit view, their CSV/XLSX exports, and the baselines
//! (population, adult population, committees' staff) the rates are computed against.

use super::ApiError;
use super::client::{self, Call, pairs};
use crate::session::Session;
use shared::report::{
    BaselineEntry, BaselineImportResult, CommitteeBaselineInput, CommuneBaselineInput,
    LegacyReport, Progress, Series, UnitReport,
};
use uuid::Uuid;

/// A file format the report endpoints export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

impl ExportFormat {
    /// The value of the `format` parameter, also the file extension.
    pub fn param(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Xlsx => "xlsx",
        }
    }

    /// The media type of the file.
    pub fn mime(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv;charset=utf-8",
            ExportFormat::Xlsx => {
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        }
    }
}

/// Which report an export is of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportKind {
    /// `GET /reports/summary` of a period and unit.
    Summary { period_id: Uuid, unit: String },
    /// `GET /reports/progress` of a period and unit.
    Progress { period_id: Uuid, unit: String },
    /// `GET /reports/series` of a unit.
    Series { unit: String },
    /// `GET /reports/people` of a unit: the people list, ID numbers masked.
    People { unit: String },
    /// `GET /reports/legacy` of a period, nation or legacy province or district.
    Legacy {
        period_id: Uuid,
        province: Option<String>,
        district: Option<String>,
    },
}

impl ReportKind {
    /// The endpoint and its parameters (without `format`).
    fn request(&self) -> (&'static str, Vec<(&'static str, String)>) {
        match self {
            ReportKind::Summary { period_id, unit } => (
                "/reports/summary",
                vec![("period_id", period_id.to_string()), ("unit", unit.clone())],
            ),
            ReportKind::Progress { period_id, unit } => (
                "/reports/progress",
                vec![("period_id", period_id.to_string()), ("unit", unit.clone())],
            ),
            ReportKind::Series { unit } => ("/reports/series", vec![("unit", unit.clone())]),
            ReportKind::People { unit } => ("/reports/people", vec![("unit", unit.clone())]),
            ReportKind::Legacy {
                period_id,
                province,
                district,
            } => {
                let mut params = vec![("period_id", period_id.to_string())];
                if let Some(province) = province {
                    params.push(("province", province.clone()));
                }
                if let Some(district) = district {
                    params.push(("district", district.clone()));
                }
                ("/reports/legacy", params)
            }
        }
    }
}

/// `GET /reports/summary?period_id&unit`: the report of `unit` (`VN`, a province or a commune
/// code) in a period.
pub async fn summary(
    session: Session,
    period_id: Uuid,
    unit: &str,
) -> Result<UnitReport, ApiError> {
    let (path, params) = ReportKind::Summary {
        period_id,
        unit: unit.to_string(),
    }
    .request();
    client::call(session, Call::get(path, &pairs(&params))).await
}

/// `GET /reports/progress?period_id&unit`: progress against the targets in force.
pub async fn progress(session: Session, period_id: Uuid, unit: &str) -> Result<Progress, ApiError> {
    let (path, params) = ReportKind::Progress {
        period_id,
        unit: unit.to_string(),
    }
    .request();
    client::call(session, Call::get(path, &pairs(&params))).await
}

/// `GET /reports/series?unit`: one point per period, oldest first.
pub async fn series(session: Session, unit: &str) -> Result<Series, ApiError> {
    let (path, params) = ReportKind::Series {
        unit: unit.to_string(),
    }
    .request();
    client::call(session, Call::get(path, &pairs(&params))).await
}

/// `GET /reports/legacy?period_id[&province|&district]`: a period before 2025-07-01 on the
/// legacy units.
pub async fn legacy(
    session: Session,
    period_id: Uuid,
    province: Option<String>,
    district: Option<String>,
) -> Result<LegacyReport, ApiError> {
    let (path, params) = ReportKind::Legacy {
        period_id,
        province,
        district,
    }
    .request();
    client::call(session, Call::get(path, &pairs(&params))).await
}

/// The bytes of a report exported as CSV or XLSX.
pub async fn export(
    session: Session,
    report: &ReportKind,
    format: ExportFormat,
    lang: &str,
) -> Result<Vec<u8>, ApiError> {
    let (path, mut params) = report.request();
    params.push(("format", format.param().to_string()));
    params.push(("lang", lang.to_string()));
    client::call_bytes(session, Call::get(path, &pairs(&params))).await
}

/// `PUT /periods/{id}/baselines/communes/{code}`.
pub async fn set_commune_baseline(
    session: Session,
    period_id: Uuid,
    commune: &str,
    input: &CommuneBaselineInput,
) -> Result<BaselineEntry, ApiError> {
    let path = format!("/periods/{period_id}/baselines/communes/{commune}");
    client::call(session, Call::put(&path, input)).await
}

/// `PUT /periods/{id}/baselines/committees/{unit_id}`.
pub async fn set_committee_baseline(
    session: Session,
    period_id: Uuid,
    committee: Uuid,
    input: &CommitteeBaselineInput,
) -> Result<BaselineEntry, ApiError> {
    let path = format!("/periods/{period_id}/baselines/committees/{committee}");
    client::call(session, Call::put(&path, input)).await
}

/// `POST /periods/{id}/baselines/import`: a baseline CSV file, all rows or none.
pub async fn import_baselines(
    session: Session,
    period_id: Uuid,
    file: &web_sys::Blob,
) -> Result<BaselineImportResult, ApiError> {
    let path = format!("/periods/{period_id}/baselines/import");
    client::call_upload(session, &path, &[], file, super::xhr::unheard()).await
}
