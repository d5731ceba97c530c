use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "people")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub full_name: String,
    pub search_name: String,
    pub gender: String,
    pub birth_date: Option<Date>,
    pub birth_year: i32,
    /// AES-256-GCM ciphertext of the personal ID number (nonce first, base64).
    pub personal_id_cipher: Option<String>,
    /// HMAC-SHA256 of the personal ID number: exact lookup and uniqueness.
    pub personal_id_hash: Option<String>,
    pub personal_id_masked: Option<String>,
    pub phone: Option<String>,
    pub commune_code: String,
    pub province_code: String,
    pub village_id: Option<Uuid>,
    pub occupation: Option<String>,
    pub target_group: Option<String>,
    pub workplace: Option<String>,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub sensitive_consent_by: Option<String>,
    pub sensitive_consent_at: Option<DateTimeUtc>,
    pub sensitive_consent_text: Option<String>,
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
            crate::db::versioning::before_update(db, "people", id, &mut self.version).await?;
        }
        Ok(self)
    }
}
