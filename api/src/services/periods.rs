//! Periods: one per year, with the dates that open and close registration, self-assessment and
//! review, and which level reviews and recognises.

use crate::auth::{Actor, UnitPath};
use crate::db::entities::period;
use crate::error::ApiError;
use crate::services::audit;
use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use shared::auth::Role;
use shared::error::FieldError;
use shared::workflow::{Period, PeriodInput, REVIEWER_LEVELS};
use uuid::Uuid;

pub fn to_dto(m: period::Model) -> Period {
    Period {
        id: m.id,
        year: m.year,
        name: m.name,
        registration_opens: m.registration_opens,
        registration_closes: m.registration_closes,
        self_assessment_opens: m.self_assessment_opens,
        self_assessment_closes: m.self_assessment_closes,
        review_opens: m.review_opens,
        review_closes: m.review_closes,
        reviewer_level: m.reviewer_level,
        recogniser_level: m.recogniser_level,
        validity_months: m.validity_months,
        version: m.version,
    }
}

pub async fn list(db: &DatabaseConnection) -> Result<Vec<Period>, ApiError> {
    Ok(period::Entity::find()
        .order_by_desc(period::Column::Year)
        .all(db)
        .await?
        .into_iter()
        .map(to_dto)
        .collect())
}

pub async fn load(db: &impl sea_orm::ConnectionTrait, id: Uuid) -> Result<period::Model, ApiError> {
    period::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or_else(|| ApiError::not_found("period"))
}

struct Dates {
    name: String,
    dates: [NaiveDate; 6],
    reviewer: String,
    recogniser: String,
    validity: i32,
}

fn check(input: &PeriodInput) -> Result<Dates, ApiError> {
    let year = input.year;
    let first = NaiveDate::from_ymd_opt(year, 1, 1);
    let last = NaiveDate::from_ymd_opt(year, 12, 31);
    let (Some(first), Some(last)) = (first, last) else {
        return Err(ApiError::field(
            "year",
            "invalid_year",
            "not a calendar year",
        ));
    };
    let d = |v: Option<NaiveDate>, default: NaiveDate| v.unwrap_or(default);
    let dates = [
        d(input.registration_opens, first),
        d(input.registration_closes, last),
        d(input.self_assessment_opens, first),
        d(input.self_assessment_closes, last),
        d(input.review_opens, first),
        d(input.review_closes, last),
    ];
    let names = [
        ("registration_opens", "registration_closes"),
        ("self_assessment_opens", "self_assessment_closes"),
        ("review_opens", "review_closes"),
    ];
    let mut errors = Vec::new();
    for (i, (open, close)) in names.iter().enumerate() {
        if dates[2 * i] > dates[2 * i + 1] {
            errors.push(FieldError {
                field: (*close).to_string(),
                code: "before_opening".into(),
                message: format!("must not be before {open}"),
            });
        }
    }
    let reviewer = input
        .reviewer_level
        .clone()
        .unwrap_or_else(|| "branch".into());
    if !REVIEWER_LEVELS.contains(&reviewer.as_str()) {
        errors.push(FieldError {
            field: "reviewer_level".into(),
            code: "invalid_level".into(),
            message: "must be branch, committee or commune".into(),
        });
    }
    let recogniser = input
        .recogniser_level
        .clone()
        .unwrap_or_else(|| "commune".into());
    if !["commune", "province"].contains(&recogniser.as_str()) {
        errors.push(FieldError {
            field: "recogniser_level".into(),
            code: "invalid_level".into(),
            message: "must be commune or province".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    Ok(Dates {
        name: input
            .name
            .as_deref()
            .map(shared::text::clean)
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| format!("Năm {year}")),
        dates,
        reviewer,
        recogniser,
        validity: input.validity_months.unwrap_or(12),
    })
}

fn ensure_central(actor: &Actor) -> Result<(), ApiError> {
    if actor.role == Role::CentralAdmin {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "only the central administrator configures periods".into(),
        ))
    }
}

/// Creates the period of a year (one per year: 409 when it exists).
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: PeriodInput,
) -> Result<Period, ApiError> {
    ensure_central(actor)?;
    let c = check(&input)?;
    let txn = crate::db::begin_write(db).await?;
    if period::Entity::find()
        .filter(period::Column::Year.eq(input.year))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict(format!(
            "the period of {} exists",
            input.year
        )));
    }
    let now = chrono::Utc::now();
    let m = period::ActiveModel {
        id: Set(Uuid::new_v4()),
        year: Set(input.year),
        name: Set(c.name),
        registration_opens: Set(c.dates[0]),
        registration_closes: Set(c.dates[1]),
        self_assessment_opens: Set(c.dates[2]),
        self_assessment_closes: Set(c.dates[3]),
        review_opens: Set(c.dates[4]),
        review_closes: Set(c.dates[5]),
        reviewer_level: Set(c.reviewer),
        recogniser_level: Set(c.recogniser),
        validity_months: Set(c.validity),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "period.create",
            resource_type: "period",
            resource_id: Some(m.id.to_string()),
            unit: &UnitPath::nation(),
            detail: Some(serde_json::json!({"year": m.year})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(m))
}

/// Changes the dates and configuration of a period (its year stays).
pub async fn update(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    input: PeriodInput,
) -> Result<Period, ApiError> {
    ensure_central(actor)?;
    let c = check(&input)?;
    let txn = crate::db::begin_write(db).await?;
    let old = load(&txn, id).await?;
    if old.year != input.year {
        return Err(ApiError::field(
            "year",
            "immutable",
            "the year of a period does not change",
        ));
    }
    let mut m: period::ActiveModel = old.clone().into();
    m.name = Set(c.name);
    m.registration_opens = Set(c.dates[0]);
    m.registration_closes = Set(c.dates[1]);
    m.self_assessment_opens = Set(c.dates[2]);
    m.self_assessment_closes = Set(c.dates[3]);
    m.review_opens = Set(c.dates[4]);
    m.review_closes = Set(c.dates[5]);
    m.reviewer_level = Set(c.reviewer);
    m.recogniser_level = Set(c.recogniser);
    m.validity_months = Set(c.validity);
    m.updated_at = Set(chrono::Utc::now());
    m.version = Set(old.version + 1);
    let saved = m.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "period.update",
            resource_type: "period",
            resource_id: Some(id.to_string()),
            unit: &UnitPath::nation(),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(to_dto(saved))
}
