//! `/memberships`: who is a member of which Association unit, with the history of each
//! membership (transfers, departures) kept.

use super::ApiError;
use super::client::{self, Call, pairs};
use crate::session::Session;
use shared::page::Page;
use shared::registry::{
    CreateMembershipRequest, Membership, TransferMembershipRequest, UpdateMembershipRequest,
};
use uuid::Uuid;

/// Filters of `GET /association-units/{id}/members`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MembersQuery {
    /// Also the members of every unit below.
    pub include_descendants: bool,
    /// `active` (the server's default when `None`), `transferred`, `left` or `deceased`.
    pub status: Option<String>,
    pub page: u64,
    pub per_page: u64,
}

/// `GET /people/{id}/memberships`: every membership of a person, newest first.
pub async fn of_person(session: Session, person_id: Uuid) -> Result<Vec<Membership>, ApiError> {
    let path = format!("/people/{person_id}/memberships");
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /association-units/{id}/members?…`: one page of a unit's memberships.
pub async fn of_unit(
    session: Session,
    unit_id: Uuid,
    query: &MembersQuery,
) -> Result<Page<Membership>, ApiError> {
    let mut params = vec![
        ("page", query.page.max(1).to_string()),
        ("per_page", query.per_page.to_string()),
    ];
    if query.include_descendants {
        params.push(("include_descendants", "true".to_string()));
    }
    if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
        params.push(("status", status.to_string()));
    }
    let path = format!("/association-units/{unit_id}/members");
    client::call(session, Call::get(&path, &pairs(&params))).await
}

/// `POST /memberships`: a person joins a unit.
pub async fn create(
    session: Session,
    request: &CreateMembershipRequest,
) -> Result<Membership, ApiError> {
    client::call(session, Call::post("/memberships", request)).await
}

/// `PATCH /memberships/{id}`: a new role, card or note, or the end of the membership.
pub async fn update(
    session: Session,
    id: Uuid,
    request: &UpdateMembershipRequest,
) -> Result<Membership, ApiError> {
    let path = format!("/memberships/{id}");
    client::call(session, Call::patch(&path, request)).await
}

/// `POST /memberships/{id}/transfer`: the member moves to another unit; returns the new
/// membership.
pub async fn transfer(
    session: Session,
    id: Uuid,
    request: &TransferMembershipRequest,
) -> Result<Membership, ApiError> {
    let path = format!("/memberships/{id}/transfer");
    client::call(session, Call::post(&path, request)).await
}
