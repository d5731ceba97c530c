//! How far the signed-in officer's unit reaches, which decides the pickers pages offer.

use shared::auth::User;

/// The reach of an officer's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Central officers: every province.
    Nation,
    /// Province officers: the communes of their province.
    Province,
    /// Commune and branch officers, and viewers of a commune: their own commune.
    Commune,
}

impl Scope {
    /// The reach of `user`'s unit.
    pub fn of(user: &User) -> Self {
        match user.unit.level.as_str() {
            "commune" => Scope::Commune,
            "province" => Scope::Province,
            _ => Scope::Nation,
        }
    }
}
