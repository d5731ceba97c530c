//! The subject columns of `legacy_queue` (migration `m20251128_000013_queue_subjects`), as an
//! entity of their own: the importer writes its items through `legacy_queue_item` and leaves
//! the subject at its default (`person`), so only the writers of village and Association-unit
//! items, and the readers that show them, need these columns.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "legacy_queue")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// `person`, `village` or `association_unit`.
    pub subject_type: String,
    pub village_id: Option<Uuid>,
    pub association_unit_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
