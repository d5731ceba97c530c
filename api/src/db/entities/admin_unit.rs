use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub era: String,
    pub level: String,
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub search_name: String,
    pub short_name: String,
    pub province_code: String,
    pub district_code: Option<String>,
    pub parent_code: Option<String>,
    pub status: String,
    pub valid_from: Option<Date>,
    pub valid_to: Option<Date>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
