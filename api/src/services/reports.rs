//! Live reports for a period and a unit, read from the counters the database triggers keep
//! (`report_counts`, `member_counts`; see migration `m20251128_000009_reports`), with baselines,
//! the Decision 677 targets, progress, a time series, the legacy-unit view, counter checks and
//! the people list export.
//!
//! Every report is a handful of indexed reads whose size depends on the number of units and
//! breakdown values, never on the number of registrations. The caller's scope applies: a unit
//! outside it is refused with 403, and the legacy view only counts registrations of current
//! communes inside it.

use crate::auth::policy::ensure_within;
use crate::auth::{Actor, UnitPath};
use crate::crypto::PiiKeys;
use crate::db::entities::{
    admin_unit, admin_unit_conversion, association_unit, period, person, target_group,
};
use crate::db::sql;
use crate::error::ApiError;
use crate::services::{audit, units};
use migrations::m20251128_000009_reports as counters;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, Value,
};
use shared::auth::Role;
use shared::report::{
    AGE_BANDS, Baseline, BreakdownRow, ChildRow, LegacyReport, Progress, ProgressRow, Rates,
    ReportUnit, SMALL_COUNT_THRESHOLD, SensitiveRow, Series, SeriesPoint, StatusCounts, Target,
    UnitReport,
};
use std::collections::{BTreeMap, HashMap, HashSet};
use uuid::Uuid;

/// Periods that began before this date can be shown on the legacy units.
const LEGACY_UNTIL_YEAR: i32 = 2025;

#[derive(Debug, FromQueryResult)]
struct CountRow {
    code: String,
    dim: String,
    value: String,
    status: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct MemberRow {
    code: String,
    n: i64,
}

#[derive(Debug, FromQueryResult)]
struct BaselineRow {
    kind: String,
    unit_key: String,
    province_code: String,
    commune_code: String,
    population: Option<i64>,
    adult_population: Option<i64>,
    staff: Option<i64>,
}

#[derive(Debug, FromQueryResult)]
struct TargetRow {
    measure: String,
    by_year: i32,
    rate: f64,
    target_group: Option<String>,
    source: String,
}

/// Loads a period, refusing an unknown id as an invalid `period_id`.
pub async fn load_period(
    db: &impl ConnectionTrait,
    period_id: Uuid,
) -> Result<period::Model, ApiError> {
    period::Entity::find_by_id(period_id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::field("period_id", "unknown_period", "no period has this id"))
}

/// The unit asked for (`VN`, a province or a commune code; the caller's own unit by default),
/// refused with 403 when it lies outside the caller's unit.
pub async fn resolve_unit(
    db: &impl ConnectionTrait,
    actor: &Actor,
    unit: Option<&str>,
) -> Result<UnitPath, ApiError> {
    let unit = match unit {
        Some(code) => units::resolve_field(db, "unit", code).await?,
        None => actor.unit.clone(),
    };
    ensure_within(actor, &unit)?;
    Ok(unit)
}

async fn report_unit(db: &impl ConnectionTrait, unit: &UnitPath) -> Result<ReportUnit, ApiError> {
    let code = unit.code().to_string();
    let refs = units::unit_refs(db, std::slice::from_ref(&code)).await?;
    Ok(ReportUnit {
        level: unit.level().to_string(),
        name: refs.get(&code).map(|r| r.name.clone()).unwrap_or_default(),
        code,
    })
}

/// The counter rows of a unit in one or all periods; `dims` restricts the breakdowns read.
async fn count_rows(
    db: &impl ConnectionTrait,
    period_id: Option<Uuid>,
    unit: &UnitPath,
    dims: &[&str],
) -> Result<Vec<(Uuid, CountRow)>, ApiError> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        period_id: Uuid,
        code: String,
        dim: String,
        value: String,
        status: String,
        n: i64,
    }
    let backend = db.get_database_backend();
    let mut text = String::from(
        "SELECT period_id, code, dim, value, status, n FROM report_counts WHERE n <> 0",
    );
    let mut values: Vec<Value> = Vec::new();
    if let Some(p) = period_id {
        text.push_str(" AND period_id = ?");
        values.push(p.into());
    }
    match (&unit.province, &unit.commune) {
        (_, Some(c)) => {
            text.push_str(" AND level = 'commune' AND code = ?");
            values.push(c.clone().into());
        }
        (Some(p), None) => {
            text.push_str(" AND level = 'province' AND code = ?");
            values.push(p.clone().into());
        }
        (None, None) => text.push_str(" AND level = 'province'"),
    }
    if !dims.is_empty() {
        text.push_str(" AND dim IN (");
        text.push_str(&vec!["?"; dims.len()].join(", "));
        text.push(')');
        values.extend(dims.iter().map(|d| Value::from(d.to_string())));
    }
    let rows = Row::find_by_statement(sql(backend, &text, values))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.period_id,
                CountRow {
                    code: r.code,
                    dim: r.dim,
                    value: r.value,
                    status: r.status,
                    n: r.n,
                },
            )
        })
        .collect())
}

async fn member_rows(
    db: &impl ConnectionTrait,
    level: &str,
    codes: Option<&[String]>,
) -> Result<Vec<MemberRow>, ApiError> {
    let backend = db.get_database_backend();
    let mut text = String::from("SELECT code, n FROM member_counts WHERE level = ?");
    let mut values: Vec<Value> = vec![level.into()];
    if let Some(codes) = codes {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        text.push_str(" AND code IN (");
        text.push_str(&vec!["?"; codes.len()].join(", "));
        text.push(')');
        values.extend(codes.iter().map(|c| Value::from(c.clone())));
    }
    Ok(MemberRow::find_by_statement(sql(backend, &text, values))
        .all(db)
        .await?)
}

async fn baseline_rows(
    db: &impl ConnectionTrait,
    period_id: Option<Uuid>,
    unit: &UnitPath,
) -> Result<Vec<(Uuid, BaselineRow)>, ApiError> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        period_id: Uuid,
        kind: String,
        unit_key: String,
        province_code: String,
        commune_code: String,
        population: Option<i64>,
        adult_population: Option<i64>,
        staff: Option<i64>,
    }
    let backend = db.get_database_backend();
    let mut text = String::from(
        "SELECT period_id, kind, unit_key, province_code, commune_code, population, \
         adult_population, staff FROM baselines WHERE 1 = 1",
    );
    let mut values: Vec<Value> = Vec::new();
    if let Some(p) = period_id {
        text.push_str(" AND period_id = ?");
        values.push(p.into());
    }
    if let Some(p) = &unit.province {
        text.push_str(" AND province_code = ?");
        values.push(p.clone().into());
    }
    if let Some(c) = &unit.commune {
        text.push_str(" AND commune_code = ?");
        values.push(c.clone().into());
    }
    let rows = Row::find_by_statement(sql(backend, &text, values))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.period_id,
                BaselineRow {
                    kind: r.kind,
                    unit_key: r.unit_key,
                    province_code: r.province_code,
                    commune_code: r.commune_code,
                    population: r.population,
                    adult_population: r.adult_population,
                    staff: r.staff,
                },
            )
        })
        .collect())
}

/// The stored targets, by measure and year.
pub async fn targets(db: &impl ConnectionTrait) -> Result<Vec<Target>, ApiError> {
    Ok(target_rows(db)
        .await?
        .into_iter()
        .map(|t| Target {
            measure: t.measure,
            by_year: t.by_year,
            rate: t.rate,
            source: t.source,
        })
        .collect())
}

async fn target_rows(db: &impl ConnectionTrait) -> Result<Vec<TargetRow>, ApiError> {
    let backend = db.get_database_backend();
    Ok(TargetRow::find_by_statement(sql(
        backend,
        "SELECT measure, by_year, rate, target_group, source FROM targets ORDER BY measure, by_year",
        Vec::new(),
    ))
    .all(db)
    .await?)
}

/// The target group whose recognitions count towards the officials' target.
fn officials_group(targets: &[TargetRow]) -> String {
    targets
        .iter()
        .find_map(|t| {
            (t.measure == "officials")
                .then(|| t.target_group.clone())
                .flatten()
        })
        .unwrap_or_else(|| "official".to_string())
}

fn add_opt(a: Option<i64>, b: Option<i64>) -> Option<i64> {
    match (a, b) {
        (None, None) => None,
        (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
    }
}

fn add_baseline(into: &mut Baseline, row: &BaselineRow) {
    into.population = add_opt(into.population, row.population);
    into.adult_population = add_opt(into.adult_population, row.adult_population);
    into.staff = add_opt(into.staff, row.staff);
}

fn ratio(num: i64, den: Option<i64>) -> Option<f64> {
    match den {
        Some(d) if d > 0 => Some(num as f64 / d as f64),
        _ => None,
    }
}

fn rates(counts: &StatusCounts, officials: i64, baseline: &Baseline) -> Rates {
    Rates {
        recognised_of_adults: ratio(counts.recognised, baseline.adult_population),
        recognised_officials_of_staff: ratio(officials, baseline.staff),
        registered_of_adults: ratio(counts.registered, baseline.adult_population),
    }
}

fn gender_label(key: &str) -> String {
    match key {
        "male" => "Nam".into(),
        "female" => "Nữ".into(),
        other => other.into(),
    }
}

fn age_label(key: &str) -> String {
    match key {
        "under_18" => "Dưới 18 tuổi".into(),
        "18_35" => "Từ 18 đến 35 tuổi".into(),
        "36_60" => "Từ 36 đến 60 tuổi".into(),
        "over_60" => "Trên 60 tuổi".into(),
        other => other.into(),
    }
}

/// Suppresses cells below the threshold in one column, and, when that leaves exactly one
/// suppressed non-empty column cell (recoverable from the total), the next smallest one too.
fn suppress_column(values: &[i64]) -> Vec<Option<i64>> {
    let mut out: Vec<Option<i64>> = values
        .iter()
        .map(|&v| (v >= SMALL_COUNT_THRESHOLD).then_some(v))
        .collect();
    let suppressed = out.iter().filter(|v| v.is_none()).count();
    if suppressed == 1 {
        let next = out
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| (v, i)))
            .min();
        if let Some((_, i)) = next {
            out[i] = None;
        }
    }
    out
}

/// The rows of a breakdown by a sensitive attribute, with small counts suppressed.
pub fn sensitive_rows(cells: &BTreeMap<String, StatusCounts>) -> Vec<SensitiveRow> {
    let keys: Vec<&String> = cells.keys().collect();
    let registered: Vec<i64> = cells.values().map(|c| c.registered).collect();
    let recognised: Vec<i64> = cells.values().map(|c| c.recognised).collect();
    let reg = suppress_column(&registered);
    let rec = suppress_column(&recognised);
    keys.into_iter()
        .zip(reg.into_iter().zip(rec))
        .map(|(k, (registered, recognised))| SensitiveRow {
            key: k.clone(),
            suppressed: registered.is_none() || recognised.is_none(),
            registered,
            recognised,
        })
        .collect()
}

struct ChildAcc {
    counts: StatusCounts,
    officials: i64,
}

/// `GET /reports/summary`: the report of one period for one unit inside the caller's.
pub async fn summary(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    unit: Option<&str>,
) -> Result<UnitReport, ApiError> {
    let period = load_period(db, period_id).await?;
    let unit = resolve_unit(db, actor, unit).await?;
    let targets = target_rows(db).await?;
    let official = officials_group(&targets);
    let is_nation = unit.province.is_none();
    // The nation's children are the provinces' own rows; the provinces' child rows (communes)
    // are not needed, and are most of the rows.
    let dims: &[&str] = if is_nation {
        &counters::DIMS[..6]
    } else {
        &counters::DIMS
    };
    let rows = count_rows(db, Some(period_id), &unit, dims).await?;

    let mut totals = StatusCounts::default();
    let mut by: HashMap<&str, BTreeMap<String, StatusCounts>> = HashMap::new();
    let mut children: BTreeMap<String, ChildAcc> = BTreeMap::new();
    for (_, r) in &rows {
        let child = |children: &mut BTreeMap<String, ChildAcc>, key: &str, tg: &str| {
            let acc = children.entry(key.to_string()).or_insert(ChildAcc {
                counts: StatusCounts::default(),
                officials: 0,
            });
            acc.counts.add_status(&r.status, r.n);
            if tg == official && r.status == "recognised" {
                acc.officials += r.n;
            }
        };
        match r.dim.as_str() {
            "all" => totals.add_status(&r.status, r.n),
            "child" if !is_nation => {
                let (key, tg) = r.value.rsplit_once('|').unwrap_or((r.value.as_str(), ""));
                child(&mut children, key, tg);
            }
            "child" => {}
            dim => {
                if dim == "target_group" && is_nation {
                    child(&mut children, &r.code, &r.value);
                }
                by.entry(match dim {
                    "target_group" => "target_group",
                    "gender" => "gender",
                    "age_band" => "age_band",
                    "ethnicity" => "ethnicity",
                    "religion" => "religion",
                    _ => "other",
                })
                .or_default()
                .entry(r.value.clone())
                .or_default()
                .add_status(&r.status, r.n);
            }
        }
    }
    let recognised_officials = by
        .get("target_group")
        .and_then(|m| m.get(&official))
        .map_or(0, |c| c.recognised);

    let groups = target_group::Entity::find()
        .order_by_asc(target_group::Column::SortOrder)
        .all(db)
        .await?;
    let tg_map = by.remove("target_group").unwrap_or_default();
    let mut by_target_group: Vec<BreakdownRow> = groups
        .iter()
        .map(|g| BreakdownRow {
            key: g.code.clone(),
            label: g.name_vi.clone(),
            counts: tg_map.get(&g.code).copied().unwrap_or_default(),
        })
        .collect();
    for (k, c) in &tg_map {
        if !groups.iter().any(|g| &g.code == k) {
            by_target_group.push(BreakdownRow {
                key: k.clone(),
                label: k.clone(),
                counts: *c,
            });
        }
    }
    let gender_map = by.remove("gender").unwrap_or_default();
    let by_gender = ["male", "female"]
        .into_iter()
        .map(|g| BreakdownRow {
            key: g.into(),
            label: gender_label(g),
            counts: gender_map.get(g).copied().unwrap_or_default(),
        })
        .collect();
    let age_map = by.remove("age_band").unwrap_or_default();
    let by_age_band = AGE_BANDS
        .into_iter()
        .map(|a| BreakdownRow {
            key: a.into(),
            label: age_label(a),
            counts: age_map.get(a).copied().unwrap_or_default(),
        })
        .collect();
    let by_ethnicity = sensitive_rows(&by.remove("ethnicity").unwrap_or_default());
    let by_religion = sensitive_rows(&by.remove("religion").unwrap_or_default());

    // Baselines: the unit's sum, and each child's.
    let baselines = baseline_rows(db, Some(period_id), &unit).await?;
    let mut baseline = Baseline::default();
    let mut child_baselines: HashMap<String, Baseline> = HashMap::new();
    for (_, b) in &baselines {
        add_baseline(&mut baseline, b);
        let key = match (&unit.province, &unit.commune) {
            (None, _) => b.province_code.clone(),
            (Some(_), None) => b.commune_code.clone(),
            (Some(_), Some(_)) if b.kind == "committee" => b.unit_key.clone(),
            (Some(_), Some(_)) => continue,
        };
        add_baseline(child_baselines.entry(key).or_default(), b);
    }

    // Children: every unit one level down, with names and members.
    let (child_list, member_level) = child_units(db, &unit).await?;
    let child_codes: Vec<String> = child_list.iter().map(|(c, _, _)| c.clone()).collect();
    let members_of: HashMap<String, i64> = member_rows(db, member_level, Some(&child_codes))
        .await?
        .into_iter()
        .map(|m| (m.code, m.n))
        .collect();
    let members = match (&unit.province, &unit.commune) {
        (None, _) => member_rows(db, "province", None)
            .await?
            .iter()
            .map(|m| m.n)
            .sum(),
        (Some(p), None) => member_rows(db, "province", Some(std::slice::from_ref(p)))
            .await?
            .iter()
            .map(|m| m.n)
            .sum(),
        (_, Some(c)) => member_rows(db, "commune", Some(std::slice::from_ref(c)))
            .await?
            .iter()
            .map(|m| m.n)
            .sum(),
    };
    let mut seen = HashSet::new();
    let mut child_rows = Vec::with_capacity(child_list.len());
    for (code, name, level) in child_list {
        seen.insert(code.clone());
        let acc = children.remove(&code);
        let counts = acc.as_ref().map(|a| a.counts).unwrap_or_default();
        let officials = acc.as_ref().map_or(0, |a| a.officials);
        let baseline = child_baselines.get(&code).copied().unwrap_or_default();
        child_rows.push(ChildRow {
            members: Some(members_of.get(&code).copied().unwrap_or(0)),
            rates: rates(&counts, officials, &baseline),
            code,
            name,
            level,
            counts,
            baseline,
        });
    }
    // Counted under a unit no longer listed (e.g. a dissolved branch): still shown.
    for (code, acc) in children {
        let baseline = child_baselines.get(&code).copied().unwrap_or_default();
        child_rows.push(ChildRow {
            members: members_of.get(&code).copied(),
            rates: rates(&acc.counts, acc.officials, &baseline),
            name: code.clone(),
            code,
            level: "other".into(),
            counts: acc.counts,
            baseline,
        });
    }

    Ok(UnitReport {
        period_id,
        period_year: period.year,
        unit: report_unit(db, &unit).await?,
        rates: rates(&totals, recognised_officials, &baseline),
        totals,
        members,
        recognised_officials,
        baseline,
        by_target_group,
        by_gender,
        by_age_band,
        children: child_rows,
        by_ethnicity,
        by_religion,
    })
}

/// The units one level below (code, name, level) and the level of their member counters.
async fn child_units(
    db: &impl ConnectionTrait,
    unit: &UnitPath,
) -> Result<(Vec<(String, String, String)>, &'static str), ApiError> {
    Ok(match (&unit.province, &unit.commune) {
        (None, _) => (
            admin_unit::Entity::find()
                .filter(admin_unit::Column::Era.eq("current"))
                .filter(admin_unit::Column::Level.eq("province"))
                .order_by_asc(admin_unit::Column::Code)
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.code, u.name, "province".to_string()))
                .collect(),
            "province",
        ),
        (Some(p), None) => (
            admin_unit::Entity::find()
                .filter(admin_unit::Column::Era.eq("current"))
                .filter(admin_unit::Column::Level.eq("commune"))
                .filter(admin_unit::Column::ProvinceCode.eq(p.as_str()))
                .order_by_asc(admin_unit::Column::Code)
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.code, u.name, "commune".to_string()))
                .collect(),
            "commune",
        ),
        (_, Some(c)) => (
            association_unit::Entity::find()
                .filter(association_unit::Column::CommuneCode.eq(c.as_str()))
                .order_by_asc(association_unit::Column::Level)
                .order_by_asc(association_unit::Column::SearchName)
                .all(db)
                .await?
                .into_iter()
                .map(|u| (u.id.to_string(), u.name, u.level))
                .collect(),
            "unit",
        ),
    })
}

fn progress_rows(
    year: i32,
    totals: &StatusCounts,
    officials: i64,
    baseline: &Baseline,
    targets: &[TargetRow],
) -> Vec<ProgressRow> {
    ["adults", "officials"]
        .into_iter()
        .map(|measure| {
            let (numerator, denominator) = if measure == "adults" {
                (totals.recognised, baseline.adult_population)
            } else {
                (officials, baseline.staff)
            };
            let target = targets
                .iter()
                .filter(|t| t.measure == measure && t.by_year >= year)
                .min_by_key(|t| t.by_year);
            let rate = ratio(numerator, denominator);
            ProgressRow {
                measure: measure.to_string(),
                numerator,
                denominator,
                rate,
                target_rate: target.map(|t| t.rate),
                target_year: target.map(|t| t.by_year),
                achievement: match (rate, target) {
                    (Some(r), Some(t)) if t.rate > 0.0 => Some(r / t.rate),
                    _ => None,
                },
            }
        })
        .collect()
}

/// Totals, recognised officials and baselines of a unit per period.
async fn per_period(
    db: &impl ConnectionTrait,
    period_id: Option<Uuid>,
    unit: &UnitPath,
    official: &str,
) -> Result<HashMap<Uuid, (StatusCounts, i64, Baseline)>, ApiError> {
    let mut out: HashMap<Uuid, (StatusCounts, i64, Baseline)> = HashMap::new();
    for (p, r) in count_rows(db, period_id, unit, &["all", "target_group"]).await? {
        let e = out.entry(p).or_default();
        if r.dim == "all" {
            e.0.add_status(&r.status, r.n);
        } else if r.value == official && r.status == "recognised" {
            e.1 += r.n;
        }
    }
    for (p, b) in baseline_rows(db, period_id, unit).await? {
        add_baseline(&mut out.entry(p).or_default().2, &b);
    }
    Ok(out)
}

/// `GET /reports/progress`: a unit's progress against the targets in one period.
pub async fn progress(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    unit: Option<&str>,
) -> Result<Progress, ApiError> {
    let period = load_period(db, period_id).await?;
    let unit = resolve_unit(db, actor, unit).await?;
    let targets = target_rows(db).await?;
    let official = officials_group(&targets);
    let data = per_period(db, Some(period_id), &unit, &official).await?;
    let (totals, officials, baseline) = data.get(&period_id).copied().unwrap_or_default();
    Ok(Progress {
        period_id,
        period_year: period.year,
        unit: report_unit(db, &unit).await?,
        measures: progress_rows(period.year, &totals, officials, &baseline, &targets),
    })
}

/// `GET /reports/series`: one row per period, oldest first.
pub async fn series(
    db: &DatabaseConnection,
    actor: &Actor,
    unit: Option<&str>,
) -> Result<Series, ApiError> {
    let unit = resolve_unit(db, actor, unit).await?;
    let targets = target_rows(db).await?;
    let official = officials_group(&targets);
    let data = per_period(db, None, &unit, &official).await?;
    let periods = period::Entity::find()
        .order_by_asc(period::Column::Year)
        .all(db)
        .await?;
    let points = periods
        .into_iter()
        .map(|p| {
            let (totals, officials, baseline) = data.get(&p.id).copied().unwrap_or_default();
            SeriesPoint {
                measures: progress_rows(p.year, &totals, officials, &baseline, &targets),
                period_id: p.id,
                period_year: p.year,
                period_name: p.name,
                totals,
                baseline,
            }
        })
        .collect();
    Ok(Series {
        unit: report_unit(db, &unit).await?,
        points,
    })
}

/// Where the registrations of a current commune are shown on the legacy units: its legacy
/// province, district and commune when the conversion table gives one predecessor; only the
/// district or the province when all its predecessors share it; nothing when none is known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LegacyPlace {
    pub province: Option<String>,
    pub district: Option<String>,
    pub commune: Option<String>,
}

/// The legacy place of every current commune, from the conversion table.
pub fn legacy_places(rows: &[admin_unit_conversion::Model]) -> HashMap<String, LegacyPlace> {
    let mut preds: HashMap<&str, Vec<&admin_unit_conversion::Model>> = HashMap::new();
    for r in rows {
        preds
            .entry(r.new_commune_code.as_str())
            .or_default()
            .push(r);
    }
    preds
        .into_iter()
        .map(|(new, list)| {
            let communes: HashSet<&str> =
                list.iter().map(|r| r.old_commune_code.as_str()).collect();
            let districts: HashSet<&str> =
                list.iter().map(|r| r.old_district_code.as_str()).collect();
            let provinces: HashSet<&str> =
                list.iter().map(|r| r.old_province_code.as_str()).collect();
            let one = |s: &HashSet<&str>| {
                (s.len() == 1)
                    .then(|| s.iter().next().map(|v| v.to_string()))
                    .flatten()
            };
            let province = one(&provinces);
            let district = province.as_ref().and_then(|_| one(&districts));
            let commune = district.as_ref().and_then(|_| one(&communes));
            (
                new.to_string(),
                LegacyPlace {
                    province,
                    district,
                    commune,
                },
            )
        })
        .collect()
}

/// `GET /reports/legacy`: a period before 2025-07-01 on the legacy units: the nation by legacy
/// province, a legacy province by district, a legacy district by commune. Only registrations of
/// current communes inside the caller's unit are counted.
pub async fn legacy(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    province: Option<&str>,
    district: Option<&str>,
) -> Result<LegacyReport, ApiError> {
    let period = load_period(db, period_id).await?;
    if period.year > LEGACY_UNTIL_YEAR {
        return Err(ApiError::field(
            "period_id",
            "not_legacy",
            "only periods that began before 2025-07-01 can be shown on the legacy units",
        ));
    }
    let find = |level: &'static str, code: String| async move {
        admin_unit::Entity::find()
            .filter(admin_unit::Column::Era.eq("legacy"))
            .filter(admin_unit::Column::Level.eq(level))
            .filter(admin_unit::Column::Code.eq(code))
            .one(db)
            .await
    };
    let (unit, child_level) = match (province, district) {
        (_, Some(d)) => {
            let u = find("district", d.to_string()).await?.ok_or_else(|| {
                ApiError::field(
                    "district",
                    "unknown_unit",
                    "no legacy district has this code",
                )
            })?;
            (
                ReportUnit {
                    level: "legacy_district".into(),
                    code: u.code,
                    name: u.name,
                },
                "commune",
            )
        }
        (Some(p), None) => {
            let u = find("province", p.to_string()).await?.ok_or_else(|| {
                ApiError::field(
                    "province",
                    "unknown_unit",
                    "no legacy province has this code",
                )
            })?;
            (
                ReportUnit {
                    level: "legacy_province".into(),
                    code: u.code,
                    name: u.name,
                },
                "district",
            )
        }
        (None, None) => (
            ReportUnit {
                level: "legacy_nation".into(),
                code: "VN".into(),
                name: "Việt Nam".into(),
            },
            "province",
        ),
    };

    // Counts per current commune inside the caller's unit (the provinces' child counters).
    let scope = match &actor.unit.province {
        Some(p) => UnitPath::province(p),
        None => UnitPath::nation(),
    };
    let mut per_commune: HashMap<String, StatusCounts> = HashMap::new();
    for (_, r) in count_rows(db, Some(period_id), &scope, &["child"]).await? {
        let commune = r
            .value
            .rsplit_once('|')
            .map_or(r.value.as_str(), |(c, _)| c);
        if let Some(mine) = &actor.unit.commune
            && mine != commune
        {
            continue;
        }
        per_commune
            .entry(commune.to_string())
            .or_default()
            .add_status(&r.status, r.n);
    }
    let conversions = admin_unit_conversion::Entity::find().all(db).await?;
    let places = legacy_places(&conversions);

    let mut totals = StatusCounts::default();
    let mut by_child: BTreeMap<String, StatusCounts> = BTreeMap::new();
    let mut unattributed = StatusCounts::default();
    for (commune, counts) in per_commune {
        let place = places.get(&commune).cloned().unwrap_or_default();
        let inside = match unit.level.as_str() {
            "legacy_district" => place.district.as_deref() == Some(unit.code.as_str()),
            "legacy_province" => place.province.as_deref() == Some(unit.code.as_str()),
            _ => true,
        };
        if !inside {
            continue;
        }
        for (i, v) in counts.values().into_iter().enumerate() {
            add_column(&mut totals, i, v);
        }
        let key = match child_level {
            "province" => place.province,
            "district" => place.district,
            _ => place.commune,
        };
        let target = match key {
            Some(k) => by_child.entry(k).or_default(),
            None => &mut unattributed,
        };
        for (i, v) in counts.values().into_iter().enumerate() {
            add_column(target, i, v);
        }
    }
    let names: HashMap<String, String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("legacy"))
        .filter(admin_unit::Column::Level.eq(child_level))
        .filter(admin_unit::Column::Code.is_in(by_child.keys().cloned()))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let mut children: Vec<ChildRow> = by_child
        .into_iter()
        .map(|(code, counts)| ChildRow {
            name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
            code,
            level: format!("legacy_{child_level}"),
            counts,
            members: None,
            baseline: Baseline::default(),
            rates: Rates::default(),
        })
        .collect();
    if unattributed != StatusCounts::default() {
        children.push(ChildRow {
            code: String::new(),
            name: "Không xác định được đơn vị cũ".into(),
            level: "unattributed".into(),
            counts: unattributed,
            members: None,
            baseline: Baseline::default(),
            rates: Rates::default(),
        });
    }
    Ok(LegacyReport {
        period_id,
        period_year: period.year,
        unit,
        totals,
        children,
    })
}

fn add_column(c: &mut StatusCounts, i: usize, v: i64) {
    let field = match i {
        0 => &mut c.registered,
        1 => &mut c.self_assessed,
        2 => &mut c.under_review,
        3 => &mut c.review_passed,
        4 => &mut c.review_failed,
        5 => &mut c.recognised,
        6 => &mut c.not_recognised,
        7 => &mut c.revoked,
        _ => &mut c.withdrawn,
    };
    *field += v;
}

/// The result of comparing the counters with a from-scratch grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
pub struct CounterCheck {
    /// Counter rows that differ from the grouping (missing, extra or with another count).
    pub report_rows_differing: i64,
    pub member_rows_differing: i64,
}

impl CounterCheck {
    pub fn ok(&self) -> bool {
        self.report_rows_differing == 0 && self.member_rows_differing == 0
    }
}

/// Compares the counters with the registrations, people and memberships they count.
pub async fn check_counters(db: &impl ConnectionTrait) -> Result<CounterCheck, ApiError> {
    #[derive(Debug, FromQueryResult)]
    struct N {
        n: i64,
    }
    let backend = db.get_database_backend();
    let differing = |expected: String, table: &str, cols: &str| {
        format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ( \
               SELECT {cols}, n FROM ({expected}) e WHERE n <> 0 \
               EXCEPT SELECT {cols}, n FROM {table} WHERE n <> 0 \
             ) a UNION ALL SELECT CAST(COUNT(*) AS BIGINT) AS n FROM ( \
               SELECT {cols}, n FROM {table} WHERE n <> 0 \
               EXCEPT SELECT {cols}, n FROM ({expected}) e WHERE n <> 0 \
             ) b"
        )
    };
    let sum = |rows: Vec<N>| rows.iter().map(|r| r.n).sum::<i64>();
    let report = N::find_by_statement(sql(
        backend,
        &differing(
            counters::expected_counts_select(backend),
            "report_counts",
            "period_id, level, code, dim, value, status",
        ),
        Vec::new(),
    ))
    .all(db)
    .await?;
    let members = N::find_by_statement(sql(
        backend,
        &differing(
            counters::expected_members_select(backend),
            "member_counts",
            "level, code",
        ),
        Vec::new(),
    ))
    .all(db)
    .await?;
    Ok(CounterCheck {
        report_rows_differing: sum(report),
        member_rows_differing: sum(members),
    })
}

/// Recomputes every counter from scratch, in one transaction.
pub async fn rebuild_counters(db: &DatabaseConnection) -> Result<(), ApiError> {
    let backend = db.get_database_backend();
    let txn = crate::db::begin_write(db).await?;
    for statement in counters::rebuild_sql(backend) {
        txn.execute_unprepared(&statement).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Refuses unless the actor is the central administrator (counter maintenance).
pub fn ensure_central(actor: &Actor) -> Result<(), ApiError> {
    if actor.role == Role::CentralAdmin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the central administrator maintains the report counters".into(),
        ))
    }
}

/// One person of an exported list.
#[derive(Debug, Clone)]
pub struct PersonLine {
    pub full_name: String,
    pub gender: String,
    pub birth_date: Option<String>,
    pub birth_year: i32,
    /// Masked unless the full numbers were asked for by an authorised officer.
    pub personal_id: Option<String>,
    pub province_code: String,
    pub commune_code: String,
    pub commune_name: String,
    pub village: Option<String>,
    pub target_group: Option<String>,
    /// The target group's Vietnamese name.
    pub target_group_name: Option<String>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
}

/// Most people one export holds.
pub const MAX_EXPORT_PEOPLE: u64 = 200_000;

/// The people of a unit inside the caller's, by name, for an export. Full ID numbers only for
/// commune officers and above who ask for them; that request is audited.
pub async fn people_lines(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    unit: Option<&str>,
    target_group: Option<&str>,
    full_personal_ids: bool,
) -> Result<(UnitPath, Vec<PersonLine>), ApiError> {
    use sea_orm::{PaginatorTrait, QuerySelect};
    let unit = resolve_unit(db, actor, unit).await?;
    if full_personal_ids && actor.role < Role::CommuneOfficer {
        return Err(ApiError::Forbidden(
            "your role does not see full personal ID numbers".into(),
        ));
    }
    let mut query = person::Entity::find().filter(crate::services::people::within(&unit));
    if let Some(g) = target_group {
        query = query.filter(person::Column::TargetGroup.eq(g));
    }
    let count = query.clone().count(db).await?;
    if count > MAX_EXPORT_PEOPLE {
        return Err(ApiError::BadRequest {
            code: "export_too_large",
            detail: format!(
                "{count} people match; an export holds at most {MAX_EXPORT_PEOPLE}: choose a smaller unit"
            ),
        });
    }
    let people = query
        .order_by_asc(person::Column::SearchName)
        .order_by_asc(person::Column::Id)
        .limit(MAX_EXPORT_PEOPLE)
        .all(db)
        .await?;
    let communes: HashSet<&str> = people.iter().map(|p| p.commune_code.as_str()).collect();
    let commune_names: HashMap<String, String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Code.is_in(communes))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let village_ids: HashSet<Uuid> = people.iter().filter_map(|p| p.village_id).collect();
    let villages = crate::services::villages::names(db, village_ids).await?;
    let group_names: HashMap<String, String> = target_group::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.code, g.name_vi))
        .collect();
    if full_personal_ids {
        audit::record(
            db,
            audit::Entry {
                actor: Some(actor),
                action: "person.export_list_with_personal_ids",
                resource_type: "person",
                resource_id: None,
                unit: &unit,
                detail: Some(serde_json::json!({ "people": people.len() })),
            },
        )
        .await?;
    }
    let mut lines = Vec::with_capacity(people.len());
    for p in people {
        let personal_id = if full_personal_ids {
            p.personal_id_cipher
                .as_deref()
                .map(|c| pii.decrypt(c))
                .transpose()?
        } else {
            p.personal_id_masked.clone()
        };
        lines.push(PersonLine {
            commune_name: commune_names
                .get(&p.commune_code)
                .cloned()
                .unwrap_or_default(),
            village: p.village_id.and_then(|v| villages.get(&v).cloned()),
            full_name: p.full_name,
            gender: p.gender,
            birth_date: p.birth_date.map(|d| d.to_string()),
            birth_year: p.birth_year,
            personal_id,
            province_code: p.province_code,
            commune_code: p.commune_code,
            target_group_name: p
                .target_group
                .as_ref()
                .and_then(|code| group_names.get(code).cloned()),
            target_group: p.target_group,
            occupation: p.occupation,
            workplace: p.workplace,
        });
    }
    Ok((unit, lines))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cells_are_suppressed_and_a_lone_one_takes_the_next_smallest_with_it() {
        assert_eq!(
            suppress_column(&[120, 3, 40, 9]),
            vec![Some(120), None, Some(40), None]
        );
        assert_eq!(
            suppress_column(&[120, 3, 4, 9]),
            vec![Some(120), None, None, Some(9)]
        );
        assert_eq!(suppress_column(&[120, 40]), vec![Some(120), Some(40)]);
        assert_eq!(suppress_column(&[2]), vec![None]);
    }

    fn conv(old: &str, district: &str, province: &str, new: &str) -> admin_unit_conversion::Model {
        admin_unit_conversion::Model {
            id: 0,
            old_commune_code: old.into(),
            old_district_code: district.into(),
            old_province_code: province.into(),
            new_commune_code: new.into(),
            new_province_code: "01".into(),
            partly_merged: false,
        }
    }

    #[test]
    fn a_merged_commune_is_attributed_only_as_far_as_its_predecessors_agree() {
        let rows = vec![
            conv("00001", "001", "01", "10001"),
            conv("00002", "001", "01", "10002"),
            conv("00003", "001", "01", "10002"),
            conv("00004", "002", "01", "10003"),
            conv("00005", "003", "01", "10003"),
            conv("00006", "004", "02", "10004"),
            conv("00007", "005", "03", "10004"),
        ];
        let places = legacy_places(&rows);
        let place = |p: Option<&str>, d: Option<&str>, c: Option<&str>| LegacyPlace {
            province: p.map(Into::into),
            district: d.map(Into::into),
            commune: c.map(Into::into),
        };
        assert_eq!(
            places["10001"],
            place(Some("01"), Some("001"), Some("00001"))
        );
        assert_eq!(places["10002"], place(Some("01"), Some("001"), None));
        assert_eq!(places["10003"], place(Some("01"), None, None));
        assert_eq!(places["10004"], place(None, None, None));
    }
}
