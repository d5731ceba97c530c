use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legacy_queue")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub reason: String,
    pub status: String,
    pub province_code: String,
    pub full_name: String,
    pub legacy_address: String,
    pub legacy_commune_code: Option<String>,
    /// JSON array of current commune codes.
    pub candidates: String,
    pub import_job_id: Option<Uuid>,
    pub row_no: Option<i32>,
    /// The held row, encrypted like ID numbers (it may hold one).
    pub row_data: Option<String>,
    /// Blind index of the personal ID number, or `ext:` and the external id: re-importing a
    /// row finds the item it already left.
    pub match_key: Option<String>,
    pub person_id: Option<Uuid>,
    pub restructuring_id: Option<Uuid>,
    pub resolved_commune_code: Option<String>,
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
