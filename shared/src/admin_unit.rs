//! Administrative units: codes, levels and the shapes the API returns for them.
//!
//! Codes are strings with their leading zeros. Current (since 2025-07-01) and legacy units share
//! code spaces without sharing meaning, so a code alone never says which list it belongs to: the
//! `era` does.

use crate::text::fold;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Type words that open official unit names, folded, longest first.
const TYPE_WORDS: [&str; 9] = [
    "thanh pho",
    "thi tran",
    "dac khu",
    "phuong",
    "thi xa",
    "huyen",
    "quan",
    "tinh",
    "xa",
];

/// Folds a unit name and drops its leading type word: "Phường Ba Đình" → "ba dinh",
/// "Thành phố Hà Nội" → "ha noi", "Xa Ba Dinh" → "ba dinh". A name that is only a type word (or
/// a number after it, "Phường 1") keeps what follows.
pub fn fold_unit_name(name: &str) -> String {
    let folded = fold(name);
    for word in TYPE_WORDS {
        if let Some(rest) = folded.strip_prefix(word)
            && let Some(rest) = rest.strip_prefix(' ')
            && !rest.is_empty()
        {
            return rest.to_string();
        }
    }
    folded
}

/// Which list a unit belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Era {
    /// The 2-level list in force since 2025-07-01 (34 provinces, 3,321 communes).
    Current,
    /// The 3-level list in force until 2025-06-30 (63 provinces, 696 districts, 10,051 communes).
    Legacy,
}

impl Era {
    pub fn as_str(self) -> &'static str {
        match self {
            Era::Current => "current",
            Era::Legacy => "legacy",
        }
    }
}

/// The level of an administrative unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitLevel {
    Province,
    /// Legacy only: districts were abolished on 2025-07-01.
    District,
    Commune,
}

impl UnitLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitLevel::Province => "province",
            UnitLevel::District => "district",
            UnitLevel::Commune => "commune",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "province" => Some(UnitLevel::Province),
            "district" => Some(UnitLevel::District),
            "commune" => Some(UnitLevel::Commune),
            _ => None,
        }
    }
}

/// Why a unit code was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnitCodeError {
    #[error("must be \"VN\", a 2-digit province code or a 5-digit commune code")]
    Malformed,
}

/// The unit an account is attached to, and so the scope of what it may see: the nation, one
/// current province, or one current commune.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum ScopeUnit {
    Nation,
    Province(String),
    Commune(String),
}

impl ScopeUnit {
    /// Parses `"VN"`, a 2-digit province code or a 5-digit commune code. It checks the shape only;
    /// whether the unit exists is the server's business.
    pub fn parse(code: &str) -> Result<Self, UnitCodeError> {
        let code = code.trim();
        if code.eq_ignore_ascii_case("VN") {
            return Ok(ScopeUnit::Nation);
        }
        if !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(UnitCodeError::Malformed);
        }
        match code.len() {
            2 => Ok(ScopeUnit::Province(code.to_string())),
            5 => Ok(ScopeUnit::Commune(code.to_string())),
            _ => Err(UnitCodeError::Malformed),
        }
    }

    pub fn code(&self) -> &str {
        match self {
            ScopeUnit::Nation => "VN",
            ScopeUnit::Province(c) | ScopeUnit::Commune(c) => c,
        }
    }
}

impl fmt::Display for ScopeUnit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl TryFrom<String> for ScopeUnit {
    type Error = UnitCodeError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        ScopeUnit::parse(&value)
    }
}

impl From<ScopeUnit> for String {
    fn from(value: ScopeUnit) -> Self {
        value.code().to_string()
    }
}

/// An administrative unit as the API returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUnit {
    /// Official code with leading zeros: 2 digits (province), 3 (legacy district), 5 (commune).
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub code: String,
    /// Official name in NFC, with its type word: "Phường Ba Đình".
    #[cfg_attr(feature = "openapi", schema(example = "Phường Ba Đình"))]
    pub name: String,
    /// Official type: tỉnh, thành phố trung ương, quận, huyện, thị xã, thành phố, xã, phường,
    /// thị trấn, đặc khu.
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "phường"))]
    pub unit_type: String,
    pub level: UnitLevel,
    pub era: Era,
    /// Code of the province the unit lies in (its own code for a province).
    #[cfg_attr(feature = "openapi", schema(example = "01"))]
    pub province_code: String,
    /// Legacy communes only: the district they belonged to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_code: Option<String>,
}

/// A unit with its parent, as `GET /admin-units/{code}` returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUnitDetail {
    #[serde(flatten)]
    pub unit: AdminUnit,
    /// The unit directly above: the province of a commune (the district of a legacy commune);
    /// `null` for a province.
    pub parent: Option<AdminUnit>,
    /// Legacy communes and districts: their province.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<AdminUnit>,
    /// Number of units directly below (communes of a province, districts or communes of a legacy
    /// province or district).
    pub children_count: u64,
}

/// One search result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdminUnitHit {
    #[serde(flatten)]
    pub unit: AdminUnit,
    /// Name of the province the unit lies in, to tell apart communes with the same name.
    #[cfg_attr(feature = "openapi", schema(example = "Thành phố Hà Nội"))]
    pub province_name: String,
    /// Legacy communes only: the name of their district.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district_name: Option<String>,
}

/// A current commune that (part of) a legacy commune went into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Successor {
    pub unit: AdminUnit,
    pub province_name: String,
    /// True when the legacy commune was split and only part of it went into this commune.
    pub partly_merged: bool,
}

/// Where a legacy commune went on 2025-07-01.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Successors {
    /// The legacy commune code asked for.
    pub legacy_code: String,
    /// The legacy commune, or `null` when the conversion table knows the code but the legacy list
    /// does not (a known gap of the official sources).
    pub legacy: Option<AdminUnit>,
    /// True when the commune was split: a record on it cannot be moved automatically; an officer
    /// picks one of the successors.
    pub partly_merged: bool,
    /// The current communes it went into (one, or several when split; none when unmapped).
    pub successors: Vec<Successor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_names_fold_without_their_type_word() {
        let cases = [
            ("Phường Ba Đình", "ba dinh"),
            ("Xã Ba Đình", "ba dinh"),
            ("Thành phố Hà Nội", "ha noi"),
            ("Tỉnh Thanh Hóa", "thanh hoa"),
            ("Thị trấn Phố Lu", "pho lu"),
            ("Đặc khu Côn Đảo", "con dao"),
            ("Huyện Ba Vì", "ba vi"),
            ("Phường 1", "1"),
            ("xa ba dinh", "ba dinh"),
            ("Ba Đình", "ba dinh"),
            ("Xã", "xa"),
        ];
        for (name, expected) in cases {
            assert_eq!(fold_unit_name(name), expected, "{name:?}");
        }
    }
}
