//! `/people`: person records, with the personal ID number kept private.

use crate::auth::Actor;
use crate::error::ApiError;
use crate::extract::Json;
use crate::services::people::{self, ListFilter, Saved};
use crate::state::AppState;
use actix_web::{HttpResponse, delete, get, post, put, web};
use serde::{Deserialize, Serialize};
use shared::error::Problem;
use shared::import::QueueItem;
use shared::page::Page;
use shared::person::Gender;
use shared::registry::{Person, PersonExport, PersonInput, PersonalIdReveal};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

/// Filters of `GET /people`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `VN`, a province or a commune code: that unit and everything in it (inside the caller's).
    unit: Option<String>,
    village_id: Option<Uuid>,
    target_group: Option<String>,
    gender: Option<Gender>,
    birth_year_from: Option<i32>,
    birth_year_to: Option<i32>,
    /// Only members (`true`) or non-members (`false`).
    member: Option<bool>,
    /// Words of the name, with or without diacritics: `nguyen van an`.
    q: Option<String>,
    page: Option<u64>,
    per_page: Option<u64>,
}

/// `POST /people/lookup`: the number travels in the body, never in a URL.
#[derive(Debug, Clone, Serialize, Deserialize, Validate, ToSchema)]
pub struct LookupRequest {
    #[validate(length(min = 1, max = 32, message = "is required"))]
    #[schema(example = "001085012345")]
    pub personal_id: String,
}

/// List people inside the caller's unit; ID numbers are masked.
#[utoipa::path(
    operation_id = "people_list",
    tag = "people",
    security(("bearer" = [])),
    params(ListQuery),
    responses(
        (status = 200, description = "One page of people", body = Page<Person>),
        (status = 403, description = "The unit filter is outside the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people")]
pub async fn list(
    state: web::Data<AppState>,
    actor: Actor,
    query: crate::extract::Query<ListQuery>,
) -> Result<web::Json<Page<Person>>, ApiError> {
    let q = query.into_inner();
    let filter = ListFilter {
        unit: q.unit,
        village_id: q.village_id,
        target_group: q.target_group,
        gender: q.gender,
        birth_year_from: q.birth_year_from,
        birth_year_to: q.birth_year_to,
        member: q.member,
        q: q.q,
        page: q.page,
        per_page: q.per_page,
    };
    people::list(&state.db, &actor, filter).await.map(web::Json)
}

/// Create a person record in a commune of the caller's unit.
///
/// The personal ID number must agree with the gender and birth year; it is unique nationwide: a
/// second record with the same number is refused with 409 `duplicate`, naming the existing record
/// (`existing_id`) only when the caller may see it.
///
/// A caller that only knows the address before 2025-07-01 sends `legacy_address` instead of
/// `commune_code`. An old commune that went whole into one current commune is converted (201).
/// One that was split, or that the conversion table lacks, is not guessed: the record is checked
/// and held in the legacy-address queue (202, the queue item, `Location` of the item) until an
/// officer of the province picks the commune; sending the same record again (same ID number,
/// else same `external_id`) answers the same item with the newer fields.
#[utoipa::path(
    operation_id = "people_create",
    tag = "people",
    security(("bearer" = [])),
    request_body = PersonInput,
    responses(
        (status = 201, description = "Created", body = Person),
        (status = 202, description = "Held in the legacy-address queue until an officer picks the commune", body = QueueItem),
        (status = 403, description = "Outside the caller's role or unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The personal ID number is on another record", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields are invalid (each named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people")]
pub async fn create(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<PersonInput>,
) -> Result<HttpResponse, ApiError> {
    let saved = people::create(&state.db, &state.pii, &state.addresses, &actor, body.0).await?;
    Ok(match saved {
        Saved::Person(person) => HttpResponse::Created()
            .insert_header(("Location", format!("/api/v1/people/{}", person.id)))
            .json(person),
        Saved::Held(item) => held(&item),
    })
}

/// `202 Accepted` with the queue item that holds the record.
fn held(item: &QueueItem) -> HttpResponse {
    HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/legacy-queue/{}", item.id)))
        .json(item)
}

/// Find the person with this personal ID number, inside the caller's unit.
#[utoipa::path(
    operation_id = "people_lookup",
    tag = "people",
    security(("bearer" = [])),
    request_body = LookupRequest,
    responses(
        (status = 200, description = "The person", body = Person),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a valid personal ID number", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/people/lookup")]
pub async fn lookup(
    state: web::Data<AppState>,
    actor: Actor,
    body: Json<LookupRequest>,
) -> Result<web::Json<Person>, ApiError> {
    people::lookup(&state.db, &state.pii, &actor, &body.0.personal_id)
        .await
        .map(web::Json)
}

/// One person record (the view is written to the audit log).
#[utoipa::path(
    operation_id = "people_get",
    tag = "people",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person", body = Person),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{id}")]
pub async fn get(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<web::Json<Person>, ApiError> {
    people::get(&state.db, &actor, id.into_inner())
        .await
        .map(web::Json)
}

/// Replace a person record.
///
/// With `legacy_address` instead of `commune_code`, the old address is converted as on create.
/// A split or unmapped old commune keeps the record's commune when it is one of the candidates;
/// otherwise the whole change waits in the legacy-address queue (202, the queue item) and the
/// record stays as it is until an officer picks the commune.
#[utoipa::path(
    operation_id = "people_update",
    tag = "people",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Person id")),
    request_body = PersonInput,
    responses(
        (status = 200, description = "The changed record", body = Person),
        (status = 202, description = "Held in the legacy-address queue until an officer picks the commune", body = QueueItem),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The personal ID number is on another record", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields are invalid (each named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/people/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
    body: Json<PersonInput>,
) -> Result<HttpResponse, ApiError> {
    let saved = people::update(
        &state.db,
        &state.pii,
        &state.addresses,
        &actor,
        id.into_inner(),
        body.0,
    )
    .await?;
    Ok(match saved {
        Saved::Person(person) => HttpResponse::Ok().json(person),
        Saved::Held(item) => held(&item),
    })
}

/// Erase a person record and its memberships (commune officers and above).
#[utoipa::path(
    operation_id = "people_delete",
    tag = "people",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Person id")),
    responses(
        (status = 204, description = "Erased"),
        (status = 403, description = "The caller's role does not erase records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/people/{id}")]
pub async fn delete(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    people::delete(&state.db, &actor, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The full personal ID number (commune officers and above); every call is audited.
#[utoipa::path(
    operation_id = "people_reveal_personal_id",
    tag = "people",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "The full number", body = PersonalIdReveal),
        (status = 403, description = "The caller's role does not see full numbers", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{id}/personal-id")]
pub async fn reveal_personal_id(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let reveal = people::reveal_personal_id(&state.db, &state.pii, &actor, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(reveal))
}

/// Everything held on a person, for their right of access: the record with the full ID number,
/// memberships and the audit entries about it (commune officers and above; audited).
#[utoipa::path(
    operation_id = "people_export",
    tag = "people",
    security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "Person id")),
    responses(
        (status = 200, description = "The export", body = PersonExport),
        (status = 403, description = "The caller's role does not export records", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such person in the caller's unit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/people/{id}/export")]
pub async fn export(
    state: web::Data<AppState>,
    actor: Actor,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let export = people::export(&state.db, &state.pii, &actor, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"person-{}.json\"", export.person.id),
        ))
        .json(export))
}
