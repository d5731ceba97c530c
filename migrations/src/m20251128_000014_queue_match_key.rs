//! The legacy-address queue is searched by the key that finds a held record again (an import
//! row re-imported, a record sent again through the API, a record written with its current
//! commune since): an index on it keeps those lookups off a scan of the whole queue.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LegacyQueue {
    Table,
    MatchKey,
    Status,
}

const NAME: &str = "ix_legacy_queue_match_key";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(LegacyQueue::Table)
                    .col(LegacyQueue::MatchKey)
                    .col(LegacyQueue::Status)
                    .if_not_exists()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(LegacyQueue::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
