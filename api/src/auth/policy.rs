//! Scope and role rules as pure functions: who may see or change what, given the unit each side
//! is attached to. No database here; callers resolve units into [`UnitPath`]s first.

use crate::auth::Actor;
use crate::error::ApiError;
use shared::auth::Role;

/// Where a unit sits: the nation (both `None`), a province, or a commune of a province.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitPath {
    pub province: Option<String>,
    pub commune: Option<String>,
}

impl UnitPath {
    pub fn nation() -> Self {
        UnitPath {
            province: None,
            commune: None,
        }
    }

    pub fn province(code: &str) -> Self {
        UnitPath {
            province: Some(code.to_string()),
            commune: None,
        }
    }

    pub fn commune(province: &str, commune: &str) -> Self {
        UnitPath {
            province: Some(province.to_string()),
            commune: Some(commune.to_string()),
        }
    }

    /// The code of the unit itself: `VN`, the province's or the commune's.
    pub fn code(&self) -> &str {
        self.commune
            .as_deref()
            .or(self.province.as_deref())
            .unwrap_or("VN")
    }

    /// `nation`, `province` or `commune`.
    pub fn level(&self) -> &'static str {
        match (&self.province, &self.commune) {
            (_, Some(_)) => "commune",
            (Some(_), None) => "province",
            (None, None) => "nation",
        }
    }

    /// Whether `target` lies inside this unit (a unit contains itself).
    pub fn contains(&self, target: &UnitPath) -> bool {
        match (&self.province, &self.commune) {
            (None, _) => true,
            (Some(p), None) => target.province.as_deref() == Some(p.as_str()),
            (Some(_), Some(c)) => target.commune.as_deref() == Some(c.as_str()),
        }
    }
}

/// Refuses with 403 unless `target` lies in the actor's unit.
pub fn ensure_within(actor: &Actor, target: &UnitPath) -> Result<(), ApiError> {
    if actor.unit.contains(target) {
        Ok(())
    } else {
        Err(ApiError::forbidden())
    }
}

/// Refuses with 403 unless the actor may create or change an account of `role` attached to
/// `unit`: the actor manages accounts, the role is lower than the actor's, and the unit lies in
/// the actor's unit.
pub fn ensure_can_manage_account(
    actor: &Actor,
    role: Role,
    unit: &UnitPath,
) -> Result<(), ApiError> {
    if !actor.role.manages_accounts() {
        return Err(ApiError::Forbidden(
            "your role does not manage accounts".into(),
        ));
    }
    if role >= actor.role {
        return Err(ApiError::Forbidden(
            "you can only manage accounts of a lower role than yours".into(),
        ));
    }
    ensure_within(actor, unit)
}

/// Refuses with 403 unless the actor may list and read accounts at all.
pub fn ensure_manages_accounts(actor: &Actor) -> Result<(), ApiError> {
    if actor.role.manages_accounts() {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not manage accounts".into(),
        ))
    }
}

/// Operations an API client can be granted.
pub const CLIENT_OPERATIONS: [&str; 7] = [
    "people:read",
    "people:write",
    "memberships:read",
    "memberships:write",
    "registrations:read",
    "registrations:write",
    "changes:read",
];

/// What an API client needs to call `method path`: `Some("")` for reference data any client
/// reads, `Some(operation)` for the records of the integration API, `None` for everything else
/// (accounts, clients, audit, decisions, personal ID reveal…), which clients never call.
pub fn client_operation(method: &str, path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/api/v1/")?;
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let read = matches!(method, "GET" | "HEAD");
    let pick = |resource: &str, read: bool| -> Option<&'static str> {
        let op = match (resource, read) {
            ("people", true) => "people:read",
            ("people", false) => "people:write",
            ("memberships", true) => "memberships:read",
            ("memberships", false) => "memberships:write",
            ("registrations", true) => "registrations:read",
            ("registrations", false) => "registrations:write",
            ("changes", true) => "changes:read",
            _ => return None,
        };
        Some(op)
    };
    match segments.as_slice() {
        ["admin-units", ..]
        | ["target-groups", ..]
        | ["periods", ..]
        | ["criteria-sets", ..]
        | ["villages", ..]
        | ["association-units", ..]
            if read =>
        {
            Some("")
        }
        ["sync", "people"] => pick("people", false),
        ["sync", "memberships"] => pick("memberships", false),
        ["sync", "registrations"] | ["sync", "results"] => pick("registrations", false),
        ["changes"] => pick("changes", read),
        ["people", "lookup"] if method == "POST" => pick("people", true),
        ["people", _, "personal-id" | "export"] => None,
        ["people", ..] => pick("people", read),
        ["memberships", ..] => pick("memberships", read),
        ["registrations", _, "certificate.pdf"] => None,
        ["registrations", ..] => pick("registrations", read),
        _ => None,
    }
}

/// Refuses with 403 unless an API client actor was granted what `method path` needs; accounts
/// pass.
pub fn ensure_client_may(actor: &Actor, method: &str, path: &str) -> Result<(), ApiError> {
    let Some(client) = &actor.client else {
        return Ok(());
    };
    match client_operation(method, path) {
        Some("") => Ok(()),
        Some(op) if client.operations.iter().any(|o| o == op) => Ok(()),
        Some(op) => Err(ApiError::Forbidden(format!(
            "this client is not granted {op}"
        ))),
        None => Err(ApiError::Forbidden(
            "API clients cannot call this endpoint".into(),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid::Uuid;

    fn actor(role: Role, unit: UnitPath) -> Actor {
        Actor {
            user_id: Uuid::nil(),
            username: "t".into(),
            role,
            unit,
            association_unit_id: None,
            client: None,
            request_id: None,
        }
    }

    #[test]
    fn units_contain_what_lies_inside_them() {
        let nation = UnitPath::nation();
        let hanoi = UnitPath::province("01");
        let ba_dinh = UnitPath::commune("01", "00004");
        let hcm = UnitPath::province("79");
        let ben_thanh = UnitPath::commune("79", "26734");
        assert!(nation.contains(&hanoi) && nation.contains(&ba_dinh) && nation.contains(&nation));
        assert!(hanoi.contains(&hanoi) && hanoi.contains(&ba_dinh));
        assert!(!hanoi.contains(&nation) && !hanoi.contains(&hcm) && !hanoi.contains(&ben_thanh));
        assert!(ba_dinh.contains(&ba_dinh));
        assert!(!ba_dinh.contains(&hanoi) && !ba_dinh.contains(&UnitPath::commune("01", "00008")));
    }

    #[test]
    fn accounts_are_managed_only_downwards_and_inside() {
        let central = actor(Role::CentralAdmin, UnitPath::nation());
        let province = actor(Role::ProvinceOfficer, UnitPath::province("01"));
        let commune = actor(Role::CommuneOfficer, UnitPath::commune("01", "00004"));
        let branch = actor(Role::BranchOfficer, UnitPath::commune("01", "00004"));
        let ba_dinh = UnitPath::commune("01", "00004");
        let other_province = UnitPath::commune("79", "26734");

        let cases = [
            (
                &central,
                Role::ProvinceOfficer,
                UnitPath::province("79"),
                true,
            ),
            (&central, Role::CentralAdmin, UnitPath::nation(), false),
            (&province, Role::CommuneOfficer, ba_dinh.clone(), true),
            (
                &province,
                Role::ProvinceOfficer,
                UnitPath::province("01"),
                false,
            ),
            (
                &province,
                Role::CommuneOfficer,
                other_province.clone(),
                false,
            ),
            (&commune, Role::BranchOfficer, ba_dinh.clone(), true),
            (&commune, Role::Viewer, ba_dinh.clone(), true),
            (&commune, Role::CommuneOfficer, ba_dinh.clone(), false),
            (&commune, Role::Viewer, other_province.clone(), false),
            (
                &commune,
                Role::Viewer,
                UnitPath::commune("01", "00008"),
                false,
            ),
            (&branch, Role::Viewer, ba_dinh.clone(), false),
        ];
        for (who, role, unit, allowed) in cases {
            assert_eq!(
                ensure_can_manage_account(who, role, &unit).is_ok(),
                allowed,
                "{:?} managing {role:?} at {unit:?}",
                who.role
            );
        }
    }

    #[test]
    fn client_operations_follow_the_path_and_method() {
        let cases = [
            ("GET", "/api/v1/people", Some("people:read")),
            ("GET", "/api/v1/people/5", Some("people:read")),
            ("PATCH", "/api/v1/people/5", Some("people:write")),
            ("POST", "/api/v1/people/lookup", Some("people:read")),
            ("GET", "/api/v1/people/5/personal-id", None),
            ("PUT", "/api/v1/sync/people", Some("people:write")),
            ("PUT", "/api/v1/sync/results", Some("registrations:write")),
            (
                "POST",
                "/api/v1/registrations/5/submit",
                Some("registrations:write"),
            ),
            ("GET", "/api/v1/changes", Some("changes:read")),
            ("GET", "/api/v1/admin-units/provinces", Some("")),
            ("POST", "/api/v1/periods", None),
            ("GET", "/api/v1/association-units", Some("")),
            ("PATCH", "/api/v1/villages/5", None),
            ("GET", "/api/v1/users", None),
            ("POST", "/api/v1/clients", None),
            ("GET", "/api/v1/audit", None),
            ("GET", "/health/live", None),
        ];
        for (method, path, expected) in cases {
            assert_eq!(client_operation(method, path), expected, "{method} {path}");
        }
    }
}
