//! The registry: target groups, Association units (one per current province and commune from the
//! start), villages, people and memberships.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub enum TargetGroups {
    Table,
    Code,
    NameVi,
    NameEn,
    Active,
    SortOrder,
}

#[derive(DeriveIden)]
pub enum AssociationUnits {
    Table,
    Id,
    Name,
    SearchName,
    Level,
    ParentId,
    AdminUnitCode,
    ProvinceCode,
    CommuneCode,
    VillageId,
    CommitteeKind,
    Chairperson,
    Phone,
    Email,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
pub enum Villages {
    Table,
    Id,
    CommuneCode,
    ProvinceCode,
    Name,
    SearchName,
    Kind,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
pub enum People {
    Table,
    Id,
    FullName,
    SearchName,
    Gender,
    BirthDate,
    BirthYear,
    PersonalIdCipher,
    PersonalIdHash,
    PersonalIdMasked,
    Phone,
    CommuneCode,
    ProvinceCode,
    VillageId,
    Occupation,
    TargetGroup,
    Workplace,
    Ethnicity,
    Religion,
    SensitiveConsentBy,
    SensitiveConsentAt,
    SensitiveConsentText,
    ExternalId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
pub enum Memberships {
    Table,
    Id,
    PersonId,
    AssociationUnitId,
    Role,
    JoinedOn,
    CardNumber,
    Status,
    EndedOn,
    TransferredToId,
    Note,
    CreatedAt,
    UpdatedAt,
    Version,
}

/// Namespace of the deterministic ids of the Association units created from the unit lists.
pub const ASSOCIATION_UNIT_NAMESPACE: Uuid =
    Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);

/// The id of the Association unit created for the nation (`VN`), a province or a commune.
pub fn association_unit_id(level: &str, code: &str) -> Uuid {
    Uuid::new_v5(
        &ASSOCIATION_UNIT_NAMESPACE,
        format!("{level}:{code}").as_bytes(),
    )
}

fn timestamps<T: IntoIden + 'static>(table: &mut TableCreateStatement, created: T, updated: T) {
    table
        .col(
            ColumnDef::new(created)
                .timestamp_with_time_zone()
                .not_null(),
        )
        .col(
            ColumnDef::new(updated)
                .timestamp_with_time_zone()
                .not_null(),
        );
}

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden + 'static,
    cols: Vec<DynIden>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut stmt = Index::create();
    stmt.name(name).table(table).if_not_exists();
    for c in cols {
        stmt.col(c);
    }
    if unique {
        stmt.unique();
    }
    manager.create_index(stmt.to_owned()).await
}

#[derive(Debug, FromQueryResult)]
struct UnitRow {
    code: String,
    name: String,
    level: String,
    province_code: String,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TargetGroups::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(TargetGroups::Code)
                            .string_len(64)
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(TargetGroups::NameVi)
                            .string_len(300)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TargetGroups::NameEn)
                            .string_len(300)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(TargetGroups::Active)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .col(
                        ColumnDef::new(TargetGroups::SortOrder)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .to_owned(),
            )
            .await?;

        let mut units = Table::create();
        units
            .table(AssociationUnits::Table)
            .if_not_exists()
            .col(
                ColumnDef::new(AssociationUnits::Id)
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(
                ColumnDef::new(AssociationUnits::Name)
                    .string_len(300)
                    .not_null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::SearchName)
                    .string_len(300)
                    .not_null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::Level)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(AssociationUnits::ParentId).uuid().null())
            .col(
                ColumnDef::new(AssociationUnits::AdminUnitCode)
                    .string_len(8)
                    .not_null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::ProvinceCode)
                    .string_len(8)
                    .null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::CommuneCode)
                    .string_len(8)
                    .null(),
            )
            .col(ColumnDef::new(AssociationUnits::VillageId).uuid().null())
            .col(
                ColumnDef::new(AssociationUnits::CommitteeKind)
                    .string_len(32)
                    .null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::Chairperson)
                    .string_len(200)
                    .null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::Phone)
                    .string_len(20)
                    .null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::Email)
                    .string_len(200)
                    .null(),
            )
            .col(
                ColumnDef::new(AssociationUnits::Status)
                    .string_len(16)
                    .not_null()
                    .default("active"),
            );
        timestamps(
            &mut units,
            AssociationUnits::CreatedAt,
            AssociationUnits::UpdatedAt,
        );
        units
            .col(
                ColumnDef::new(AssociationUnits::Version)
                    .integer()
                    .not_null()
                    .default(1),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_association_units_parent")
                    .from(AssociationUnits::Table, AssociationUnits::ParentId)
                    .to(AssociationUnits::Table, AssociationUnits::Id),
            );
        manager.create_table(units.to_owned()).await?;
        index(
            manager,
            "ix_association_units_parent",
            AssociationUnits::Table,
            vec![AssociationUnits::ParentId.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "ix_association_units_province",
            AssociationUnits::Table,
            vec![
                AssociationUnits::ProvinceCode.into_iden(),
                AssociationUnits::CommuneCode.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_association_units_commune",
            AssociationUnits::Table,
            vec![AssociationUnits::CommuneCode.into_iden()],
            false,
        )
        .await?;

        let mut villages = Table::create();
        villages
            .table(Villages::Table)
            .if_not_exists()
            .col(ColumnDef::new(Villages::Id).uuid().not_null().primary_key())
            .col(
                ColumnDef::new(Villages::CommuneCode)
                    .string_len(8)
                    .not_null(),
            )
            .col(
                ColumnDef::new(Villages::ProvinceCode)
                    .string_len(8)
                    .not_null(),
            )
            .col(ColumnDef::new(Villages::Name).string_len(200).not_null())
            .col(
                ColumnDef::new(Villages::SearchName)
                    .string_len(200)
                    .not_null(),
            )
            .col(ColumnDef::new(Villages::Kind).string_len(32).not_null())
            .col(
                ColumnDef::new(Villages::Status)
                    .string_len(16)
                    .not_null()
                    .default("active"),
            );
        timestamps(&mut villages, Villages::CreatedAt, Villages::UpdatedAt);
        villages.col(
            ColumnDef::new(Villages::Version)
                .integer()
                .not_null()
                .default(1),
        );
        manager.create_table(villages.to_owned()).await?;
        index(
            manager,
            "ix_villages_commune",
            Villages::Table,
            vec![
                Villages::CommuneCode.into_iden(),
                Villages::SearchName.into_iden(),
            ],
            false,
        )
        .await?;

        let mut people = Table::create();
        people
            .table(People::Table)
            .if_not_exists()
            .col(ColumnDef::new(People::Id).uuid().not_null().primary_key())
            .col(ColumnDef::new(People::FullName).string_len(200).not_null())
            .col(
                ColumnDef::new(People::SearchName)
                    .string_len(200)
                    .not_null(),
            )
            .col(ColumnDef::new(People::Gender).string_len(8).not_null())
            .col(ColumnDef::new(People::BirthDate).date().null())
            .col(ColumnDef::new(People::BirthYear).integer().not_null())
            .col(
                ColumnDef::new(People::PersonalIdCipher)
                    .string_len(200)
                    .null(),
            )
            .col(ColumnDef::new(People::PersonalIdHash).string_len(64).null())
            .col(
                ColumnDef::new(People::PersonalIdMasked)
                    .string_len(16)
                    .null(),
            )
            .col(ColumnDef::new(People::Phone).string_len(20).null())
            .col(ColumnDef::new(People::CommuneCode).string_len(8).not_null())
            .col(
                ColumnDef::new(People::ProvinceCode)
                    .string_len(8)
                    .not_null(),
            )
            .col(ColumnDef::new(People::VillageId).uuid().null())
            .col(ColumnDef::new(People::Occupation).string_len(200).null())
            .col(ColumnDef::new(People::TargetGroup).string_len(64).null())
            .col(ColumnDef::new(People::Workplace).string_len(300).null())
            .col(ColumnDef::new(People::Ethnicity).string_len(100).null())
            .col(ColumnDef::new(People::Religion).string_len(100).null())
            .col(
                ColumnDef::new(People::SensitiveConsentBy)
                    .string_len(200)
                    .null(),
            )
            .col(
                ColumnDef::new(People::SensitiveConsentAt)
                    .timestamp_with_time_zone()
                    .null(),
            )
            .col(
                ColumnDef::new(People::SensitiveConsentText)
                    .string_len(1000)
                    .null(),
            )
            .col(ColumnDef::new(People::ExternalId).string_len(100).null())
            .col(ColumnDef::new(People::CreatedBy).uuid().null());
        timestamps(&mut people, People::CreatedAt, People::UpdatedAt);
        people
            .col(
                ColumnDef::new(People::Version)
                    .integer()
                    .not_null()
                    .default(1),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_people_village")
                    .from(People::Table, People::VillageId)
                    .to(Villages::Table, Villages::Id),
            );
        manager.create_table(people.to_owned()).await?;
        index(
            manager,
            "ux_people_personal_id_hash",
            People::Table,
            vec![People::PersonalIdHash.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "ix_people_scope",
            People::Table,
            vec![
                People::ProvinceCode.into_iden(),
                People::CommuneCode.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_people_search_name",
            People::Table,
            vec![People::SearchName.into_iden()],
            false,
        )
        .await?;
        index(
            manager,
            "ix_people_external_id",
            People::Table,
            vec![People::ExternalId.into_iden()],
            false,
        )
        .await?;

        let mut memberships = Table::create();
        memberships
            .table(Memberships::Table)
            .if_not_exists()
            .col(
                ColumnDef::new(Memberships::Id)
                    .uuid()
                    .not_null()
                    .primary_key(),
            )
            .col(ColumnDef::new(Memberships::PersonId).uuid().not_null())
            .col(
                ColumnDef::new(Memberships::AssociationUnitId)
                    .uuid()
                    .not_null(),
            )
            .col(ColumnDef::new(Memberships::Role).string_len(32).not_null())
            .col(ColumnDef::new(Memberships::JoinedOn).date().null())
            .col(
                ColumnDef::new(Memberships::CardNumber)
                    .string_len(50)
                    .null(),
            )
            .col(
                ColumnDef::new(Memberships::Status)
                    .string_len(16)
                    .not_null(),
            )
            .col(ColumnDef::new(Memberships::EndedOn).date().null())
            .col(ColumnDef::new(Memberships::TransferredToId).uuid().null())
            .col(ColumnDef::new(Memberships::Note).string_len(1000).null());
        timestamps(
            &mut memberships,
            Memberships::CreatedAt,
            Memberships::UpdatedAt,
        );
        memberships
            .col(
                ColumnDef::new(Memberships::Version)
                    .integer()
                    .not_null()
                    .default(1),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_memberships_person")
                    .from(Memberships::Table, Memberships::PersonId)
                    .to(People::Table, People::Id)
                    .on_delete(ForeignKeyAction::Cascade),
            )
            .foreign_key(
                ForeignKey::create()
                    .name("fk_memberships_unit")
                    .from(Memberships::Table, Memberships::AssociationUnitId)
                    .to(AssociationUnits::Table, AssociationUnits::Id),
            );
        manager.create_table(memberships.to_owned()).await?;
        index(
            manager,
            "ix_memberships_unit",
            Memberships::Table,
            vec![
                Memberships::AssociationUnitId.into_iden(),
                Memberships::Status.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_memberships_person",
            Memberships::Table,
            vec![Memberships::PersonId.into_iden()],
            false,
        )
        .await?;

        seed(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Memberships::Table.into_iden(),
            People::Table.into_iden(),
            Villages::Table.into_iden(),
            AssociationUnits::Table.into_iden(),
            TargetGroups::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// The known target groups, and an Association unit for the nation and for every current
/// province and commune, each under the one above.
async fn seed<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let mut groups = Query::insert();
    groups
        .into_table(TargetGroups::Table)
        .columns([
            TargetGroups::Code,
            TargetGroups::NameVi,
            TargetGroups::NameEn,
            TargetGroups::Active,
            TargetGroups::SortOrder,
        ])
        .values_panic([
            "farmer".into(),
            "Nông dân, lao động nông thôn".into(),
            "Farmers and rural workers".into(),
            true.into(),
            1.into(),
        ])
        .values_panic([
            "worker".into(),
            "Công nhân, lao động thủ công".into(),
            "Industrial and handicraft workers".into(),
            true.into(),
            2.into(),
        ])
        .values_panic([
            "official".into(),
            "Cán bộ, công chức, viên chức, lao động trí thức".into(),
            "Officials, civil servants, public employees and intellectual workers".into(),
            true.into(),
            3.into(),
        ])
        .on_conflict(
            OnConflict::column(TargetGroups::Code)
                .do_nothing()
                .to_owned(),
        );
    db.execute(backend.build(&groups)).await?;

    let rows = UnitRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT code, name, level, province_code FROM admin_units \
         WHERE era = 'current' AND level IN ('province', 'commune') ORDER BY level DESC, code",
    ))
    .all(db)
    .await?;
    let now = chrono::Utc::now();
    let nation = association_unit_id("central", "VN");
    let mut all = vec![(
        nation,
        "Hội Khuyến học Việt Nam".to_string(),
        "central",
        None,
        "VN".to_string(),
        None,
        None,
    )];
    for r in &rows {
        let short = r.name.clone();
        if r.level == "province" {
            all.push((
                association_unit_id("province", &r.code),
                format!("Hội Khuyến học {}", short),
                "province",
                Some(nation),
                r.code.clone(),
                Some(r.code.clone()),
                None,
            ));
        } else {
            all.push((
                association_unit_id("commune", &r.code),
                format!("Hội Khuyến học {}", short),
                "commune",
                Some(association_unit_id("province", &r.province_code)),
                r.code.clone(),
                Some(r.province_code.clone()),
                Some(r.code.clone()),
            ));
        }
    }
    for chunk in all.chunks(400) {
        let mut insert = Query::insert();
        insert.into_table(AssociationUnits::Table).columns([
            AssociationUnits::Id,
            AssociationUnits::Name,
            AssociationUnits::SearchName,
            AssociationUnits::Level,
            AssociationUnits::ParentId,
            AssociationUnits::AdminUnitCode,
            AssociationUnits::ProvinceCode,
            AssociationUnits::CommuneCode,
            AssociationUnits::Status,
            AssociationUnits::CreatedAt,
            AssociationUnits::UpdatedAt,
            AssociationUnits::Version,
        ]);
        for (id, name, level, parent, code, province, commune) in chunk {
            insert.values_panic([
                (*id).into(),
                name.clone().into(),
                shared::text::fold(name).into(),
                (*level).into(),
                (*parent).into(),
                code.clone().into(),
                province.clone().into(),
                commune.clone().into(),
                "active".into(),
                now.into(),
                now.into(),
                1.into(),
            ]);
        }
        insert.on_conflict(
            OnConflict::column(AssociationUnits::Id)
                .do_nothing()
                .to_owned(),
        );
        db.execute(backend.build(&insert)).await?;
    }
    Ok(())
}
