//! `/association-units` and `/villages`: the Association's unit tree and the villages of the
//! communes, both limited by the server to the caller's unit.

use super::ApiError;
use super::client::{self, Call, pairs};
use crate::session::Session;
use shared::page::Page;
use shared::registry::{
    AssociationUnit, CreateAssociationUnitRequest, CreateVillageRequest,
    UpdateAssociationUnitRequest, UpdateVillageRequest, Village,
};
use uuid::Uuid;

/// Filters of `GET /association-units`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UnitQuery {
    /// One level of the tree: the units directly under this one.
    pub parent_id: Option<Uuid>,
    /// Only the units of one commune: its Association, branches and committees.
    pub commune_code: Option<String>,
    /// Part of the name, diacritics optional.
    pub q: String,
    pub include_inactive: bool,
    pub page: u64,
    pub per_page: u64,
}

/// Filters of `GET /villages`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VillageQuery {
    /// One commune; without it the server lists the caller's whole unit.
    pub commune_code: Option<String>,
    /// Part of the name, diacritics optional.
    pub q: String,
    pub include_inactive: bool,
    pub page: u64,
    pub per_page: u64,
}

/// `GET /association-units/root`: the unit the caller is attached to.
pub async fn root(session: Session) -> Result<AssociationUnit, ApiError> {
    client::call(session, Call::get("/association-units/root", &[])).await
}

/// `GET /association-units?…`: one page of units inside the caller's unit.
pub async fn units(session: Session, query: &UnitQuery) -> Result<Page<AssociationUnit>, ApiError> {
    let mut params = vec![
        ("page", query.page.max(1).to_string()),
        ("per_page", query.per_page.to_string()),
    ];
    if let Some(parent) = query.parent_id {
        params.push(("parent_id", parent.to_string()));
    }
    if let Some(code) = query.commune_code.as_deref().filter(|c| !c.is_empty()) {
        params.push(("commune_code", code.to_string()));
    }
    let q = query.q.trim();
    if !q.is_empty() {
        params.push(("q", q.to_string()));
    }
    if query.include_inactive {
        params.push(("include_inactive", "true".to_string()));
    }
    client::call(session, Call::get("/association-units", &pairs(&params))).await
}

/// `GET /association-units/{id}`: one unit with its member and sub-unit counts.
pub async fn unit(session: Session, id: Uuid) -> Result<AssociationUnit, ApiError> {
    let path = format!("/association-units/{id}");
    client::call(session, Call::get(&path, &[])).await
}

/// `POST /association-units`: a new branch or committee.
pub async fn create_unit(
    session: Session,
    request: &CreateAssociationUnitRequest,
) -> Result<AssociationUnit, ApiError> {
    client::call(session, Call::post("/association-units", request)).await
}

/// `PATCH /association-units/{id}`: changes the fields that are present.
pub async fn update_unit(
    session: Session,
    id: Uuid,
    request: &UpdateAssociationUnitRequest,
) -> Result<AssociationUnit, ApiError> {
    let path = format!("/association-units/{id}");
    client::call(session, Call::patch(&path, request)).await
}

/// `GET /villages?…`: one page of villages inside the caller's unit.
pub async fn villages(session: Session, query: &VillageQuery) -> Result<Page<Village>, ApiError> {
    let mut params = vec![
        ("page", query.page.max(1).to_string()),
        ("per_page", query.per_page.to_string()),
    ];
    if let Some(code) = query.commune_code.as_deref().filter(|c| !c.is_empty()) {
        params.push(("commune_code", code.to_string()));
    }
    let q = query.q.trim();
    if !q.is_empty() {
        params.push(("q", q.to_string()));
    }
    if query.include_inactive {
        params.push(("include_inactive", "true".to_string()));
    }
    client::call(session, Call::get("/villages", &pairs(&params))).await
}

/// `POST /villages`: a new village under a commune.
pub async fn create_village(
    session: Session,
    request: &CreateVillageRequest,
) -> Result<Village, ApiError> {
    client::call(session, Call::post("/villages", request)).await
}

/// `PATCH /villages/{id}`: rename, change the kind, move, or (de)activate.
pub async fn update_village(
    session: Session,
    id: Uuid,
    request: &UpdateVillageRequest,
) -> Result<Village, ApiError> {
    let path = format!("/villages/{id}");
    client::call(session, Call::patch(&path, request)).await
}
