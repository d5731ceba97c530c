//! An import's options (whether missing villages may be created, the default target group) are
//! kept with the job, so a resumed job runs under the options it was started with.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ImportJobs {
    Table,
    Options,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ImportJobs::Table)
                    .add_column(ColumnDef::new(ImportJobs::Options).text().null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ImportJobs::Table)
                    .drop_column(ImportJobs::Options)
                    .to_owned(),
            )
            .await
    }
}
