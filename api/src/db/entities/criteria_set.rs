use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "criteria_sets")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub code: String,
    pub set_version: i32,
    pub target_group: String,
    pub title: String,
    pub status: String,
    pub is_template: bool,
    pub structure: Json,
    pub min_total: i32,
    pub min_per_indicator: i32,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub published_at: Option<DateTimeUtc>,
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

/// An update takes its version from the locked row, and a write carrying `If-Match` is checked
/// against the committed version, in its transaction.
#[async_trait::async_trait]
impl ActiveModelBehavior for ActiveModel {
    async fn before_save<C>(mut self, db: &C, insert: bool) -> Result<Self, DbErr>
    where
        C: ConnectionTrait,
    {
        if !insert && let Some(id) = self.id.try_as_ref().copied() {
            crate::db::versioning::before_update(db, "criteria_sets", id, &mut self.version)
                .await?;
        }
        Ok(self)
    }
}
