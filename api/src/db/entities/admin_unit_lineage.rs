use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "admin_unit_lineage")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub restructuring_id: Uuid,
    pub old_code: String,
    pub new_code: String,
    pub whole: bool,
    pub effective_date: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
