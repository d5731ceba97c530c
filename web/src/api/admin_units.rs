//! `/admin-units`: the public lists of administrative units.

use super::ApiError;
use super::client::{self, Call};
use crate::session::Session;
use shared::admin_unit::{AdminUnit, AdminUnitDetail, AdminUnitHit, Era, Successors};
use shared::registry::{Conversion, ConvertRequest, LegacyAddress};

/// How many search hits to ask for.
const SEARCH_LIMIT: &str = "20";

/// A code or other value made safe to use as one path segment.
fn segment(value: &str) -> String {
    String::from(js_sys::encode_uri_component(value))
}

/// `GET /admin-units/provinces`: the current provinces.
pub async fn provinces(session: Session) -> Result<Vec<AdminUnit>, ApiError> {
    client::call(session, Call::get("/admin-units/provinces", &[])).await
}

/// `GET /admin-units/{code}`: one current unit with its parent.
pub async fn unit(session: Session, code: &str) -> Result<AdminUnitDetail, ApiError> {
    let path = format!("/admin-units/{}", segment(code));
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /admin-units/provinces/{code}/communes`: the current communes of a province.
pub async fn communes(session: Session, province_code: &str) -> Result<Vec<AdminUnit>, ApiError> {
    let path = format!("/admin-units/provinces/{}/communes", segment(province_code));
    client::call(session, Call::get(&path, &[])).await
}

/// `GET /admin-units/search?q=…&limit=20[&era=legacy]`: units whose name or code matches.
pub async fn search(
    session: Session,
    query: &str,
    era: Era,
) -> Result<Vec<AdminUnitHit>, ApiError> {
    let mut params = vec![("q", query), ("limit", SEARCH_LIMIT)];
    if era == Era::Legacy {
        params.push(("era", era.as_str()));
    }
    client::call(session, Call::get("/admin-units/search", &params)).await
}

/// `GET /admin-units/legacy/{code}/successors`: where a legacy commune went.
pub async fn successors(session: Session, legacy_code: &str) -> Result<Successors, ApiError> {
    let path = format!("/admin-units/legacy/{}/successors", segment(legacy_code));
    client::call(session, Call::get(&path, &[])).await
}

/// `POST /admin-units/legacy/convert`: what the conversion table says of one old address.
pub async fn convert(session: Session, address: LegacyAddress) -> Result<Conversion, ApiError> {
    let body = ConvertRequest {
        items: vec![address],
    };
    let mut answers: Vec<Conversion> =
        client::call(session, Call::post("/admin-units/legacy/convert", &body)).await?;
    answers.pop().ok_or(ApiError::Status(500))
}
