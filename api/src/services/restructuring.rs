//! Restructurings of the list of units: a newer official list of communes, of provinces, or of
//! both, is compared with the current one (communes added, renamed, moved to another province,
//! merged wholly into one unit, dissolved over several or none; provinces added, renamed, merged
//! into one province or dissolved over several), then applied with an effective date and a legal
//! basis in one transaction that records the lineage and moves the records of merged communes
//! (people, villages, registrations, the commune's Association unit with its branches and
//! memberships) to their successor. The records of a commune dissolved without a single whole
//! successor go to the legacy-address queue, where an officer of the province picks the successor
//! for each: its people, its villages, and the branches and committees of its Association unit
//! (see `legacy_queue` for what resolving them moves). A merged province hands its
//! province-level records to its successor: the committees under its Association unit, the
//! memberships of that unit, the accounts and API clients scoped to it and its pending queue
//! items. A province dissolved over several provinces (or none) while such records remain is
//! refused: an administrator reassigns them first. Every before-image is kept, so undoing
//! restores the units and each moved record exactly and removes the queue items; once an item
//! was resolved, undo is refused. Central administrators only.
//!
//! Aggregates by province follow the units: the report counters of registrations follow their
//! rows (triggers), the member counters (`member_counts`, kept by triggers on memberships, keyed
//! by the province and commune of the Association unit) follow every unit this module moves
//! through `save_association`, and the baselines of a commune that changes province are
//! counted in its new province (`move_baselines`).

use crate::auth::{Actor, UnitPath};
use crate::db::entities::{
    admin_unit, admin_unit_lineage, api_client, association_unit, legacy_queue_item,
    legacy_queue_subject, membership, person, registration, restructuring, user, village,
};
use crate::error::ApiError;
use crate::services::{audit, changes};
use chrono::{DateTime, NaiveDate, Utc};
use migrations::m20251128_000004_registry::association_unit_id;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use shared::admin_unit::fold_unit_name;
use shared::auth::Role;
use shared::error::FieldError;
use shared::import::{
    ApplyRestructuringRequest, ChangeKind, ChangeLevel, LineageLink, PROVINCE_TYPES, QueueSubject,
    Restructuring, RestructuringRequest, UnitChange, pad_code,
};
use shared::text::{clean, fold};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use uuid::Uuid;

fn ensure_central(actor: &Actor) -> Result<(), ApiError> {
    if actor.role == Role::CentralAdmin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the central administrator changes the list of units".into(),
        ))
    }
}

/// A commune of the uploaded list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct NewUnit {
    code: String,
    name: String,
    unit_type: String,
    province_code: String,
}

/// A province of the uploaded list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct NewProvince {
    code: String,
    name: String,
    unit_type: String,
}

/// The lists of a draft; `None` where no file was given, so that list stays as it is then.
#[derive(Debug, Default, Serialize, Deserialize)]
struct NewLists {
    communes: Option<Vec<NewUnit>>,
    provinces: Option<Vec<NewProvince>>,
}

/// A draft's lists as stored: drafts made before provinces could change keep only the communes.
#[derive(Deserialize)]
#[serde(untagged)]
enum StoredLists {
    Communes(Vec<NewUnit>),
    Lists(NewLists),
}

impl StoredLists {
    fn into_lists(self) -> NewLists {
        match self {
            StoredLists::Communes(communes) => NewLists {
                communes: Some(communes),
                provinces: None,
            },
            StoredLists::Lists(lists) => lists,
        }
    }
}

fn csv_error(field: &str, line: usize, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        code: "invalid_csv".into(),
        message: format!("line {line}: {}", message.into()),
    }
}

/// A CSV's lowercased headers and its lines (with their line numbers).
type CsvLines = (Vec<String>, Vec<(usize, Vec<String>)>);

fn records(text: &str) -> Result<CsvLines, String> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let mut out = Vec::new();
    for (i, r) in reader.records().enumerate() {
        let r = r.map_err(|e| e.to_string())?;
        out.push((i + 2, r.iter().map(|c| c.trim().to_string()).collect()));
    }
    Ok((headers, out))
}

fn column(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| h == name)
}

/// Reads the communes file (`code,name,type,province_code`); `provinces` are the codes a commune
/// may name (`listed`: those of the uploaded provinces file, else the current ones).
fn parse_units(
    text: &str,
    provinces: &HashSet<String>,
    listed: bool,
) -> Result<Vec<NewUnit>, Vec<FieldError>> {
    let field = "communes_csv";
    let (headers, rows) = records(text).map_err(|e| vec![csv_error(field, 1, e)])?;
    let (Some(c), Some(n), Some(t), Some(p)) = (
        column(&headers, "code"),
        column(&headers, "name"),
        column(&headers, "type"),
        column(&headers, "province_code"),
    ) else {
        return Err(vec![csv_error(
            field,
            1,
            "the header must be code,name,type,province_code",
        )]);
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (line, cells) in rows {
        let get = |i: usize| cells.get(i).cloned().unwrap_or_default();
        let Some(code) = pad_code(&get(c), 5) else {
            errors.push(csv_error(field, line, "a commune code has 5 digits"));
            continue;
        };
        let name = clean(&get(n));
        let province = pad_code(&get(p), 2).unwrap_or_default();
        if name.is_empty() {
            errors.push(csv_error(field, line, "the name is empty"));
        } else if !provinces.contains(&province) {
            let list = if listed {
                "the provinces file"
            } else {
                "the current list"
            };
            errors.push(csv_error(
                field,
                line,
                format!("no province of {list} has the code {}", get(p)),
            ));
        } else if !seen.insert(code.clone()) {
            errors.push(csv_error(
                field,
                line,
                format!("the code {code} is listed twice"),
            ));
        } else {
            out.push(NewUnit {
                code,
                name,
                unit_type: clean(&get(t)).to_lowercase(),
                province_code: province,
            });
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(csv_error(field, 1, "the list is empty"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads the provinces file (`code,name,type`, and optionally `codename,phone_code`, which are
/// not kept).
fn parse_provinces(text: &str) -> Result<Vec<NewProvince>, Vec<FieldError>> {
    let field = "provinces_csv";
    let (headers, rows) = records(text).map_err(|e| vec![csv_error(field, 1, e)])?;
    let (Some(c), Some(n), Some(t)) = (
        column(&headers, "code"),
        column(&headers, "name"),
        column(&headers, "type"),
    ) else {
        return Err(vec![csv_error(
            field,
            1,
            "the header must be code,name,type (codename and phone_code may follow)",
        )]);
    };
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (line, cells) in rows {
        let get = |i: usize| cells.get(i).cloned().unwrap_or_default();
        let Some(code) = pad_code(&get(c), 2) else {
            errors.push(csv_error(field, line, "a province code has 2 digits"));
            continue;
        };
        let name = clean(&get(n));
        let unit_type = clean(&get(t)).to_lowercase();
        if name.is_empty() {
            errors.push(csv_error(field, line, "the name is empty"));
        } else if !PROVINCE_TYPES.contains(&unit_type.as_str()) {
            errors.push(csv_error(
                field,
                line,
                format!(
                    "the type must be \"tỉnh\" or \"thành phố trung ương\", not {:?}",
                    get(t)
                ),
            ));
        } else if !seen.insert(code.clone()) {
            errors.push(csv_error(
                field,
                line,
                format!("the code {code} is listed twice"),
            ));
        } else {
            out.push(NewProvince {
                code,
                name,
                unit_type,
            });
        }
    }
    if out.is_empty() && errors.is_empty() {
        errors.push(csv_error(field, 1, "the list is empty"));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Reads the lineage file (the conversion table's format: `old_commune_code`,
/// `new_commune_code`, `partly_merged`).
fn parse_lineage(text: &str) -> Result<Vec<LineageLink>, Vec<FieldError>> {
    let field = "lineage_csv";
    let (headers, rows) = records(text).map_err(|e| vec![csv_error(field, 1, e)])?;
    let (Some(o), Some(n)) = (
        column(&headers, "old_commune_code"),
        column(&headers, "new_commune_code"),
    ) else {
        return Err(vec![csv_error(
            field,
            1,
            "the header must name old_commune_code and new_commune_code",
        )]);
    };
    let partly = column(&headers, "partly_merged");
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (line, cells) in rows {
        let get = |i: usize| cells.get(i).cloned().unwrap_or_default();
        match (pad_code(&get(o), 5), pad_code(&get(n), 5)) {
            (Some(old_code), Some(new_code)) => out.push(LineageLink {
                old_code,
                new_code,
                whole: !partly
                    .map(|i| matches!(get(i).to_lowercase().as_str(), "true" | "1"))
                    .unwrap_or(false),
            }),
            _ => errors.push(csv_error(field, line, "commune codes have 5 digits")),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

async fn current_communes(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<String, admin_unit::Model>, ApiError> {
    Ok(admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Status.eq("active"))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect())
}

async fn current_provinces(
    db: &impl ConnectionTrait,
) -> Result<BTreeMap<String, admin_unit::Model>, ApiError> {
    Ok(admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("province"))
        .filter(admin_unit::Column::Status.eq("active"))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code.clone(), u))
        .collect())
}

/// Records on a commune (people, villages, and the branches and committees of its Association
/// unit), for the diff.
async fn records_on(db: &impl ConnectionTrait, code: &str) -> Result<u64, ApiError> {
    let people = person::Entity::find()
        .filter(person::Column::CommuneCode.eq(code))
        .count(db)
        .await?;
    let villages = village::Entity::find()
        .filter(village::Column::CommuneCode.eq(code))
        .count(db)
        .await?;
    let sub_units = association_unit::Entity::find()
        .filter(association_unit::Column::CommuneCode.eq(code))
        .filter(association_unit::Column::Id.ne(association_unit_id("commune", code)))
        .count(db)
        .await?;
    Ok(people + villages + sub_units)
}

/// What sits on a province besides its communes: the accounts and API clients scoped to it,
/// the province-level Association units (committees, with any unit under them), the active
/// memberships of its own Association unit and its pending queue items.
#[derive(Debug, Default)]
struct ProvinceRecords {
    accounts: Vec<user::Model>,
    clients: Vec<api_client::Model>,
    units: Vec<association_unit::Model>,
    members: u64,
    queue_items: u64,
}

impl ProvinceRecords {
    fn total(&self) -> u64 {
        (self.accounts.len() + self.clients.len() + self.units.len()) as u64
            + self.members
            + self.queue_items
    }

    /// The records, as named in a refusal.
    fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.accounts.is_empty() {
            let names: Vec<&str> = self.accounts.iter().map(|u| u.username.as_str()).collect();
            parts.push(format!("accounts {}", names.join(", ")));
        }
        if !self.clients.is_empty() {
            let names: Vec<&str> = self.clients.iter().map(|c| c.name.as_str()).collect();
            parts.push(format!("API clients {}", names.join(", ")));
        }
        if !self.units.is_empty() {
            let names: Vec<&str> = self.units.iter().map(|u| u.name.as_str()).collect();
            parts.push(format!("Association units {}", names.join(", ")));
        }
        if self.members > 0 {
            parts.push(format!(
                "{} members of the province's Association",
                self.members
            ));
        }
        if self.queue_items > 0 {
            parts.push(format!("{} pending queue items", self.queue_items));
        }
        parts.join("; ")
    }
}

async fn province_records(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<ProvinceRecords, ApiError> {
    let own_unit = association_unit_id("province", code);
    Ok(ProvinceRecords {
        accounts: user::Entity::find()
            .filter(user::Column::UnitCode.eq(code))
            .order_by_asc(user::Column::Username)
            .all(db)
            .await?,
        clients: api_client::Entity::find()
            .filter(api_client::Column::ProvinceCode.eq(code))
            .order_by_asc(api_client::Column::Name)
            .all(db)
            .await?,
        units: association_unit::Entity::find()
            .filter(association_unit::Column::ProvinceCode.eq(code))
            .filter(association_unit::Column::CommuneCode.is_null())
            .filter(association_unit::Column::Id.ne(own_unit))
            .order_by_asc(association_unit::Column::Name)
            .all(db)
            .await?,
        members: membership::Entity::find()
            .filter(membership::Column::AssociationUnitId.eq(own_unit))
            .filter(membership::Column::Status.eq("active"))
            .count(db)
            .await?,
        queue_items: legacy_queue_item::Entity::find()
            .filter(legacy_queue_item::Column::ProvinceCode.eq(code))
            .filter(legacy_queue_item::Column::Status.eq("pending"))
            .count(db)
            .await?,
    })
}

/// The communes after the change: the uploaded list, or the current one when none was given.
async fn new_communes(
    db: &impl ConnectionTrait,
    lists: &NewLists,
) -> Result<Vec<NewUnit>, ApiError> {
    Ok(match &lists.communes {
        Some(communes) => communes.clone(),
        None => current_communes(db)
            .await?
            .into_values()
            .map(|c| NewUnit {
                code: c.code,
                name: c.name,
                unit_type: c.unit_type,
                province_code: c.province_code,
            })
            .collect(),
    })
}

/// The difference between the current provinces and `provinces` (with `units`, the communes
/// after the change): a removed province is merged into the one province all its communes went
/// to, or dissolved (with a partial link to each province they went to).
async fn province_diff(
    db: &impl ConnectionTrait,
    provinces: &[NewProvince],
    units: &[NewUnit],
    lineage: &[LineageLink],
) -> Result<Vec<UnitChange>, ApiError> {
    let current = current_provinces(db).await?;
    let new: BTreeMap<&str, &NewProvince> =
        provinces.iter().map(|p| (p.code.as_str(), p)).collect();
    let new_units: HashMap<&str, &NewUnit> = units.iter().map(|u| (u.code.as_str(), u)).collect();
    // Communes left in a province the list leaves out (only possible when the communes stay as
    // they are: an uploaded communes file naming it was refused line by line).
    let mut stranded: BTreeMap<&str, usize> = BTreeMap::new();
    for u in units {
        if !new.contains_key(u.province_code.as_str()) {
            *stranded.entry(u.province_code.as_str()).or_default() += 1;
        }
    }
    if !stranded.is_empty() {
        return Err(ApiError::Validation(
            stranded
                .into_iter()
                .map(|(code, n)| FieldError {
                    field: "provinces_csv".into(),
                    code: "province_not_empty".into(),
                    message: format!(
                        "the province {code} is not in the list but {n} communes remain in it; \
                         give a communes file that places them in other provinces"
                    ),
                })
                .collect(),
        ));
    }
    let communes = current_communes(db).await?;
    let mut changes = Vec::new();
    for p in provinces {
        match current.get(&p.code) {
            None => changes.push(UnitChange {
                level: ChangeLevel::Province,
                kind: ChangeKind::Added,
                code: p.code.clone(),
                old_name: None,
                new_name: Some(p.name.clone()),
                old_province_code: None,
                new_province_code: Some(p.code.clone()),
                successors: Vec::new(),
                records: 0,
            }),
            Some(c) if c.name != p.name || c.unit_type != p.unit_type => changes.push(UnitChange {
                level: ChangeLevel::Province,
                kind: ChangeKind::Renamed,
                code: p.code.clone(),
                old_name: Some(c.name.clone()),
                new_name: Some(p.name.clone()),
                old_province_code: Some(c.code.clone()),
                new_province_code: Some(p.code.clone()),
                successors: Vec::new(),
                records: province_records(db, &p.code).await?.total(),
            }),
            Some(_) => {}
        }
    }
    for (code, c) in &current {
        if new.contains_key(code.as_str()) {
            continue;
        }
        // Where its communes went: their province in the new list, or that of the communes
        // they went into.
        let mut went_to = BTreeSet::new();
        for commune in communes.values().filter(|u| &u.province_code == code) {
            match new_units.get(commune.code.as_str()) {
                Some(u) => {
                    went_to.insert(u.province_code.clone());
                }
                None => {
                    for l in lineage.iter().filter(|l| l.old_code == commune.code) {
                        if let Some(u) = new_units.get(l.new_code.as_str()) {
                            went_to.insert(u.province_code.clone());
                        }
                    }
                }
            }
        }
        let merged = went_to.len() == 1;
        let successors: Vec<LineageLink> = went_to
            .into_iter()
            .map(|new_code| LineageLink {
                old_code: code.clone(),
                new_code,
                whole: merged,
            })
            .collect();
        changes.push(UnitChange {
            level: ChangeLevel::Province,
            kind: if merged {
                ChangeKind::Merged
            } else {
                ChangeKind::Dissolved
            },
            code: code.clone(),
            old_name: Some(c.name.clone()),
            new_name: None,
            old_province_code: Some(code.clone()),
            new_province_code: if merged {
                successors.first().map(|s| s.new_code.clone())
            } else {
                None
            },
            successors,
            records: province_records(db, code).await?.total(),
        });
    }
    Ok(changes)
}

/// The difference between the current list and `lists` (provinces first, then communes), with
/// the lineage of removed communes; and the communes after the change.
async fn diff(
    db: &impl ConnectionTrait,
    lists: &NewLists,
    lineage: &[LineageLink],
) -> Result<(Vec<UnitChange>, Vec<NewUnit>), ApiError> {
    let units = new_communes(db, lists).await?;
    let mut changes = match &lists.provinces {
        Some(provinces) => province_diff(db, provinces, &units, lineage).await?,
        None => Vec::new(),
    };
    changes.extend(commune_diff(db, &units, lineage).await?);
    Ok((changes, units))
}

/// The difference between the current communes and `units`, with the lineage of removed ones.
async fn commune_diff(
    db: &impl ConnectionTrait,
    units: &[NewUnit],
    lineage: &[LineageLink],
) -> Result<Vec<UnitChange>, ApiError> {
    let current = current_communes(db).await?;
    let new: BTreeMap<&str, &NewUnit> = units.iter().map(|u| (u.code.as_str(), u)).collect();
    let mut errors = Vec::new();
    for (i, l) in lineage.iter().enumerate() {
        if !new.contains_key(l.new_code.as_str()) {
            errors.push(FieldError {
                field: "lineage_csv".into(),
                code: "unknown_successor".into(),
                message: format!("line {}: {} is not in the new list", i + 2, l.new_code),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut changes = Vec::new();
    for u in units {
        match current.get(&u.code) {
            None => changes.push(UnitChange {
                level: ChangeLevel::Commune,
                kind: ChangeKind::Added,
                code: u.code.clone(),
                old_name: None,
                new_name: Some(u.name.clone()),
                old_province_code: None,
                new_province_code: Some(u.province_code.clone()),
                successors: Vec::new(),
                records: 0,
            }),
            Some(c) if c.province_code != u.province_code || c.name != u.name => {
                changes.push(UnitChange {
                    level: ChangeLevel::Commune,
                    kind: if c.province_code != u.province_code {
                        ChangeKind::Moved
                    } else {
                        ChangeKind::Renamed
                    },
                    code: u.code.clone(),
                    old_name: Some(c.name.clone()),
                    new_name: Some(u.name.clone()),
                    old_province_code: Some(c.province_code.clone()),
                    new_province_code: Some(u.province_code.clone()),
                    successors: Vec::new(),
                    records: records_on(db, &u.code).await?,
                })
            }
            Some(_) => {}
        }
    }
    for (code, c) in &current {
        if new.contains_key(code.as_str()) {
            continue;
        }
        let successors: Vec<LineageLink> = lineage
            .iter()
            .filter(|l| &l.old_code == code)
            .cloned()
            .collect();
        let merged = matches!(successors.as_slice(), [only] if only.whole);
        changes.push(UnitChange {
            level: ChangeLevel::Commune,
            kind: if merged {
                ChangeKind::Merged
            } else {
                ChangeKind::Dissolved
            },
            code: code.clone(),
            old_name: Some(c.name.clone()),
            new_name: None,
            old_province_code: Some(c.province_code.clone()),
            new_province_code: successors
                .first()
                .and_then(|s| new.get(s.new_code.as_str()))
                .map(|u| u.province_code.clone()),
            successors,
            records: records_on(db, code).await?,
        });
    }
    Ok(changes)
}

fn to_dto(m: restructuring::Model) -> Restructuring {
    Restructuring {
        id: m.id,
        status: m.status,
        changes: serde_json::from_str(&m.changes).unwrap_or_default(),
        effective_date: m.effective_date,
        legal_basis: m.legal_basis,
        moved_records: u64::try_from(m.moved_records).unwrap_or(0),
        queued_records: u64::try_from(m.queued_records).unwrap_or(0),
        created_at: m.created_at,
        applied_at: m.applied_at,
        undone_at: m.undone_at,
    }
}

/// Computes the difference of a newer list with the current one and keeps it as a draft.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    request: RestructuringRequest,
) -> Result<Restructuring, ApiError> {
    ensure_central(actor)?;
    let given = |text: Option<String>| text.filter(|t| !t.trim().is_empty());
    let (communes_csv, provinces_csv) = (given(request.communes_csv), given(request.provinces_csv));
    if communes_csv.is_none() && provinces_csv.is_none() {
        let required = |field: &str| FieldError {
            field: field.into(),
            code: "required".into(),
            message: "give a communes file, a provinces file, or both".into(),
        };
        return Err(ApiError::Validation(vec![
            required("communes_csv"),
            required("provinces_csv"),
        ]));
    }
    let mut errors = Vec::new();
    let provinces = match provinces_csv.as_deref().map(parse_provinces) {
        Some(Ok(provinces)) => Some(provinces),
        Some(Err(e)) => {
            errors.extend(e);
            None
        }
        None => None,
    };
    let communes = match communes_csv {
        Some(text) if errors.is_empty() => {
            let (codes, listed): (HashSet<String>, bool) = match &provinces {
                Some(list) => (list.iter().map(|p| p.code.clone()).collect(), true),
                None => (current_provinces(db).await?.into_keys().collect(), false),
            };
            match parse_units(&text, &codes, listed) {
                Ok(units) => Some(units),
                Err(e) => {
                    errors.extend(e);
                    None
                }
            }
        }
        _ => None,
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let lineage = match request
        .lineage_csv
        .as_deref()
        .filter(|t| !t.trim().is_empty())
    {
        Some(text) => parse_lineage(text).map_err(ApiError::Validation)?,
        None => Vec::new(),
    };
    let lists = NewLists {
        communes,
        provinces,
    };
    let (changes, _) = diff(db, &lists, &lineage).await?;
    let model = restructuring::ActiveModel {
        id: Set(Uuid::new_v4()),
        status: Set("draft".into()),
        changes: Set(serde_json::to_string(&changes).map_err(anyhow::Error::from)?),
        new_units: Set(serde_json::to_string(&lists).map_err(anyhow::Error::from)?),
        lineage: Set(serde_json::to_string(&lineage).map_err(anyhow::Error::from)?),
        effective_date: Set(None),
        legal_basis: Set(None),
        undo_log: Set(None),
        moved_records: Set(0),
        queued_records: Set(0),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(Utc::now()),
        applied_at: Set(None),
        undone_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(to_dto(model))
}

/// One restructuring.
pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Restructuring, ApiError> {
    ensure_central(actor)?;
    restructuring::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(to_dto)
        .ok_or_else(|| ApiError::not_found("restructuring"))
}

/// Every restructuring, newest first.
pub async fn list(db: &DatabaseConnection, actor: &Actor) -> Result<Vec<Restructuring>, ApiError> {
    ensure_central(actor)?;
    Ok(restructuring::Entity::find()
        .order_by_desc(restructuring::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect())
}

// ---------------------------------------------------------------------------------------------
// Before-images, restored by undo
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(default)]
struct UndoLog {
    added_units: Vec<i64>,
    added_association_units: Vec<Uuid>,
    units: Vec<UnitImage>,
    people: Vec<PersonImage>,
    villages: Vec<VillageImage>,
    association_units: Vec<AssociationImage>,
    memberships: Vec<MembershipImage>,
    registrations: Vec<RegistrationImage>,
    queue_items: Vec<Uuid>,
    /// Accounts moved from a merged province to its successor.
    accounts: Vec<AccountImage>,
    /// API clients moved from a merged province to its successor.
    clients: Vec<ClientImage>,
    /// Pending queue items handed from a merged province to its successor.
    queue_provinces: Vec<QueueProvinceImage>,
    /// Baselines of communes that changed province, with the province they had.
    baselines: Vec<BaselineImage>,
}

#[derive(Debug, Serialize, Deserialize, sea_orm::FromQueryResult)]
struct BaselineImage {
    period_id: Uuid,
    kind: String,
    unit_key: String,
    province_code: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct AccountImage {
    id: Uuid,
    unit_code: String,
    updated_at: DateTime<Utc>,
    version: i32,
}

#[derive(Debug, Serialize, Deserialize)]
struct ClientImage {
    id: Uuid,
    province_code: Option<String>,
    updated_at: DateTime<Utc>,
    version: i32,
}

#[derive(Debug, Serialize, Deserialize)]
struct QueueProvinceImage {
    id: Uuid,
    province_code: String,
}

#[derive(Debug, Serialize, Deserialize)]
struct UnitImage {
    id: i64,
    name: String,
    unit_type: String,
    search_name: String,
    short_name: String,
    province_code: String,
    parent_code: Option<String>,
    status: String,
    valid_from: Option<NaiveDate>,
    valid_to: Option<NaiveDate>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PersonImage {
    id: Uuid,
    commune_code: String,
    province_code: String,
    updated_at: DateTime<Utc>,
    version: i32,
}

#[derive(Debug, Serialize, Deserialize)]
struct VillageImage {
    id: Uuid,
    commune_code: String,
    province_code: String,
    updated_at: DateTime<Utc>,
    version: i32,
}

#[derive(Debug, Serialize, Deserialize)]
struct AssociationImage {
    id: Uuid,
    name: String,
    search_name: String,
    parent_id: Option<Uuid>,
    admin_unit_code: String,
    province_code: Option<String>,
    commune_code: Option<String>,
    status: String,
    updated_at: DateTime<Utc>,
    version: i32,
}

#[derive(Debug, Serialize, Deserialize)]
struct MembershipImage {
    id: Uuid,
    association_unit_id: Uuid,
    updated_at: DateTime<Utc>,
    version: i32,
}

#[derive(Debug, Serialize, Deserialize)]
struct RegistrationImage {
    id: Uuid,
    commune_code: String,
    province_code: String,
    reviewing_unit_id: Uuid,
    updated_at: DateTime<Utc>,
    version: i32,
}

/// Applies a draft in one transaction.
pub async fn apply(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    request: ApplyRestructuringRequest,
) -> Result<Restructuring, ApiError> {
    ensure_central(actor)?;
    let legal_basis = clean(&request.legal_basis);
    let txn = crate::db::begin_write(db).await?;
    let draft = restructuring::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("restructuring"))?;
    if draft.status != "draft" {
        return Err(ApiError::Conflict(format!(
            "only a draft can be applied (current state: {})",
            draft.status
        )));
    }
    let lists = serde_json::from_str::<StoredLists>(&draft.new_units)
        .map_err(anyhow::Error::from)?
        .into_lists();
    let lineage: Vec<LineageLink> =
        serde_json::from_str(&draft.lineage).map_err(anyhow::Error::from)?;
    // The list may have changed since the draft: compute the difference again.
    let (changes, units) = diff(&txn, &lists, &lineage).await?;
    let new_by_code: HashMap<&str, &NewUnit> = units.iter().map(|u| (u.code.as_str(), u)).collect();
    let new_provinces: HashMap<&str, &NewProvince> = lists
        .provinces
        .iter()
        .flatten()
        .map(|p| (p.code.as_str(), p))
        .collect();
    let effective = request.effective_date;
    let last_day = effective.pred_opt().unwrap_or(effective);
    let now = Utc::now();
    let mut log = UndoLog::default();
    let (mut moved, mut queued) = (0i64, 0i64);
    let current = current_communes(&txn).await?;
    let provinces = current_provinces(&txn).await?;
    let mut unit_images = Vec::new();

    for change in &changes {
        if change.level == ChangeLevel::Province {
            let step = ProvinceStep {
                change,
                current: provinces.get(&change.code),
                new: new_provinces.get(change.code.as_str()).copied(),
                effective,
                last_day,
                now,
            };
            moved += apply_province(&txn, &mut log, &mut unit_images, &step).await?;
            insert_lineage(&txn, id, change, effective).await?;
            continue;
        }
        match change.kind {
            ChangeKind::Added => {
                let Some(u) = new_by_code.get(change.code.as_str()) else {
                    continue;
                };
                let saved = admin_unit::ActiveModel {
                    era: Set("current".into()),
                    level: Set("commune".into()),
                    code: Set(u.code.clone()),
                    name: Set(u.name.clone()),
                    unit_type: Set(u.unit_type.clone()),
                    search_name: Set(fold(&u.name)),
                    short_name: Set(fold_unit_name(&u.name)),
                    province_code: Set(u.province_code.clone()),
                    district_code: Set(None),
                    parent_code: Set(Some(u.province_code.clone())),
                    status: Set("active".into()),
                    valid_from: Set(Some(effective)),
                    valid_to: Set(None),
                    ..Default::default()
                }
                .insert(&txn)
                .await
                .map_err(code_reused(&u.code))?;
                log.added_units.push(saved.id);
                let unit_id = association_unit_id("commune", &u.code);
                if association_unit::Entity::find_by_id(unit_id)
                    .one(&txn)
                    .await?
                    .is_none()
                {
                    let name = format!("Hội Khuyến học {}", u.name);
                    association_unit::ActiveModel {
                        id: Set(unit_id),
                        search_name: Set(fold(&name)),
                        name: Set(name),
                        level: Set("commune".into()),
                        parent_id: Set(Some(association_unit_id("province", &u.province_code))),
                        admin_unit_code: Set(u.code.clone()),
                        province_code: Set(Some(u.province_code.clone())),
                        commune_code: Set(Some(u.code.clone())),
                        village_id: Set(None),
                        committee_kind: Set(None),
                        chairperson: Set(None),
                        phone: Set(None),
                        email: Set(None),
                        status: Set("active".into()),
                        created_at: Set(now),
                        updated_at: Set(now),
                        version: Set(1),
                    }
                    .insert(&txn)
                    .await?;
                    log.added_association_units.push(unit_id);
                }
            }
            ChangeKind::Renamed | ChangeKind::Moved => {
                let (Some(old), Some(u)) = (
                    current.get(&change.code),
                    new_by_code.get(change.code.as_str()),
                ) else {
                    continue;
                };
                unit_images.push(image_unit(old));
                let mut m: admin_unit::ActiveModel = old.clone().into();
                m.name = Set(u.name.clone());
                m.unit_type = Set(u.unit_type.clone());
                m.search_name = Set(fold(&u.name));
                m.short_name = Set(fold_unit_name(&u.name));
                m.province_code = Set(u.province_code.clone());
                m.parent_code = Set(Some(u.province_code.clone()));
                m.update(&txn).await?;
                // The commune's Association unit follows its name and province.
                if let Some(a) =
                    association_unit::Entity::find_by_id(association_unit_id("commune", &u.code))
                        .one(&txn)
                        .await?
                {
                    log.association_units.push(image_association(&a));
                    let mut am: association_unit::ActiveModel = a.clone().into();
                    let name = a.name.replace(&old.name, &u.name);
                    am.search_name = Set(fold(&name));
                    am.name = Set(name);
                    am.parent_id = Set(Some(association_unit_id("province", &u.province_code)));
                    am.province_code = Set(Some(u.province_code.clone()));
                    am.updated_at = Set(now);
                    am.version = Set(a.version + 1);
                    save_association(&txn, &a, am).await?;
                }
                if change.kind == ChangeKind::Moved {
                    moved +=
                        move_records(&txn, &mut log, &old.code, &u.code, &u.province_code, now)
                            .await?;
                }
            }
            ChangeKind::Merged => {
                let Some(old) = current.get(&change.code) else {
                    continue;
                };
                let Some(successor) = change
                    .successors
                    .first()
                    .and_then(|s| new_by_code.get(s.new_code.as_str()))
                else {
                    continue;
                };
                unit_images.push(image_unit(old));
                let mut m: admin_unit::ActiveModel = old.clone().into();
                m.status = Set("merged".into());
                m.valid_to = Set(Some(last_day));
                m.update(&txn).await?;
                moved += move_records(
                    &txn,
                    &mut log,
                    &old.code,
                    &successor.code,
                    &successor.province_code,
                    now,
                )
                .await?;
                if let Some(a) =
                    association_unit::Entity::find_by_id(association_unit_id("commune", &old.code))
                        .one(&txn)
                        .await?
                {
                    log.association_units.push(image_association(&a));
                    let mut am: association_unit::ActiveModel = a.clone().into();
                    am.status = Set("merged".into());
                    am.updated_at = Set(now);
                    am.version = Set(a.version + 1);
                    save_association(&txn, &a, am).await?;
                }
            }
            ChangeKind::Dissolved => {
                let Some(old) = current.get(&change.code) else {
                    continue;
                };
                unit_images.push(image_unit(old));
                let mut m: admin_unit::ActiveModel = old.clone().into();
                m.status = Set("dissolved".into());
                m.valid_to = Set(Some(last_day));
                m.update(&txn).await?;
                let candidates: Vec<String> = change
                    .successors
                    .iter()
                    .map(|s| s.new_code.clone())
                    .collect();
                let province = change
                    .new_province_code
                    .clone()
                    .unwrap_or_else(|| old.province_code.clone());
                let queue = Queueing {
                    restructuring: id,
                    province: &province,
                    legacy_address: format!("{} (mã {})", old.name, old.code),
                    legacy_commune_code: &old.code,
                    candidates: serde_json::to_string(&candidates).map_err(anyhow::Error::from)?,
                    now,
                };
                queued += queue_records(&txn, &mut log, &queue).await?;
                if let Some(a) =
                    association_unit::Entity::find_by_id(association_unit_id("commune", &old.code))
                        .one(&txn)
                        .await?
                {
                    log.association_units.push(image_association(&a));
                    let mut am: association_unit::ActiveModel = a.clone().into();
                    am.status = Set("dissolved".into());
                    am.updated_at = Set(now);
                    am.version = Set(a.version + 1);
                    save_association(&txn, &a, am).await?;
                }
            }
        }
        insert_lineage(&txn, id, change, effective).await?;
    }
    log.units = unit_images;
    let mut model: restructuring::ActiveModel = draft.into();
    model.status = Set("applied".into());
    model.changes = Set(serde_json::to_string(&changes).map_err(anyhow::Error::from)?);
    model.effective_date = Set(Some(effective));
    model.legal_basis = Set(Some(legal_basis.clone()));
    model.undo_log = Set(Some(
        serde_json::to_string(&log).map_err(anyhow::Error::from)?,
    ));
    model.moved_records = Set(moved);
    model.queued_records = Set(queued);
    model.applied_at = Set(Some(now));
    model.undone_at = Set(None);
    let feed = feed_of(&txn, &log).await?;
    changes::append_many(&txn, &feed).await?;
    let saved = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "restructuring.apply",
            resource_type: "restructuring",
            resource_id: Some(id.to_string()),
            unit: &UnitPath::nation(),
            detail: Some(json!({
                "effective_date": effective,
                "legal_basis": legal_basis,
                "changes": changes.len(),
                "moved_records": moved,
                "queued_records": queued,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(saved))
}

fn image_unit(u: &admin_unit::Model) -> UnitImage {
    UnitImage {
        id: u.id,
        name: u.name.clone(),
        unit_type: u.unit_type.clone(),
        search_name: u.search_name.clone(),
        short_name: u.short_name.clone(),
        province_code: u.province_code.clone(),
        parent_code: u.parent_code.clone(),
        status: u.status.clone(),
        valid_from: u.valid_from,
        valid_to: u.valid_to,
    }
}

/// A unique violation on inserting the unit `code` means the code was used before.
fn code_reused(code: &str) -> impl FnOnce(sea_orm::DbErr) -> ApiError + '_ {
    move |e| match e.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::Conflict(format!(
            "the code {code} was used by a unit before; codes are never reused"
        )),
        _ => e.into(),
    }
}

async fn insert_lineage(
    db: &impl ConnectionTrait,
    restructuring_id: Uuid,
    change: &UnitChange,
    effective: NaiveDate,
) -> Result<(), ApiError> {
    for s in &change.successors {
        admin_unit_lineage::ActiveModel {
            restructuring_id: Set(restructuring_id),
            old_code: Set(s.old_code.clone()),
            new_code: Set(s.new_code.clone()),
            whole: Set(s.whole),
            effective_date: Set(effective),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// Adds `n` to the member counter of (`level`, `code`).
async fn bump_member_count(
    db: &impl ConnectionTrait,
    level: &str,
    code: &str,
    n: i64,
) -> Result<(), ApiError> {
    db.execute(crate::db::sql(
        db.get_database_backend(),
        "INSERT INTO member_counts (level, code, n) VALUES (?, ?, ?) ON CONFLICT (level, code) \
         DO UPDATE SET n = member_counts.n + excluded.n",
        vec![level.into(), code.into(), n.into()],
    ))
    .await?;
    Ok(())
}

/// Saves a changed Association unit. The member counters are kept per province and commune of
/// the unit by triggers on memberships, which do not see the unit move: when its province or
/// commune changes, its active memberships are counted at the new place instead of the old.
async fn save_association(
    db: &impl ConnectionTrait,
    before: &association_unit::Model,
    changed: association_unit::ActiveModel,
) -> Result<association_unit::Model, ApiError> {
    let after = changed.update(db).await?;
    if before.province_code == after.province_code && before.commune_code == after.commune_code {
        return Ok(after);
    }
    let members = membership::Entity::find()
        .filter(membership::Column::AssociationUnitId.eq(after.id))
        .filter(membership::Column::Status.eq("active"))
        .count(db)
        .await?;
    let n = i64::try_from(members).unwrap_or(i64::MAX);
    if n == 0 {
        return Ok(after);
    }
    if before.province_code != after.province_code {
        let code = |c: &Option<String>| c.clone().unwrap_or_default();
        bump_member_count(db, "province", &code(&before.province_code), -n).await?;
        bump_member_count(db, "province", &code(&after.province_code), n).await?;
    }
    if before.commune_code != after.commune_code {
        if let Some(code) = &before.commune_code {
            bump_member_count(db, "commune", code, -n).await?;
        }
        if let Some(code) = &after.commune_code {
            bump_member_count(db, "commune", code, n).await?;
        }
    }
    Ok(after)
}

/// One province change being applied.
struct ProvinceStep<'a> {
    change: &'a UnitChange,
    /// The province as it is now (absent for an added one).
    current: Option<&'a admin_unit::Model>,
    /// The province in the new list (absent for a merged or dissolved one).
    new: Option<&'a NewProvince>,
    effective: NaiveDate,
    last_day: NaiveDate,
    now: DateTime<Utc>,
}

/// Applies one province change; returns how many records moved.
async fn apply_province(
    db: &impl ConnectionTrait,
    log: &mut UndoLog,
    unit_images: &mut Vec<UnitImage>,
    step: &ProvinceStep<'_>,
) -> Result<i64, ApiError> {
    let now = step.now;
    match step.change.kind {
        ChangeKind::Added => {
            let Some(p) = step.new else {
                return Ok(0);
            };
            let saved = admin_unit::ActiveModel {
                era: Set("current".into()),
                level: Set("province".into()),
                code: Set(p.code.clone()),
                name: Set(p.name.clone()),
                unit_type: Set(p.unit_type.clone()),
                search_name: Set(fold(&p.name)),
                short_name: Set(fold_unit_name(&p.name)),
                province_code: Set(p.code.clone()),
                district_code: Set(None),
                parent_code: Set(None),
                status: Set("active".into()),
                valid_from: Set(Some(step.effective)),
                valid_to: Set(None),
                ..Default::default()
            }
            .insert(db)
            .await
            .map_err(code_reused(&p.code))?;
            log.added_units.push(saved.id);
            let unit_id = association_unit_id("province", &p.code);
            if association_unit::Entity::find_by_id(unit_id)
                .one(db)
                .await?
                .is_none()
            {
                let name = format!("Hội Khuyến học {}", p.name);
                association_unit::ActiveModel {
                    id: Set(unit_id),
                    search_name: Set(fold(&name)),
                    name: Set(name),
                    level: Set("province".into()),
                    parent_id: Set(Some(association_unit_id("central", "VN"))),
                    admin_unit_code: Set(p.code.clone()),
                    province_code: Set(Some(p.code.clone())),
                    commune_code: Set(None),
                    village_id: Set(None),
                    committee_kind: Set(None),
                    chairperson: Set(None),
                    phone: Set(None),
                    email: Set(None),
                    status: Set("active".into()),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                }
                .insert(db)
                .await?;
                log.added_association_units.push(unit_id);
            }
            Ok(0)
        }
        ChangeKind::Renamed | ChangeKind::Moved => {
            let (Some(old), Some(p)) = (step.current, step.new) else {
                return Ok(0);
            };
            unit_images.push(image_unit(old));
            let mut m: admin_unit::ActiveModel = old.clone().into();
            m.name = Set(p.name.clone());
            m.unit_type = Set(p.unit_type.clone());
            m.search_name = Set(fold(&p.name));
            m.short_name = Set(fold_unit_name(&p.name));
            m.update(db).await?;
            // The province's Association unit follows its name.
            if let Some(a) =
                association_unit::Entity::find_by_id(association_unit_id("province", &p.code))
                    .one(db)
                    .await?
                && old.name != p.name
            {
                log.association_units.push(image_association(&a));
                let mut am: association_unit::ActiveModel = a.clone().into();
                let name = a.name.replace(&old.name, &p.name);
                am.search_name = Set(fold(&name));
                am.name = Set(name);
                am.updated_at = Set(now);
                am.version = Set(a.version + 1);
                save_association(db, &a, am).await?;
            }
            Ok(0)
        }
        ChangeKind::Merged => {
            let (Some(old), Some(successor)) = (step.current, step.change.successors.first())
            else {
                return Ok(0);
            };
            close_province(db, log, unit_images, old, "merged", step).await?;
            move_province_records(db, log, &old.code, &successor.new_code, now).await
        }
        ChangeKind::Dissolved => {
            let Some(old) = step.current else {
                return Ok(0);
            };
            let left = province_records(db, &old.code).await?;
            if left.total() > 0 {
                return Err(ApiError::Conflict(format!(
                    "the province {} ({}) is dissolved without a single successor province, but \
                     these still sit on it: {}; reassign them first, then apply \
                     (current state: draft)",
                    old.code,
                    old.name,
                    left.describe()
                )));
            }
            close_province(db, log, unit_images, old, "dissolved", step).await?;
            Ok(0)
        }
    }
}

/// Closes a merged or dissolved province (`status`) and its Association unit.
async fn close_province(
    db: &impl ConnectionTrait,
    log: &mut UndoLog,
    unit_images: &mut Vec<UnitImage>,
    old: &admin_unit::Model,
    status: &str,
    step: &ProvinceStep<'_>,
) -> Result<(), ApiError> {
    unit_images.push(image_unit(old));
    let mut m: admin_unit::ActiveModel = old.clone().into();
    m.status = Set(status.to_string());
    m.valid_to = Set(Some(step.last_day));
    m.update(db).await?;
    if let Some(a) =
        association_unit::Entity::find_by_id(association_unit_id("province", &old.code))
            .one(db)
            .await?
    {
        log.association_units.push(image_association(&a));
        let mut am: association_unit::ActiveModel = a.clone().into();
        am.status = Set(status.to_string());
        am.updated_at = Set(step.now);
        am.version = Set(a.version + 1);
        save_association(db, &a, am).await?;
    }
    Ok(())
}

/// Moves the province-level records of province `from` to `to`: the Association units on it
/// that are not a commune's (committees, with any unit under them; those directly under its
/// Association unit go under the successor's), the memberships of its Association unit, the
/// accounts and API clients scoped to it and its pending queue items. Returns how many moved.
async fn move_province_records(
    db: &impl ConnectionTrait,
    log: &mut UndoLog,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<i64, ApiError> {
    let records = province_records(db, from).await?;
    let (old_unit, new_unit) = (
        association_unit_id("province", from),
        association_unit_id("province", to),
    );
    let mut moved = 0i64;
    for a in records.units {
        log.association_units.push(image_association(&a));
        let mut m: association_unit::ActiveModel = a.clone().into();
        m.province_code = Set(Some(to.to_string()));
        if a.admin_unit_code == from {
            m.admin_unit_code = Set(to.to_string());
        }
        if a.parent_id == Some(old_unit) {
            m.parent_id = Set(Some(new_unit));
        }
        m.updated_at = Set(now);
        m.version = Set(a.version + 1);
        save_association(db, &a, m).await?;
        moved += 1;
    }
    for ms in membership::Entity::find()
        .filter(membership::Column::AssociationUnitId.eq(old_unit))
        .all(db)
        .await?
    {
        log.memberships.push(MembershipImage {
            id: ms.id,
            association_unit_id: ms.association_unit_id,
            updated_at: ms.updated_at,
            version: ms.version,
        });
        let mut m: membership::ActiveModel = ms.clone().into();
        m.association_unit_id = Set(new_unit);
        m.updated_at = Set(now);
        m.version = Set(ms.version + 1);
        m.update(db).await?;
        moved += 1;
    }
    for u in records.accounts {
        log.accounts.push(AccountImage {
            id: u.id,
            unit_code: u.unit_code.clone(),
            updated_at: u.updated_at,
            version: u.version,
        });
        let mut m: user::ActiveModel = u.clone().into();
        m.unit_code = Set(to.to_string());
        m.updated_at = Set(now);
        m.version = Set(u.version + 1);
        m.update(db).await?;
        moved += 1;
    }
    for c in records.clients {
        log.clients.push(ClientImage {
            id: c.id,
            province_code: c.province_code.clone(),
            updated_at: c.updated_at,
            version: c.version,
        });
        let mut m: api_client::ActiveModel = c.clone().into();
        m.province_code = Set(Some(to.to_string()));
        m.updated_at = Set(now);
        m.version = Set(c.version + 1);
        m.update(db).await?;
        moved += 1;
    }
    for item in legacy_queue_item::Entity::find()
        .filter(legacy_queue_item::Column::ProvinceCode.eq(from))
        .filter(legacy_queue_item::Column::Status.eq("pending"))
        .all(db)
        .await?
    {
        log.queue_provinces.push(QueueProvinceImage {
            id: item.id,
            province_code: item.province_code.clone(),
        });
        let mut m: legacy_queue_item::ActiveModel = item.into();
        m.province_code = Set(to.to_string());
        m.update(db).await?;
        moved += 1;
    }
    Ok(moved)
}

/// What the queue items of one dissolved commune share.
struct Queueing<'a> {
    restructuring: Uuid,
    /// The province whose officers decide.
    province: &'a str,
    legacy_address: String,
    legacy_commune_code: &'a str,
    /// The successors, as the JSON array the queue keeps.
    candidates: String,
    now: DateTime<Utc>,
}

/// What one queue item is about.
struct Subject {
    kind: QueueSubject,
    name: String,
    person_id: Option<Uuid>,
    village_id: Option<Uuid>,
    association_unit_id: Option<Uuid>,
}

/// Queues every record of a commune dissolved without a single successor: its people, its
/// villages, and the branches and committees of its Association unit (one item per unit that
/// does not sit under another of them: the units below follow theirs when it is resolved).
/// Returns how many items were queued.
async fn queue_records(
    db: &impl ConnectionTrait,
    log: &mut UndoLog,
    queue: &Queueing<'_>,
) -> Result<i64, ApiError> {
    let code = queue.legacy_commune_code;
    let mut subjects = Vec::new();
    for p in person::Entity::find()
        .filter(person::Column::CommuneCode.eq(code))
        .order_by_asc(person::Column::Id)
        .all(db)
        .await?
    {
        subjects.push(Subject {
            kind: QueueSubject::Person,
            name: p.full_name,
            person_id: Some(p.id),
            village_id: None,
            association_unit_id: None,
        });
    }
    for v in village::Entity::find()
        .filter(village::Column::CommuneCode.eq(code))
        .order_by_asc(village::Column::Name)
        .all(db)
        .await?
    {
        subjects.push(Subject {
            kind: QueueSubject::Village,
            name: v.name,
            person_id: None,
            village_id: Some(v.id),
            association_unit_id: None,
        });
    }
    let commune_unit = association_unit_id("commune", code);
    let units = association_unit::Entity::find()
        .filter(association_unit::Column::CommuneCode.eq(code))
        .filter(association_unit::Column::Id.ne(commune_unit))
        .order_by_asc(association_unit::Column::Name)
        .all(db)
        .await?;
    let on_commune: HashSet<Uuid> = units.iter().map(|u| u.id).collect();
    for u in units {
        if u.parent_id.is_some_and(|p| on_commune.contains(&p)) {
            continue;
        }
        subjects.push(Subject {
            kind: QueueSubject::AssociationUnit,
            name: u.name,
            person_id: None,
            village_id: None,
            association_unit_id: Some(u.id),
        });
    }
    let mut queued = 0i64;
    for subject in subjects {
        let item = Uuid::new_v4();
        legacy_queue_item::ActiveModel {
            id: Set(item),
            reason: Set("restructured".into()),
            status: Set("pending".into()),
            province_code: Set(queue.province.to_string()),
            full_name: Set(subject.name.chars().take(200).collect()),
            legacy_address: Set(queue.legacy_address.clone()),
            legacy_commune_code: Set(Some(code.to_string())),
            candidates: Set(queue.candidates.clone()),
            import_job_id: Set(None),
            row_no: Set(None),
            row_data: Set(None),
            match_key: Set(None),
            person_id: Set(subject.person_id),
            restructuring_id: Set(Some(queue.restructuring)),
            resolved_commune_code: Set(None),
            resolved_by: Set(None),
            resolved_at: Set(None),
            created_at: Set(queue.now),
        }
        .insert(db)
        .await?;
        if subject.kind != QueueSubject::Person {
            legacy_queue_subject::Entity::update(legacy_queue_subject::ActiveModel {
                id: Set(item),
                subject_type: Set(subject.kind.as_str().to_string()),
                village_id: Set(subject.village_id),
                association_unit_id: Set(subject.association_unit_id),
            })
            .exec(db)
            .await?;
        }
        log.queue_items.push(item);
        queued += 1;
    }
    Ok(queued)
}

fn image_association(a: &association_unit::Model) -> AssociationImage {
    AssociationImage {
        id: a.id,
        name: a.name.clone(),
        search_name: a.search_name.clone(),
        parent_id: a.parent_id,
        admin_unit_code: a.admin_unit_code.clone(),
        province_code: a.province_code.clone(),
        commune_code: a.commune_code.clone(),
        status: a.status.clone(),
        updated_at: a.updated_at,
        version: a.version,
    }
}

/// Sets the province of the baselines (denominators) of commune `code` (the commune's own and
/// those of its committees) to `province`: reports sum them by their province.
async fn move_baselines(
    db: &impl ConnectionTrait,
    log: &mut UndoLog,
    code: &str,
    province: &str,
) -> Result<(), ApiError> {
    let backend = db.get_database_backend();
    let images = BaselineImage::find_by_statement(crate::db::sql(
        backend,
        "SELECT period_id, kind, unit_key, province_code FROM baselines \
         WHERE commune_code = ? AND province_code <> ?",
        vec![code.into(), province.into()],
    ))
    .all(db)
    .await?;
    if images.is_empty() {
        return Ok(());
    }
    db.execute(crate::db::sql(
        backend,
        "UPDATE baselines SET province_code = ? WHERE commune_code = ? AND province_code <> ?",
        vec![province.into(), code.into(), province.into()],
    ))
    .await?;
    log.baselines.extend(images);
    Ok(())
}

/// Moves every record of commune `from` to `to` (in `province`): people, villages,
/// registrations, the branches and committees under the commune's Association unit, and the
/// memberships and reviews of that unit when the commune itself goes; the baselines of `from`
/// are counted in `province` from then on. Returns how many moved.
async fn move_records(
    db: &impl ConnectionTrait,
    log: &mut UndoLog,
    from: &str,
    to: &str,
    province: &str,
    now: DateTime<Utc>,
) -> Result<i64, ApiError> {
    move_baselines(db, log, from, province).await?;
    let mut moved = 0i64;
    for p in person::Entity::find()
        .filter(person::Column::CommuneCode.eq(from))
        .all(db)
        .await?
    {
        log.people.push(PersonImage {
            id: p.id,
            commune_code: p.commune_code.clone(),
            province_code: p.province_code.clone(),
            updated_at: p.updated_at,
            version: p.version,
        });
        let mut m: person::ActiveModel = p.clone().into();
        m.commune_code = Set(to.to_string());
        m.province_code = Set(province.to_string());
        m.updated_at = Set(now);
        m.version = Set(p.version + 1);
        m.update(db).await?;
        moved += 1;
    }
    for v in village::Entity::find()
        .filter(village::Column::CommuneCode.eq(from))
        .all(db)
        .await?
    {
        log.villages.push(VillageImage {
            id: v.id,
            commune_code: v.commune_code.clone(),
            province_code: v.province_code.clone(),
            updated_at: v.updated_at,
            version: v.version,
        });
        let mut m: village::ActiveModel = v.clone().into();
        m.commune_code = Set(to.to_string());
        m.province_code = Set(province.to_string());
        m.updated_at = Set(now);
        m.version = Set(v.version + 1);
        m.update(db).await?;
        moved += 1;
    }
    let old_unit = association_unit_id("commune", from);
    let new_unit = association_unit_id("commune", to);
    for r in registration::Entity::find()
        .filter(registration::Column::CommuneCode.eq(from))
        .all(db)
        .await?
    {
        log.registrations.push(RegistrationImage {
            id: r.id,
            commune_code: r.commune_code.clone(),
            province_code: r.province_code.clone(),
            reviewing_unit_id: r.reviewing_unit_id,
            updated_at: r.updated_at,
            version: r.version,
        });
        let mut m: registration::ActiveModel = r.clone().into();
        m.commune_code = Set(to.to_string());
        m.province_code = Set(province.to_string());
        if from != to && r.reviewing_unit_id == old_unit {
            m.reviewing_unit_id = Set(new_unit);
        }
        m.updated_at = Set(now);
        m.version = Set(r.version + 1);
        m.update(db).await?;
        moved += 1;
    }
    // Branches and committees of the commune follow it.
    for a in association_unit::Entity::find()
        .filter(association_unit::Column::CommuneCode.eq(from))
        .filter(association_unit::Column::Id.ne(old_unit))
        .all(db)
        .await?
    {
        log.association_units.push(image_association(&a));
        let mut m: association_unit::ActiveModel = a.clone().into();
        m.commune_code = Set(Some(to.to_string()));
        m.province_code = Set(Some(province.to_string()));
        if a.admin_unit_code == from {
            m.admin_unit_code = Set(to.to_string());
        }
        if from != to && a.parent_id == Some(old_unit) {
            m.parent_id = Set(Some(new_unit));
        }
        m.updated_at = Set(now);
        m.version = Set(a.version + 1);
        save_association(db, &a, m).await?;
        moved += 1;
    }
    if from != to {
        for ms in membership::Entity::find()
            .filter(membership::Column::AssociationUnitId.eq(old_unit))
            .all(db)
            .await?
        {
            log.memberships.push(MembershipImage {
                id: ms.id,
                association_unit_id: ms.association_unit_id,
                updated_at: ms.updated_at,
                version: ms.version,
            });
            let mut m: membership::ActiveModel = ms.clone().into();
            m.association_unit_id = Set(new_unit);
            m.updated_at = Set(now);
            m.version = Set(ms.version + 1);
            m.update(db).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// The change-feed entries of every record a restructuring (or its undo) wrote, on the commune
/// each belongs to now.
async fn feed_of(
    db: &impl ConnectionTrait,
    log: &UndoLog,
) -> Result<Vec<changes::Pending>, ApiError> {
    let mut feed = Vec::new();
    let updated = |resource_type: &'static str, id: Uuid, commune: String| changes::Pending {
        kind: changes::UPDATED,
        resource_type,
        id,
        commune_code: commune,
        ..Default::default()
    };
    let ids: Vec<Uuid> = log.people.iter().map(|i| i.id).collect();
    for p in person::Entity::find()
        .filter(person::Column::Id.is_in(ids))
        .all(db)
        .await?
    {
        feed.push(updated("person", p.id, p.commune_code));
    }
    let ids: Vec<Uuid> = log.villages.iter().map(|i| i.id).collect();
    for v in village::Entity::find()
        .filter(village::Column::Id.is_in(ids))
        .all(db)
        .await?
    {
        feed.push(updated("village", v.id, v.commune_code));
    }
    let ids: Vec<Uuid> = log.registrations.iter().map(|i| i.id).collect();
    for r in registration::Entity::find()
        .filter(registration::Column::Id.is_in(ids))
        .all(db)
        .await?
    {
        feed.push(updated("registration", r.id, r.commune_code));
    }
    let mut unit_ids: Vec<Uuid> = log.association_units.iter().map(|i| i.id).collect();
    let memberships = membership::Entity::find()
        .filter(membership::Column::Id.is_in(log.memberships.iter().map(|i| i.id)))
        .all(db)
        .await?;
    unit_ids.extend(memberships.iter().map(|m| m.association_unit_id));
    let units: HashMap<Uuid, association_unit::Model> = association_unit::Entity::find()
        .filter(association_unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let commune_of = |u: &association_unit::Model| u.commune_code.clone();
    let mut seen = HashSet::new();
    for img in &log.association_units {
        if let Some(u) = units.get(&img.id)
            && seen.insert(u.id)
            && let Some(commune) = commune_of(u)
        {
            feed.push(updated("association_unit", u.id, commune));
        }
    }
    for m in memberships {
        if let Some(commune) = units.get(&m.association_unit_id).and_then(commune_of) {
            feed.push(updated("membership", m.id, commune));
        }
    }
    Ok(feed)
}

/// Refuses an undo that would leave accounts or API clients on a province it removes: those
/// placed in a province the restructuring added (other than the ones it moved there itself,
/// which go back).
async fn refuse_stranding(db: &impl ConnectionTrait, log: &UndoLog) -> Result<(), ApiError> {
    let added: Vec<String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Id.is_in(log.added_units.clone()))
        .filter(admin_unit::Column::Level.eq("province"))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.code)
        .collect();
    if added.is_empty() {
        return Ok(());
    }
    let restored: HashSet<Uuid> = log.accounts.iter().map(|a| a.id).collect();
    let mut names: Vec<String> = user::Entity::find()
        .filter(user::Column::UnitCode.is_in(added.clone()))
        .order_by_asc(user::Column::Username)
        .all(db)
        .await?
        .into_iter()
        .filter(|u| !restored.contains(&u.id))
        .map(|u| format!("account {}", u.username))
        .collect();
    let restored: HashSet<Uuid> = log.clients.iter().map(|c| c.id).collect();
    names.extend(
        api_client::Entity::find()
            .filter(api_client::Column::ProvinceCode.is_in(added))
            .order_by_asc(api_client::Column::Name)
            .all(db)
            .await?
            .into_iter()
            .filter(|c| !restored.contains(&c.id))
            .map(|c| format!("API client {}", c.name)),
    );
    if names.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Conflict(format!(
            "{} sit in a province this restructuring added; move them to another province \
             first (current state: applied)",
            names.join(", ")
        )))
    }
}

/// Undoes an applied restructuring in one transaction, restoring every unit and record it
/// changed. Refused when a moved person or account was changed since (their version moved on),
/// or when accounts or API clients were placed in a province it added.
pub async fn undo(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Restructuring, ApiError> {
    // The records get back their versions from before the apply, as the before-images hold them.
    crate::db::versioning::restoring(undo_images(db, actor, id)).await
}

async fn undo_images(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Restructuring, ApiError> {
    ensure_central(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let applied = restructuring::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::not_found("restructuring"))?;
    if applied.status != "applied" {
        return Err(ApiError::Conflict(format!(
            "only an applied restructuring can be undone (current state: {})",
            applied.status
        )));
    }
    let later = restructuring::Entity::find()
        .filter(restructuring::Column::Status.eq("applied"))
        .filter(restructuring::Column::AppliedAt.gt(applied.applied_at))
        .one(&txn)
        .await?;
    if later.is_some() {
        return Err(ApiError::Conflict(
            "a later restructuring was applied; undo it first (current state: applied)".into(),
        ));
    }
    let log: UndoLog = serde_json::from_str(applied.undo_log.as_deref().unwrap_or("{}"))
        .map_err(anyhow::Error::from)?;
    let resolved = legacy_queue_item::Entity::find()
        .filter(legacy_queue_item::Column::Id.is_in(log.queue_items.clone()))
        .filter(legacy_queue_item::Column::Status.ne("pending"))
        .one(&txn)
        .await?;
    if resolved.is_some() {
        return Err(ApiError::Conflict(
            "a record it queued was resolved since; undoing would lose that choice (current state: applied)".into(),
        ));
    }
    refuse_stranding(&txn, &log).await?;
    for img in &log.people {
        let Some(p) = person::Entity::find_by_id(img.id).one(&txn).await? else {
            continue;
        };
        if p.version != img.version + 1 {
            return Err(ApiError::Conflict(format!(
                "the record of {} changed after the restructuring (current state: applied)",
                p.full_name
            )));
        }
        let mut m: person::ActiveModel = p.into();
        m.commune_code = Set(img.commune_code.clone());
        m.province_code = Set(img.province_code.clone());
        m.updated_at = Set(img.updated_at);
        m.version = Set(img.version);
        m.update(&txn).await?;
    }
    for img in &log.accounts {
        let Some(u) = user::Entity::find_by_id(img.id).one(&txn).await? else {
            continue;
        };
        if u.version != img.version + 1 {
            return Err(ApiError::Conflict(format!(
                "the account {} changed after the restructuring (current state: applied)",
                u.username
            )));
        }
        let mut m: user::ActiveModel = u.into();
        m.unit_code = Set(img.unit_code.clone());
        m.updated_at = Set(img.updated_at);
        m.version = Set(img.version);
        m.update(&txn).await?;
    }
    for img in &log.clients {
        if let Some(c) = api_client::Entity::find_by_id(img.id).one(&txn).await? {
            let mut m: api_client::ActiveModel = c.into();
            m.province_code = Set(img.province_code.clone());
            m.updated_at = Set(img.updated_at);
            m.version = Set(img.version);
            m.update(&txn).await?;
        }
    }
    for img in &log.baselines {
        txn.execute(crate::db::sql(
            txn.get_database_backend(),
            "UPDATE baselines SET province_code = ? WHERE period_id = ? AND kind = ? AND unit_key = ?",
            vec![
                img.province_code.clone().into(),
                img.period_id.into(),
                img.kind.clone().into(),
                img.unit_key.clone().into(),
            ],
        ))
        .await?;
    }
    for img in &log.queue_provinces {
        if let Some(item) = legacy_queue_item::Entity::find_by_id(img.id)
            .one(&txn)
            .await?
        {
            let mut m: legacy_queue_item::ActiveModel = item.into();
            m.province_code = Set(img.province_code.clone());
            m.update(&txn).await?;
        }
    }
    for img in &log.villages {
        if let Some(v) = village::Entity::find_by_id(img.id).one(&txn).await? {
            let mut m: village::ActiveModel = v.into();
            m.commune_code = Set(img.commune_code.clone());
            m.province_code = Set(img.province_code.clone());
            m.updated_at = Set(img.updated_at);
            m.version = Set(img.version);
            m.update(&txn).await?;
        }
    }
    for img in &log.registrations {
        if let Some(r) = registration::Entity::find_by_id(img.id).one(&txn).await? {
            let mut m: registration::ActiveModel = r.into();
            m.commune_code = Set(img.commune_code.clone());
            m.province_code = Set(img.province_code.clone());
            m.reviewing_unit_id = Set(img.reviewing_unit_id);
            m.updated_at = Set(img.updated_at);
            m.version = Set(img.version);
            m.update(&txn).await?;
        }
    }
    for img in &log.memberships {
        if let Some(ms) = membership::Entity::find_by_id(img.id).one(&txn).await? {
            let mut m: membership::ActiveModel = ms.into();
            m.association_unit_id = Set(img.association_unit_id);
            m.updated_at = Set(img.updated_at);
            m.version = Set(img.version);
            m.update(&txn).await?;
        }
    }
    // Images are restored newest first, so a unit imaged twice ends as it first was.
    for img in log.association_units.iter().rev() {
        if let Some(a) = association_unit::Entity::find_by_id(img.id)
            .one(&txn)
            .await?
        {
            let mut m: association_unit::ActiveModel = a.clone().into();
            m.name = Set(img.name.clone());
            m.search_name = Set(img.search_name.clone());
            m.parent_id = Set(img.parent_id);
            m.admin_unit_code = Set(img.admin_unit_code.clone());
            m.province_code = Set(img.province_code.clone());
            m.commune_code = Set(img.commune_code.clone());
            m.status = Set(img.status.clone());
            m.updated_at = Set(img.updated_at);
            m.version = Set(img.version);
            save_association(&txn, &a, m).await?;
        }
    }
    legacy_queue_item::Entity::delete_many()
        .filter(legacy_queue_item::Column::Id.is_in(log.queue_items.clone()))
        .exec(&txn)
        .await?;
    if !log.added_association_units.is_empty() {
        association_unit::Entity::delete_many()
            .filter(association_unit::Column::Id.is_in(log.added_association_units.clone()))
            .exec(&txn)
            .await?;
    }
    for img in &log.units {
        if let Some(u) = admin_unit::Entity::find_by_id(img.id).one(&txn).await? {
            let mut m: admin_unit::ActiveModel = u.into();
            m.name = Set(img.name.clone());
            m.unit_type = Set(img.unit_type.clone());
            m.search_name = Set(img.search_name.clone());
            m.short_name = Set(img.short_name.clone());
            m.province_code = Set(img.province_code.clone());
            m.parent_code = Set(img.parent_code.clone());
            m.status = Set(img.status.clone());
            m.valid_from = Set(img.valid_from);
            m.valid_to = Set(img.valid_to);
            m.update(&txn).await?;
        }
    }
    if !log.added_units.is_empty() {
        admin_unit::Entity::delete_many()
            .filter(admin_unit::Column::Id.is_in(log.added_units.clone()))
            .exec(&txn)
            .await?;
    }
    admin_unit_lineage::Entity::delete_many()
        .filter(admin_unit_lineage::Column::RestructuringId.eq(id))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let mut model: restructuring::ActiveModel = applied.into();
    model.status = Set("undone".into());
    model.undone_at = Set(Some(now));
    let feed = feed_of(&txn, &log).await?;
    changes::append_many(&txn, &feed).await?;
    let saved = model.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "restructuring.undo",
            resource_type: "restructuring",
            resource_id: Some(id.to_string()),
            unit: &UnitPath::nation(),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(saved))
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    #[test]
    fn a_provinces_file_is_read_tolerantly() {
        let decomposed: String = "Tỉnh Cao Bằng".nfd().collect();
        let text = format!(
            "\u{feff}Code,NAME,Type\n1,Thành phố Hà Nội,Thành phố trung ương\n04,{decomposed},tỉnh\n"
        );
        let provinces = parse_provinces(&text).expect("read");
        assert_eq!(provinces.len(), 2);
        assert_eq!(provinces[0].code, "01");
        assert_eq!(provinces[0].unit_type, "thành phố trung ương");
        assert_eq!(provinces[1].name, "Tỉnh Cao Bằng", "names are NFC");
    }

    #[test]
    fn bad_lines_of_a_provinces_file_are_named() {
        let cases = [
            ("code,name\n01,A\n", "line 1:"),
            ("code,name,type\n123,Tỉnh A,tỉnh\n", "line 2:"),
            ("code,name,type\n01,,tỉnh\n", "line 2:"),
            ("code,name,type\n01,Tỉnh A,huyện\n", "line 2:"),
            ("code,name,type\n01,Tỉnh A,tỉnh\n1,Tỉnh B,tỉnh\n", "line 3:"),
            ("code,name,type\n", "line 1:"),
        ];
        for (text, line) in cases {
            let errors = parse_provinces(text).expect_err(text);
            assert_eq!(errors.len(), 1, "{text:?}: {errors:?}");
            assert_eq!(errors[0].field, "provinces_csv");
            assert!(errors[0].message.starts_with(line), "{text:?}: {errors:?}");
        }
    }

    #[test]
    fn drafts_stored_before_provinces_could_change_still_read() {
        let old = r#"[{"code":"00004","name":"Phường Ba Đình","unit_type":"phường","province_code":"01"}]"#;
        let lists = serde_json::from_str::<StoredLists>(old)
            .expect("an old draft")
            .into_lists();
        assert_eq!(lists.communes.map(|c| c.len()), Some(1));
        assert!(lists.provinces.is_none());
        let change: UnitChange = serde_json::from_str(
            r#"{"kind":"renamed","code":"00004","old_name":"A","new_name":"B","old_province_code":"01","new_province_code":"01","successors":[],"records":0}"#,
        )
        .expect("an old change");
        assert_eq!(change.level, ChangeLevel::Commune);
    }
}
