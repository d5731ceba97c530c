use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "memberships")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub association_unit_id: Uuid,
    pub role: String,
    pub joined_on: Option<Date>,
    pub card_number: Option<String>,
    pub status: String,
    pub ended_on: Option<Date>,
    pub transferred_to_id: Option<Uuid>,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
            crate::db::versioning::before_update(db, "memberships", id, &mut self.version).await?;
        }
        Ok(self)
    }
}
