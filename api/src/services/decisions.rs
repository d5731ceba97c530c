//! Recognition decisions: drafted by the recognising unit, filled with review-passed
//! assessments, issued in one transaction that recognises them all and numbers their
//! certificates without gap or duplicate per issuing unit and year (a counter row updated inside
//! the transaction: concurrent issues wait for each other). Also revocation, the public
//! verification and the certificate PDFs.

use crate::auth::{Actor, UnitPath};
use crate::certificates::{self, Certificate};
use crate::db::entities::{
    admin_unit, association_unit, certificate_counter, decision, decision_item, period, person,
    registration,
};
use crate::error::ApiError;
use crate::services::{association_units, audit, periods, registrations};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sea_orm::sea_query::{Expr, OnConflict, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use serde_json::json;
use shared::assessment::{AssessmentStatus, EffectiveStatus};
use shared::auth::Role;
use shared::workflow::{Decision, DecisionInput, Verification, mask_name};
use std::collections::HashMap;
use uuid::Uuid;

fn location(d: &decision::Model) -> UnitPath {
    match (&d.province_code, &d.commune_code) {
        (Some(p), Some(c)) => UnitPath::commune(p, c),
        (Some(p), None) => UnitPath::province(p),
        _ => UnitPath::nation(),
    }
}

fn ensure_recogniser(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::CommuneOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not recognise assessments".into(),
        ))
    }
}

async fn to_dto(db: &impl ConnectionTrait, d: decision::Model) -> Result<Decision, ApiError> {
    let unit = association_unit::Entity::find_by_id(d.issuing_unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let items = decision_item::Entity::find()
        .filter(decision_item::Column::DecisionId.eq(d.id))
        .order_by_asc(decision_item::Column::AddedAt)
        .all(db)
        .await?;
    Ok(Decision {
        id: d.id,
        issuing_unit_id: d.issuing_unit_id,
        issuing_unit_name: unit,
        period_id: d.period_id,
        number: d.number,
        decision_date: d.decision_date,
        signer: d.signer,
        signer_title: d.signer_title,
        title: d.title,
        status: d.status,
        issued_at: d.issued_at,
        registration_ids: items.into_iter().map(|i| i.registration_id).collect(),
        version: d.version,
    })
}

/// Loads a decision inside the actor's unit.
pub async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<decision::Model, ApiError> {
    decision::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|d| actor.unit.contains(&location(d)))
        .ok_or_else(|| ApiError::not_found("decision"))
}

pub async fn get(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<Decision, ApiError> {
    let d = load(db, actor, id).await?;
    to_dto(db, d).await
}

/// Decisions inside the actor's unit, newest first.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    period_id: Option<Uuid>,
) -> Result<Vec<Decision>, ApiError> {
    let mut query = decision::Entity::find();
    query = match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => query,
        (Some(p), None) => query.filter(decision::Column::ProvinceCode.eq(p.clone())),
        (_, Some(c)) => query.filter(decision::Column::CommuneCode.eq(c.clone())),
    };
    if let Some(p) = period_id {
        query = query.filter(decision::Column::PeriodId.eq(p));
    }
    let rows = query
        .order_by_desc(decision::Column::DecisionDate)
        .order_by_desc(decision::Column::CreatedAt)
        .all(db)
        .await?;
    let mut out = Vec::with_capacity(rows.len());
    for d in rows {
        out.push(to_dto(db, d).await?);
    }
    Ok(out)
}

/// Drafts a decision of a recognising unit in the actor's unit.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: DecisionInput,
) -> Result<Decision, ApiError> {
    ensure_recogniser(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let period = periods::load(&txn, input.period_id)
        .await
        .map_err(|_| ApiError::field("period_id", "unknown_period", "no such period"))?;
    let unit = match input.issuing_unit_id {
        Some(id) => association_units::load(&txn, actor, id).await?,
        None => recogniser_of(&txn, actor, &period.recogniser_level).await?,
    };
    if unit.level != period.recogniser_level {
        return Err(ApiError::field(
            "issuing_unit_id",
            "not_recogniser",
            format!(
                "in {} the {} Association recognises",
                period.name, period.recogniser_level
            ),
        ));
    }
    let number = shared::text::clean(&input.number);
    let taken = decision::Entity::find()
        .filter(decision::Column::IssuingUnitId.eq(unit.id))
        .filter(decision::Column::Number.eq(&number))
        .one(&txn)
        .await?;
    if let Some(t) = taken {
        return Err(ApiError::Duplicate {
            detail: format!("the unit already has a decision numbered {number}"),
            existing_id: Some(t.id.to_string()),
        });
    }
    let now = chrono::Utc::now();
    let d = decision::ActiveModel {
        id: Set(Uuid::new_v4()),
        issuing_unit_id: Set(unit.id),
        commune_code: Set(unit.commune_code.clone()),
        province_code: Set(unit.province_code.clone()),
        period_id: Set(period.id),
        number: Set(number),
        decision_date: Set(input.decision_date),
        signer: Set(shared::text::clean(&input.signer)),
        signer_title: Set(shared::text::clean(&input.signer_title)),
        title: Set(shared::text::clean(&input.title)),
        status: Set("draft".into()),
        year: Set(chrono::Datelike::year(&input.decision_date)),
        issued_at: Set(None),
        issued_by: Set(None),
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
            action: "decision.create",
            resource_type: "decision",
            resource_id: Some(d.id.to_string()),
            unit: &location(&d),
            detail: Some(json!({"number": d.number})),
        },
    )
    .await?;
    txn.commit().await?;
    to_dto(db, d).await
}

async fn load_draft(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<decision::Model, ApiError> {
    let d = load(db, actor, id).await?;
    if d.status != "draft" {
        return Err(ApiError::Conflict(format!(
            "decision {} is issued: it no longer changes (current state: {})",
            d.number, d.status
        )));
    }
    Ok(d)
}

/// The caller's own unit at the level that recognises in the period: their commune's
/// Association unit, or their province's when provinces recognise.
async fn recogniser_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
    level: &str,
) -> Result<association_unit::Model, ApiError> {
    if level != "province" {
        return registrations::commune_unit_of(db, actor).await;
    }
    if actor.unit.commune.is_some() {
        return Err(ApiError::Forbidden(
            "in this period the province Association recognises, not a commune".into(),
        ));
    }
    let code = actor.unit.province.clone().ok_or_else(|| {
        ApiError::field("issuing_unit_id", "required", "give the recognising unit")
    })?;
    association_units::load(
        db,
        actor,
        migrations::m20251128_000004_registry::association_unit_id("province", &code),
    )
    .await
}

/// Adds review-passed registrations of the decision's unit and period to a draft decision.
pub async fn add_items(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    registration_ids: Vec<Uuid>,
) -> Result<Decision, ApiError> {
    ensure_recogniser(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let d = load_draft(&txn, actor, id).await?;
    let place = location(&d);
    let now = chrono::Utc::now();
    for (i, rid) in registration_ids.iter().enumerate() {
        let field = format!("registration_ids[{i}]");
        let r = registration::Entity::find_by_id(*rid)
            .one(&txn)
            .await?
            .filter(|r| {
                actor
                    .unit
                    .contains(&UnitPath::commune(&r.province_code, &r.commune_code))
            })
            .ok_or_else(|| {
                ApiError::field(&field, "unknown", "no such registration in your unit")
            })?;
        if !place.contains(&UnitPath::commune(&r.province_code, &r.commune_code))
            || r.period_id != d.period_id
        {
            return Err(ApiError::field(
                &field,
                "other_unit_or_period",
                "the registration belongs to another unit or period than the decision",
            ));
        }
        if r.status != AssessmentStatus::ReviewPassed.as_str() {
            return Err(ApiError::field(
                &field,
                "not_review_passed",
                format!(
                    "only review-passed assessments are recognised; this one is {}",
                    r.status
                ),
            ));
        }
        let elsewhere = decision_item::Entity::find()
            .filter(decision_item::Column::RegistrationId.eq(*rid))
            .all(&txn)
            .await?;
        if elsewhere.iter().any(|i| i.decision_id == d.id) {
            continue;
        }
        if !elsewhere.is_empty() {
            return Err(ApiError::field(
                &field,
                "in_another_decision",
                "the registration is listed in another draft decision",
            ));
        }
        decision_item::ActiveModel {
            decision_id: Set(d.id),
            registration_id: Set(*rid),
            added_at: Set(now),
        }
        .insert(&txn)
        .await
        .map_err(|e| match e.sql_err() {
            // Another draft listed it at the same moment.
            Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => ApiError::field(
                &field,
                "in_another_decision",
                "the registration is listed in another draft decision",
            ),
            _ => e.into(),
        })?;
    }
    touch(&txn, &d).await?;
    txn.commit().await?;
    to_dto(db, d).await
}

async fn touch(db: &impl ConnectionTrait, d: &decision::Model) -> Result<(), ApiError> {
    let mut am: decision::ActiveModel = d.clone().into();
    am.updated_at = Set(chrono::Utc::now());
    am.version = Set(d.version + 1);
    am.update(db).await?;
    Ok(())
}

/// Removes registrations from a draft decision.
pub async fn remove_items(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    registration_ids: Vec<Uuid>,
) -> Result<Decision, ApiError> {
    ensure_recogniser(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let d = load_draft(&txn, actor, id).await?;
    decision_item::Entity::delete_many()
        .filter(decision_item::Column::DecisionId.eq(d.id))
        .filter(decision_item::Column::RegistrationId.is_in(registration_ids))
        .exec(&txn)
        .await?;
    touch(&txn, &d).await?;
    txn.commit().await?;
    let d = load(db, actor, id).await?;
    to_dto(db, d).await
}

fn verification_code() -> String {
    let mut raw = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut raw);
    URL_SAFE_NO_PAD.encode(raw)
}

/// Issues a draft decision: every listed assessment is recognised, numbered and given an
/// unguessable verification code, all in one transaction.
pub async fn issue(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<Decision, ApiError> {
    ensure_recogniser(actor)?;
    let txn = crate::db::begin_write(db).await?;
    // Write before reading: this claims the decision (a second issue of it waits, then finds it
    // issued) and, on SQLite, takes the write lock before any snapshot is read.
    decision::Entity::update_many()
        .col_expr(
            decision::Column::Version,
            Expr::col(decision::Column::Version).into(),
        )
        .filter(decision::Column::Id.eq(id))
        .exec(&txn)
        .await?;
    let d = load_draft(&txn, actor, id).await?;
    // Take the counter row first: on PostgreSQL this locks it until commit, on SQLite the first
    // write takes the database's write lock; either way concurrent issues of the same unit and
    // year run one after the other.
    let mut seed = Query::insert();
    seed.into_table(certificate_counter::Entity)
        .columns([
            certificate_counter::Column::IssuingUnitId,
            certificate_counter::Column::Year,
            certificate_counter::Column::LastNumber,
        ])
        .values_panic([d.issuing_unit_id.into(), d.year.into(), 0.into()])
        .on_conflict(
            OnConflict::columns([
                certificate_counter::Column::IssuingUnitId,
                certificate_counter::Column::Year,
            ])
            .do_nothing()
            .to_owned(),
        );
    txn.execute(txn.get_database_backend().build(&seed)).await?;
    let items = decision_item::Entity::find()
        .filter(decision_item::Column::DecisionId.eq(d.id))
        .all(&txn)
        .await?;
    if items.is_empty() {
        return Err(ApiError::Conflict(
            "the decision lists nobody: add review-passed assessments first".into(),
        ));
    }
    let ids: Vec<Uuid> = items.iter().map(|i| i.registration_id).collect();
    let mut regs = registration::Entity::find()
        .filter(registration::Column::Id.is_in(ids))
        .all(&txn)
        .await?;
    if let Some(r) = regs
        .iter()
        .find(|r| r.status != AssessmentStatus::ReviewPassed.as_str())
    {
        return Err(ApiError::Conflict(format!(
            "registration {} is no longer review-passed (current state: {})",
            r.id, r.status
        )));
    }
    let n = i32::try_from(regs.len()).map_err(|_| anyhow::anyhow!("too many items"))?;
    let mut bump = Query::update();
    bump.table(certificate_counter::Entity)
        .value(
            certificate_counter::Column::LastNumber,
            Expr::col(certificate_counter::Column::LastNumber).add(n),
        )
        .and_where(Expr::col(certificate_counter::Column::IssuingUnitId).eq(d.issuing_unit_id))
        .and_where(Expr::col(certificate_counter::Column::Year).eq(d.year));
    txn.execute(txn.get_database_backend().build(&bump)).await?;
    let counter = certificate_counter::Entity::find_by_id((d.issuing_unit_id, d.year))
        .one(&txn)
        .await?
        .ok_or_else(|| anyhow::anyhow!("certificate counter vanished"))?;
    let first = counter.last_number - n + 1;
    // Number in the order of the people's names, so the list in the decision reads in order.
    let names: HashMap<Uuid, String> = person::Entity::find()
        .filter(person::Column::Id.is_in(regs.iter().map(|r| r.person_id).collect::<Vec<_>>()))
        .all(&txn)
        .await?
        .into_iter()
        .map(|p| (p.id, p.search_name))
        .collect();
    regs.sort_by(|a, b| {
        names
            .get(&a.person_id)
            .cmp(&names.get(&b.person_id))
            .then(a.id.cmp(&b.id))
    });
    let period = periods::load(&txn, d.period_id).await?;
    let expires_on = d
        .decision_date
        .checked_add_months(chrono::Months::new(
            u32::try_from(period.validity_months).unwrap_or(12),
        ))
        .and_then(|date| date.pred_opt());
    let unit_code = d
        .commune_code
        .clone()
        .or(d.province_code.clone())
        .unwrap_or_default();
    let now = chrono::Utc::now();
    for (i, r) in regs.into_iter().enumerate() {
        let seq = first + i32::try_from(i).unwrap_or(0);
        // Claim the registration only if it is still review-passed: a concurrent change
        // makes the whole issue fail rather than recognise anyone twice.
        let claimed = registration::Entity::update_many()
            .col_expr(
                registration::Column::Status,
                Expr::value(AssessmentStatus::Recognised.as_str()),
            )
            .filter(registration::Column::Id.eq(r.id))
            .filter(registration::Column::Status.eq(AssessmentStatus::ReviewPassed.as_str()))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            return Err(ApiError::Conflict(format!(
                "registration {} changed while the decision was issued; issue it again",
                r.id
            )));
        }
        let mut am: registration::ActiveModel = r.clone().into();
        am.status = Set(AssessmentStatus::Recognised.as_str().into());
        am.decision_id = Set(Some(d.id));
        am.certificate_year = Set(Some(d.year));
        am.certificate_seq = Set(Some(seq));
        am.certificate_number = Set(Some(format!("{unit_code}/{}/{seq:06}", d.year)));
        am.verification_code = Set(Some(verification_code()));
        am.recognised_at = Set(Some(now));
        am.expires_on = Set(expires_on);
        am.updated_at = Set(now);
        am.version = Set(r.version + 1);
        let saved = am.update(&txn).await?;
        registrations::record_event(
            &txn,
            actor,
            &saved,
            "recognise",
            Some(AssessmentStatus::ReviewPassed),
            AssessmentStatus::Recognised,
            Some(format!("{} {}", d.number, d.decision_date)),
        )
        .await?;
    }
    let mut am: decision::ActiveModel = d.clone().into();
    am.status = Set("issued".into());
    am.issued_at = Set(Some(now));
    am.issued_by = Set(Some(actor.user_id));
    am.updated_at = Set(now);
    am.version = Set(d.version + 1);
    let issued = am.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "decision.issue",
            resource_type: "decision",
            resource_id: Some(d.id.to_string()),
            unit: &location(&d),
            detail: Some(json!({"number": d.number, "recognised": n, "first_certificate": first})),
        },
    )
    .await?;
    txn.commit().await?;
    to_dto(db, issued).await
}

/// Revokes one recognition, with a reason.
pub async fn revoke(
    db: &DatabaseConnection,
    actor: &Actor,
    registration_id: Uuid,
    reason: String,
) -> Result<shared::workflow::Registration, ApiError> {
    ensure_recogniser(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let r = registrations::load(&txn, actor, registration_id).await?;
    let from = AssessmentStatus::parse(&r.status).unwrap_or(AssessmentStatus::Registered);
    let to = from
        .revoke()
        .map_err(|e| ApiError::Conflict(format!("{e} (current state: {})", r.status)))?;
    let now = chrono::Utc::now();
    let reason = shared::text::clean(&reason);
    let mut am: registration::ActiveModel = r.clone().into();
    am.status = Set(to.as_str().into());
    am.revoked_at = Set(Some(now));
    am.revoke_reason = Set(Some(reason.clone()));
    am.updated_at = Set(now);
    am.version = Set(r.version + 1);
    let saved = am.update(&txn).await?;
    registrations::record_event(&txn, actor, &saved, "revoke", Some(from), to, Some(reason))
        .await?;
    txn.commit().await?;
    registrations::one(db, saved).await
}

struct Recognition {
    registration: registration::Model,
    person: person::Model,
    decision: decision::Model,
    unit_name: String,
    period_name: String,
    commune_name: String,
}

async fn recognition_by_code(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<Recognition>, ApiError> {
    let Some(r) = registration::Entity::find()
        .filter(registration::Column::VerificationCode.eq(code))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    recognition(db, r).await.map(Some)
}

async fn recognition(
    db: &impl ConnectionTrait,
    r: registration::Model,
) -> Result<Recognition, ApiError> {
    let person = person::Entity::find_by_id(r.person_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("person of {} missing", r.id))?;
    let decision_id = r
        .decision_id
        .ok_or_else(|| anyhow::anyhow!("recognition {} without decision", r.id))?;
    let decision = decision::Entity::find_by_id(decision_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("decision {decision_id} missing"))?;
    let unit_name = association_unit::Entity::find_by_id(decision.issuing_unit_id)
        .one(db)
        .await?
        .map(|u| u.name)
        .unwrap_or_default();
    let period_name = period::Entity::find_by_id(r.period_id)
        .one(db)
        .await?
        .map(|p| p.name)
        .unwrap_or_default();
    let commune = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Code.eq(&r.commune_code))
        .one(db)
        .await?;
    let province = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("province"))
        .filter(admin_unit::Column::Code.eq(&r.province_code))
        .one(db)
        .await?;
    let commune_name = match (commune, province) {
        (Some(c), Some(p)) => format!("{}, {}", c.name, p.name),
        (Some(c), None) => c.name,
        _ => String::new(),
    };
    Ok(Recognition {
        registration: r,
        person,
        decision,
        unit_name,
        period_name,
        commune_name,
    })
}

/// What the public may know of a certificate: `None` for an unknown code.
pub async fn verify(db: &DatabaseConnection, code: &str) -> Result<Option<Verification>, ApiError> {
    if code.len() > 64
        || !code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Ok(None);
    }
    let Some(rec) = recognition_by_code(db, code).await? else {
        return Ok(None);
    };
    let r = &rec.registration;
    let status = AssessmentStatus::parse(&r.status).unwrap_or(AssessmentStatus::Recognised);
    let effective = status.effective(r.expires_on, chrono::Utc::now().date_naive());
    let status = match effective {
        EffectiveStatus::Recognised => "valid",
        EffectiveStatus::Revoked => "revoked",
        EffectiveStatus::Expired => "expired",
        _ => return Ok(None),
    };
    Ok(Some(Verification {
        masked_name: mask_name(&rec.person.full_name),
        title: "Công dân học tập".into(),
        period: rec.period_name,
        issuing_unit: rec.unit_name,
        status: status.into(),
        certificate_number: r.certificate_number.clone().unwrap_or_default(),
        decision_number: rec.decision.number,
        decision_date: rec.decision.decision_date,
        valid_until: r.expires_on,
    }))
}

fn certificate(rec: Recognition, base_url: &str) -> Certificate {
    Certificate {
        certificate_number: rec
            .registration
            .certificate_number
            .clone()
            .unwrap_or_default(),
        full_name: rec.person.full_name,
        birth_year: rec.person.birth_year,
        commune_name: rec.commune_name,
        title: "Công dân học tập".into(),
        period_name: rec.period_name,
        decision_number: rec.decision.number,
        decision_date: rec.decision.decision_date,
        issuing_unit: rec.unit_name,
        signer: rec.decision.signer,
        signer_title: rec.decision.signer_title,
        valid_until: rec.registration.expires_on,
        verification_url: format!(
            "{}/verify/{}",
            base_url.trim_end_matches('/'),
            rec.registration.verification_code.unwrap_or_default()
        ),
    }
}

/// The certificate PDF of one recognition.
pub async fn certificate_pdf(
    db: &DatabaseConnection,
    actor: &Actor,
    registration_id: Uuid,
    base_url: &str,
) -> Result<Vec<u8>, ApiError> {
    let r = registrations::load(db, actor, registration_id).await?;
    if r.status != AssessmentStatus::Recognised.as_str()
        || r.decision_id.is_none()
        || r.verification_code.is_none()
    {
        return Err(ApiError::Conflict(format!(
            "only recognised assessments have a certificate (current state: {})",
            r.status
        )));
    }
    let rec = recognition(db, r).await?;
    let cert = certificate(rec, base_url);
    let bytes = tokio::task::spawn_blocking(move || certificates::render(&[cert]))
        .await
        .map_err(|e| anyhow::anyhow!("rendering task: {e}"))??;
    Ok(bytes)
}

/// The certificates of a whole issued decision, one page each.
pub async fn decision_pdf(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    base_url: &str,
) -> Result<Vec<u8>, ApiError> {
    let d = load(db, actor, id).await?;
    if d.status != "issued" {
        return Err(ApiError::Conflict(format!(
            "certificates are printed once the decision is issued (current state: {})",
            d.status
        )));
    }
    // Revoked recognitions are not printed again.
    let regs = registration::Entity::find()
        .filter(registration::Column::DecisionId.eq(d.id))
        .filter(registration::Column::Status.eq(AssessmentStatus::Recognised.as_str()))
        .order_by_asc(registration::Column::CertificateSeq)
        .all(db)
        .await?;
    let mut certs = Vec::with_capacity(regs.len());
    for r in regs {
        certs.push(certificate(recognition(db, r).await?, base_url));
    }
    let bytes = tokio::task::spawn_blocking(move || certificates::render(&certs))
        .await
        .map_err(|e| anyhow::anyhow!("rendering task: {e}"))??;
    Ok(bytes)
}
