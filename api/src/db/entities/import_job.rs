use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "import_jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub upload_id: Uuid,
    pub mode: String,
    pub status: String,
    /// JSON: header → template column key.
    pub mapping: String,
    pub rows_total: i64,
    /// Rows whose outcome is stored (and committed): the resume cursor.
    pub rows_done: i64,
    /// JSON `ImportCounts`.
    pub counts: String,
    pub error: Option<String>,
    pub unit_code: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub started_at: Option<DateTimeUtc>,
    pub finished_at: Option<DateTimeUtc>,
    /// JSON `ImportOptions`; `NULL` for jobs started before options existed.
    pub options: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
