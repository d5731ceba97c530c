use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "decisions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub issuing_unit_id: Uuid,
    pub commune_code: Option<String>,
    pub province_code: Option<String>,
    pub period_id: Uuid,
    pub number: String,
    pub decision_date: Date,
    pub signer: String,
    pub signer_title: String,
    pub title: String,
    pub status: String,
    pub year: i32,
    pub issued_at: Option<DateTimeUtc>,
    pub issued_by: Option<Uuid>,
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
            crate::db::versioning::before_update(db, "decisions", id, &mut self.version).await?;
        }
        Ok(self)
    }
}
