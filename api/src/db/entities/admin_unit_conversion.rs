use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_unit_conversions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub old_commune_code: String,
    pub old_district_code: String,
    pub old_province_code: String,
    pub new_commune_code: String,
    pub new_province_code: String,
    pub partly_merged: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
