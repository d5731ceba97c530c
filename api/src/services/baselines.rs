//! Baselines: the denominators of the rates. Population and adult population per commune and
//! period; staff per committee (the workplace's learning committee) and period. Entered one at
//! a time or imported from CSV (all rows or none). Commune officers and above, inside their unit.

use crate::auth::policy::ensure_within;
use crate::auth::{Actor, UnitPath};
use crate::db::entities::{admin_unit, association_unit};
use crate::db::sql;
use crate::error::ApiError;
use crate::services::audit;
use crate::services::reports::load_period;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter,
    Value,
};
use shared::auth::Role;
use shared::error::FieldError;
use shared::report::{
    BaselineEntry, BaselineImportResult, CommitteeBaselineInput, CommuneBaselineInput,
};
use std::collections::HashMap;
use uuid::Uuid;
use validator::Validate;

/// Most data rows one import may hold.
const MAX_IMPORT_ROWS: usize = 20_000;
const MAX_COUNT: i64 = 100_000_000;

fn ensure_editor(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::CommuneOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "baselines are entered by commune officers and above".into(),
        ))
    }
}

fn validation(errors: validator::ValidationErrors) -> ApiError {
    ApiError::Validation(shared::error::field_errors(&errors))
}

#[derive(Debug, Clone)]
struct Write {
    kind: &'static str,
    unit_key: String,
    unit_name: String,
    unit: UnitPath,
    population: Option<i64>,
    adult_population: Option<i64>,
    staff: Option<i64>,
}

async fn upsert(
    db: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    actor: &Actor,
    period_id: Uuid,
    w: &Write,
) -> Result<(), ApiError> {
    let backend = db.get_database_backend();
    db.execute(sql(
        backend,
        "INSERT INTO baselines (period_id, kind, unit_key, province_code, commune_code, \
         population, adult_population, staff, updated_by, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (period_id, kind, unit_key) DO UPDATE SET population = excluded.population, \
         adult_population = excluded.adult_population, staff = excluded.staff, \
         updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        vec![
            period_id.into(),
            w.kind.into(),
            w.unit_key.clone().into(),
            w.unit.province.clone().unwrap_or_default().into(),
            w.unit.commune.clone().unwrap_or_default().into(),
            w.population.into(),
            w.adult_population.into(),
            w.staff.into(),
            actor.user_id.into(),
            chrono::Utc::now().into(),
        ],
    ))
    .await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "baseline.set",
            resource_type: "baseline",
            resource_id: Some(w.unit_key.clone()),
            unit: &w.unit,
            detail: Some(serde_json::json!({
                "period_id": period_id,
                "kind": w.kind,
                "population": w.population,
                "adult_population": w.adult_population,
                "staff": w.staff,
            })),
        },
    )
    .await?;
    Ok(())
}

fn entry(period_id: Uuid, w: Write) -> BaselineEntry {
    BaselineEntry {
        period_id,
        kind: w.kind.into(),
        unit: w.unit_key,
        unit_name: w.unit_name,
        province_code: w.unit.province.unwrap_or_default(),
        commune_code: w.unit.commune.unwrap_or_default(),
        population: w.population,
        adult_population: w.adult_population,
        staff: w.staff,
    }
}

async fn commune(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<(UnitPath, String)>, ApiError> {
    Ok(admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Code.eq(code))
        .one(db)
        .await?
        .map(|c| (UnitPath::commune(&c.province_code, &c.code), c.name)))
}

async fn committee(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<(UnitPath, String)>, ApiError> {
    Ok(association_unit::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|u| u.level == "committee")
        .and_then(|u| match (u.province_code, u.commune_code) {
            (Some(p), Some(c)) => Some((UnitPath::commune(&p, &c), u.name)),
            _ => None,
        }))
}

fn adult_not_above_population(population: i64, adult: i64) -> Result<(), FieldError> {
    if adult > population {
        Err(FieldError {
            field: "adult_population".into(),
            code: "above_population".into(),
            message: "cannot exceed the population".into(),
        })
    } else {
        Ok(())
    }
}

/// Sets the population of a commune in a period.
pub async fn set_commune(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    code: &str,
    input: CommuneBaselineInput,
) -> Result<BaselineEntry, ApiError> {
    ensure_editor(actor)?;
    input.validate().map_err(validation)?;
    adult_not_above_population(input.population, input.adult_population)
        .map_err(|e| ApiError::Validation(vec![e]))?;
    load_period(db, period_id).await?;
    let (unit, name) = commune(db, code)
        .await?
        .ok_or_else(|| ApiError::not_found("commune"))?;
    ensure_within(actor, &unit)?;
    let w = Write {
        kind: "commune",
        unit_key: code.to_string(),
        unit_name: name,
        unit,
        population: Some(input.population),
        adult_population: Some(input.adult_population),
        staff: None,
    };
    let txn = crate::db::begin_write(db).await?;
    upsert(&txn, actor, period_id, &w).await?;
    txn.commit().await?;
    Ok(entry(period_id, w))
}

/// Sets the staff of a committee's workplace in a period.
pub async fn set_committee(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    unit_id: Uuid,
    input: CommitteeBaselineInput,
) -> Result<BaselineEntry, ApiError> {
    ensure_editor(actor)?;
    input.validate().map_err(validation)?;
    load_period(db, period_id).await?;
    let (unit, name) = committee(db, unit_id)
        .await?
        .ok_or_else(|| ApiError::not_found("committee"))?;
    ensure_within(actor, &unit)?;
    let w = Write {
        kind: "committee",
        unit_key: unit_id.to_string(),
        unit_name: name,
        unit,
        population: None,
        adult_population: None,
        staff: Some(input.staff),
    };
    let txn = crate::db::begin_write(db).await?;
    upsert(&txn, actor, period_id, &w).await?;
    txn.commit().await?;
    Ok(entry(period_id, w))
}

/// The baselines of a period inside a unit of the caller's (their own by default).
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    unit: Option<&str>,
) -> Result<Vec<BaselineEntry>, ApiError> {
    #[derive(Debug, FromQueryResult)]
    struct Row {
        kind: String,
        unit_key: String,
        province_code: String,
        commune_code: String,
        population: Option<i64>,
        adult_population: Option<i64>,
        staff: Option<i64>,
    }
    load_period(db, period_id).await?;
    let unit = crate::services::reports::resolve_unit(db, actor, unit).await?;
    let backend = db.get_database_backend();
    let mut text = String::from(
        "SELECT kind, unit_key, province_code, commune_code, population, adult_population, staff \
         FROM baselines WHERE period_id = ?",
    );
    let mut values: Vec<Value> = vec![period_id.into()];
    if let Some(p) = &unit.province {
        text.push_str(" AND province_code = ?");
        values.push(p.clone().into());
    }
    if let Some(c) = &unit.commune {
        text.push_str(" AND commune_code = ?");
        values.push(c.clone().into());
    }
    text.push_str(" ORDER BY province_code, commune_code, kind, unit_key");
    let rows = Row::find_by_statement(sql(backend, &text, values))
        .all(db)
        .await?;
    let communes: HashMap<String, String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(
            admin_unit::Column::Code.is_in(
                rows.iter()
                    .filter(|r| r.kind == "commune")
                    .map(|r| r.unit_key.clone()),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let committees: HashMap<String, String> = association_unit::Entity::find()
        .filter(
            association_unit::Column::Id.is_in(
                rows.iter()
                    .filter_map(|r| Uuid::parse_str(&r.unit_key).ok())
                    .collect::<Vec<_>>(),
            ),
        )
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id.to_string(), u.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| BaselineEntry {
            period_id,
            unit_name: if r.kind == "commune" {
                communes.get(&r.unit_key).cloned()
            } else {
                committees.get(&r.unit_key).cloned()
            }
            .unwrap_or_default(),
            kind: r.kind,
            unit: r.unit_key,
            province_code: r.province_code,
            commune_code: r.commune_code,
            population: r.population,
            adult_population: r.adult_population,
            staff: r.staff,
        })
        .collect())
}

fn row_error(row: usize, column: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("rows[{row}].{column}"),
        code: code.into(),
        message: format!("line {}: {}", row + 2, message.into()),
    }
}

fn count_cell(
    record: &csv::StringRecord,
    col: Option<usize>,
    row: usize,
    name: &str,
    errors: &mut Vec<FieldError>,
) -> Option<i64> {
    let raw = col.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
    if raw.is_empty() {
        errors.push(row_error(row, name, "required", "is required"));
        return None;
    }
    let digits: String = raw
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | ','))
        .collect();
    match digits.parse::<i64>() {
        Ok(v) if (0..=MAX_COUNT).contains(&v) => Some(v),
        _ => {
            errors.push(row_error(
                row,
                name,
                "invalid_number",
                format!("{raw:?} is not a whole number between 0 and {MAX_COUNT}"),
            ));
            None
        }
    }
}

/// Imports baselines of a period from CSV: a header row naming the columns `commune_code`,
/// `population`, `adult_population` (communes) and/or `committee_id`, `staff` (committees),
/// separated by `,` or `;`, UTF-8 with or without BOM. Every row is checked first; one bad
/// row refuses the whole file with an error per bad cell (`rows[i].column`).
pub async fn import_csv(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Uuid,
    body: &[u8],
) -> Result<BaselineImportResult, ApiError> {
    ensure_editor(actor)?;
    load_period(db, period_id).await?;
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::field("body", "invalid_encoding", "the file must be UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = if header_line.matches(';').count() > header_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| ApiError::field("body", "invalid_csv", e.to_string()))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (c_commune, c_pop, c_adult, c_committee, c_staff) = (
        col("commune_code"),
        col("population"),
        col("adult_population"),
        col("committee_id"),
        col("staff"),
    );
    if c_commune.is_none() && c_committee.is_none() {
        return Err(ApiError::field(
            "body",
            "missing_columns",
            "the header must name commune_code (with population, adult_population) or committee_id (with staff)",
        ));
    }
    let mut errors = Vec::new();
    let mut writes: Vec<Write> = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (row, record) in reader.records().enumerate() {
        if row >= MAX_IMPORT_ROWS {
            return Err(ApiError::field(
                "body",
                "too_many_rows",
                format!("a file holds at most {MAX_IMPORT_ROWS} rows"),
            ));
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(row_error(row, "row", "invalid_csv", e.to_string()));
                continue;
            }
        };
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let get = |c: Option<usize>| c.and_then(|i| record.get(i)).map(str::trim).unwrap_or("");
        let commune_code = get(c_commune);
        let committee_id = get(c_committee);
        let write = if !commune_code.is_empty() {
            let population = count_cell(&record, c_pop, row, "population", &mut errors);
            let adult = count_cell(&record, c_adult, row, "adult_population", &mut errors);
            if let (Some(p), Some(a)) = (population, adult)
                && let Err(mut e) = adult_not_above_population(p, a)
            {
                e.field = format!("rows[{row}].adult_population");
                e.message = format!("line {}: {}", row + 2, e.message);
                errors.push(e);
            }
            match commune(db, commune_code).await? {
                None => {
                    errors.push(row_error(
                        row,
                        "commune_code",
                        "unknown_unit",
                        format!("no current commune has the code {commune_code:?}"),
                    ));
                    None
                }
                Some((unit, _)) if !actor.unit.contains(&unit) => {
                    errors.push(row_error(
                        row,
                        "commune_code",
                        "outside_scope",
                        format!("commune {commune_code} is outside your unit"),
                    ));
                    None
                }
                Some((unit, name)) => Some(Write {
                    kind: "commune",
                    unit_key: commune_code.to_string(),
                    unit_name: name,
                    unit,
                    population,
                    adult_population: adult,
                    staff: None,
                }),
            }
        } else if !committee_id.is_empty() {
            let staff = count_cell(&record, c_staff, row, "staff", &mut errors);
            let found = match Uuid::parse_str(committee_id) {
                Ok(id) => committee(db, id).await?.map(|u| (id, u)),
                Err(_) => None,
            };
            match found {
                None => {
                    errors.push(row_error(
                        row,
                        "committee_id",
                        "unknown_unit",
                        format!("no committee has the id {committee_id:?}"),
                    ));
                    None
                }
                Some((_, (unit, _))) if !actor.unit.contains(&unit) => {
                    errors.push(row_error(
                        row,
                        "committee_id",
                        "outside_scope",
                        "the committee is outside your unit",
                    ));
                    None
                }
                Some((id, (unit, name))) => Some(Write {
                    kind: "committee",
                    unit_key: id.to_string(),
                    unit_name: name,
                    unit,
                    population: None,
                    adult_population: None,
                    staff,
                }),
            }
        } else {
            errors.push(row_error(
                row,
                "commune_code",
                "required",
                "a row needs a commune_code or a committee_id",
            ));
            None
        };
        if let Some(w) = write {
            let key = (w.kind.to_string(), w.unit_key.clone());
            if let Some(first) = seen.insert(key, row) {
                errors.push(row_error(
                    row,
                    if w.kind == "commune" {
                        "commune_code"
                    } else {
                        "committee_id"
                    },
                    "duplicate",
                    format!("the same unit is on line {}", first + 2),
                ));
            }
            writes.push(w);
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if writes.is_empty() {
        return Err(ApiError::field(
            "body",
            "empty",
            "the file has no data rows",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    for w in &writes {
        upsert(&txn, actor, period_id, w).await?;
    }
    txn.commit().await?;
    Ok(BaselineImportResult {
        communes: writes.iter().filter(|w| w.kind == "commune").count() as u64,
        committees: writes.iter().filter(|w| w.kind == "committee").count() as u64,
    })
}
