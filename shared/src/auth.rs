//! Accounts, roles and the request/response shapes of `/auth` and `/users`.
//!
//! The validation rules are here so that the SPA checks a form with exactly the rules, and the
//! messages, the server applies.

use crate::admin_unit::ScopeUnit;
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;
use validator::{Validate, ValidationError};

/// An account's role. Ordered: a higher role outranks every lower one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads what lies in their unit; changes nothing.
    Viewer,
    /// Officer of a village branch or a committee, attached to a commune.
    BranchOfficer,
    /// Officer of a commune's Association, attached to that commune.
    CommuneOfficer,
    /// Officer of a province's Association, attached to that province.
    ProvinceOfficer,
    /// Central Association administrator, attached to the nation.
    CentralAdmin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::CentralAdmin,
        Role::ProvinceOfficer,
        Role::CommuneOfficer,
        Role::BranchOfficer,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CentralAdmin => "central_admin",
            Role::ProvinceOfficer => "province_officer",
            Role::CommuneOfficer => "commune_officer",
            Role::BranchOfficer => "branch_officer",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// Whether an account of this role may be attached to `unit`.
    pub fn fits_unit(self, unit: &ScopeUnit) -> bool {
        matches!(
            (self, unit),
            (Role::CentralAdmin, ScopeUnit::Nation)
                | (Role::ProvinceOfficer, ScopeUnit::Province(_))
                | (Role::CommuneOfficer, ScopeUnit::Commune(_))
                | (Role::BranchOfficer, ScopeUnit::Commune(_))
                | (Role::Viewer, _)
        )
    }

    /// Whether this role may create and change accounts at all (of lower roles, in its scope).
    pub fn manages_accounts(self) -> bool {
        self >= Role::CommuneOfficer
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Shortest password accepted.
pub const PASSWORD_MIN: u64 = 10;
/// Longest password accepted (Argon2 takes any length; this bounds the work).
pub const PASSWORD_MAX: u64 = 128;

/// `POST /auth/login`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 64, message = "is required"))]
    #[cfg_attr(feature = "openapi", schema(example = "admin"))]
    pub username: String,
    #[validate(length(min = 1, max = 128, message = "is required"))]
    #[cfg_attr(feature = "openapi", schema(example = "correct horse battery staple"))]
    pub password: String,
    /// Where the refresh token goes: `body` (the default, for integrations and scripts) or
    /// `cookie`, for the web application, an `HttpOnly` cookie that scripts cannot read.
    #[serde(default, skip_serializing_if = "SessionKeeping::is_body")]
    pub keep: SessionKeeping,
}

/// Where a login's refresh token is kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SessionKeeping {
    /// In the answer's body: the client keeps it and sends it to `POST /auth/refresh`.
    #[default]
    Body,
    /// In the `cdht_refresh` cookie (`HttpOnly; Secure; SameSite=Strict`, sent only to
    /// `POST /auth/refresh`); the answer's body carries no refresh token.
    Cookie,
}

impl SessionKeeping {
    /// Whether this is the default, [`SessionKeeping::Body`].
    pub fn is_body(&self) -> bool {
        *self == SessionKeeping::Body
    }
}

/// A token pair, answer of login and refresh.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    /// JWT (HS256) to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Opaque token for `POST /auth/refresh`; works once. Absent when the session is kept in
    /// the `cdht_refresh` cookie (see `LoginRequest.keep`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    /// Always `Bearer`.
    pub token_type: String,
    /// Lifetime of the access token in seconds.
    pub expires_in: u64,
}

/// `POST /auth/refresh` and `POST /auth/logout`.
///
/// The refresh token may be left out when the session is kept in the `cdht_refresh` cookie
/// (refresh), or when the request carries the session's access token (logout).
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefreshRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 512, message = "is required"))]
    pub refresh_token: Option<String>,
}

/// `POST /auth/password`: the caller changes their own password.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePasswordRequest {
    #[validate(length(min = 1, max = 128, message = "is required"))]
    pub current_password: String,
    #[validate(custom(function = "validate_password"))]
    pub new_password: String,
}

/// `POST /users/{id}/password`: an administrator sets a new password for an account.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPasswordRequest {
    #[validate(custom(function = "validate_password"))]
    pub new_password: String,
}

/// `POST /users`.
#[derive(Debug, Clone, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateUserRequest {
    #[validate(custom(function = "validate_username"))]
    #[cfg_attr(feature = "openapi", schema(example = "hn.badinh"))]
    pub username: String,
    #[validate(custom(function = "validate_password"))]
    pub password: String,
    /// One of `central_admin`, `province_officer`, `commune_officer`, `branch_officer`, `viewer`.
    #[validate(custom(function = "validate_role"))]
    #[cfg_attr(feature = "openapi", schema(example = "commune_officer"))]
    pub role: String,
    /// `VN`, a 2-digit province code or a 5-digit commune code.
    #[validate(custom(function = "validate_unit"))]
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub unit: String,
    /// Optional display name of the person using the account.
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[serde(default)]
    pub full_name: Option<String>,
    /// Branch officers: the branch or committee they work for (in their commune); their work
    /// is then limited to it.
    #[serde(default)]
    pub association_unit_id: Option<Uuid>,
}

/// `PATCH /users/{id}`: every field is optional; absent fields stay as they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, Validate)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateUserRequest {
    #[validate(custom(function = "validate_role"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[validate(custom(function = "validate_unit"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `false` disables the account: it can no longer log in and its tokens stop working.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    #[validate(length(max = 200, message = "must be at most 200 characters"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub full_name: Option<String>,
    /// Branch officers: the branch or committee they work for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub association_unit_id: Option<Uuid>,
}

/// The unit an account is attached to, with its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnitRef {
    #[cfg_attr(feature = "openapi", schema(example = "00004"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(example = "Phường Ba Đình"))]
    pub name: String,
    /// `nation`, `province` or `commune`.
    #[cfg_attr(feature = "openapi", schema(example = "commune"))]
    pub level: String,
}

/// An account as the API returns it (never with its password hash).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct User {
    pub id: Uuid,
    pub username: String,
    pub full_name: Option<String>,
    pub role: Role,
    pub unit: UnitRef,
    pub active: bool,
    /// Branch officers: the branch or committee they work for.
    pub association_unit_id: Option<Uuid>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
    /// Grows with every change; `ETag` of `GET /users/{id}` and the `If-Match` of a change.
    #[serde(default)]
    pub version: i32,
}

fn error(code: &'static str, message: &'static str) -> ValidationError {
    ValidationError::new(code).with_message(message.into())
}

/// 3 to 64 characters: lowercase letters, digits, `.`, `_`, `-`; starting with a letter or digit.
pub fn validate_username(value: &str) -> Result<(), ValidationError> {
    let ok_len = (3..=64).contains(&value.chars().count());
    let ok_chars = value
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    let ok_start = value
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok_len && ok_chars && ok_start {
        Ok(())
    } else {
        Err(error(
            "invalid_username",
            "must be 3 to 64 characters: lowercase letters, digits, '.', '_' or '-'",
        ))
    }
}

/// At least [`PASSWORD_MIN`] characters, at most [`PASSWORD_MAX`], not all the same character.
pub fn validate_password(value: &str) -> Result<(), ValidationError> {
    let len = value.chars().count() as u64;
    if len < PASSWORD_MIN {
        return Err(error("too_short", "must be at least 10 characters"));
    }
    if len > PASSWORD_MAX {
        return Err(error("too_long", "must be at most 128 characters"));
    }
    let mut chars = value.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(error("too_weak", "must not repeat a single character"));
    }
    Ok(())
}

/// One of the role names.
pub fn validate_role(value: &str) -> Result<(), ValidationError> {
    match Role::parse(value) {
        Some(_) => Ok(()),
        None => Err(error(
            "invalid_role",
            "must be one of central_admin, province_officer, commune_officer, branch_officer, viewer",
        )),
    }
}

/// `VN`, a 2-digit province code or a 5-digit commune code.
pub fn validate_unit(value: &str) -> Result<(), ValidationError> {
    ScopeUnit::parse(value).map(|_| ()).map_err(|_| {
        error(
            "invalid_unit",
            "must be \"VN\", a 2-digit province code or a 5-digit commune code",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered_from_viewer_to_central_admin() {
        assert!(Role::CentralAdmin > Role::ProvinceOfficer);
        assert!(Role::ProvinceOfficer > Role::CommuneOfficer);
        assert!(Role::CommuneOfficer > Role::BranchOfficer);
        assert!(Role::BranchOfficer > Role::Viewer);
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
    }

    #[test]
    fn roles_fit_only_their_kind_of_unit() {
        let nation = ScopeUnit::Nation;
        let province = ScopeUnit::parse("01").expect("valid");
        let commune = ScopeUnit::parse("00004").expect("valid");
        assert!(Role::CentralAdmin.fits_unit(&nation));
        assert!(!Role::CentralAdmin.fits_unit(&province));
        assert!(Role::ProvinceOfficer.fits_unit(&province));
        assert!(!Role::ProvinceOfficer.fits_unit(&commune));
        assert!(Role::CommuneOfficer.fits_unit(&commune));
        assert!(Role::BranchOfficer.fits_unit(&commune));
        assert!(!Role::BranchOfficer.fits_unit(&nation));
        for unit in [nation, province, commune] {
            assert!(Role::Viewer.fits_unit(&unit));
        }
    }

    #[test]
    fn create_user_requests_name_every_bad_field() {
        let request = CreateUserRequest {
            username: "A".into(),
            password: "short".into(),
            role: "king".into(),
            unit: "123".into(),
            full_name: None,
            association_unit_id: None,
        };
        let errors = request.validate().expect_err("invalid");
        let fields: Vec<_> = crate::error::field_errors(&errors)
            .into_iter()
            .map(|e| (e.field, e.code))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("password".to_string(), "too_short".to_string()),
                ("role".to_string(), "invalid_role".to_string()),
                ("unit".to_string(), "invalid_unit".to_string()),
                ("username".to_string(), "invalid_username".to_string()),
            ]
        );
    }

    #[test]
    fn passwords_follow_the_policy() {
        let cases = [
            ("", false),
            ("123456789", false),
            ("aaaaaaaaaaaa", false),
            ("1234567890", true),
            ("mật khẩu dài hơn", true),
        ];
        for (password, ok) in cases {
            assert_eq!(validate_password(password).is_ok(), ok, "{password:?}");
        }
    }

    #[test]
    fn unit_codes_have_three_shapes() {
        assert_eq!(ScopeUnit::parse("VN"), Ok(ScopeUnit::Nation));
        assert_eq!(ScopeUnit::parse("vn"), Ok(ScopeUnit::Nation));
        assert_eq!(ScopeUnit::parse("01"), Ok(ScopeUnit::Province("01".into())));
        assert_eq!(
            ScopeUnit::parse("00004"),
            Ok(ScopeUnit::Commune("00004".into()))
        );
        for bad in ["", "1", "001", "0004", "0000a", "VNM", "000040"] {
            assert!(ScopeUnit::parse(bad).is_err(), "{bad:?}");
        }
    }
}
