//! `/reports`: live reports of a period for a unit inside the caller's, progress against the
//! Decision 677 targets, a time series, the legacy-unit view, people lists, and counter checks.
//! Every report answers JSON, or CSV/XLSX with `?format=csv|xlsx` (or an `Accept` header).

use crate::auth::Actor;
use crate::error::ApiError;
use crate::export::{Cell, ExportFormat, Lang, Table, download};
use crate::services::reports::{self, CounterCheck};
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::report::{
    BreakdownRow, ChildRow, LegacyReport, Progress, ProgressRow, SensitiveRow, Series,
    StatusCounts, Target, UnitReport,
};
use utoipa::IntoParams;
use uuid::Uuid;

/// Query of a report of one period.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// The period (required).
    period_id: Option<Uuid>,
    /// `VN`, a province or a commune code inside the caller's unit; the caller's unit by default.
    unit: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
    /// The language of a CSV or XLSX file's sheets, headers and coded values: `vi` (default,
    /// Vietnamese labels) or `en` (the English keys of the JSON report).
    lang: Option<String>,
}

/// Query of the time series.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SeriesQuery {
    /// `VN`, a province or a commune code inside the caller's unit; the caller's unit by default.
    unit: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
    /// The language of a CSV or XLSX file's sheets, headers and coded values: `vi` (default,
    /// Vietnamese labels) or `en` (the English keys of the JSON report).
    lang: Option<String>,
}

/// Query of the legacy view.
#[derive(Debug, Deserialize, IntoParams)]
pub struct LegacyQuery {
    /// A period that began before 2025-07-01 (required).
    period_id: Option<Uuid>,
    /// A legacy province code: the report of that province by legacy district.
    province: Option<String>,
    /// A legacy district code: the report of that district by legacy commune.
    district: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    format: Option<String>,
    /// The language of a CSV or XLSX file's sheets, headers and coded values: `vi` (default,
    /// Vietnamese labels) or `en` (the English keys of the JSON report).
    lang: Option<String>,
}

/// Query of the people list export.
#[derive(Debug, Deserialize, IntoParams)]
pub struct PeopleQuery {
    /// `VN`, a province or a commune code inside the caller's unit; the caller's unit by default.
    unit: Option<String>,
    target_group: Option<String>,
    /// Full personal ID numbers instead of masked ones (commune officers and above; audited).
    full_personal_ids: Option<bool>,
    /// `csv` (default) or `xlsx`.
    format: Option<String>,
    /// The language of the file's headers and coded values: `vi` (default, Vietnamese labels,
    /// target group names) or `en` (the English keys and codes).
    lang: Option<String>,
}

fn required_period(period_id: Option<Uuid>) -> Result<Uuid, ApiError> {
    period_id.ok_or_else(|| ApiError::field("period_id", "required", "is required"))
}

fn count_headers(first: &[&str]) -> Vec<String> {
    first
        .iter()
        .map(|s| s.to_string())
        .chain(StatusCounts::COLUMNS.iter().map(|s| s.to_string()))
        .collect()
}

fn count_cells(mut row: Vec<Cell>, counts: &StatusCounts) -> Vec<Cell> {
    row.extend(counts.values().into_iter().map(Cell::Int));
    row
}

/// A breakdown: in Vietnamese by its labels only, in English by key and label.
fn breakdown(name: &str, rows: &[BreakdownRow], lang: Lang) -> Table {
    let first: &[&str] = match lang {
        Lang::Vi => &["name"],
        Lang::En => &["key", "name"],
    };
    Table {
        name: name.into(),
        headers: count_headers(first),
        rows: rows
            .iter()
            .map(|r| {
                let mut cells = Vec::new();
                if lang == Lang::En {
                    cells.push(r.key.clone().into());
                }
                cells.push(r.label.clone().into());
                count_cells(cells, &r.counts)
            })
            .collect(),
    }
}

/// A child unit's code as shown: in Vietnamese, Association units (named by an id, not a code)
/// are shown by name only.
fn child_code(child: &ChildRow, lang: Lang) -> Cell {
    let by_id = matches!(child.level.as_str(), "branch" | "committee");
    if lang == Lang::Vi && by_id {
        Cell::Empty
    } else {
        child.code.clone().into()
    }
}

fn children_table(rows: &[ChildRow], lang: Lang) -> Table {
    let mut headers = count_headers(&["key", "name", "level"]);
    headers.extend(
        [
            "members",
            "population",
            "adult_population",
            "staff",
            "recognised_of_adults",
            "recognised_officials_of_staff",
        ]
        .map(String::from),
    );
    Table {
        name: "children".into(),
        headers,
        rows: rows
            .iter()
            .map(|c| {
                let mut row = count_cells(
                    vec![
                        child_code(c, lang),
                        c.name.clone().into(),
                        lang.cell(Some(&c.level)),
                    ],
                    &c.counts,
                );
                row.extend([
                    c.members.into(),
                    c.baseline.population.into(),
                    c.baseline.adult_population.into(),
                    c.baseline.staff.into(),
                    c.rates.recognised_of_adults.into(),
                    c.rates.recognised_officials_of_staff.into(),
                ]);
                row
            })
            .collect(),
    }
}

fn sensitive(name: &str, rows: &[SensitiveRow], lang: Lang) -> Table {
    Table {
        name: name.into(),
        headers: ["key", "registered", "recognised", "suppressed"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    lang.cell(Some(&r.key)),
                    r.registered.into(),
                    r.recognised.into(),
                    lang.cell(Some(&r.suppressed.to_string())),
                ]
            })
            .collect(),
    }
}

fn summary_tables(r: &UnitReport, lang: Lang) -> Vec<Table> {
    let mut totals = Table {
        name: "totals".into(),
        headers: count_headers(&["key", "name"]),
        rows: vec![count_cells(
            vec![r.unit.code.clone().into(), r.unit.name.clone().into()],
            &r.totals,
        )],
    };
    totals.headers.extend(
        [
            "members",
            "recognised_officials",
            "population",
            "adult_population",
            "staff",
            "recognised_of_adults",
            "recognised_officials_of_staff",
        ]
        .map(String::from),
    );
    if let Some(row) = totals.rows.first_mut() {
        row.extend([
            Cell::Int(r.members),
            Cell::Int(r.recognised_officials),
            r.baseline.population.into(),
            r.baseline.adult_population.into(),
            r.baseline.staff.into(),
            r.rates.recognised_of_adults.into(),
            r.rates.recognised_officials_of_staff.into(),
        ]);
    }
    vec![
        totals,
        breakdown("target_group", &r.by_target_group, lang),
        breakdown("gender", &r.by_gender, lang),
        breakdown("age_band", &r.by_age_band, lang),
        children_table(&r.children, lang),
        sensitive("ethnicity", &r.by_ethnicity, lang),
        sensitive("religion", &r.by_religion, lang),
    ]
}

fn progress_table(name: &str, first: &[(&str, Cell)], rows: &[ProgressRow], lang: Lang) -> Table {
    let mut headers: Vec<String> = first.iter().map(|(h, _)| h.to_string()).collect();
    headers.extend(
        [
            "measure",
            "numerator",
            "denominator",
            "rate",
            "target_rate",
            "target_year",
            "achievement",
        ]
        .map(String::from),
    );
    Table {
        name: name.into(),
        headers,
        rows: rows
            .iter()
            .map(|m| {
                let mut row: Vec<Cell> = first.iter().map(|(_, c)| c.clone()).collect();
                row.extend([
                    lang.cell(Some(&m.measure)),
                    Cell::Int(m.numerator),
                    m.denominator.into(),
                    m.rate.into(),
                    m.target_rate.into(),
                    m.target_year.map(i64::from).into(),
                    m.achievement.into(),
                ]);
                row
            })
            .collect(),
    }
}

/// The report of one period for one unit: counts by status, target group, gender, age band and
/// child unit (provinces of the nation, communes of a province, branches and committees of a
/// commune), members, baselines and rates, and the ethnicity and religion breakdowns with small
/// counts suppressed. Always current: read from counters the database keeps in the same
/// transaction as every change.
#[utoipa::path(
    operation_id = "reports_summary",
    tag = "reports",
    security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "The report (JSON, or CSV/XLSX with format)", body = UnitReport),
        (status = 403, description = "The unit is outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or unknown period, unknown unit or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    query: crate::extract::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = ExportFormat::choose(q.format.as_deref(), req.headers())?;
    let lang = Lang::parse(q.lang.as_deref())?;
    let period_id = required_period(q.period_id)?;
    let report = reports::summary(&state.db, &actor, period_id, q.unit.as_deref()).await?;
    if format == ExportFormat::Json {
        return Ok(HttpResponse::Ok().json(report));
    }
    let stem = format!("báo-cáo-{}-{}", report.period_year, report.unit.name);
    download(format, lang, &stem, &summary_tables(&report, lang))
}

/// Progress of a unit against the Decision 677 targets in one period: recognised citizens over
/// the adult population, recognised officials and employees over the committees' staff, each
/// with the target in force for the period's year.
#[utoipa::path(
    operation_id = "reports_progress",
    tag = "reports",
    security(("bearer" = [])),
    params(ReportQuery),
    responses(
        (status = 200, description = "Progress (JSON, or CSV/XLSX with format)", body = Progress),
        (status = 403, description = "The unit is outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or unknown period, unknown unit or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/progress")]
pub async fn progress(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    query: crate::extract::Query<ReportQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = ExportFormat::choose(q.format.as_deref(), req.headers())?;
    let lang = Lang::parse(q.lang.as_deref())?;
    let period_id = required_period(q.period_id)?;
    let p = reports::progress(&state.db, &actor, period_id, q.unit.as_deref()).await?;
    if format == ExportFormat::Json {
        return Ok(HttpResponse::Ok().json(p));
    }
    let table = progress_table("progress", &[], &p.measures, lang);
    let stem = format!("tiến-độ-{}-{}", p.period_year, p.unit.name);
    download(format, lang, &stem, &[table])
}

/// A unit's counts, baselines and progress over every period, oldest first (one row per period).
#[utoipa::path(
    operation_id = "reports_series",
    tag = "reports",
    security(("bearer" = [])),
    params(SeriesQuery),
    responses(
        (status = 200, description = "The series (JSON, or CSV/XLSX with format)", body = Series),
        (status = 403, description = "The unit is outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown unit or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/series")]
pub async fn series(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    query: crate::extract::Query<SeriesQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = ExportFormat::choose(q.format.as_deref(), req.headers())?;
    let lang = Lang::parse(q.lang.as_deref())?;
    let s = reports::series(&state.db, &actor, q.unit.as_deref()).await?;
    if format == ExportFormat::Json {
        return Ok(HttpResponse::Ok().json(s));
    }
    let counts = Table {
        name: "series".into(),
        headers: count_headers(&["year", "period"]),
        rows: s
            .points
            .iter()
            .map(|p| {
                count_cells(
                    vec![
                        Cell::Int(p.period_year.into()),
                        p.period_name.clone().into(),
                    ],
                    &p.totals,
                )
            })
            .collect(),
    };
    let mut measures = Table {
        name: "progress".into(),
        headers: Vec::new(),
        rows: Vec::new(),
    };
    for p in &s.points {
        let t = progress_table(
            "progress",
            &[("year", Cell::Int(p.period_year.into()))],
            &p.measures,
            lang,
        );
        measures.headers = t.headers;
        measures.rows.extend(t.rows);
    }
    let stem = format!("chuỗi-thời-gian-{}", s.unit.name);
    download(format, lang, &stem, &[counts, measures])
}

/// A period before 2025-07-01 shown on the legacy units: the nation by legacy province, a
/// legacy province by district, a legacy district by commune. A current commune formed from
/// several legacy communes is attributed only as far as its predecessors agree (district, or
/// province); the rest is an `unattributed` row.
#[utoipa::path(
    operation_id = "reports_legacy",
    tag = "reports",
    security(("bearer" = [])),
    params(LegacyQuery),
    responses(
        (status = 200, description = "The legacy report (JSON, or CSV/XLSX with format)", body = LegacyReport),
        (status = 422, description = "Missing, unknown or recent period; unknown legacy unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/legacy")]
pub async fn legacy(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    query: crate::extract::Query<LegacyQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = ExportFormat::choose(q.format.as_deref(), req.headers())?;
    let lang = Lang::parse(q.lang.as_deref())?;
    let period_id = required_period(q.period_id)?;
    let r = reports::legacy(
        &state.db,
        &actor,
        period_id,
        q.province.as_deref(),
        q.district.as_deref(),
    )
    .await?;
    if format == ExportFormat::Json {
        return Ok(HttpResponse::Ok().json(r));
    }
    let mut tables = vec![Table {
        name: "totals".into(),
        headers: count_headers(&["key", "name"]),
        rows: vec![count_cells(
            vec![r.unit.code.clone().into(), r.unit.name.clone().into()],
            &r.totals,
        )],
    }];
    let mut children = children_table(&r.children, lang);
    children.headers.truncate(3 + StatusCounts::COLUMNS.len());
    for row in &mut children.rows {
        row.truncate(3 + StatusCounts::COLUMNS.len());
    }
    tables.push(children);
    let stem = format!("báo-cáo-đơn-vị-cũ-{}-{}", r.period_year, r.unit.name);
    download(format, lang, &stem, &tables)
}

/// The Decision 677 targets as stored.
#[utoipa::path(
    operation_id = "reports_targets",
    tag = "reports",
    security(("bearer" = [])),
    responses((status = 200, description = "Targets by measure and year", body = Vec<Target>))
)]
#[get("/reports/targets")]
pub async fn targets(
    state: web::Data<AppState>,
    _actor: Actor,
) -> Result<web::Json<Vec<Target>>, ApiError> {
    reports::targets(&state.db).await.map(web::Json)
}

/// A list of the people of a unit inside the caller's, as CSV (default) or XLSX. ID numbers are
/// masked; commune officers and above may ask for the full numbers with
/// `full_personal_ids=true`, which is written to the audit log.
#[utoipa::path(
    operation_id = "reports_people",
    tag = "reports",
    security(("bearer" = [])),
    params(PeopleQuery),
    responses(
        (status = 200, description = "The list", content_type = "text/csv"),
        (status = 400, description = "`export_too_large`: more people match than one export holds (200,000); choose a smaller unit", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Outside the caller's unit, or full numbers asked by a role that does not see them", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown unit or format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/people")]
pub async fn people(
    state: web::Data<AppState>,
    actor: Actor,
    req: HttpRequest,
    query: crate::extract::Query<PeopleQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let format = match ExportFormat::choose(q.format.as_deref(), req.headers())? {
        ExportFormat::Json => ExportFormat::Csv,
        f => f,
    };
    let lang = Lang::parse(q.lang.as_deref())?;
    let (unit, lines) = reports::people_lines(
        &state.db,
        &state.pii,
        &actor,
        q.unit.as_deref(),
        q.target_group.as_deref(),
        q.full_personal_ids.unwrap_or(false),
    )
    .await?;
    let table = Table {
        name: "people".into(),
        headers: [
            "full_name",
            "gender",
            "birth_date",
            "birth_year",
            "personal_id",
            "province_code",
            "commune_code",
            "commune",
            "village",
            "target_group",
            "occupation",
            "workplace",
        ]
        .map(String::from)
        .to_vec(),
        rows: lines
            .into_iter()
            .map(|p| {
                vec![
                    p.full_name.into(),
                    lang.cell(Some(&p.gender)),
                    p.birth_date.into(),
                    Cell::Int(p.birth_year.into()),
                    p.personal_id.into(),
                    p.province_code.into(),
                    p.commune_code.into(),
                    p.commune_name.into(),
                    p.village.into(),
                    match lang {
                        Lang::Vi => p.target_group_name.or(p.target_group).into(),
                        Lang::En => p.target_group.into(),
                    },
                    p.occupation.into(),
                    p.workplace.into(),
                ]
            })
            .collect(),
    };
    download(
        format,
        lang,
        &format!("danh-sách-{}", unit.code()),
        &[table],
    )
}

/// Compare the report counters with a from-scratch grouping of the registrations, people and
/// memberships (central administrator). Both counts are 0 when the counters are right.
#[utoipa::path(
    operation_id = "reports_counters_check",
    tag = "reports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rows that differ", body = CounterCheck),
        (status = 403, description = "Only the central administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reports/counters/check")]
pub async fn counters_check(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<CounterCheck>, ApiError> {
    reports::ensure_central(&actor)?;
    reports::check_counters(&state.db).await.map(web::Json)
}

/// Recompute every report counter from scratch in one transaction (central administrator),
/// e.g. after loading data with the triggers switched off; answers the check afterwards.
#[utoipa::path(
    operation_id = "reports_counters_rebuild",
    tag = "reports",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Rebuilt; rows that differ afterwards", body = CounterCheck),
        (status = 403, description = "Only the central administrator", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reports/counters/rebuild")]
pub async fn counters_rebuild(
    state: web::Data<AppState>,
    actor: Actor,
) -> Result<web::Json<CounterCheck>, ApiError> {
    reports::ensure_central(&actor)?;
    reports::rebuild_counters(&state.db).await?;
    reports::check_counters(&state.db).await.map(web::Json)
}
