//! Items of the legacy-address queue name what waits for a commune: a person (every item so
//! far), a village, or a branch or committee of the Association. A restructuring that dissolves
//! a commune without a single successor queues its villages and sub-units as well as its people.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LegacyQueue {
    Table,
    SubjectType,
    VillageId,
    AssociationUnitId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new(LegacyQueue::SubjectType)
                .string_len(16)
                .not_null()
                .default("person")
                .to_owned(),
            ColumnDef::new(LegacyQueue::VillageId)
                .uuid()
                .null()
                .to_owned(),
            ColumnDef::new(LegacyQueue::AssociationUnitId)
                .uuid()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(LegacyQueue::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Resolving a village or a unit looks for other pending items about it.
        for (name, column) in [
            ("ix_legacy_queue_village", LegacyQueue::VillageId),
            (
                "ix_legacy_queue_association_unit",
                LegacyQueue::AssociationUnitId,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(LegacyQueue::Table)
                        .col(column)
                        .if_not_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "ix_legacy_queue_village",
            "ix_legacy_queue_association_unit",
        ] {
            manager
                .drop_index(
                    Index::drop()
                        .name(name)
                        .table(LegacyQueue::Table)
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        for column in [
            LegacyQueue::AssociationUnitId,
            LegacyQueue::VillageId,
            LegacyQueue::SubjectType,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(LegacyQueue::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
