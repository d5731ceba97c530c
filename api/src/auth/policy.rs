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
}
