use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "restructurings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub status: String,
    /// JSON array of `UnitChange`.
    pub changes: String,
    /// JSON array of the uploaded communes.
    pub new_units: String,
    /// JSON array of `LineageLink`.
    pub lineage: String,
    pub effective_date: Option<Date>,
    pub legal_basis: Option<String>,
    /// JSON: the before-images that undoing restores.
    pub undo_log: Option<String>,
    pub moved_records: i64,
    pub queued_records: i64,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub applied_at: Option<DateTimeUtc>,
    pub undone_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
