//! The Learning Citizen workflow: criteria sets (versioned, frozen once published), periods,
//! registrations with their assessment, the event history of each, recognition decisions and
//! the per-unit, per-year certificate counters.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CriteriaSets {
    Table,
    Id,
    Code,
    SetVersion,
    TargetGroup,
    Title,
    Status,
    IsTemplate,
    Structure,
    MinTotal,
    MinPerIndicator,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    PublishedAt,
    Version,
}

#[derive(DeriveIden)]
enum Periods {
    Table,
    Id,
    Year,
    Name,
    RegistrationOpens,
    RegistrationCloses,
    SelfAssessmentOpens,
    SelfAssessmentCloses,
    ReviewOpens,
    ReviewCloses,
    ReviewerLevel,
    RecogniserLevel,
    ValidityMonths,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum Registrations {
    Table,
    Id,
    PersonId,
    PeriodId,
    TargetGroup,
    ReviewingUnitId,
    CommuneCode,
    ProvinceCode,
    Status,
    CriteriaSetId,
    SelfScores,
    SelfTotal,
    ReviewScores,
    ReviewTotal,
    Passed,
    Evidence,
    LastNote,
    SubmittedAt,
    ReviewedAt,
    ReviewedBy,
    DecisionId,
    CertificateNumber,
    CertificateYear,
    CertificateSeq,
    VerificationCode,
    RecognisedAt,
    ExpiresOn,
    RevokedAt,
    RevokeReason,
    ExternalId,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum AssessmentEvents {
    Table,
    Id,
    RegistrationId,
    At,
    ActorUserId,
    ActorUsername,
    Action,
    FromStatus,
    ToStatus,
    Note,
}

#[derive(DeriveIden)]
enum Decisions {
    Table,
    Id,
    IssuingUnitId,
    CommuneCode,
    ProvinceCode,
    PeriodId,
    Number,
    DecisionDate,
    Signer,
    SignerTitle,
    Title,
    Status,
    Year,
    IssuedAt,
    IssuedBy,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden)]
enum DecisionItems {
    Table,
    DecisionId,
    RegistrationId,
    AddedAt,
}

#[derive(DeriveIden)]
enum CertificateCounters {
    Table,
    IssuingUnitId,
    Year,
    LastNumber,
}

#[derive(DeriveIden)]
enum People {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum AssociationUnits {
    Table,
    Id,
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

fn tz(col: impl IntoIden + 'static) -> ColumnDef {
    ColumnDef::new(col).timestamp_with_time_zone().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CriteriaSets::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(CriteriaSets::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(CriteriaSets::Code).string_len(64).not_null())
                    .col(
                        ColumnDef::new(CriteriaSets::SetVersion)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CriteriaSets::TargetGroup)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CriteriaSets::Title)
                            .string_len(500)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CriteriaSets::Status)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CriteriaSets::IsTemplate)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(ColumnDef::new(CriteriaSets::Structure).json().not_null())
                    .col(ColumnDef::new(CriteriaSets::MinTotal).integer().not_null())
                    .col(
                        ColumnDef::new(CriteriaSets::MinPerIndicator)
                            .integer()
                            .not_null(),
                    )
                    .col(ColumnDef::new(CriteriaSets::CreatedBy).uuid().null())
                    .col(tz(CriteriaSets::CreatedAt).not_null())
                    .col(tz(CriteriaSets::UpdatedAt).not_null())
                    .col(tz(CriteriaSets::PublishedAt).null())
                    .col(
                        ColumnDef::new(CriteriaSets::Version)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_criteria_sets_code_version",
            CriteriaSets::Table,
            vec![
                CriteriaSets::Code.into_iden(),
                CriteriaSets::SetVersion.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ix_criteria_sets_group",
            CriteriaSets::Table,
            vec![
                CriteriaSets::TargetGroup.into_iden(),
                CriteriaSets::Status.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Periods::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(Periods::Id).uuid().not_null().primary_key())
                    .col(
                        ColumnDef::new(Periods::Year)
                            .integer()
                            .not_null()
                            .unique_key(),
                    )
                    .col(ColumnDef::new(Periods::Name).string_len(200).not_null())
                    .col(ColumnDef::new(Periods::RegistrationOpens).date().not_null())
                    .col(
                        ColumnDef::new(Periods::RegistrationCloses)
                            .date()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Periods::SelfAssessmentOpens)
                            .date()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Periods::SelfAssessmentCloses)
                            .date()
                            .not_null(),
                    )
                    .col(ColumnDef::new(Periods::ReviewOpens).date().not_null())
                    .col(ColumnDef::new(Periods::ReviewCloses).date().not_null())
                    .col(
                        ColumnDef::new(Periods::ReviewerLevel)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Periods::RecogniserLevel)
                            .string_len(16)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Periods::ValidityMonths).integer().not_null())
                    .col(ColumnDef::new(Periods::Status).string_len(16).not_null())
                    .col(tz(Periods::CreatedAt).not_null())
                    .col(tz(Periods::UpdatedAt).not_null())
                    .col(
                        ColumnDef::new(Periods::Version)
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
                    .table(Registrations::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Registrations::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Registrations::PersonId).uuid().not_null())
                    .col(ColumnDef::new(Registrations::PeriodId).uuid().not_null())
                    .col(
                        ColumnDef::new(Registrations::TargetGroup)
                            .string_len(64)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::ReviewingUnitId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::CommuneCode)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::ProvinceCode)
                            .string_len(8)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::Status)
                            .string_len(24)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Registrations::CriteriaSetId).uuid().null())
                    .col(ColumnDef::new(Registrations::SelfScores).json().null())
                    .col(ColumnDef::new(Registrations::SelfTotal).integer().null())
                    .col(ColumnDef::new(Registrations::ReviewScores).json().null())
                    .col(ColumnDef::new(Registrations::ReviewTotal).integer().null())
                    .col(ColumnDef::new(Registrations::Passed).boolean().null())
                    .col(ColumnDef::new(Registrations::Evidence).json().null())
                    .col(
                        ColumnDef::new(Registrations::LastNote)
                            .string_len(2000)
                            .null(),
                    )
                    .col(tz(Registrations::SubmittedAt).null())
                    .col(tz(Registrations::ReviewedAt).null())
                    .col(ColumnDef::new(Registrations::ReviewedBy).uuid().null())
                    .col(ColumnDef::new(Registrations::DecisionId).uuid().null())
                    .col(
                        ColumnDef::new(Registrations::CertificateNumber)
                            .string_len(40)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::CertificateYear)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::CertificateSeq)
                            .integer()
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::VerificationCode)
                            .string_len(64)
                            .null(),
                    )
                    .col(tz(Registrations::RecognisedAt).null())
                    .col(ColumnDef::new(Registrations::ExpiresOn).date().null())
                    .col(tz(Registrations::RevokedAt).null())
                    .col(
                        ColumnDef::new(Registrations::RevokeReason)
                            .string_len(2000)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(Registrations::ExternalId)
                            .string_len(100)
                            .null(),
                    )
                    .col(ColumnDef::new(Registrations::CreatedBy).uuid().null())
                    .col(tz(Registrations::CreatedAt).not_null())
                    .col(tz(Registrations::UpdatedAt).not_null())
                    .col(
                        ColumnDef::new(Registrations::Version)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_registrations_person")
                            .from(Registrations::Table, Registrations::PersonId)
                            .to(People::Table, People::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_registrations_period")
                            .from(Registrations::Table, Registrations::PeriodId)
                            .to(Periods::Table, Periods::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_registrations_reviewing_unit")
                            .from(Registrations::Table, Registrations::ReviewingUnitId)
                            .to(AssociationUnits::Table, AssociationUnits::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_registrations_person_period",
            Registrations::Table,
            vec![
                Registrations::PersonId.into_iden(),
                Registrations::PeriodId.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ix_registrations_scope",
            Registrations::Table,
            vec![
                Registrations::PeriodId.into_iden(),
                Registrations::ProvinceCode.into_iden(),
                Registrations::CommuneCode.into_iden(),
                Registrations::Status.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ix_registrations_reviewer",
            Registrations::Table,
            vec![
                Registrations::ReviewingUnitId.into_iden(),
                Registrations::Status.into_iden(),
            ],
            false,
        )
        .await?;
        index(
            manager,
            "ux_registrations_verification",
            Registrations::Table,
            vec![Registrations::VerificationCode.into_iden()],
            true,
        )
        .await?;
        index(
            manager,
            "ix_registrations_decision",
            Registrations::Table,
            vec![Registrations::DecisionId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(AssessmentEvents::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(AssessmentEvents::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(AssessmentEvents::RegistrationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(tz(AssessmentEvents::At).not_null())
                    .col(ColumnDef::new(AssessmentEvents::ActorUserId).uuid().null())
                    .col(
                        ColumnDef::new(AssessmentEvents::ActorUsername)
                            .string_len(64)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AssessmentEvents::Action)
                            .string_len(32)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AssessmentEvents::FromStatus)
                            .string_len(24)
                            .null(),
                    )
                    .col(
                        ColumnDef::new(AssessmentEvents::ToStatus)
                            .string_len(24)
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AssessmentEvents::Note)
                            .string_len(2000)
                            .null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_assessment_events_registration")
                            .from(AssessmentEvents::Table, AssessmentEvents::RegistrationId)
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_assessment_events_registration",
            AssessmentEvents::Table,
            vec![
                AssessmentEvents::RegistrationId.into_iden(),
                AssessmentEvents::At.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Decisions::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(Decisions::Id)
                            .uuid()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Decisions::IssuingUnitId).uuid().not_null())
                    .col(ColumnDef::new(Decisions::CommuneCode).string_len(8).null())
                    .col(ColumnDef::new(Decisions::ProvinceCode).string_len(8).null())
                    .col(ColumnDef::new(Decisions::PeriodId).uuid().not_null())
                    .col(ColumnDef::new(Decisions::Number).string_len(64).not_null())
                    .col(ColumnDef::new(Decisions::DecisionDate).date().not_null())
                    .col(ColumnDef::new(Decisions::Signer).string_len(200).not_null())
                    .col(
                        ColumnDef::new(Decisions::SignerTitle)
                            .string_len(200)
                            .not_null(),
                    )
                    .col(ColumnDef::new(Decisions::Title).string_len(500).not_null())
                    .col(ColumnDef::new(Decisions::Status).string_len(16).not_null())
                    .col(ColumnDef::new(Decisions::Year).integer().not_null())
                    .col(tz(Decisions::IssuedAt).null())
                    .col(ColumnDef::new(Decisions::IssuedBy).uuid().null())
                    .col(tz(Decisions::CreatedAt).not_null())
                    .col(tz(Decisions::UpdatedAt).not_null())
                    .col(
                        ColumnDef::new(Decisions::Version)
                            .integer()
                            .not_null()
                            .default(1),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_issuing_unit")
                            .from(Decisions::Table, Decisions::IssuingUnitId)
                            .to(AssociationUnits::Table, AssociationUnits::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decisions_period")
                            .from(Decisions::Table, Decisions::PeriodId)
                            .to(Periods::Table, Periods::Id),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ux_decisions_unit_number",
            Decisions::Table,
            vec![
                Decisions::IssuingUnitId.into_iden(),
                Decisions::Number.into_iden(),
            ],
            true,
        )
        .await?;
        index(
            manager,
            "ix_decisions_scope",
            Decisions::Table,
            vec![
                Decisions::ProvinceCode.into_iden(),
                Decisions::CommuneCode.into_iden(),
            ],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(DecisionItems::Table)
                    .if_not_exists()
                    .col(ColumnDef::new(DecisionItems::DecisionId).uuid().not_null())
                    .col(
                        ColumnDef::new(DecisionItems::RegistrationId)
                            .uuid()
                            .not_null(),
                    )
                    .col(tz(DecisionItems::AddedAt).not_null())
                    .primary_key(
                        Index::create()
                            .col(DecisionItems::DecisionId)
                            .col(DecisionItems::RegistrationId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_items_decision")
                            .from(DecisionItems::Table, DecisionItems::DecisionId)
                            .to(Decisions::Table, Decisions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_decision_items_registration")
                            .from(DecisionItems::Table, DecisionItems::RegistrationId)
                            .to(Registrations::Table, Registrations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_decision_items_registration",
            DecisionItems::Table,
            vec![DecisionItems::RegistrationId.into_iden()],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(CertificateCounters::Table)
                    .if_not_exists()
                    .col(
                        ColumnDef::new(CertificateCounters::IssuingUnitId)
                            .uuid()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CertificateCounters::Year)
                            .integer()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(CertificateCounters::LastNumber)
                            .integer()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(CertificateCounters::IssuingUnitId)
                            .col(CertificateCounters::Year),
                    )
                    .to_owned(),
            )
            .await?;

        seed_templates(manager.get_connection()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CertificateCounters::Table.into_iden(),
            DecisionItems::Table.into_iden(),
            Decisions::Table.into_iden(),
            AssessmentEvents::Table.into_iden(),
            Registrations::Table.into_iden(),
            Periods::Table.into_iden(),
            CriteriaSets::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// Namespace of the ids of the shipped template criteria sets.
const TEMPLATE_NAMESPACE: Uuid = Uuid::from_u128(0x2f4c_91d0_77a3_4e15_b6c2_08d9_3e51_a7c4);

/// The shipped template criteria set of each known target group, published as version 1 of
/// `default-<group>` and marked as a template to be replaced by the official text.
async fn seed_templates<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    let mut insert = Query::insert();
    insert.into_table(CriteriaSets::Table).columns([
        CriteriaSets::Id,
        CriteriaSets::Code,
        CriteriaSets::SetVersion,
        CriteriaSets::TargetGroup,
        CriteriaSets::Title,
        CriteriaSets::Status,
        CriteriaSets::IsTemplate,
        CriteriaSets::Structure,
        CriteriaSets::MinTotal,
        CriteriaSets::MinPerIndicator,
        CriteriaSets::CreatedAt,
        CriteriaSets::UpdatedAt,
        CriteriaSets::PublishedAt,
        CriteriaSets::Version,
    ]);
    for group in ["farmer", "worker", "official"] {
        let (title, structure, rule) = shared::criteria::default_template(group);
        let code = format!("default-{group}");
        let structure = serde_json::to_value(&structure)
            .map_err(|e| DbErr::Custom(format!("template structure: {e}")))?;
        insert.values_panic([
            Uuid::new_v5(&TEMPLATE_NAMESPACE, code.as_bytes()).into(),
            code.into(),
            1.into(),
            group.into(),
            title.into(),
            "published".into(),
            true.into(),
            structure.into(),
            <i32 as TryFrom<u32>>::try_from(rule.min_total)
                .unwrap_or(80)
                .into(),
            <i32 as TryFrom<u32>>::try_from(rule.min_per_indicator)
                .unwrap_or(5)
                .into(),
            now.into(),
            now.into(),
            Some(now).into(),
            1.into(),
        ]);
    }
    insert.on_conflict(OnConflict::column(CriteriaSets::Id).do_nothing().to_owned());
    db.execute(db.get_database_backend().build(&insert)).await?;
    Ok(())
}
