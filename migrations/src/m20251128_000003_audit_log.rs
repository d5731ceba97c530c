//! The audit log: one row per change and per view of a full personal record.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorUserId,
    ActorUsername,
    Action,
    ResourceType,
    ResourceId,
    UnitCode,
    ProvinceCode,
    Detail,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(AuditLog::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(AuditLog::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::ActorUserId).uuid().null())
                    .col(
                        ColumnDef::new(AuditLog::ActorUsername)
                            .string_len(64)
                            .null(),
                    )
                    .col(ColumnDef::new(AuditLog::Action).string_len(64).not_null())
                    .col(
                        ColumnDef::new(AuditLog::ResourceType)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(ColumnDef::new(AuditLog::ResourceId).string_len(64).null())
                    .col(ColumnDef::new(AuditLog::UnitCode).string_len(8).not_null())
                    .col(ColumnDef::new(AuditLog::ProvinceCode).string_len(8).null())
                    .col(ColumnDef::new(AuditLog::Detail).json().null())
                    .col(ColumnDef::new(AuditLog::RequestId).string_len(64).null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_province_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::ProvinceCode)
                    .col(AuditLog::At)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_log_unit_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::UnitCode)
                    .col(AuditLog::At)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditLog::Table).to_owned())
            .await
    }
}
