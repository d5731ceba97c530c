//! Administrative units (current and legacy) and the 2025 conversion table, with their seed data.

use crate::seed;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum AdminUnits {
    Table,
    Id,
    Era,
    Level,
    Code,
    Name,
    UnitType,
    SearchName,
    ShortName,
    ProvinceCode,
    DistrictCode,
    ParentCode,
    Status,
    ValidFrom,
    ValidTo,
}

#[derive(DeriveIden)]
pub enum AdminUnitConversions {
    Table,
    Id,
    OldCommuneCode,
    OldDistrictCode,
    OldProvinceCode,
    NewCommuneCode,
    NewProvinceCode,
    PartlyMerged,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminUnits::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AdminUnits::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AdminUnits::Era).string_len(16).not_null())
                    .col(ColumnDef::new(AdminUnits::Level).string_len(16).not_null())
                    .col(ColumnDef::new(AdminUnits::Code).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnits::Name).string_len(200).not_null())
                    .col(ColumnDef::new(AdminUnits::UnitType).string_len(64).not_null())
                    .col(ColumnDef::new(AdminUnits::SearchName).string_len(200).not_null())
                    .col(ColumnDef::new(AdminUnits::ShortName).string_len(200).not_null())
                    .col(ColumnDef::new(AdminUnits::ProvinceCode).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnits::DistrictCode).string_len(8).null())
                    .col(ColumnDef::new(AdminUnits::ParentCode).string_len(8).null())
                    .col(
                        ColumnDef::new(AdminUnits::Status)
                            .string_len(16)
                            .not_null()
                            .default("active"),
                    )
                    .col(ColumnDef::new(AdminUnits::ValidFrom).date().null())
                    .col(ColumnDef::new(AdminUnits::ValidTo).date().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_admin_units_era_level_code")
                    .table(AdminUnits::Table)
                    .col(AdminUnits::Era)
                    .col(AdminUnits::Level)
                    .col(AdminUnits::Code)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_admin_units_era_parent")
                    .table(AdminUnits::Table)
                    .col(AdminUnits::Era)
                    .col(AdminUnits::ParentCode)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_admin_units_era_province")
                    .table(AdminUnits::Table)
                    .col(AdminUnits::Era)
                    .col(AdminUnits::ProvinceCode)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AdminUnitConversions::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AdminUnitConversions::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AdminUnitConversions::OldCommuneCode).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnitConversions::OldDistrictCode).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnitConversions::OldProvinceCode).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnitConversions::NewCommuneCode).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnitConversions::NewProvinceCode).string_len(8).not_null())
                    .col(ColumnDef::new(AdminUnitConversions::PartlyMerged).boolean().not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_admin_unit_conversions_old_new")
                    .table(AdminUnitConversions::Table)
                    .col(AdminUnitConversions::OldCommuneCode)
                    .col(AdminUnitConversions::NewCommuneCode)
                    .unique()
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_admin_unit_conversions_new")
                    .table(AdminUnitConversions::Table)
                    .col(AdminUnitConversions::NewCommuneCode)
                    .if_not_exists()
                    .to_owned(),
            )
            .await?;

        seed::seed_admin_units(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AdminUnitConversions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(AdminUnits::Table).to_owned())
            .await
    }
}
