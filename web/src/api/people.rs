//! `/people`, `/target-groups` and `/audit`: person records (their ID numbers masked unless
//! revealed on purpose), the target groups they are filed under, and the audit trail of a record.

use super::ApiError;
use super::client::{self, Call, pairs};
use crate::session::Session;
use serde::{Deserialize, Serialize};
use shared::import::QueueItem;
use shared::page::Page;
use shared::person::Gender;
use shared::registry::{AuditEntry, Person, PersonInput, PersonalIdReveal, TargetGroup};
use uuid::Uuid;

/// Filters of `GET /people`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PeopleQuery {
    /// A province or commune code: that unit and everything in it.
    pub unit: Option<String>,
    pub village_id: Option<Uuid>,
    pub target_group: Option<String>,
    pub gender: Option<Gender>,
    pub birth_year_from: Option<i32>,
    pub birth_year_to: Option<i32>,
    /// Only members (`true`) or only people without an active membership (`false`).
    pub member: Option<bool>,
    /// Words of the name, diacritics optional.
    pub q: String,
    pub page: u64,
    pub per_page: u64,
}

/// Body of `POST /people/lookup`: the number travels in the body, never in a URL.
#[derive(Serialize)]
struct LookupRequest<'a> {
    personal_id: &'a str,
}

/// `GET /people?…`: one page of people inside the caller's unit.
pub async fn people(session: Session, query: &PeopleQuery) -> Result<Page<Person>, ApiError> {
    let mut params = vec![
        ("page", query.page.max(1).to_string()),
        ("per_page", query.per_page.to_string()),
    ];
    if let Some(unit) = query.unit.as_deref().filter(|u| !u.is_empty()) {
        params.push(("unit", unit.to_string()));
    }
    if let Some(village) = query.village_id {
        params.push(("village_id", village.to_string()));
    }
    if let Some(group) = query.target_group.as_deref().filter(|g| !g.is_empty()) {
        params.push(("target_group", group.to_string()));
    }
    if let Some(gender) = query.gender {
        params.push(("gender", gender.as_str().to_string()));
    }
    if let Some(year) = query.birth_year_from {
        params.push(("birth_year_from", year.to_string()));
    }
    if let Some(year) = query.birth_year_to {
        params.push(("birth_year_to", year.to_string()));
    }
    if let Some(member) = query.member {
        params.push(("member", member.to_string()));
    }
    let q = query.q.trim();
    if !q.is_empty() {
        params.push(("q", q.to_string()));
    }
    client::call(session, Call::get("/people", &pairs(&params))).await
}

/// `POST /people/lookup`: the person with exactly this personal ID number.
pub async fn lookup(session: Session, personal_id: &str) -> Result<Person, ApiError> {
    let body = LookupRequest { personal_id };
    client::call(session, Call::post("/people/lookup", &body)).await
}

/// `GET /people/{id}`: one record (the server writes the view to the audit log).
pub async fn person(session: Session, id: Uuid) -> Result<Person, ApiError> {
    let path = format!("/people/{id}");
    client::call(session, Call::get(&path, &[])).await
}

/// What a write did: saved the record, or held it in the legacy-address queue (an old address
/// whose commune an officer of the province must choose; `202 Accepted`).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Saved {
    Person(Box<Person>),
    Held(Box<QueueItem>),
}

/// `POST /people`: a new record.
pub async fn create(session: Session, input: &PersonInput) -> Result<Saved, ApiError> {
    client::call(session, Call::post("/people", input)).await
}

/// `PUT /people/{id}`: replaces the record; a `personal_id` of `None` keeps the stored number.
pub async fn update(session: Session, id: Uuid, input: &PersonInput) -> Result<Saved, ApiError> {
    let path = format!("/people/{id}");
    client::call(session, Call::put(&path, input)).await
}

/// `DELETE /people/{id}`: erases the record and its memberships.
pub async fn delete(session: Session, id: Uuid) -> Result<(), ApiError> {
    let path = format!("/people/{id}");
    client::call(session, Call::delete(&path)).await
}

/// `GET /people/{id}/personal-id`: the full number (audited).
pub async fn reveal_personal_id(session: Session, id: Uuid) -> Result<PersonalIdReveal, ApiError> {
    let path = format!("/people/{id}/personal-id");
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /people/{id}/export`: everything held on the person (audited), kept as the server wrote
/// it so that the downloaded file holds every field, including any this application does not
/// know.
pub async fn export(session: Session, id: Uuid) -> Result<serde_json::Value, ApiError> {
    let path = format!("/people/{id}/export");
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /target-groups`: every target group, active or not, in display order.
pub async fn target_groups(session: Session) -> Result<Vec<TargetGroup>, ApiError> {
    client::call(session, Call::get("/target-groups", &[])).await
}

/// `GET /audit?resource_type=person&resource_id=…`: one page of the record's audit trail.
pub async fn audit_of_person(
    session: Session,
    id: Uuid,
    page: u64,
    per_page: u64,
) -> Result<Page<AuditEntry>, ApiError> {
    let params = [
        ("resource_type", "person".to_string()),
        ("resource_id", id.to_string()),
        ("page", page.max(1).to_string()),
        ("per_page", per_page.to_string()),
    ];
    client::call(session, Call::get("/audit", &pairs(&params))).await
}
