//! A registration is listed in at most one decision: the index that finds a registration's
//! decision becomes unique, so that two drafts adding it at the same moment cannot both succeed.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum DecisionItems {
    Table,
    RegistrationId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ix_decision_items_registration")
                    .table(DecisionItems::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_decision_items_registration")
                    .table(DecisionItems::Table)
                    .col(DecisionItems::RegistrationId)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_decision_items_registration")
                    .table(DecisionItems::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_decision_items_registration")
                    .table(DecisionItems::Table)
                    .col(DecisionItems::RegistrationId)
                    .to_owned(),
            )
            .await
    }
}
