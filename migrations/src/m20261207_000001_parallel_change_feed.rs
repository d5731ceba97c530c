//! The change feed without a global lock (docs/ARCHITECTURE.md, "The change feed"): on
//! PostgreSQL a change takes its number from a sequence instead of the one-row counter, so
//! writers no longer wait for each other; the sequence goes on from the counter's last number.
//! SQLite keeps the counter (its writers are serialised anyway). An index serves the feed of a
//! commune, as the existing one serves a province's.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Seq,
    UnitCode,
}

const UNIT_INDEX: &str = "ix_change_log_unit_seq";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(UNIT_INDEX)
                    .table(ChangeLog::Table)
                    .col(ChangeLog::UnitCode)
                    .col(ChangeLog::Seq)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            // `CACHE 1` (the default) matters: a reader takes `last_value` as the last number
            // handed out (services::changes).
            let db = manager.get_connection();
            db.execute_unprepared(
                "CREATE SEQUENCE IF NOT EXISTS change_log_seq AS bigint MINVALUE 1 CACHE 1",
            )
            .await?;
            db.execute_unprepared(
                "SELECT setval('change_log_seq', \
                 GREATEST((SELECT last_seq FROM change_counter WHERE id = 1), \
                          (SELECT max(seq) FROM change_log), 0) + 1, false)",
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == DatabaseBackend::Postgres {
            let db = manager.get_connection();
            db.execute_unprepared(
                "UPDATE change_counter SET last_seq = \
                 GREATEST(last_seq, (SELECT COALESCE(max(seq), 0) FROM change_log)) WHERE id = 1",
            )
            .await?;
            db.execute_unprepared("DROP SEQUENCE IF EXISTS change_log_seq")
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name(UNIT_INDEX)
                    .table(ChangeLog::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
