use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "registrations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub person_id: Uuid,
    pub period_id: Uuid,
    pub target_group: String,
    pub reviewing_unit_id: Uuid,
    pub commune_code: String,
    pub province_code: String,
    pub status: String,
    pub criteria_set_id: Option<Uuid>,
    pub self_scores: Option<Json>,
    pub self_total: Option<i32>,
    pub review_scores: Option<Json>,
    pub review_total: Option<i32>,
    pub passed: Option<bool>,
    pub evidence: Option<Json>,
    pub last_note: Option<String>,
    pub submitted_at: Option<DateTimeUtc>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub reviewed_by: Option<Uuid>,
    pub decision_id: Option<Uuid>,
    pub certificate_number: Option<String>,
    pub certificate_year: Option<i32>,
    pub certificate_seq: Option<i32>,
    pub verification_code: Option<String>,
    pub recognised_at: Option<DateTimeUtc>,
    pub expires_on: Option<Date>,
    pub revoked_at: Option<DateTimeUtc>,
    pub revoke_reason: Option<String>,
    pub external_id: Option<String>,
    pub created_by: Option<Uuid>,
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
            crate::db::versioning::before_update(db, "registrations", id, &mut self.version)
                .await?;
        }
        Ok(self)
    }
}
