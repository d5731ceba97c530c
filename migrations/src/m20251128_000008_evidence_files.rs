//! Evidence files (minh chứng): documents and photos attached to one indicator of an assessment.
//! The bytes live in the database with the row, so an upload commits or rolls back with its audit
//! entry and backups hold everything.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum EvidenceFiles {
    Table,
    Id,
    RegistrationId,
    IndicatorCode,
    FileName,
    ContentType,
    SizeBytes,
    Sha256,
    Content,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(EvidenceFiles::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(EvidenceFiles::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(EvidenceFiles::RegistrationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceFiles::IndicatorCode)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceFiles::FileName)
                            .string_len(255)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceFiles::ContentType)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceFiles::SizeBytes)
                            .big_integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(EvidenceFiles::Sha256)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(EvidenceFiles::Content).blob().not_null())
                    .col(ColumnDef::new(EvidenceFiles::UploadedBy).uuid())
                    .col(
                        ColumnDef::new(EvidenceFiles::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_evidence_files_registration")
                            .from(EvidenceFiles::Table, EvidenceFiles::RegistrationId)
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_evidence_files_registration")
                    .table(EvidenceFiles::Table)
                    .col(EvidenceFiles::RegistrationId)
                    .col(EvidenceFiles::IndicatorCode)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(EvidenceFiles::Table).to_owned())
            .await
    }
}
