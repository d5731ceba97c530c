use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub username: String,
    pub full_name: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub unit_code: String,
    pub active: bool,
    pub password_changed_at: DateTimeUtc,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Branch and committee officers: the unit they work for.
    pub association_unit_id: Option<Uuid>,
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
            crate::db::versioning::before_update(db, "users", id, &mut self.version).await?;
        }
        Ok(self)
    }
}
