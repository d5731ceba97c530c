//! Registrations and their assessment: one per person per period, pinned to the criteria-set
//! version in force when the self-assessment starts, moved through the states of
//! `shared::assessment` one transition at a time, each written to the assessment's history and
//! to the audit log. Totals and verdicts are computed here, never taken from the client.

use crate::auth::policy::ensure_within;
use crate::auth::{Actor, UnitPath};
use crate::db::entities::{
    assessment_event, association_unit, criteria_set, period, person, registration,
};
use crate::error::ApiError;
use crate::services::{association_units, audit, criteria_sets, people, periods};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use serde_json::json;
use shared::assessment::{Action, AssessmentStatus};
use shared::auth::Role;
use shared::criteria::{ScoreResult, Scores, score};
use shared::error::FieldError;
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use shared::workflow::{
    AssessmentEvent, BulkOutcome, Evidence, Registration, RegistrationInput, ScoresInput,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// Filters of the registration list (and review queue).
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    pub period_id: Option<Uuid>,
    pub status: Option<AssessmentStatus>,
    pub reviewing_unit_id: Option<Uuid>,
    /// `VN`, a province or a commune code.
    pub unit: Option<String>,
    pub target_group: Option<String>,
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

pub(crate) fn location(m: &registration::Model) -> UnitPath {
    UnitPath::commune(&m.province_code, &m.commune_code)
}

pub(crate) fn status_of(m: &registration::Model) -> Result<AssessmentStatus, ApiError> {
    AssessmentStatus::parse(&m.status).ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "registration {} has status {}",
            m.id,
            m.status
        ))
    })
}

pub(crate) fn conflict_state(m: &registration::Model, detail: String) -> ApiError {
    ApiError::Conflict(format!("{detail} (current state: {})", m.status))
}

/// The reviewing units a branch or committee officer works for (their unit and the units
/// under it); `None` for everyone else.
async fn branch_scope(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<Option<Vec<Uuid>>, ApiError> {
    let (Role::BranchOfficer, Some(unit)) = (actor.role, actor.association_unit_id) else {
        return Ok(None);
    };
    let mut ids: Vec<Uuid> = association_unit::Entity::find()
        .filter(association_unit::Column::ParentId.eq(unit))
        .all(db)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    ids.push(unit);
    Ok(Some(ids))
}

/// Loads a registration inside the actor's unit (for a branch officer: reviewed by their
/// branch); outside it, it does not exist for them.
pub async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<registration::Model, ApiError> {
    let branch = branch_scope(db, actor).await?;
    registration::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|r| actor.unit.contains(&location(r)))
        .filter(|r| {
            branch
                .as_ref()
                .is_none_or(|ids| ids.contains(&r.reviewing_unit_id))
        })
        .ok_or_else(|| ApiError::not_found("registration"))
}

fn scores_of(value: &Option<serde_json::Value>) -> Option<Scores> {
    value
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

/// The registrations as the API shows them, with names, results and allowed actions.
pub async fn to_dtos(
    db: &impl ConnectionTrait,
    models: Vec<registration::Model>,
) -> Result<Vec<Registration>, ApiError> {
    let person_ids: Vec<Uuid> = models.iter().map(|m| m.person_id).collect();
    let people: HashMap<Uuid, person::Model> = person::Entity::find()
        .filter(person::Column::Id.is_in(person_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let unit_ids: Vec<Uuid> = models.iter().map(|m| m.reviewing_unit_id).collect();
    let units: HashMap<Uuid, String> = association_unit::Entity::find()
        .filter(association_unit::Column::Id.is_in(unit_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let period_ids: Vec<Uuid> = models.iter().map(|m| m.period_id).collect();
    let years: HashMap<Uuid, i32> = period::Entity::find()
        .filter(period::Column::Id.is_in(period_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.id, p.year))
        .collect();
    let set_ids: Vec<Uuid> = models.iter().filter_map(|m| m.criteria_set_id).collect();
    let sets: HashMap<Uuid, criteria_set::Model> = if set_ids.is_empty() {
        HashMap::new()
    } else {
        criteria_set::Entity::find()
            .filter(criteria_set::Column::Id.is_in(set_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|s| (s.id, s))
            .collect()
    };
    let today = chrono::Utc::now().date_naive();
    let mut out = Vec::with_capacity(models.len());
    for m in models {
        let status = status_of(&m)?;
        let person = people.get(&m.person_id);
        let set = m.criteria_set_id.and_then(|id| sets.get(&id));
        let result = |scores: &Option<Scores>| -> Option<ScoreResult> {
            let (structure, rule) = criteria_sets::parts(set?).ok()?;
            score(&structure, &rule, scores.as_ref()?).ok()
        };
        let self_scores = scores_of(&m.self_scores);
        let review_scores = scores_of(&m.review_scores);
        out.push(Registration {
            id: m.id,
            person_id: m.person_id,
            person_name: person.map(|p| p.full_name.clone()).unwrap_or_default(),
            person_gender: person.map(|p| p.gender.clone()).unwrap_or_default(),
            person_birth_year: person.map(|p| p.birth_year).unwrap_or_default(),
            period_id: m.period_id,
            period_year: years.get(&m.period_id).copied().unwrap_or_default(),
            target_group: m.target_group,
            reviewing_unit_id: m.reviewing_unit_id,
            reviewing_unit_name: units.get(&m.reviewing_unit_id).cloned().unwrap_or_default(),
            commune_code: m.commune_code,
            province_code: m.province_code,
            status,
            effective_status: status.effective(m.expires_on, today),
            criteria_set_id: m.criteria_set_id,
            self_result: result(&self_scores),
            self_scores,
            review_result: result(&review_scores),
            review_scores,
            evidence: m
                .evidence
                .as_ref()
                .and_then(|v| serde_json::from_value(v.clone()).ok()),
            last_note: m.last_note,
            decision_id: m.decision_id,
            certificate_number: m.certificate_number,
            verification_code: m.verification_code,
            recognised_at: m.recognised_at,
            expires_on: m.expires_on,
            revoked_at: m.revoked_at,
            revoke_reason: m.revoke_reason,
            allowed_actions: status
                .allowed_actions()
                .into_iter()
                .map(|a| a.as_str().to_string())
                .collect(),
            version: m.version,
            updated_at: m.updated_at,
        });
    }
    Ok(out)
}

pub async fn one(
    db: &impl ConnectionTrait,
    model: registration::Model,
) -> Result<Registration, ApiError> {
    to_dtos(db, vec![model])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("registration"))
}

pub(crate) fn ensure_officer(actor: &Actor, minimum: Role, what: &str) -> Result<(), ApiError> {
    if actor.role >= minimum {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!("your role does not {what}")))
    }
}

/// The unit that reviews a person when the officer names none: with reviews by branches, the
/// active branch serving the person's village; otherwise (no such branch, or reviews by the
/// commune or by committees, whose workplace the record does not tell) the commune's Association.
async fn default_reviewer(
    db: &impl ConnectionTrait,
    period: &period::Model,
    person: &person::Model,
) -> Result<association_unit::Model, ApiError> {
    if period.reviewer_level == "branch"
        && let Some(village) = person.village_id
        && let Some(branch) = association_unit::Entity::find()
            .filter(association_unit::Column::Level.eq("branch"))
            .filter(association_unit::Column::VillageId.eq(village))
            .filter(association_unit::Column::Status.eq("active"))
            .order_by_asc(association_unit::Column::CreatedAt)
            .one(db)
            .await?
    {
        return Ok(branch);
    }
    association_unit::Entity::find_by_id(
        migrations::m20251128_000004_registry::association_unit_id("commune", &person.commune_code),
    )
    .one(db)
    .await?
    .ok_or_else(|| {
        ApiError::Internal(anyhow::anyhow!(
            "commune {} has no Association unit",
            person.commune_code
        ))
    })
}

/// Registers a person for a period, while registration is open.
pub async fn create(
    db: &DatabaseConnection,
    actor: &Actor,
    input: RegistrationInput,
) -> Result<Registration, ApiError> {
    ensure_officer(actor, Role::BranchOfficer, "register people")?;
    let txn = crate::db::begin_write(db).await?;
    let person = people::load(&txn, actor, input.person_id)
        .await
        .map_err(|_| {
            ApiError::field("person_id", "unknown_person", "no such person in your unit")
        })?;
    let period = periods::load(&txn, input.period_id)
        .await
        .map_err(|_| ApiError::field("period_id", "unknown_period", "no such period"))?;
    let today = chrono::Utc::now().date_naive();
    if today < period.registration_opens || today > period.registration_closes {
        return Err(ApiError::Conflict(format!(
            "registration for {} is open from {} to {}",
            period.name, period.registration_opens, period.registration_closes
        )));
    }
    let group = input
        .target_group
        .clone()
        .filter(|g| !g.trim().is_empty())
        .or(person.target_group.clone())
        .ok_or_else(|| {
            ApiError::field(
                "target_group",
                "required",
                "the person has no target group: give one",
            )
        })?;
    if criteria_sets::in_force(&txn, &group).await?.is_none() {
        return Err(ApiError::field(
            "target_group",
            "no_criteria_set",
            format!("no published criteria set for the target group {group}"),
        ));
    }
    let branch = branch_scope(&txn, actor).await?;
    let requested = input.reviewing_unit_id.or(actor
        .association_unit_id
        .filter(|_| actor.role == Role::BranchOfficer));
    if let (Some(ids), Some(id)) = (&branch, requested)
        && !ids.contains(&id)
    {
        return Err(ApiError::field(
            "reviewing_unit_id",
            "other_branch",
            "a branch officer registers people for their own branch",
        ));
    }
    let reviewing_unit = match requested {
        Some(id) => association_unit::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .filter(|u| {
                u.commune_code.as_deref() == Some(person.commune_code.as_str())
                    && u.status == "active"
            })
            .ok_or_else(|| {
                ApiError::field(
                    "reviewing_unit_id",
                    "invalid_unit",
                    "the reviewing unit must be an active unit of the person's commune",
                )
            })?,
        None => default_reviewer(&txn, &period, &person).await?,
    };
    let existing = registration::Entity::find()
        .filter(registration::Column::PersonId.eq(person.id))
        .filter(registration::Column::PeriodId.eq(period.id))
        .one(&txn)
        .await?;
    if let Some(e) = existing {
        return Err(ApiError::Duplicate {
            detail: format!("the person is already registered for {}", period.name),
            existing_id: Some(e.id.to_string()),
        });
    }
    let now = chrono::Utc::now();
    let model = registration::ActiveModel {
        id: Set(Uuid::new_v4()),
        person_id: Set(person.id),
        period_id: Set(period.id),
        target_group: Set(group),
        reviewing_unit_id: Set(reviewing_unit.id),
        commune_code: Set(person.commune_code.clone()),
        province_code: Set(person.province_code.clone()),
        status: Set(AssessmentStatus::Registered.as_str().into()),
        external_id: Set(input.external_id),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_event(
        &txn,
        actor,
        &model,
        "register",
        None,
        AssessmentStatus::Registered,
        None,
    )
    .await?;
    txn.commit().await?;
    one(db, model).await
}

/// Writes one transition to the assessment's history and to the audit log.
pub(crate) async fn record_event(
    txn: &DatabaseTransaction,
    actor: &Actor,
    m: &registration::Model,
    action: &str,
    from: Option<AssessmentStatus>,
    to: AssessmentStatus,
    note: Option<String>,
) -> Result<(), ApiError> {
    assessment_event::ActiveModel {
        id: Set(Uuid::new_v4()),
        registration_id: Set(m.id),
        at: Set(chrono::Utc::now()),
        actor_user_id: Set(Some(actor.user_id)),
        actor_username: Set(Some(actor.username.clone())),
        action: Set(action.to_string()),
        from_status: Set(from.map(|s| s.as_str().to_string())),
        to_status: Set(to.as_str().to_string()),
        note: Set(note.clone()),
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        audit::Entry {
            actor: Some(actor),
            action: &format!("assessment.{action}"),
            resource_type: "registration",
            resource_id: Some(m.id.to_string()),
            unit: &location(m),
            detail: Some(json!({
                "from": from.map(|s| s.as_str()),
                "to": to.as_str(),
                "note": note,
            })),
        },
    )
    .await?;
    Ok(())
}

fn ensure_window(
    open: chrono::NaiveDate,
    close: chrono::NaiveDate,
    what: &str,
    m: &registration::Model,
) -> Result<(), ApiError> {
    let today = chrono::Utc::now().date_naive();
    if today < open || today > close {
        return Err(conflict_state(
            m,
            format!("{what} is open from {open} to {close}"),
        ));
    }
    Ok(())
}

/// Which role an action needs and in which window of the period it happens.
fn rules(action: Action) -> (Role, Window) {
    match action {
        Action::StartSelfAssessment | Action::Submit | Action::Withdraw => {
            (Role::BranchOfficer, Window::SelfAssessment)
        }
        Action::StartReview | Action::Return | Action::Pass | Action::Fail => {
            (Role::BranchOfficer, Window::Review)
        }
        Action::Recognise | Action::NotRecognise | Action::Revoke => {
            (Role::CommuneOfficer, Window::None)
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Window {
    SelfAssessment,
    Review,
    None,
}

pub(crate) fn check_window(
    p: &period::Model,
    window: Window,
    m: &registration::Model,
) -> Result<(), ApiError> {
    match window {
        Window::SelfAssessment => ensure_window(
            p.self_assessment_opens,
            p.self_assessment_closes,
            "self-assessment",
            m,
        ),
        Window::Review => ensure_window(p.review_opens, p.review_closes, "review", m),
        Window::None => Ok(()),
    }
}

/// The result of `scores` against the pinned criteria set, or field errors.
async fn evaluate(
    db: &impl ConnectionTrait,
    m: &registration::Model,
    scores: &Scores,
) -> Result<ScoreResult, ApiError> {
    let set_id = m
        .criteria_set_id
        .ok_or_else(|| conflict_state(m, "the self-assessment has not started".into()))?;
    let set = criteria_set::Entity::find_by_id(set_id)
        .one(db)
        .await?
        .ok_or_else(|| anyhow::anyhow!("criteria set {set_id} is missing"))?;
    let (structure, rule) = criteria_sets::parts(&set)?;
    score(&structure, &rule, scores)
        .map_err(|errors| ApiError::Validation(errors.iter().map(FieldError::from).collect()))
}

/// Changes the target group or the reviewing unit of a registration whose self-assessment has
/// not started (afterwards the criteria set is pinned and only transitions change it). `None`
/// keeps a value. Audited; the change feed carries it.
pub async fn update_details(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    target_group: Option<String>,
    reviewing_unit_id: Option<Uuid>,
) -> Result<registration::Model, ApiError> {
    ensure_officer(actor, Role::BranchOfficer, "change registrations")?;
    let txn = crate::db::begin_write(db).await?;
    let m = load(&txn, actor, id).await?;
    if status_of(&m)? != AssessmentStatus::Registered {
        return Err(conflict_state(
            &m,
            "the target group and the reviewing unit change only before the self-assessment starts"
                .into(),
        ));
    }
    let group = target_group
        .map(|g| g.trim().to_string())
        .filter(|g| !g.is_empty())
        .unwrap_or_else(|| m.target_group.clone());
    if group != m.target_group && criteria_sets::in_force(&txn, &group).await?.is_none() {
        return Err(ApiError::field(
            "target_group",
            "no_criteria_set",
            format!("no published criteria set for the target group {group}"),
        ));
    }
    let unit = reviewing_unit_id.unwrap_or(m.reviewing_unit_id);
    if unit != m.reviewing_unit_id {
        let branch = branch_scope(&txn, actor).await?;
        if branch.as_ref().is_some_and(|ids| !ids.contains(&unit)) {
            return Err(ApiError::field(
                "reviewing_unit_id",
                "other_branch",
                "a branch officer registers people for their own branch",
            ));
        }
        association_unit::Entity::find_by_id(unit)
            .one(&txn)
            .await?
            .filter(|u| {
                u.commune_code.as_deref() == Some(m.commune_code.as_str()) && u.status == "active"
            })
            .ok_or_else(|| {
                ApiError::field(
                    "reviewing_unit_id",
                    "invalid_unit",
                    "the reviewing unit must be an active unit of the person's commune",
                )
            })?;
    }
    if group == m.target_group && unit == m.reviewing_unit_id {
        return Ok(m);
    }
    let mut am: registration::ActiveModel = m.clone().into();
    am.target_group = Set(group.clone());
    am.reviewing_unit_id = Set(unit);
    am.updated_at = Set(chrono::Utc::now());
    am.version = Set(m.version + 1);
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "registration.update",
            resource_type: "registration",
            resource_id: Some(id.to_string()),
            unit: &location(&saved),
            detail: Some(json!({
                "target_group": {"from": m.target_group, "to": group},
                "reviewing_unit_id": {"from": m.reviewing_unit_id, "to": unit},
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Applies one workflow action.
pub async fn transition(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    action: Action,
    note: Option<String>,
) -> Result<Registration, ApiError> {
    let (role, window) = rules(action);
    ensure_officer(actor, role, &format!("{} assessments", action.as_str()))?;
    let note = note
        .map(|n| shared::text::clean(&n))
        .filter(|n| !n.is_empty());
    if action == Action::Return && note.is_none() {
        return Err(ApiError::field(
            "note",
            "required",
            "say why the assessment goes back to draft",
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let m = load(&txn, actor, id).await?;
    let saved = apply(&txn, actor, m, action, window, note).await?;
    txn.commit().await?;
    one(db, saved).await
}

async fn apply(
    txn: &DatabaseTransaction,
    actor: &Actor,
    m: registration::Model,
    action: Action,
    window: Window,
    note: Option<String>,
) -> Result<registration::Model, ApiError> {
    let from = status_of(&m)?;
    let to = from
        .apply(action)
        .map_err(|e| conflict_state(&m, e.to_string()))?;
    let p = periods::load(txn, m.period_id).await?;
    check_window(&p, window, &m)?;
    let now = chrono::Utc::now();
    let mut am: registration::ActiveModel = m.clone().into();
    match action {
        Action::StartSelfAssessment => {
            let set = criteria_sets::in_force(txn, &m.target_group)
                .await?
                .ok_or_else(|| {
                    conflict_state(
                        &m,
                        format!("no published criteria set for {}", m.target_group),
                    )
                })?;
            am.criteria_set_id = Set(Some(set.id));
        }
        Action::Submit => {
            let scores = scores_of(&m.self_scores).ok_or_else(|| {
                conflict_state(
                    &m,
                    "enter the self-assessment scores before submitting".into(),
                )
            })?;
            evaluate(txn, &m, &scores).await?;
            am.submitted_at = Set(Some(now));
        }
        Action::Pass => {
            let scores = match scores_of(&m.review_scores) {
                Some(s) => s,
                None => scores_of(&m.self_scores)
                    .ok_or_else(|| conflict_state(&m, "there are no scores to review".into()))?,
            };
            let result = evaluate(txn, &m, &scores).await?;
            if !result.passed {
                return Err(conflict_state(
                    &m,
                    format!(
                        "the scores ({} of {}) do not meet the pass rule",
                        result.total, result.max
                    ),
                ));
            }
            let missing = crate::services::evidence::missing_required(txn, &m).await?;
            if !missing.is_empty() {
                return Err(conflict_state(
                    &m,
                    format!(
                        "indicators {} require evidence: attach a file or confirm it in the review",
                        missing.join(", ")
                    ),
                ));
            }
            am.review_scores = Set(Some(json!(scores)));
            am.review_total = Set(i32::try_from(result.total).ok());
            am.passed = Set(Some(true));
            am.reviewed_at = Set(Some(now));
            am.reviewed_by = Set(Some(actor.user_id));
        }
        Action::Fail => {
            if let Some(scores) = scores_of(&m.review_scores) {
                let result = evaluate(txn, &m, &scores).await?;
                am.review_total = Set(i32::try_from(result.total).ok());
            }
            am.passed = Set(Some(false));
            am.reviewed_at = Set(Some(now));
            am.reviewed_by = Set(Some(actor.user_id));
        }
        _ => {}
    }
    if note.is_some() {
        am.last_note = Set(note.clone());
    }
    am.status = Set(to.as_str().to_string());
    am.updated_at = Set(now);
    am.version = Set(m.version + 1);
    let saved = am.update(txn).await?;
    record_event(txn, actor, &saved, action.as_str(), Some(from), to, note).await?;
    Ok(saved)
}

/// Whose scores: the citizen's own (entered by an officer) or the reviewer's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scorer {
    Citizen,
    Reviewer,
}

/// Enters or replaces the self-assessment scores (in draft; a registered assessment starts).
pub async fn put_self_scores(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    input: ScoresInput,
) -> Result<Registration, ApiError> {
    ensure_officer(actor, Role::BranchOfficer, "enter self-assessments")?;
    put_scores(db, actor, id, input, Scorer::Citizen).await
}

/// Enters or replaces the review scores, kept apart from the self scores (submitted or under
/// review; a submitted assessment moves under review).
pub async fn put_review_scores(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    input: ScoresInput,
) -> Result<Registration, ApiError> {
    ensure_officer(actor, Role::BranchOfficer, "review assessments")?;
    put_scores(db, actor, id, input, Scorer::Reviewer).await
}

async fn put_scores(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
    input: ScoresInput,
    scorer: Scorer,
) -> Result<Registration, ApiError> {
    let (starts_from, start, working, window, what) = match scorer {
        Scorer::Citizen => (
            AssessmentStatus::Registered,
            Action::StartSelfAssessment,
            AssessmentStatus::Draft,
            Window::SelfAssessment,
            "self-assessment scores change only in draft",
        ),
        Scorer::Reviewer => (
            AssessmentStatus::Submitted,
            Action::StartReview,
            AssessmentStatus::UnderReview,
            Window::Review,
            "review scores are entered under review",
        ),
    };
    let txn = crate::db::begin_write(db).await?;
    let mut m = load(&txn, actor, id).await?;
    if status_of(&m)? == starts_from {
        m = apply(&txn, actor, m, start, window, None).await?;
    }
    if status_of(&m)? != working {
        return Err(conflict_state(&m, what.into()));
    }
    let p = periods::load(&txn, m.period_id).await?;
    check_window(&p, window, &m)?;
    let result = evaluate(&txn, &m, &input.scores).await?;
    if let Some(code) = input
        .evidence
        .keys()
        .find(|c| !input.scores.contains_key(*c))
    {
        return Err(ApiError::field(
            &format!("evidence.{code}"),
            "unknown_indicator",
            "evidence is given for indicators of the criteria set only",
        ));
    }
    let evidence = merge_evidence(&m, input.evidence, scorer == Scorer::Reviewer);
    let total = i32::try_from(result.total).ok();
    let mut am: registration::ActiveModel = m.clone().into();
    match scorer {
        Scorer::Citizen => {
            am.self_scores = Set(Some(json!(input.scores)));
            am.self_total = Set(total);
        }
        Scorer::Reviewer => {
            am.review_scores = Set(Some(json!(input.scores)));
            am.review_total = Set(total);
        }
    }
    am.evidence = Set(Some(json!(evidence)));
    am.updated_at = Set(chrono::Utc::now());
    am.version = Set(m.version + 1);
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: match scorer {
                Scorer::Citizen => "assessment.self_scores",
                Scorer::Reviewer => "assessment.review_scores",
            },
            resource_type: "registration",
            resource_id: Some(id.to_string()),
            unit: &location(&saved),
            detail: Some(json!({"total": result.total, "passed": result.passed})),
        },
    )
    .await?;
    txn.commit().await?;
    one(db, saved).await
}

fn merge_evidence(
    m: &registration::Model,
    incoming: BTreeMap<String, Evidence>,
    reviewer: bool,
) -> BTreeMap<String, Evidence> {
    let mut current: BTreeMap<String, Evidence> = m
        .evidence
        .as_ref()
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    for (code, mut e) in incoming {
        if !reviewer {
            // Only a reviewer confirms evidence.
            e.confirmed_by_reviewer = current.get(&code).is_some_and(|c| c.confirmed_by_reviewer);
        }
        current.insert(code, e);
    }
    current
}

/// Passes many reviews at once; each item succeeds or is refused on its own.
pub async fn bulk_pass(
    db: &DatabaseConnection,
    actor: &Actor,
    ids: Vec<Uuid>,
    note: Option<String>,
) -> Result<Vec<BulkOutcome>, ApiError> {
    ensure_officer(actor, Role::BranchOfficer, "review assessments")?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        match transition(db, actor, id, Action::Pass, note.clone()).await {
            Ok(r) => out.push(BulkOutcome {
                id,
                outcome: "done".into(),
                status: Some(r.status),
                problem: None,
            }),
            Err(e) => out.push(BulkOutcome {
                id,
                outcome: "refused".into(),
                status: None,
                problem: e.problem(None).detail,
            }),
        }
    }
    Ok(out)
}

/// The history of an assessment.
pub async fn events(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Vec<AssessmentEvent>, ApiError> {
    let m = load(db, actor, id).await?;
    Ok(assessment_event::Entity::find()
        .filter(assessment_event::Column::RegistrationId.eq(m.id))
        .order_by_asc(assessment_event::Column::At)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|e| {
            Some(AssessmentEvent {
                at: e.at,
                actor_username: e.actor_username,
                action: e.action,
                from_status: e.from_status.as_deref().and_then(AssessmentStatus::parse),
                to_status: AssessmentStatus::parse(&e.to_status)?,
                note: e.note,
            })
        })
        .collect())
}

/// One registration.
pub async fn get(
    db: &DatabaseConnection,
    actor: &Actor,
    id: Uuid,
) -> Result<Registration, ApiError> {
    let m = load(db, actor, id).await?;
    one(db, m).await
}

/// The registrations the actor sees: those of their unit (for a branch officer, those their
/// branch or a unit under it reviews).
async fn scoped(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<sea_orm::Select<registration::Entity>, ApiError> {
    let mut query = registration::Entity::find();
    query = match (&actor.unit.province, &actor.unit.commune) {
        (None, _) => query,
        (Some(p), None) => query.filter(registration::Column::ProvinceCode.eq(p.clone())),
        (_, Some(c)) => query.filter(registration::Column::CommuneCode.eq(c.clone())),
    };
    if let Some(ids) = branch_scope(db, actor).await? {
        query = query.filter(registration::Column::ReviewingUnitId.is_in(ids));
    }
    Ok(query)
}

/// How many registrations of `period_id` the actor sees, per status (statuses with none are
/// left out): one grouped query.
pub async fn count_by_status(
    db: &impl ConnectionTrait,
    actor: &Actor,
    period_id: Uuid,
) -> Result<HashMap<AssessmentStatus, u64>, ApiError> {
    use sea_orm::QuerySelect;
    let rows: Vec<(String, i64)> = scoped(db, actor)
        .await?
        .filter(registration::Column::PeriodId.eq(period_id))
        .select_only()
        .column(registration::Column::Status)
        .column_as(registration::Column::Id.count(), "n")
        .group_by(registration::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(status, n)| Some((AssessmentStatus::parse(&status)?, u64::try_from(n).ok()?)))
        .collect())
}

/// Registrations inside the actor's unit: the review queue with filters.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<Page<Registration>, ApiError> {
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let mut query = scoped(db, actor).await?;
    if let Some(code) = filter.unit.as_deref() {
        let unit = crate::services::units::resolve_field(db, "unit", code).await?;
        ensure_within(actor, &unit)?;
        if let Some(c) = unit.commune {
            query = query.filter(registration::Column::CommuneCode.eq(c));
        } else if let Some(p) = unit.province {
            query = query.filter(registration::Column::ProvinceCode.eq(p));
        }
    }
    if let Some(p) = filter.period_id {
        query = query.filter(registration::Column::PeriodId.eq(p));
    }
    if let Some(s) = filter.status {
        query = query.filter(registration::Column::Status.eq(s.as_str()));
    }
    if let Some(u) = filter.reviewing_unit_id {
        query = query.filter(registration::Column::ReviewingUnitId.eq(u));
    }
    if let Some(g) = filter.target_group {
        query = query.filter(registration::Column::TargetGroup.eq(g));
    }
    if let Some(q) = filter.q.as_deref() {
        let mut people_query = person::Entity::find();
        for word in shared::text::fold(q)
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(8)
        {
            people_query = people_query
                .filter(person::Column::SearchName.like(crate::db::like_contains(word)));
        }
        use sea_orm::{QuerySelect, QueryTrait};
        let sub = people_query
            .select_only()
            .column(person::Column::Id)
            .into_query();
        query = query.filter(registration::Column::PersonId.in_subquery(sub));
    }
    let paginator = query
        .order_by_asc(registration::Column::Status)
        .order_by_desc(registration::Column::UpdatedAt)
        .order_by_asc(registration::Column::Id)
        .paginate(db, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page - 1).await?;
    Ok(Page {
        items: to_dtos(db, items).await?,
        total,
        page,
        per_page,
    })
}

/// Where a recognising officer's decisions come from: the actor's commune unit.
pub async fn commune_unit_of(
    db: &impl ConnectionTrait,
    actor: &Actor,
) -> Result<association_unit::Model, ApiError> {
    let code = actor.unit.commune.clone().ok_or_else(|| {
        ApiError::field("issuing_unit_id", "required", "give the recognising unit")
    })?;
    association_units::load(
        db,
        actor,
        migrations::m20251128_000004_registry::association_unit_id("commune", &code),
    )
    .await
}
