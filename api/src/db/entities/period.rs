use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "periods")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub year: i32,
    pub name: String,
    pub registration_opens: Date,
    pub registration_closes: Date,
    pub self_assessment_opens: Date,
    pub self_assessment_closes: Date,
    pub review_opens: Date,
    pub review_closes: Date,
    pub reviewer_level: String,
    pub recogniser_level: String,
    pub validity_months: i32,
    pub status: String,
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
            crate::db::versioning::before_update(db, "periods", id, &mut self.version).await?;
        }
        Ok(self)
    }
}
