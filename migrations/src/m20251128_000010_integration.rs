//! The integration API: registered API clients, the change feed and its commit-ordered counter,
//! stored answers of idempotent POSTs, and the external ids clients key their records by.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApiClients {
    Table,
    Id,
    Name,
    ProvinceCode,
    Scopes,
    SecretHash,
    SecretChangedAt,
    RevokedAt,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum ChangeCounter {
    Table,
    Id,
    LastSeq,
}

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Seq,
    ResourceType,
    ResourceId,
    Kind,
    Version,
    UnitCode,
    ProvinceCode,
    At,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    Owner,
    Key,
    RequestHash,
    Status,
    ContentType,
    Body,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum ExternalRefs {
    Table,
    ClientId,
    ResourceType,
    ExternalId,
    ResourceId,
    ItemHash,
    Version,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(ApiClients::Id).uuid().not_null().primary_key())
                    .col(ColumnDef::new(ApiClients::Name).string_len(200).not_null())
                    .col(ColumnDef::new(ApiClients::ProvinceCode).string_len(8).null())
                    .col(ColumnDef::new(ApiClients::Scopes).string_len(500).not_null())
                    .col(ColumnDef::new(ApiClients::SecretHash).string_len(64).not_null())
                    .col(
                        ColumnDef::new(ApiClients::SecretChangedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiClients::RevokedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(ApiClients::CreatedBy).uuid().null())
                    .col(
                        ColumnDef::new(ApiClients::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiClients::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ApiClients::Version)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChangeCounter::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ChangeCounter::Id)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ChangeCounter::LastSeq).big_integer().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(ChangeCounter::Table)
                    .columns([ChangeCounter::Id, ChangeCounter::LastSeq])
                    .values_panic([1.into(), 0i64.into()])
                    .on_conflict(OnConflict::column(ChangeCounter::Id).do_nothing().to_owned())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(ChangeLog::Seq)
                            .big_integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ChangeLog::ResourceType).string_len(64).not_null())
                    .col(ColumnDef::new(ChangeLog::ResourceId).string_len(64).not_null())
                    .col(ColumnDef::new(ChangeLog::Kind).string_len(16).not_null())
                    .col(ColumnDef::new(ChangeLog::Version).integer().null())
                    .col(ColumnDef::new(ChangeLog::UnitCode).string_len(8).not_null())
                    .col(ColumnDef::new(ChangeLog::ProvinceCode).string_len(8).null())
                    .col(
                        ColumnDef::new(ChangeLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_change_log_province_seq")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::ProvinceCode)
                    .col(ChangeLog::Seq)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(IdempotencyKeys::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(IdempotencyKeys::Owner).string_len(64).not_null())
                    .col(ColumnDef::new(IdempotencyKeys::Key).string_len(255).not_null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::RequestHash)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Status).integer().null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::ContentType)
                            .string_len(128)
                            .null(),
                    )
                    .col(ColumnDef::new(IdempotencyKeys::Body).binary().null())
                    .col(
                        ColumnDef::new(IdempotencyKeys::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(IdempotencyKeys::ExpiresAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(IdempotencyKeys::Owner)
                            .col(IdempotencyKeys::Key),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_idempotency_keys_expires_at")
                    .table(IdempotencyKeys::Table)
                    .col(IdempotencyKeys::ExpiresAt)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExternalRefs::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(ExternalRefs::ClientId).uuid().not_null())
                    .col(
                        ColumnDef::new(ExternalRefs::ResourceType)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ExternalRefs::ExternalId)
                            .string_len(100)
                            .not_null(),
                    )
                    .col(ColumnDef::new(ExternalRefs::ResourceId).uuid().not_null())
                    .col(ColumnDef::new(ExternalRefs::ItemHash).string_len(64).not_null())
                    .col(ColumnDef::new(ExternalRefs::Version).integer().not_null())
                    .col(
                        ColumnDef::new(ExternalRefs::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(ExternalRefs::ClientId)
                            .col(ExternalRefs::ResourceType)
                            .col(ExternalRefs::ExternalId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ExternalRefs::Table, ExternalRefs::ClientId)
                            .to(ApiClients::Table, ApiClients::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ExternalRefs::Table.into_iden(),
            IdempotencyKeys::Table.into_iden(),
            ChangeLog::Table.into_iden(),
            ChangeCounter::Table.into_iden(),
            ApiClients::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).if_exists().to_owned())
                .await?;
        }
        Ok(())
    }
}
