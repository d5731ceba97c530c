//! The registry's request and response shapes: Association units, villages, people, memberships
//! and audit entries. Validation rules come from [`crate::person`].

use crate::person::{Gender, validate_name, validate_personal_id, validate_phone};
use crate::text::clean;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use validator::Validate;

/// Level of an Association unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum AssociationLevel {
    Central,
    Province,
    Commune,
    /// Chi hội: one per village or residential group.
    Branch,
    /// Ban khuyến học in an agency, school, enterprise or clan.
    Committee,
}

impl AssociationLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            AssociationLevel::Central => "central",
            AssociationLevel::Province => "province",
            AssociationLevel::Commune => "commune",
            AssociationLevel::Branch => "branch",
            AssociationLevel::Committee => "committee",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            AssociationLevel::Central,
            AssociationLevel::Province,
            AssociationLevel::Commune,
            AssociationLevel::Branch,
            AssociationLevel::Committee,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// Status of an Association unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    Active,
    Merged,
    Dissolved,
}

impl UnitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitStatus::Active => "active",
            UnitStatus::Merged => "merged",
            UnitStatus::Dissolved => "dissolved",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            UnitStatus::Active,
            UnitStatus::Merged,
            UnitStatus::Dissolved,
        ]
        .into_iter()
        .find(|l| l.as_str() == s)
    }
}

/// An Association unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssociationUnit {
    pub id: Uuid,
    #[cfg_attr(feature = "openapi", schema(example = "Chi hội Khuyến học thôn Đông"))]
    pub name: String,
    pub level: AssociationLevel,
    pub parent_id: Option<Uuid>,
    /// The administrative unit it sits in: `VN`, a province or a commune code.
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub admin_unit_code: String,
    pub province_code: Option<String>,
    pub commune_code: Option<String>,
    /// Branches: the village or residential group they serve.
    pub village_id: Option<Uuid>,
    /// Committees: `agency`, `school`, `enterprise`, `clan` or `other`.
    pub committee_kind: Option<String>,
    pub chairperson: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: UnitStatus,
    /// Active memberships in this unit.
    pub member_count: u64,
    /// Units directly below.
    pub children_count: u64,
    pub version: i32,
    pub updated_at: DateTime<Utc>,
}

/// `POST /association-units`: a branch or committee under a commune's Association.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAssociationUnitRequest {
    #[validate(custom(function = "validate_unit_name"))]
    pub name: String,
    /// `branch` or `committee` (the central, province and commune units exist from the start).
    pub level: AssociationLevel,
    /// The unit above; a commune's Association for branches and committees.
    pub parent_id: Uuid,
    pub village_id: Option<Uuid>,
    pub committee_kind: Option<String>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    pub chairperson: Option<String>,
    /// An empty string clears it.
    #[validate(custom(function = "validate_optional_phone"))]
    pub phone: Option<String>,
    /// An empty string clears it.
    #[validate(custom(function = "validate_optional_email"))]
    pub email: Option<String>,
}

/// `PATCH /association-units/{id}`: absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateAssociationUnitRequest {
    #[validate(custom(function = "validate_unit_name"))]
    pub name: Option<String>,
    pub village_id: Option<Uuid>,
    pub committee_kind: Option<String>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    pub chairperson: Option<String>,
    /// An empty string clears it.
    #[validate(custom(function = "validate_optional_phone"))]
    pub phone: Option<String>,
    /// An empty string clears it.
    #[validate(custom(function = "validate_optional_email"))]
    pub email: Option<String>,
    pub status: Option<UnitStatus>,
}

fn length_error(code: &'static str, message: &'static str) -> validator::ValidationError {
    validator::ValidationError::new(code).with_message(message.into())
}

/// A unit name: 2 to 300 characters once trimmed.
pub fn validate_unit_name(value: &str) -> Result<(), validator::ValidationError> {
    let n = clean(value).chars().count();
    if (2..=300).contains(&n) {
        Ok(())
    } else {
        Err(length_error(
            "invalid_length",
            "must be 2 to 300 characters",
        ))
    }
}

/// A village name: 1 to 200 characters once trimmed.
pub fn validate_village_name(value: &str) -> Result<(), validator::ValidationError> {
    let n = clean(value).chars().count();
    if (1..=200).contains(&n) {
        Ok(())
    } else {
        Err(length_error(
            "invalid_length",
            "must be 1 to 200 characters",
        ))
    }
}

/// A personal ID number, or an empty string (no number).
pub fn validate_optional_personal_id(value: &str) -> Result<(), validator::ValidationError> {
    if value.trim().is_empty() {
        Ok(())
    } else {
        validate_personal_id(value)
    }
}

/// A phone number, or an empty string (no number).
pub fn validate_optional_phone(value: &str) -> Result<(), validator::ValidationError> {
    if value.trim().is_empty() {
        Ok(())
    } else {
        validate_phone(value)
    }
}

/// An email address, or an empty string (no address).
pub fn validate_optional_email(value: &str) -> Result<(), validator::ValidationError> {
    let value = value.trim();
    if value.is_empty() || is_email(value) {
        Ok(())
    } else {
        Err(length_error("email", "must be an email address"))
    }
}

/// Whether `value` is an email address (the rules of HTML's `input type=email`, with domain
/// names in any script): a local part of letters, digits and ``.!#$%&'*+/=?^_`{|}~-``, then
/// `@`, then a domain of labels (letters, digits, inner hyphens, at most 63 characters each)
/// or an address in brackets. Written out rather than with a regular expression, so that the
/// web application does not carry a regular-expression engine and Unicode tables for it.
pub fn is_email(value: &str) -> bool {
    const LOCAL_SYMBOLS: &str = ".!#$%&'*+/=?^_`{|}~-";
    let Some((local, domain)) = value.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || LOCAL_SYMBOLS.contains(c));
    if !local_ok || domain.is_empty() || domain.len() > 255 {
        return false;
    }
    if let Some(literal) = domain
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
    {
        let address = literal.strip_prefix("IPv6:").unwrap_or(literal);
        return address.parse::<std::net::IpAddr>().is_ok();
    }
    domain.split('.').all(|label| {
        let length = label.chars().count();
        (1..=63).contains(&length)
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    })
}

/// Kinds of villages and residential groups.
pub const VILLAGE_KINDS: [&str; 9] = [
    "thon",
    "ban",
    "ap",
    "to_dan_pho",
    "khu_pho",
    "khom",
    "lang",
    "xom",
    "other",
];

fn validate_village_kind(value: &str) -> Result<(), validator::ValidationError> {
    if VILLAGE_KINDS.contains(&value) {
        Ok(())
    } else {
        Err(
            validator::ValidationError::new("invalid_kind").with_message(
                "must be one of thon, ban, ap, to_dan_pho, khu_pho, khom, lang, xom, other".into(),
            ),
        )
    }
}

/// A village or residential group under a commune.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Village {
    pub id: Uuid,
    pub commune_code: String,
    pub province_code: String,
    #[cfg_attr(feature = "openapi", schema(example = "Thôn Đông"))]
    pub name: String,
    /// thon, ban, ap, to_dan_pho, khu_pho, khom, lang, xom or other.
    pub kind: String,
    /// `active` or `inactive`.
    pub status: String,
    pub version: i32,
}

/// `POST /villages`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateVillageRequest {
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub commune_code: String,
    #[validate(custom(function = "validate_village_name"))]
    pub name: String,
    #[validate(custom(function = "validate_village_kind"))]
    pub kind: String,
}

/// `PATCH /villages/{id}`: rename, change kind, move to another commune of the same province,
/// or deactivate (`"active": false`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateVillageRequest {
    #[validate(custom(function = "validate_village_name"))]
    pub name: Option<String>,
    #[validate(custom(function = "validate_village_kind"))]
    pub kind: Option<String>,
    pub commune_code: Option<String>,
    pub active: Option<bool>,
}

/// Consent to keep ethnicity and religion (sensitive personal data).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SensitiveConsent {
    /// Who consented (the person, or their guardian).
    #[validate(length(min = 2, max = 200, message = "must be 2 to 200 characters"))]
    pub consented_by: String,
    pub consented_at: DateTime<Utc>,
    /// The text (or its reference and version) that was consented to.
    #[validate(length(min = 2, max = 1000, message = "must be 2 to 1000 characters"))]
    pub text: String,
}

/// `POST /people` and `PUT /people/{id}`: a whole person record.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonInput {
    #[validate(custom(function = "validate_name"))]
    #[cfg_attr(feature = "openapi", schema(example = "Nguyễn Văn An"))]
    pub full_name: String,
    pub gender: Gender,
    /// Full date of birth, when known.
    pub birth_date: Option<NaiveDate>,
    /// Year of birth, when only the year is known (or together with `birth_date`).
    pub birth_year: Option<i32>,
    /// The 12-digit personal ID number (số định danh cá nhân). On `PUT`, leaving it out (or
    /// `null`) keeps the stored number, since responses only show it masked; `""` removes it.
    #[validate(custom(function = "validate_optional_personal_id"))]
    #[cfg_attr(feature = "openapi", schema(example = "001085012345"))]
    pub personal_id: Option<String>,
    /// Any Vietnamese notation (`0912 345 678`, `+84 912 345 678`); stored as E.164. `""` is none.
    #[validate(custom(function = "validate_optional_phone"))]
    #[cfg_attr(feature = "openapi", schema(example = "0912345678"))]
    pub phone: Option<String>,
    /// The current commune of residence. Required unless `legacy_address` is given; when both
    /// are given, `commune_code` is used.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub commune_code: String,
    /// The address before 2025-07-01, for a caller that only knows the old units: converted to
    /// the current commune through the official conversion table. An old commune that was split,
    /// or that the table lacks, is not guessed: the record waits in the legacy-address queue
    /// (`202 Accepted` with the queue item) until an officer of the province picks the commune.
    #[serde(default)]
    #[validate(nested)]
    pub legacy_address: Option<LegacyAddress>,
    pub village_id: Option<Uuid>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    pub occupation: Option<String>,
    /// A target-group code (`GET /target-groups`).
    pub target_group: Option<String>,
    #[validate(length(max = 300, message = "must be at most 300 characters"))]
    pub workplace: Option<String>,
    /// Sensitive: kept only with `consent`.
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    pub ethnicity: Option<String>,
    /// Sensitive: kept only with `consent`.
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    pub religion: Option<String>,
    #[validate(nested)]
    pub consent: Option<SensitiveConsent>,
    /// The caller's own identifier of the record (imports and provincial systems).
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    pub external_id: Option<String>,
}

/// An address before 2025-07-01: province, district and commune, each by code or by name (with
/// or without the type word, "Xã", "Huyện"…, and with or without diacritics).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LegacyAddress {
    /// The old province (63 before 2025-07-01): `"01"`, `"Hà Tây"`, `"Tỉnh Hà Tây"`.
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Hà Giang"))]
    pub province: Option<String>,
    /// The old district: `"026"`, `"Huyện Vị Xuyên"`, `"vi xuyen"`.
    #[validate(length(max = 100, message = "must be at most 100 characters"))]
    #[cfg_attr(feature = "openapi", schema(example = "Vị Xuyên"))]
    pub district: Option<String>,
    /// The old commune: a 5-digit code alone, or a name with its district or province.
    #[validate(length(min = 1, max = 100, message = "is required (at most 100 characters)"))]
    #[cfg_attr(feature = "openapi", schema(example = "Xã Thuận Hoà"))]
    pub commune: String,
}

impl LegacyAddress {
    /// The address as written, for people to read.
    pub fn written(&self) -> String {
        [
            self.province.as_deref(),
            self.district.as_deref(),
            Some(self.commune.as_str()),
        ]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
    }
}

/// `POST /admin-units/legacy/convert`: old addresses to look up (at most 1,000).
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConvertRequest {
    #[validate(length(min = 1, max = 1000, message = "must hold 1 to 1000 addresses"))]
    #[validate(nested)]
    pub items: Vec<LegacyAddress>,
}

/// What the conversion table says of an old address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ConversionStatus {
    /// One current commune: `commune_code`.
    Converted,
    /// The old commune was split over `candidates`: an officer must choose.
    Split,
    /// The table has no row for the old commune: an officer must choose (`candidates` are the
    /// current communes of its old district).
    Unmapped,
    /// The address names no old unit, or more than one: see `errors`.
    Invalid,
}

/// The answer for one address of a [`ConvertRequest`], in the order sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Conversion {
    pub index: usize,
    pub status: ConversionStatus,
    /// The old commune found.
    pub legacy_commune_code: Option<String>,
    /// The current commune (`converted`).
    pub commune_code: Option<String>,
    pub commune_name: Option<String>,
    /// The current province: of the commune, or the one whose officers choose.
    pub province_code: Option<String>,
    pub candidates: Vec<crate::import::CandidateCommune>,
    /// Why the address is `invalid`: fields `items[i].province|district|commune`, messages
    /// in Vietnamese.
    pub errors: Vec<crate::error::FieldError>,
}

/// A person as lists and pages show them: the ID number masked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Person {
    pub id: Uuid,
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: Option<NaiveDate>,
    pub birth_year: i32,
    /// Masked: `001******345`.
    pub personal_id_masked: Option<String>,
    /// E.164: `+84912345678`.
    pub phone: Option<String>,
    pub commune_code: String,
    pub commune_name: String,
    pub province_code: String,
    pub village_id: Option<Uuid>,
    pub village_name: Option<String>,
    pub occupation: Option<String>,
    pub target_group: Option<String>,
    pub workplace: Option<String>,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub consent: Option<SensitiveConsent>,
    pub external_id: Option<String>,
    /// Whether the person has an active membership.
    pub is_member: bool,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `GET /people/{id}/personal-id`: the full number, written to the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonalIdReveal {
    pub person_id: Uuid,
    pub personal_id: Option<String>,
}

/// Roles of a member in their unit.
pub const MEMBER_ROLES: [&str; 5] = [
    "chu_tich",
    "pho_chu_tich",
    "uy_vien",
    "chi_hoi_truong",
    "hoi_vien",
];

/// Statuses of a membership.
pub const MEMBERSHIP_STATUSES: [&str; 4] = ["active", "transferred", "left", "deceased"];

/// A membership of a person in an Association unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Membership {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub association_unit_id: Uuid,
    pub association_unit_name: String,
    /// chu_tich, pho_chu_tich, uy_vien, chi_hoi_truong or hoi_vien.
    pub role: String,
    pub joined_on: Option<NaiveDate>,
    pub card_number: Option<String>,
    /// active, transferred, left or deceased.
    pub status: String,
    pub ended_on: Option<NaiveDate>,
    /// For a transferred membership: the membership it continues as.
    pub transferred_to_id: Option<Uuid>,
    pub note: Option<String>,
    pub version: i32,
}

/// An entry of the audit log.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<Uuid>,
    pub actor_username: Option<String>,
    pub action: String,
    pub resource_type: String,
    pub resource_id: Option<String>,
    pub unit_code: String,
    pub detail: Option<serde_json::Value>,
    pub request_id: Option<String>,
}

fn validate_member_role(value: &str) -> Result<(), validator::ValidationError> {
    if MEMBER_ROLES.contains(&value) {
        Ok(())
    } else {
        Err(
            validator::ValidationError::new("invalid_role").with_message(
                "must be one of chu_tich, pho_chu_tich, uy_vien, chi_hoi_truong, hoi_vien".into(),
            ),
        )
    }
}

/// `POST /memberships`: a person joins an Association unit.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateMembershipRequest {
    pub person_id: Uuid,
    pub association_unit_id: Uuid,
    /// chu_tich, pho_chu_tich, uy_vien, chi_hoi_truong or hoi_vien.
    #[validate(custom(function = "validate_member_role"))]
    #[cfg_attr(feature = "openapi", schema(example = "hoi_vien"))]
    pub role: String,
    pub joined_on: Option<NaiveDate>,
    #[validate(length(max = 50, message = "must be at most 50 characters"))]
    pub card_number: Option<String>,
    #[validate(length(max = 1000, message = "must be at most 1000 characters"))]
    pub note: Option<String>,
}

/// `PATCH /memberships/{id}`: role, card, note; or end it (`status` `left` or `deceased`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateMembershipRequest {
    #[validate(custom(function = "validate_member_role"))]
    pub role: Option<String>,
    #[validate(length(max = 50, message = "must be at most 50 characters"))]
    pub card_number: Option<String>,
    #[validate(length(max = 1000, message = "must be at most 1000 characters"))]
    pub note: Option<String>,
    /// `left` or `deceased` end the membership; a transfer has its own endpoint.
    pub status: Option<String>,
    /// The day it ended (defaults to today when `status` ends it).
    pub ended_on: Option<NaiveDate>,
}

/// `POST /memberships/{id}/transfer`: the member moves to another unit; the old membership is kept
/// as `transferred` and points at the new one.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TransferMembershipRequest {
    pub to_association_unit_id: Uuid,
    /// The day of the transfer (defaults to today).
    pub on: Option<NaiveDate>,
    /// The role in the new unit (defaults to the current role).
    #[validate(custom(function = "validate_member_role"))]
    pub role: Option<String>,
    #[validate(length(max = 50, message = "must be at most 50 characters"))]
    pub card_number: Option<String>,
}

/// A target group (nhóm đối tượng): data, not code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TargetGroup {
    #[cfg_attr(feature = "openapi", schema(example = "farmer"))]
    pub code: String,
    pub name_vi: String,
    pub name_en: String,
    pub active: bool,
}

/// `GET /people/{id}/export`: everything held on a person, for their right of access.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PersonExport {
    pub person: Person,
    /// The full personal ID number.
    pub personal_id: Option<String>,
    pub memberships: Vec<Membership>,
    /// Every audit entry about the record.
    pub audit: Vec<AuditEntry>,
    pub exported_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_as_people_write_them() {
        for good in [
            "lan.nguyen@khuyenhoc.vn",
            "nguyen.van.a+cdht@gmail.com",
            "a@b",
            "o'brien@example.org",
            "hoi@khuyến-học.việt.vn",
            "admin@[192.168.1.10]",
            "admin@[IPv6:2001:db8::1]",
        ] {
            assert!(is_email(good), "{good} is an email address");
            assert!(validate_optional_email(good).is_ok());
        }
        for bad in [
            "lan.nguyen",
            "@khuyenhoc.vn",
            "lan@",
            "lan nguyen@khuyenhoc.vn",
            "lan@khuyen hoc.vn",
            "lan@-khuyenhoc.vn",
            "lan@khuyenhoc-.vn",
            "lan@khuyenhoc..vn",
            "lan@.vn",
            "nguyễn@khuyenhoc.vn",
            "lan@[not-an-address]",
        ] {
            assert!(!is_email(bad), "{bad} is not an email address");
            assert!(validate_optional_email(bad).is_err());
        }
        assert!(validate_optional_email("  ").is_ok(), "no address");
        let long_label = format!("lan@{}.vn", "a".repeat(64));
        assert!(!is_email(&long_label));
    }
}
