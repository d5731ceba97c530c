//! `/target-groups`: the target groups people register in.

use crate::db::entities::target_group;
use crate::error::ApiError;
use crate::routes::cache::cached_json;
use crate::state::AppState;
use actix_web::{HttpRequest, HttpResponse, get, web};
use sea_orm::{EntityTrait, QueryOrder};
use shared::registry::TargetGroup;

/// The target groups, in their display order (inactive ones included, marked).
#[utoipa::path(
    operation_id = "target_groups_list",
    tag = "people",
    responses((status = 200, description = "Target groups", body = Vec<TargetGroup>))
)]
#[get("/target-groups")]
pub async fn list(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let groups: Vec<TargetGroup> = target_group::Entity::find()
        .order_by_asc(target_group::Column::SortOrder)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|g| TargetGroup {
            code: g.code,
            name_vi: g.name_vi,
            name_en: g.name_en,
            active: g.active,
        })
        .collect();
    cached_json(&req, &groups)
}
