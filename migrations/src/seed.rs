//! Seed data: the official administrative-unit lists in `migrations/data/`, compiled into the
//! binary so that nothing is fetched at run time. Loading is idempotent (existing rows are kept).

use chrono::NaiveDate;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use shared::admin_unit::fold_unit_name;
use shared::text::{clean, fold};

use crate::m20251128_000001_admin_units::{AdminUnitConversions, AdminUnits};

const CURRENT_PROVINCES: &str = include_str!("../data/dvhc-2025-provinces.csv");
const CURRENT_COMMUNES: &str = include_str!("../data/dvhc-2025-communes.csv");
const LEGACY_PROVINCES: &str = include_str!("../data/dvhc-legacy-provinces.csv");
const LEGACY_DISTRICTS: &str = include_str!("../data/dvhc-legacy-districts.csv");
const LEGACY_COMMUNES: &str = include_str!("../data/dvhc-legacy-communes.csv");
const CONVERSION: &str = include_str!("../data/dvhc-2025-conversion.csv");

/// Rows per INSERT statement: well under the bound-parameter limits of both databases.
const CHUNK: usize = 500;

/// One administrative unit ready to insert.
#[derive(Debug, Clone)]
pub struct UnitRow {
    pub era: &'static str,
    pub level: &'static str,
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub province_code: String,
    pub district_code: Option<String>,
    pub parent_code: Option<String>,
}

/// One row of the conversion table.
#[derive(Debug, Clone)]
pub struct ConversionRow {
    pub old_commune_code: String,
    pub old_district_code: String,
    pub old_province_code: String,
    pub new_commune_code: String,
    pub new_province_code: String,
    pub partly_merged: bool,
}

/// First day of the 2-level list.
pub fn reform_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).unwrap_or_default()
}

fn records(text: &str) -> Result<Vec<csv::StringRecord>, DbErr> {
    csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes())
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| DbErr::Custom(format!("seed CSV: {e}")))
}

fn field(record: &csv::StringRecord, index: usize) -> Result<String, DbErr> {
    record
        .get(index)
        .map(clean)
        .ok_or_else(|| DbErr::Custom(format!("seed CSV: missing column {index} in {record:?}")))
}

/// Parses the shipped lists into unit rows: current provinces and communes, legacy provinces,
/// districts and communes.
pub fn unit_rows() -> Result<Vec<UnitRow>, DbErr> {
    let mut rows = Vec::with_capacity(14_200);
    for r in records(CURRENT_PROVINCES)? {
        let code = field(&r, 0)?;
        rows.push(UnitRow {
            era: "current",
            level: "province",
            province_code: code.clone(),
            code,
            name: field(&r, 1)?,
            unit_type: field(&r, 2)?,
            district_code: None,
            parent_code: None,
        });
    }
    for r in records(CURRENT_COMMUNES)? {
        let province = field(&r, 3)?;
        rows.push(UnitRow {
            era: "current",
            level: "commune",
            code: field(&r, 0)?,
            name: field(&r, 1)?,
            unit_type: field(&r, 2)?,
            province_code: province.clone(),
            district_code: None,
            parent_code: Some(province),
        });
    }
    for r in records(LEGACY_PROVINCES)? {
        let code = field(&r, 0)?;
        rows.push(UnitRow {
            era: "legacy",
            level: "province",
            province_code: code.clone(),
            code,
            name: field(&r, 1)?,
            unit_type: field(&r, 2)?,
            district_code: None,
            parent_code: None,
        });
    }
    for r in records(LEGACY_DISTRICTS)? {
        let province = field(&r, 3)?;
        rows.push(UnitRow {
            era: "legacy",
            level: "district",
            code: field(&r, 0)?,
            name: field(&r, 1)?,
            unit_type: field(&r, 2)?,
            province_code: province.clone(),
            district_code: None,
            parent_code: Some(province),
        });
    }
    for r in records(LEGACY_COMMUNES)? {
        let district = field(&r, 3)?;
        rows.push(UnitRow {
            era: "legacy",
            level: "commune",
            code: field(&r, 0)?,
            name: field(&r, 1)?,
            unit_type: field(&r, 2)?,
            province_code: field(&r, 4)?,
            district_code: Some(district.clone()),
            parent_code: Some(district),
        });
    }
    Ok(rows)
}

/// Parses the shipped conversion table.
pub fn conversion_rows() -> Result<Vec<ConversionRow>, DbErr> {
    records(CONVERSION)?
        .iter()
        .map(|r| {
            let partly = field(r, 5)?;
            Ok(ConversionRow {
                old_commune_code: field(r, 0)?,
                old_district_code: field(r, 1)?,
                old_province_code: field(r, 2)?,
                new_commune_code: field(r, 3)?,
                new_province_code: field(r, 4)?,
                partly_merged: matches!(partly.as_str(), "true" | "True" | "TRUE" | "1"),
            })
        })
        .collect()
}

/// Loads the shipped lists. Rows already present (same era, level and code; same old and new
/// commune) are left as they are, so running it twice changes nothing.
pub async fn seed_admin_units<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let reform = reform_date();
    let last_legacy_day = reform.pred_opt().unwrap_or(reform);
    let units = unit_rows()?;
    for chunk in units.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(AdminUnits::Table).columns([
            AdminUnits::Era,
            AdminUnits::Level,
            AdminUnits::Code,
            AdminUnits::Name,
            AdminUnits::UnitType,
            AdminUnits::SearchName,
            AdminUnits::ShortName,
            AdminUnits::ProvinceCode,
            AdminUnits::DistrictCode,
            AdminUnits::ParentCode,
            AdminUnits::Status,
            AdminUnits::ValidFrom,
            AdminUnits::ValidTo,
        ]);
        for u in chunk {
            let current = u.era == "current";
            insert.values_panic([
                u.era.into(),
                u.level.into(),
                u.code.clone().into(),
                u.name.clone().into(),
                u.unit_type.clone().into(),
                fold(&u.name).into(),
                fold_unit_name(&u.name).into(),
                u.province_code.clone().into(),
                u.district_code.clone().into(),
                u.parent_code.clone().into(),
                "active".into(),
                (if current { Some(reform) } else { None }).into(),
                (if current { None } else { Some(last_legacy_day) }).into(),
            ]);
        }
        insert.on_conflict(
            OnConflict::columns([AdminUnits::Era, AdminUnits::Level, AdminUnits::Code])
                .do_nothing()
                .to_owned(),
        );
        db.execute(db.get_database_backend().build(&insert)).await?;
    }

    let conversions = conversion_rows()?;
    for chunk in conversions.chunks(CHUNK) {
        let mut insert = Query::insert();
        insert.into_table(AdminUnitConversions::Table).columns([
            AdminUnitConversions::OldCommuneCode,
            AdminUnitConversions::OldDistrictCode,
            AdminUnitConversions::OldProvinceCode,
            AdminUnitConversions::NewCommuneCode,
            AdminUnitConversions::NewProvinceCode,
            AdminUnitConversions::PartlyMerged,
        ]);
        for c in chunk {
            insert.values_panic([
                c.old_commune_code.clone().into(),
                c.old_district_code.clone().into(),
                c.old_province_code.clone().into(),
                c.new_commune_code.clone().into(),
                c.new_province_code.clone().into(),
                c.partly_merged.into(),
            ]);
        }
        insert.on_conflict(
            OnConflict::columns([
                AdminUnitConversions::OldCommuneCode,
                AdminUnitConversions::NewCommuneCode,
            ])
            .do_nothing()
            .to_owned(),
        );
        db.execute(db.get_database_backend().build(&insert)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lists_have_the_official_sizes() {
        let units = unit_rows().expect("parse");
        let count = |era: &str, level: &str| {
            units
                .iter()
                .filter(|u| u.era == era && u.level == level)
                .count()
        };
        assert_eq!(count("current", "province"), 34);
        assert_eq!(count("current", "commune"), 3321);
        assert_eq!(count("legacy", "province"), 63);
        assert_eq!(count("legacy", "district"), 696);
        assert_eq!(count("legacy", "commune"), 10051);
        let conversions = conversion_rows().expect("parse");
        assert_eq!(conversions.len(), 10565);
        let mut per_old = std::collections::BTreeMap::<&str, Vec<&ConversionRow>>::new();
        for c in &conversions {
            per_old
                .entry(c.old_commune_code.as_str())
                .or_default()
                .push(c);
        }
        let split: Vec<_> = per_old.values().filter(|rows| rows.len() > 1).collect();
        assert_eq!(split.len(), 441);
        assert!(
            split
                .iter()
                .all(|rows| rows.iter().all(|c| c.partly_merged))
        );
    }

    #[test]
    fn codes_keep_their_leading_zeros() {
        let units = unit_rows().expect("parse");
        assert!(
            units
                .iter()
                .any(|u| u.code == "00004" && u.name == "Phường Ba Đình")
        );
        assert!(
            units
                .iter()
                .filter(|u| u.level == "commune")
                .all(|u| u.code.len() == 5)
        );
    }
}
