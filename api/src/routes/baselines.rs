//! `/periods/{id}/baselines`: the denominators of the report rates (population and adult
//! population per commune, staff per committee), per period.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::baselines;
use crate::state::AppState;
use actix_web::{get, post, put, web};
use serde::Deserialize;
use shared::error::Problem;
use shared::report::{
    BaselineEntry, BaselineImportResult, CommitteeBaselineInput, CommuneBaselineInput,
};
use utoipa::IntoParams;
use uuid::Uuid;

/// Filter of the baseline list.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `VN`, a province or a commune code inside the caller's unit; the caller's unit by default.
    unit: Option<String>,
}

/// The baselines of a period inside a unit.
#[utoipa::path(
    operation_id = "baselines_list",
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Period id"), ListQuery),
    responses(
        (status = 200, description = "Baselines", body = Vec<BaselineEntry>),
        (status = 403, description = "The unit is outside the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown period or unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/periods/{id}/baselines")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Vec<BaselineEntry>>, ApiError> {
    baselines::list(&state.db, &actor, id.into_inner(), query.unit.as_deref())
        .await
        .map(web::Json)
}

/// Set the population and adult population of a commune in a period (commune officers and
/// above, inside their unit). The adult population cannot exceed the population.
#[utoipa::path(
    operation_id = "baselines_set_commune",
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Period id"),
        ("code" = String, Path, description = "Current commune code", example = "00004"),
    ),
    request_body = CommuneBaselineInput,
    responses(
        (status = 200, description = "Stored", body = BaselineEntry),
        (status = 403, description = "Outside the caller's unit or role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such commune", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid numbers or unknown period", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/periods/{id}/baselines/communes/{code}")]
pub async fn set_commune(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(Uuid, String)>,
    body: Json<CommuneBaselineInput>,
) -> Result<web::Json<BaselineEntry>, ApiError> {
    let (period_id, code) = path.into_inner();
    baselines::set_commune(&state.db, &actor, period_id, &code, body.0)
        .await
        .map(web::Json)
}

/// Set the staff of a committee's workplace (agency, school, enterprise) in a period.
#[utoipa::path(
    operation_id = "baselines_set_committee",
    tag = "reports",
    security(("bearer" = [])),
    params(
        ("id" = Uuid, Path, description = "Period id"),
        ("unit_id" = Uuid, Path, description = "The committee's Association unit id"),
    ),
    request_body = CommitteeBaselineInput,
    responses(
        (status = 200, description = "Stored", body = BaselineEntry),
        (status = 403, description = "Outside the caller's unit or role", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such committee", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid number or unknown period", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/periods/{id}/baselines/committees/{unit_id}")]
pub async fn set_committee(
    state: web::Data<AppState>,
    actor: Actor,
    path: web::Path<(Uuid, Uuid)>,
    body: Json<CommitteeBaselineInput>,
) -> Result<web::Json<BaselineEntry>, ApiError> {
    let (period_id, unit_id) = path.into_inner();
    baselines::set_committee(&state.db, &actor, period_id, unit_id, body.0)
        .await
        .map(web::Json)
}

/// Import baselines of a period from CSV (UTF-8, BOM allowed, `,` or `;`): a header naming
/// `commune_code,population,adult_population` and/or `committee_id,staff`, one unit per row.
/// Every row is checked first: any bad row refuses the whole file with one error per bad cell
/// (`rows[i].column`, with the line number in the message) and nothing is written.
#[utoipa::path(
    operation_id = "baselines_import",
    tag = "reports",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Period id")),
    request_body(
        content = String,
        content_type = "text/csv",
        example = "commune_code;population;adult_population\n00004;24000;17500\n"
    ),
    responses(
        (status = 200, description = "All rows stored", body = BaselineImportResult),
        (status = 403, description = "The caller's role does not enter baselines", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Errors per row; nothing stored", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/periods/{id}/baselines/import")]
pub async fn import(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: web::Bytes,
) -> Result<web::Json<BaselineImportResult>, ApiError> {
    baselines::import_csv(&state.db, &actor, id.into_inner(), &body)
        .await
        .map(web::Json)
}
