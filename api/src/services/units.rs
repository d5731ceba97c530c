//! Administrative units: lists, lookups, the diacritic-blind search and legacy successors. Also
//! resolves a unit code into the [`UnitPath`] the scope rules work on.

use crate::auth::UnitPath;
use crate::db::entities::{admin_unit, admin_unit_conversion};
use crate::db::{like_contains, like_prefix, sql};
use crate::error::ApiError;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder,
};
use shared::admin_unit::{
    AdminUnit, AdminUnitDetail, AdminUnitHit, Era, ScopeUnit, Successor, Successors, UnitLevel,
    fold_unit_name,
};
use shared::auth::UnitRef;
use shared::text::fold;
use std::collections::HashMap;

/// Largest number of search results.
pub const MAX_SEARCH_LIMIT: u64 = 100;

/// The shape of an admin-unit row as the API shows it.
pub fn to_dto(m: &admin_unit::Model) -> AdminUnit {
    AdminUnit {
        code: m.code.clone(),
        name: m.name.clone(),
        unit_type: m.unit_type.clone(),
        level: UnitLevel::parse(&m.level).unwrap_or(UnitLevel::Commune),
        era: if m.era == "legacy" {
            Era::Legacy
        } else {
            Era::Current
        },
        province_code: m.province_code.clone(),
        district_code: m.district_code.clone(),
    }
}

/// The level a code of `era` names, from its length.
fn level_of(era: Era, code: &str) -> Option<UnitLevel> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match (era, code.len()) {
        (_, 2) => Some(UnitLevel::Province),
        (Era::Legacy, 3) => Some(UnitLevel::District),
        (_, 5) => Some(UnitLevel::Commune),
        _ => None,
    }
}

async fn find(
    db: &impl ConnectionTrait,
    era: Era,
    level: UnitLevel,
    code: &str,
) -> Result<Option<admin_unit::Model>, DbErr> {
    admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq(era.as_str()))
        .filter(admin_unit::Column::Level.eq(level.as_str()))
        .filter(admin_unit::Column::Code.eq(code))
        .one(db)
        .await
}

/// Resolves `VN`, a current province code or a current commune code. `None` when no such
/// current unit exists.
pub async fn resolve_code(
    db: &impl ConnectionTrait,
    code: &str,
) -> Result<Option<UnitPath>, DbErr> {
    match ScopeUnit::parse(code) {
        Ok(unit) => resolve(db, &unit).await,
        Err(_) => Ok(None),
    }
}

/// Resolves a parsed scope unit against the current list.
pub async fn resolve(
    db: &impl ConnectionTrait,
    unit: &ScopeUnit,
) -> Result<Option<UnitPath>, DbErr> {
    Ok(match unit {
        ScopeUnit::Nation => Some(UnitPath::nation()),
        ScopeUnit::Province(code) => find(db, Era::Current, UnitLevel::Province, code)
            .await?
            .map(|p| UnitPath::province(&p.code)),
        ScopeUnit::Commune(code) => find(db, Era::Current, UnitLevel::Commune, code)
            .await?
            .map(|c| UnitPath::commune(&c.province_code, &c.code)),
    })
}

/// Resolves the `unit` field of a request, refusing an unknown unit with a field error.
pub async fn resolve_field(
    db: &impl ConnectionTrait,
    field: &str,
    code: &str,
) -> Result<UnitPath, ApiError> {
    let unit = ScopeUnit::parse(code)
        .map_err(|e| ApiError::field(field, "invalid_unit", e.to_string()))?;
    resolve(db, &unit).await?.ok_or_else(|| {
        ApiError::field(
            field,
            "unknown_unit",
            format!("no current province or commune has the code {code}"),
        )
    })
}

/// Names of current units by code (`VN` included), for showing the units accounts belong to.
pub async fn unit_refs(
    db: &impl ConnectionTrait,
    codes: &[String],
) -> Result<HashMap<String, UnitRef>, DbErr> {
    let mut out = HashMap::new();
    let wanted: Vec<&String> = codes.iter().filter(|c| c.as_str() != "VN").collect();
    if codes.iter().any(|c| c == "VN") {
        out.insert(
            "VN".to_string(),
            UnitRef {
                code: "VN".into(),
                name: "Việt Nam".into(),
                level: "nation".into(),
            },
        );
    }
    if !wanted.is_empty() {
        let rows = admin_unit::Entity::find()
            .filter(admin_unit::Column::Era.eq(Era::Current.as_str()))
            .filter(admin_unit::Column::Code.is_in(wanted.iter().map(|c| c.as_str())))
            .all(db)
            .await?;
        for r in rows {
            out.insert(
                r.code.clone(),
                UnitRef {
                    code: r.code,
                    name: r.name,
                    level: r.level,
                },
            );
        }
    }
    Ok(out)
}

/// Provinces of an era, by code (for the current era, those in force: not merged or dissolved
/// by a restructuring).
pub async fn provinces(db: &DatabaseConnection, era: Era) -> Result<Vec<AdminUnit>, DbErr> {
    children(db, era, UnitLevel::Province, None).await
}

/// Units of `level` (under `parent`); current units closed by a restructuring are left out, so
/// that they are not offered for new records.
async fn children(
    db: &DatabaseConnection,
    era: Era,
    level: UnitLevel,
    parent: Option<&str>,
) -> Result<Vec<AdminUnit>, DbErr> {
    let mut query = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq(era.as_str()))
        .filter(admin_unit::Column::Level.eq(level.as_str()));
    if let Some(parent) = parent {
        query = query.filter(admin_unit::Column::ParentCode.eq(parent));
    }
    if era == Era::Current {
        query = query.filter(admin_unit::Column::Status.eq("active"));
    }
    let rows = query.order_by_asc(admin_unit::Column::Code).all(db).await?;
    Ok(rows.iter().map(to_dto).collect())
}

/// The units directly under a unit: communes of a current province, districts of a legacy
/// province, communes of a legacy district. `None` when the parent does not exist.
pub async fn children_of(
    db: &DatabaseConnection,
    era: Era,
    parent_level: UnitLevel,
    code: &str,
) -> Result<Option<Vec<AdminUnit>>, DbErr> {
    if find(db, era, parent_level, code).await?.is_none() {
        return Ok(None);
    }
    let child_level = match (era, parent_level) {
        (Era::Legacy, UnitLevel::Province) => UnitLevel::District,
        _ => UnitLevel::Commune,
    };
    children(db, era, child_level, Some(code)).await.map(Some)
}

/// One unit with its parent (and province, for legacy units below the province).
pub async fn detail(
    db: &DatabaseConnection,
    era: Era,
    code: &str,
) -> Result<Option<AdminUnitDetail>, DbErr> {
    let Some(level) = level_of(era, code) else {
        return Ok(None);
    };
    let Some(unit) = find(db, era, level, code).await? else {
        return Ok(None);
    };
    let parent_level = match (era, level) {
        (_, UnitLevel::Province) => None,
        (Era::Legacy, UnitLevel::Commune) => Some(UnitLevel::District),
        _ => Some(UnitLevel::Province),
    };
    let parent = match (parent_level, unit.parent_code.as_deref()) {
        (Some(l), Some(p)) => find(db, era, l, p).await?,
        _ => None,
    };
    let province = if era == Era::Legacy && level != UnitLevel::Province {
        find(db, era, UnitLevel::Province, &unit.province_code).await?
    } else {
        None
    };
    let children_count = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq(era.as_str()))
        .filter(admin_unit::Column::ParentCode.eq(code))
        .filter(admin_unit::Column::Level.ne(level.as_str()))
        .count(db)
        .await?;
    Ok(Some(AdminUnitDetail {
        unit: to_dto(&unit),
        parent: parent.as_ref().map(to_dto),
        province: province.as_ref().map(to_dto),
        children_count: if level == UnitLevel::Commune {
            0
        } else {
            children_count
        },
    }))
}

#[derive(Debug, FromQueryResult)]
struct HitRow {
    code: String,
    name: String,
    unit_type: String,
    level: String,
    era: String,
    province_code: String,
    district_code: Option<String>,
    province_name: String,
    district_name: Option<String>,
}

/// Ranked search ignoring case and diacritics. Every word of the query must appear in the unit's
/// name or its province's name; exact codes and exact names come first, then names starting
/// with the query, then names containing it as a phrase, then the rest; provinces before
/// communes at equal rank.
pub async fn search(
    db: &DatabaseConnection,
    era: Era,
    query: &str,
    limit: u64,
) -> Result<Vec<AdminUnitHit>, DbErr> {
    let folded = fold(query);
    let short = fold_unit_name(query);
    let tokens: Vec<&str> = folded
        .split(' ')
        .filter(|t| !t.is_empty())
        .take(8)
        .collect();
    if tokens.is_empty() {
        return Ok(Vec::new());
    }
    let mut conditions = Vec::new();
    let mut values: Vec<sea_orm::Value> = vec![era.as_str().into()];
    for token in &tokens {
        conditions.push("(u.search_name || ' ' || p.search_name) LIKE ? ESCAPE '\\'");
        values.push(like_contains(token).into());
    }
    let text = format!(
        "SELECT u.code, u.name, u.unit_type, u.level, u.era, u.province_code, u.district_code, \
                p.name AS province_name, d.name AS district_name \
         FROM admin_units u \
         JOIN admin_units p ON p.era = u.era AND p.level = 'province' AND p.code = u.province_code \
         LEFT JOIN admin_units d ON d.era = u.era AND d.level = 'district' AND d.code = u.district_code \
         WHERE u.era = ? AND u.status = 'active' AND (({}) OR u.code = ?) \
         ORDER BY CASE \
             WHEN u.code = ? THEN 0 \
             WHEN u.short_name = ? OR u.search_name = ? THEN 1 \
             WHEN u.short_name LIKE ? ESCAPE '\\' THEN 2 \
             WHEN u.search_name LIKE ? ESCAPE '\\' THEN 3 \
             ELSE 4 END, \
           CASE u.level WHEN 'province' THEN 0 WHEN 'district' THEN 1 ELSE 2 END, \
           u.search_name, u.code \
         LIMIT ?",
        conditions.join(" AND ")
    );
    let trimmed = query.trim().to_string();
    values.push(trimmed.clone().into());
    values.push(trimmed.into());
    values.push(short.clone().into());
    values.push(folded.clone().into());
    values.push(like_prefix(&short).into());
    values.push(like_contains(&format!(" {short}")).into());
    values.push(
        i64::try_from(limit.clamp(1, MAX_SEARCH_LIMIT))
            .unwrap_or(20)
            .into(),
    );
    let rows = HitRow::find_by_statement(sql(db.get_database_backend(), &text, values))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| AdminUnitHit {
            unit: AdminUnit {
                code: r.code,
                name: r.name,
                unit_type: r.unit_type,
                level: UnitLevel::parse(&r.level).unwrap_or(UnitLevel::Commune),
                era: if r.era == "legacy" {
                    Era::Legacy
                } else {
                    Era::Current
                },
                province_code: r.province_code,
                district_code: r.district_code,
            },
            province_name: r.province_name,
            district_name: r.district_name,
        })
        .collect())
}

/// Where a legacy commune went: its rows in the conversion table with the current communes.
/// `None` when neither the legacy list nor the conversion table knows the code.
pub async fn successors(
    db: &DatabaseConnection,
    legacy_code: &str,
) -> Result<Option<Successors>, DbErr> {
    if level_of(Era::Legacy, legacy_code) != Some(UnitLevel::Commune) {
        return Ok(None);
    }
    let legacy = find(db, Era::Legacy, UnitLevel::Commune, legacy_code).await?;
    let rows = admin_unit_conversion::Entity::find()
        .filter(admin_unit_conversion::Column::OldCommuneCode.eq(legacy_code))
        .order_by_asc(admin_unit_conversion::Column::NewCommuneCode)
        .all(db)
        .await?;
    if legacy.is_none() && rows.is_empty() {
        return Ok(None);
    }
    let new_codes: Vec<&str> = rows.iter().map(|r| r.new_commune_code.as_str()).collect();
    let communes: HashMap<String, admin_unit::Model> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq(Era::Current.as_str()))
        .filter(admin_unit::Column::Level.eq(UnitLevel::Commune.as_str()))
        .filter(admin_unit::Column::Code.is_in(new_codes))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    let province_names: HashMap<String, String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq(Era::Current.as_str()))
        .filter(admin_unit::Column::Level.eq(UnitLevel::Province.as_str()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.code, m.name))
        .collect();
    let successors: Vec<Successor> = rows
        .iter()
        .filter_map(|r| {
            communes.get(&r.new_commune_code).map(|c| Successor {
                unit: to_dto(c),
                province_name: province_names
                    .get(&c.province_code)
                    .cloned()
                    .unwrap_or_default(),
                partly_merged: r.partly_merged,
            })
        })
        .collect();
    Ok(Some(Successors {
        legacy_code: legacy_code.to_string(),
        legacy: legacy.as_ref().map(to_dto),
        partly_merged: rows.iter().any(|r| r.partly_merged),
        successors,
    }))
}
