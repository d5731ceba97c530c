//! `/admin-units`: the official administrative units, current by default, legacy when asked for
//! under `/admin-units/legacy`. Public reference data: no login needed, cacheable.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::routes::cache::cached_json;
use crate::services::units;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;
use shared::admin_unit::{AdminUnit, AdminUnitDetail, AdminUnitHit, Era, Successors, UnitLevel};
use shared::error::Problem;
use shared::registry::{Conversion, ConvertRequest};
use utoipa::IntoParams;

/// Parameters of the search.
#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// Words to find, with or without diacritics, any case: `ba dinh`, `Phường Ba Đình`, or a
    /// code.
    q: Option<String>,
    /// At most this many results (1–100, default 20).
    limit: Option<u64>,
    /// `current` (default) or `legacy`.
    era: Option<Era>,
}

/// The 34 current provinces, by code.
#[utoipa::path(
    operation_id = "admin_units_provinces",
    tag = "admin-units",
    responses((status = 200, description = "Current provinces", body = Vec<AdminUnit>,
        headers(("ETag" = String), ("Cache-Control" = String))))
)]
#[get("/admin-units/provinces")]
pub async fn provinces(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let list = units::provinces(&state.db, Era::Current).await?;
    cached_json(&req, &list)
}

/// The current communes (xã, phường, đặc khu) of a current province, by code.
#[utoipa::path(
    operation_id = "admin_units_communes_of_province",
    tag = "admin-units",
    params(("code" = String, Path, description = "2-digit province code", example = "01")),
    responses(
        (status = 200, description = "Communes of the province", body = Vec<AdminUnit>),
        (status = 404, description = "No such current province", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/provinces/{code}/communes")]
pub async fn communes_of_province(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let list = units::children_of(&state.db, Era::Current, UnitLevel::Province, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("province"))?;
    cached_json(&req, &list)
}

/// Search units by name or code, ignoring case and diacritics ("đ" matches "d").
///
/// Every word must appear in the unit's name or its province's name. Exact codes and names rank
/// first, then names starting with the query, then the rest.
#[utoipa::path(
    operation_id = "admin_units_search",
    tag = "admin-units",
    params(SearchQuery),
    responses(
        (status = 200, description = "Ranked matches", body = Vec<AdminUnitHit>),
        (status = 422, description = "`q` is missing or empty", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/search")]
pub async fn search(
    state: web::Data<AppState>,
    req: HttpRequest,
    query: crate::extract::Query<SearchQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let q = query.q.unwrap_or_default();
    if q.trim().is_empty() || q.chars().count() > 200 {
        return Err(ApiError::field(
            "q",
            "required",
            "give 1 to 200 characters to search for",
        ));
    }
    let hits = units::search(
        &state.db,
        query.era.unwrap_or(Era::Current),
        &q,
        query.limit.unwrap_or(20),
    )
    .await?;
    cached_json(&req, &hits)
}

/// One current unit with its parent: a province (2 digits) or a commune (5 digits).
#[utoipa::path(
    operation_id = "admin_units_detail",
    tag = "admin-units",
    params(("code" = String, Path, description = "2-digit province or 5-digit commune code", example = "00004")),
    responses(
        (status = 200, description = "The unit", body = AdminUnitDetail),
        (status = 404, description = "No such current unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/{code}")]
pub async fn detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let unit = units::detail(&state.db, Era::Current, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("administrative unit"))?;
    cached_json(&req, &unit)
}

/// The 63 legacy provinces (before 2025-07-01).
#[utoipa::path(
    operation_id = "admin_units_legacy_provinces",
    tag = "admin-units",
    responses((status = 200, description = "Legacy provinces", body = Vec<AdminUnit>))
)]
#[get("/admin-units/legacy/provinces")]
pub async fn legacy_provinces(
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let list = units::provinces(&state.db, Era::Legacy).await?;
    cached_json(&req, &list)
}

/// The districts of a legacy province.
#[utoipa::path(
    operation_id = "admin_units_legacy_districts",
    tag = "admin-units",
    params(("code" = String, Path, description = "2-digit legacy province code", example = "01")),
    responses(
        (status = 200, description = "Districts", body = Vec<AdminUnit>),
        (status = 404, description = "No such legacy province", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/legacy/provinces/{code}/districts")]
pub async fn legacy_districts(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let list = units::children_of(&state.db, Era::Legacy, UnitLevel::Province, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("legacy province"))?;
    cached_json(&req, &list)
}

/// The communes of a legacy district.
#[utoipa::path(
    operation_id = "admin_units_legacy_communes",
    tag = "admin-units",
    params(("code" = String, Path, description = "3-digit legacy district code", example = "001")),
    responses(
        (status = 200, description = "Communes", body = Vec<AdminUnit>),
        (status = 404, description = "No such legacy district", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/legacy/districts/{code}/communes")]
pub async fn legacy_communes(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let list = units::children_of(&state.db, Era::Legacy, UnitLevel::District, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("legacy district"))?;
    cached_json(&req, &list)
}

/// The current commune(s) a legacy commune went into on 2025-07-01.
///
/// One successor with `partly_merged: false` means the whole commune went there. Several
/// successors (`partly_merged: true`) mean it was split: a record on it cannot be moved without
/// an officer choosing. `legacy` is `null` for the few codes the conversion table knows but the
/// legacy list does not; `successors` is empty for legacy communes the table does not map.
#[utoipa::path(
    operation_id = "admin_units_legacy_successors",
    tag = "admin-units",
    params(("code" = String, Path, description = "5-digit legacy commune code", example = "00019")),
    responses(
        (status = 200, description = "The successors", body = Successors),
        (status = 404, description = "Neither the legacy list nor the conversion table knows the code", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/legacy/{code}/successors")]
pub async fn legacy_successors(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let successors = units::successors(&state.db, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("legacy commune"))?;
    cached_json(&req, &successors)
}

/// One legacy unit with its parent: a province (2 digits), district (3) or commune (5).
#[utoipa::path(
    operation_id = "admin_units_legacy_detail",
    tag = "admin-units",
    params(("code" = String, Path, description = "Legacy unit code", example = "001")),
    responses(
        (status = 200, description = "The legacy unit", body = AdminUnitDetail),
        (status = 404, description = "No such legacy unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/admin-units/legacy/{code}")]
pub async fn legacy_detail(
    state: web::Data<AppState>,
    req: HttpRequest,
    code: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let unit = units::detail(&state.db, Era::Legacy, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("legacy administrative unit"))?;
    cached_json(&req, &unit)
}

/// Convert old addresses (before 2025-07-01) to current communes, as `POST /people` and
/// `PUT /sync/people` would with `legacy_address`, writing nothing: each address is `converted`
/// (one current commune), `split` or `unmapped` (the candidates an officer would choose from),
/// or `invalid` (errors name `items[i].province|district|commune`). Names are matched with or
/// without diacritics and type words; codes with or without leading zeros.
#[utoipa::path(
    operation_id = "admin_units_legacy_convert",
    tag = "admin-units",
    security(("bearer" = [])),
    request_body = ConvertRequest,
    responses(
        (status = 200, description = "One answer per address, in the order sent", body = Vec<Conversion>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No addresses, or more than 1,000, or a field too long", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/admin-units/legacy/convert")]
pub async fn legacy_convert(
    state: web::Data<AppState>,
    _actor: Actor,
    body: Json<ConvertRequest>,
) -> Result<web::Json<Vec<Conversion>>, ApiError> {
    crate::services::legacy_address::convert_many(&state.addresses, &state.db, &body.0.items)
        .await
        .map(web::Json)
}
