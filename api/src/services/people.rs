//! People: the registry's central record. Personal ID numbers are encrypted at rest and found
//! through a keyed hash; every list shows them masked, and only the reveal endpoint shows the
//! full number, writing an audit row. People outside the caller's unit are answered as not found,
//! so that their existence does not leak.

use crate::auth::policy::ensure_within;
use crate::auth::{Actor, UnitPath};
use crate::crypto::PiiKeys;
use crate::db::entities::{admin_unit, membership, person, target_group, village};
use crate::error::ApiError;
use crate::services::legacy_address::{self, Placement};
use crate::services::{audit, units};
use sea_orm::sea_query::{Alias, Expr, Func, Query, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use shared::auth::Role;
use shared::import::QueueItem;
use shared::page::{DEFAULT_PER_PAGE, MAX_PER_PAGE, Page};
use shared::person::{Gender, PersonalId, check_birth, clean_name, normalize_phone};
use shared::registry::{Person, PersonInput, PersonalIdReveal, SensitiveConsent};
use shared::text::{clean, fold};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Filters of the people list.
#[derive(Debug, Default, Clone)]
pub struct ListFilter {
    /// `VN`, a province or a commune code: that unit and everything in it.
    pub unit: Option<String>,
    pub village_id: Option<Uuid>,
    pub target_group: Option<String>,
    pub gender: Option<Gender>,
    pub birth_year_from: Option<i32>,
    pub birth_year_to: Option<i32>,
    /// Only members (`true`) or only non-members (`false`).
    pub member: Option<bool>,
    /// Words of the name, with or without diacritics.
    pub q: Option<String>,
    pub page: Option<u64>,
    pub per_page: Option<u64>,
}

fn location(m: &person::Model) -> UnitPath {
    UnitPath::commune(&m.province_code, &m.commune_code)
}

fn ensure_registrar(actor: &Actor) -> Result<(), ApiError> {
    if actor.role >= Role::BranchOfficer {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "your role does not keep people's records".into(),
        ))
    }
}

/// [`load`] for a write: on PostgreSQL the row stays locked until the transaction ends, so what
/// the write computes from it (the next version, what changed) is not overtaken by a concurrent
/// write of the same record.
pub async fn load_for_update(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<person::Model, ApiError> {
    person::Entity::find_by_id(id)
        .lock_exclusive()
        .one(db)
        .await?
        .filter(|p| actor.unit.contains(&location(p)))
        .ok_or_else(|| ApiError::not_found("person"))
}

/// Condition selecting the people inside `scope`.
pub fn within(scope: &UnitPath) -> Condition {
    match (&scope.province, &scope.commune) {
        (None, _) => Condition::all(),
        (Some(p), None) => Condition::all().add(person::Column::ProvinceCode.eq(p.clone())),
        (_, Some(c)) => Condition::all().add(person::Column::CommuneCode.eq(c.clone())),
    }
}

/// Loads a person inside the actor's unit; outside it the person does not exist for them.
pub async fn load(
    db: &impl ConnectionTrait,
    actor: &Actor,
    id: Uuid,
) -> Result<person::Model, ApiError> {
    person::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|p| actor.unit.contains(&location(p)))
        .ok_or_else(|| ApiError::not_found("person"))
}

/// The records as the API shows them (ID numbers masked), with commune and village names and
/// membership flags, in three batched queries.
pub async fn to_dtos(
    db: &impl ConnectionTrait,
    models: Vec<person::Model>,
) -> Result<Vec<Person>, ApiError> {
    let communes: Vec<String> = models.iter().map(|m| m.commune_code.clone()).collect();
    let commune_names: HashMap<String, String> = admin_unit::Entity::find()
        .filter(admin_unit::Column::Era.eq("current"))
        .filter(admin_unit::Column::Level.eq("commune"))
        .filter(admin_unit::Column::Code.is_in(communes))
        .all(db)
        .await?
        .into_iter()
        .map(|u| (u.code, u.name))
        .collect();
    let village_names =
        crate::services::villages::names(db, models.iter().filter_map(|m| m.village_id)).await?;
    let ids: Vec<Uuid> = models.iter().map(|m| m.id).collect();
    let members: HashSet<Uuid> = if ids.is_empty() {
        HashSet::new()
    } else {
        membership::Entity::find()
            .filter(membership::Column::PersonId.is_in(ids))
            .filter(membership::Column::Status.eq("active"))
            .all(db)
            .await?
            .into_iter()
            .map(|m| m.person_id)
            .collect()
    };
    Ok(models
        .into_iter()
        .map(|m| Person {
            id: m.id,
            gender: Gender::parse(&m.gender).unwrap_or(Gender::Male),
            birth_date: m.birth_date,
            birth_year: m.birth_year,
            personal_id_masked: m.personal_id_masked.clone(),
            phone: m.phone.clone(),
            commune_name: commune_names
                .get(&m.commune_code)
                .cloned()
                .unwrap_or_default(),
            village_name: m.village_id.and_then(|v| village_names.get(&v).cloned()),
            is_member: members.contains(&m.id),
            consent: match (
                &m.sensitive_consent_by,
                m.sensitive_consent_at,
                &m.sensitive_consent_text,
            ) {
                (Some(by), Some(at), Some(text)) => Some(SensitiveConsent {
                    consented_by: by.clone(),
                    consented_at: at,
                    text: text.clone(),
                }),
                _ => None,
            },
            full_name: m.full_name,
            commune_code: m.commune_code,
            province_code: m.province_code,
            village_id: m.village_id,
            occupation: m.occupation,
            target_group: m.target_group,
            workplace: m.workplace,
            ethnicity: m.ethnicity,
            religion: m.religion,
            external_id: m.external_id,
            version: m.version,
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
        .collect())
}

async fn one(db: &impl ConnectionTrait, model: person::Model) -> Result<Person, ApiError> {
    to_dtos(db, vec![model])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("person"))
}

/// A validated person record, ready to store.
struct Checked {
    /// Whether the request says anything about the personal ID number (`None`: keep it).
    personal_id_given: bool,
    full_name: String,
    gender: Gender,
    birth_date: Option<chrono::NaiveDate>,
    birth_year: i32,
    personal_id: Option<PersonalId>,
    phone: Option<String>,
    unit: UnitPath,
    village_id: Option<Uuid>,
    input: PersonInput,
}

fn optional(value: Option<String>) -> Option<String> {
    value.map(|v| clean(&v)).filter(|v| !v.is_empty())
}

/// Applies the rules of `shared` to every field, collecting all field errors at once.
async fn check(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: PersonInput,
) -> Result<Checked, ApiError> {
    let mut errors = Vec::new();
    let mut push = |field: &str, code: &str, message: String| {
        errors.push(shared::error::FieldError {
            field: field.into(),
            code: code.into(),
            message,
        })
    };
    let full_name = match clean_name(&input.full_name) {
        Ok(n) => n,
        Err(e) => {
            push("full_name", e.code(), e.to_string());
            String::new()
        }
    };
    let today = chrono::Utc::now().date_naive();
    let birth_year = match check_birth(input.birth_date, input.birth_year, today) {
        Ok(y) => Some(y),
        Err(e) => {
            let field = if input.birth_date.is_some() {
                "birth_date"
            } else {
                "birth_year"
            };
            push(field, e.code(), e.to_string());
            None
        }
    };
    let personal_id_given = input.personal_id.is_some();
    let personal_id = match input
        .personal_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => match PersonalId::parse(raw) {
            Ok(id) => {
                if let Some(year) = birth_year
                    && let Err(e) = id.check_against(input.gender, year)
                {
                    push("personal_id", e.code(), e.to_string());
                }
                Some(id)
            }
            Err(e) => {
                push("personal_id", e.code(), e.to_string());
                None
            }
        },
    };
    let phone = match input
        .phone
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(raw) => match normalize_phone(raw) {
            Ok(p) => Some(p),
            Err(e) => {
                push("phone", e.code(), e.to_string());
                None
            }
        },
    };
    let has_sensitive = input
        .ethnicity
        .as_deref()
        .is_some_and(|v| !v.trim().is_empty())
        || input
            .religion
            .as_deref()
            .is_some_and(|v| !v.trim().is_empty());
    if has_sensitive && input.consent.is_none() {
        push(
            "consent",
            "consent_required",
            "ethnicity and religion are kept only with a recorded consent".into(),
        );
    }
    if let Some(group) = input
        .target_group
        .as_deref()
        .filter(|g| !g.trim().is_empty())
    {
        let known = target_group::Entity::find_by_id(group.to_string())
            .one(db)
            .await?
            .is_some_and(|g| g.active);
        if !known {
            push(
                "target_group",
                "unknown_target_group",
                format!("no active target group has the code {group}"),
            );
        }
    }
    let unit = match units::resolve_code(db, &input.commune_code).await? {
        Some(u) if u.level() == "commune" => Some(u),
        _ => {
            push(
                "commune_code",
                "unknown_commune",
                format!("no current commune has the code {}", input.commune_code),
            );
            None
        }
    };
    if let (Some(village_id), Some(unit)) = (input.village_id, unit.as_ref()) {
        let ok = village::Entity::find_by_id(village_id)
            .one(db)
            .await?
            .is_some_and(|v| {
                Some(&v.commune_code) == unit.commune.as_ref() && v.status == "active"
            });
        if !ok {
            push(
                "village_id",
                "unknown_village",
                "no active village of this commune has this id".into(),
            );
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (Some(unit), Some(birth_year)) = (unit, birth_year) else {
        return Err(anyhow::anyhow!("validated person lacks unit or birth year").into());
    };
    ensure_within(actor, &unit)?;
    Ok(Checked {
        personal_id_given,
        full_name,
        gender: input.gender,
        birth_date: input.birth_date,
        birth_year,
        personal_id,
        phone,
        unit,
        village_id: input.village_id,
        input,
    })
}

/// Checks a record as [`create_in`] would, writing nothing; returns its personal ID number,
/// when it has one.
pub(crate) async fn check_fields(
    db: &impl ConnectionTrait,
    actor: &Actor,
    input: PersonInput,
) -> Result<Option<String>, ApiError> {
    let checked = check(db, actor, input).await?;
    Ok(checked.personal_id.map(|p| p.as_str().to_string()))
}

/// Refuses a personal ID number already on another record: 409, with the existing record's id
/// only when the caller may see it.
pub(crate) async fn ensure_unique(
    db: &impl ConnectionTrait,
    actor: &Actor,
    hash: &str,
    except: Option<Uuid>,
) -> Result<(), ApiError> {
    let mut query = person::Entity::find().filter(person::Column::PersonalIdHash.eq(hash));
    if let Some(id) = except {
        query = query.filter(person::Column::Id.ne(id));
    }
    if let Some(existing) = query.one(db).await? {
        let visible = actor.unit.contains(&location(&existing));
        return Err(ApiError::Duplicate {
            detail: if visible {
                "a record with this personal ID number exists".into()
            } else {
                "a record with this personal ID number exists outside your unit; ask the officers of the unit it belongs to".into()
            },
            existing_id: visible.then(|| existing.id.to_string()),
        });
    }
    Ok(())
}

fn apply(model: &mut person::ActiveModel, checked: Checked, pii: &PiiKeys) -> Result<(), ApiError> {
    let input = checked.input;
    model.search_name = Set(fold(&checked.full_name));
    model.full_name = Set(checked.full_name);
    model.gender = Set(checked.gender.as_str().to_string());
    model.birth_date = Set(checked.birth_date);
    model.birth_year = Set(checked.birth_year);
    match &checked.personal_id {
        None if !checked.personal_id_given => {}
        Some(id) => {
            model.personal_id_cipher = Set(Some(pii.encrypt(id.as_str())?));
            model.personal_id_hash = Set(Some(pii.blind_index(id.as_str())));
            model.personal_id_masked = Set(Some(id.masked()));
        }
        None => {
            model.personal_id_cipher = Set(None);
            model.personal_id_hash = Set(None);
            model.personal_id_masked = Set(None);
        }
    }
    model.phone = Set(checked.phone);
    model.commune_code = Set(checked.unit.commune.clone().unwrap_or_default());
    model.province_code = Set(checked.unit.province.clone().unwrap_or_default());
    model.village_id = Set(checked.village_id);
    model.occupation = Set(optional(input.occupation));
    model.target_group = Set(input.target_group.filter(|g| !g.trim().is_empty()));
    model.workplace = Set(optional(input.workplace));
    let consent = input.consent;
    let (ethnicity, religion) = if consent.is_some() {
        (optional(input.ethnicity), optional(input.religion))
    } else {
        (None, None)
    };
    let keep_consent = consent.filter(|_| ethnicity.is_some() || religion.is_some());
    model.ethnicity = Set(ethnicity);
    model.religion = Set(religion);
    model.sensitive_consent_by = Set(keep_consent.as_ref().map(|c| clean(&c.consented_by)));
    model.sensitive_consent_at = Set(keep_consent.as_ref().map(|c| c.consented_at));
    model.sensitive_consent_text = Set(keep_consent.as_ref().map(|c| clean(&c.text)));
    model.external_id = Set(optional(input.external_id));
    Ok(())
}

/// What a write of a record did: saved it, or held it in the legacy-address queue until an
/// officer picks its commune (see `legacy_address`).
#[derive(Debug)]
pub enum Saved {
    Person(Box<Person>),
    Held(Box<QueueItem>),
}

/// Creates a person record in a commune of the actor's unit, or holds it in the queue when it
/// gives an old address that needs an officer's choice.
pub async fn create(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    addresses: &legacy_address::Cache,
    actor: &Actor,
    mut input: PersonInput,
) -> Result<Saved, ApiError> {
    ensure_registrar(actor)?;
    let txn = crate::db::begin_write(db).await?;
    if let Placement::Held(ticket) =
        legacy_address::place(addresses, &txn, &mut input, None).await?
    {
        let id = legacy_address::hold(&txn, pii, actor, None, ticket, input, None).await?;
        txn.commit().await?;
        return held(db, actor, id).await;
    }
    let sent = input.clone();
    let saved = create_in(&txn, pii, actor, input).await?;
    let at = (
        saved.id,
        saved.province_code.as_str(),
        saved.commune_code.as_str(),
    );
    legacy_address::settle(&txn, pii, actor, None, &sent, at).await?;
    txn.commit().await?;
    Ok(Saved::Person(Box::new(one(db, saved).await?)))
}

async fn held(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<Saved, ApiError> {
    Ok(Saved::Held(Box::new(
        crate::services::legacy_queue::get(db, actor, id).await?,
    )))
}

/// [`create`] of a placed record inside the caller's transaction (the batch upserts of the
/// integration API, and the legacy-address queue).
pub(crate) async fn create_in(
    txn: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    pii: &PiiKeys,
    actor: &Actor,
    input: PersonInput,
) -> Result<person::Model, ApiError> {
    ensure_registrar(actor)?;
    let checked = check(txn, actor, input).await?;
    if let Some(id) = &checked.personal_id {
        ensure_unique(txn, actor, &pii.blind_index(id.as_str()), None).await?;
    }
    let unit = checked.unit.clone();
    let now = chrono::Utc::now();
    let mut model = person::ActiveModel {
        id: Set(Uuid::new_v4()),
        created_by: Set(Some(actor.user_id)),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    };
    apply(&mut model, checked, pii)?;
    let saved = model.insert(txn).await?;
    audit::record(
        txn,
        audit::Entry {
            actor: Some(actor),
            action: "person.create",
            resource_type: "person",
            resource_id: Some(saved.id.to_string()),
            unit: &unit,
            detail: Some(
                json!({"full_name": saved.full_name, "personal_id": saved.personal_id_masked}),
            ),
        },
    )
    .await?;
    Ok(saved)
}

/// One full record (ID number masked); the view is audited.
pub async fn get(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<Person, ApiError> {
    let model = load(db, actor, id).await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "person.view",
            resource_type: "person",
            resource_id: Some(id.to_string()),
            unit: &location(&model),
            detail: None,
        },
    )
    .await?;
    one(db, model).await
}

/// Replaces a record; a missing personal ID number keeps the stored one. An old address that
/// needs an officer's choice holds the whole change in the queue (the record stays as it is).
pub async fn update(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    addresses: &legacy_address::Cache,
    actor: &Actor,
    id: Uuid,
    mut input: PersonInput,
) -> Result<Saved, ApiError> {
    ensure_registrar(actor)?;
    let txn = crate::db::begin_write(db).await?;
    let old = load_for_update(&txn, actor, id).await?;
    let current = Some((old.province_code.as_str(), old.commune_code.as_str()));
    if let Placement::Held(ticket) =
        legacy_address::place(addresses, &txn, &mut input, current).await?
    {
        let id = legacy_address::hold(&txn, pii, actor, None, ticket, input, Some(old.id)).await?;
        txn.commit().await?;
        return held(db, actor, id).await;
    }
    let sent = input.clone();
    let saved = update_in(&txn, pii, actor, old, input).await?;
    let at = (
        saved.id,
        saved.province_code.as_str(),
        saved.commune_code.as_str(),
    );
    legacy_address::settle(&txn, pii, actor, None, &sent, at).await?;
    txn.commit().await?;
    Ok(Saved::Person(Box::new(one(db, saved).await?)))
}

/// [`update`] of a loaded, placed record inside the caller's transaction (the batch upserts of
/// the integration API, and the legacy-address queue).
pub(crate) async fn update_in(
    txn: &(impl ConnectionTrait + sea_orm::TransactionTrait),
    pii: &PiiKeys,
    actor: &Actor,
    old: person::Model,
    input: PersonInput,
) -> Result<person::Model, ApiError> {
    ensure_registrar(actor)?;
    let id = old.id;
    let checked = check(txn, actor, input).await?;
    // A kept number must still agree with a changed gender or birth year.
    if !checked.personal_id_given
        && let Some(cipher) = old.personal_id_cipher.as_deref()
        && let Ok(kept) = PersonalId::parse(&pii.decrypt(cipher)?)
        && let Err(e) = kept.check_against(checked.gender, checked.birth_year)
    {
        return Err(ApiError::field("personal_id", e.code(), e.to_string()));
    }
    if let Some(pid) = &checked.personal_id {
        ensure_unique(txn, actor, &pii.blind_index(pid.as_str()), Some(id)).await?;
    }
    let unit = checked.unit.clone();
    let mut model: person::ActiveModel = old.clone().into();
    apply(&mut model, checked, pii)?;
    model.updated_at = Set(chrono::Utc::now());
    model.version = Set(old.version + 1);
    let saved = model.update(txn).await?;
    let changed: Vec<&str> = [
        ("full_name", old.full_name != saved.full_name),
        ("gender", old.gender != saved.gender),
        (
            "birth",
            old.birth_date != saved.birth_date || old.birth_year != saved.birth_year,
        ),
        (
            "personal_id",
            old.personal_id_hash != saved.personal_id_hash,
        ),
        ("phone", old.phone != saved.phone),
        ("commune_code", old.commune_code != saved.commune_code),
        ("village_id", old.village_id != saved.village_id),
        ("occupation", old.occupation != saved.occupation),
        ("target_group", old.target_group != saved.target_group),
        ("workplace", old.workplace != saved.workplace),
        (
            "sensitive",
            old.ethnicity != saved.ethnicity || old.religion != saved.religion,
        ),
        ("external_id", old.external_id != saved.external_id),
    ]
    .into_iter()
    .filter_map(|(f, c)| c.then_some(f))
    .collect();
    audit::record(
        txn,
        audit::Entry {
            actor: Some(actor),
            action: "person.update",
            resource_type: "person",
            resource_id: Some(id.to_string()),
            unit: &unit,
            detail: Some(json!({"changed": changed, "from_commune": old.commune_code})),
        },
    )
    .await?;
    Ok(saved)
}

/// Erases a record and its memberships (a person's right to erasure).
pub async fn delete(db: &DatabaseConnection, actor: &Actor, id: Uuid) -> Result<(), ApiError> {
    if actor.role < Role::CommuneOfficer {
        return Err(ApiError::Forbidden(
            "your role does not erase records".into(),
        ));
    }
    let txn = crate::db::begin_write(db).await?;
    let old = load_for_update(&txn, actor, id).await?;
    membership::Entity::delete_many()
        .filter(membership::Column::PersonId.eq(id))
        .exec(&txn)
        .await?;
    person::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        audit::Entry {
            actor: Some(actor),
            action: "person.delete",
            resource_type: "person",
            resource_id: Some(id.to_string()),
            unit: &location(&old),
            detail: Some(
                json!({"full_name": old.full_name, "personal_id": old.personal_id_masked}),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The people inside the actor's unit matching the filters, by name.
pub async fn list(
    db: &DatabaseConnection,
    actor: &Actor,
    filter: ListFilter,
) -> Result<Page<Person>, ApiError> {
    let per_page = filter
        .per_page
        .unwrap_or(DEFAULT_PER_PAGE)
        .clamp(1, MAX_PER_PAGE);
    let page = filter.page.unwrap_or(1).max(1);
    let mut query = person::Entity::find().filter(within(&actor.unit));
    if let Some(code) = filter.unit.as_deref() {
        let unit = units::resolve_field(db, "unit", code).await?;
        ensure_within(actor, &unit)?;
        query = query.filter(within(&unit));
    }
    if let Some(v) = filter.village_id {
        query = query.filter(person::Column::VillageId.eq(v));
    }
    if let Some(g) = filter.target_group {
        query = query.filter(person::Column::TargetGroup.eq(g));
    }
    if let Some(g) = filter.gender {
        query = query.filter(person::Column::Gender.eq(g.as_str()));
    }
    if let Some(y) = filter.birth_year_from {
        query = query.filter(person::Column::BirthYear.gte(y));
    }
    if let Some(y) = filter.birth_year_to {
        query = query.filter(person::Column::BirthYear.lte(y));
    }
    if let Some(member) = filter.member {
        let members = Query::select()
            .column(membership::Column::PersonId)
            .from(membership::Entity)
            .and_where(Expr::col(membership::Column::Status).eq("active"))
            .to_owned();
        query = query.filter(if member {
            person::Column::Id.in_subquery(members)
        } else {
            person::Column::Id.not_in_subquery(members)
        });
    }
    if let Some(q) = filter.q.as_deref() {
        let folded = fold(q);
        let words: Vec<&str> = folded
            .split(' ')
            .filter(|w| !w.is_empty())
            .take(8)
            .collect();
        for word in &words {
            query = query.filter(person::Column::SearchName.like(crate::db::like_contains(word)));
        }
        if let Some(last) = words.last() {
            query = query.order_by(name_rank(last), Order::Asc);
        }
    }
    let paginator = query
        .order_by_asc(person::Column::SearchName)
        .order_by_asc(person::Column::Id)
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

/// The rank of a person for a name search whose last word is `word` (folded): 0 when the given
/// name (the last word of the full name) is `word`, 1 when it starts with it, 2 when another
/// word of the name does, 3 otherwise. Searching "Ánh" lists the Ánh and Anh before Thành or
/// Khánh.
///
/// The given name is the name after its last space: `rtrim(name, <the name's letters>)` leaves
/// everything up to that space, on SQLite and PostgreSQL alike.
fn name_rank(word: &str) -> SimpleExpr {
    let name = || Expr::col(person::Column::SearchName);
    let letters = Func::cust(Alias::new("replace"))
        .arg(name())
        .arg(Expr::cust("' '"))
        .arg(Expr::cust("''"));
    let family = Func::cust(Alias::new("rtrim")).arg(name()).arg(letters);
    let after_family =
        Expr::expr(Func::cust(Alias::new("length")).arg(family)).add(Expr::cust("1"));
    let given = || {
        Expr::expr(
            Func::cust(Alias::new("substr"))
                .arg(name())
                .arg(after_family.clone()),
        )
    };
    let prefix = crate::db::like_prefix(word);
    let word_start = Condition::any()
        .add(name().like(prefix.clone()))
        .add(name().like(format!("% {prefix}")));
    Expr::case(given().eq(word), 0)
        .case(given().like(prefix), 1)
        .case(word_start, 2)
        .finally(3)
        .into()
}

/// Exact lookup by personal ID number, inside the actor's unit only.
pub async fn lookup(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    personal_id: &str,
) -> Result<Person, ApiError> {
    let id = PersonalId::parse(personal_id)
        .map_err(|e| ApiError::field("personal_id", e.code(), e.to_string()))?;
    let model = person::Entity::find()
        .filter(person::Column::PersonalIdHash.eq(pii.blind_index(id.as_str())))
        .one(db)
        .await?
        .filter(|p| actor.unit.contains(&location(p)))
        .ok_or_else(|| ApiError::not_found("person"))?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "person.lookup",
            resource_type: "person",
            resource_id: Some(model.id.to_string()),
            unit: &location(&model),
            detail: None,
        },
    )
    .await?;
    one(db, model).await
}

/// The full personal ID number, for officers of the commune and above; always audited.
pub async fn reveal_personal_id(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    id: Uuid,
) -> Result<PersonalIdReveal, ApiError> {
    if actor.role < Role::CommuneOfficer {
        return Err(ApiError::Forbidden(
            "your role does not see full personal ID numbers".into(),
        ));
    }
    let model = load(db, actor, id).await?;
    let personal_id = model
        .personal_id_cipher
        .as_deref()
        .map(|c| pii.decrypt(c))
        .transpose()?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "person.reveal_personal_id",
            resource_type: "person",
            resource_id: Some(id.to_string()),
            unit: &location(&model),
            detail: None,
        },
    )
    .await?;
    Ok(PersonalIdReveal {
        person_id: id,
        personal_id,
    })
}

/// Everything held on a person (right of access), with the full ID number; audited.
pub async fn export(
    db: &DatabaseConnection,
    pii: &PiiKeys,
    actor: &Actor,
    id: Uuid,
) -> Result<shared::registry::PersonExport, ApiError> {
    use crate::db::entities::audit_log;
    if actor.role < Role::CommuneOfficer {
        return Err(ApiError::Forbidden(
            "your role does not export personal records".into(),
        ));
    }
    let model = load(db, actor, id).await?;
    let personal_id = model
        .personal_id_cipher
        .as_deref()
        .map(|c| pii.decrypt(c))
        .transpose()?;
    let memberships = crate::services::memberships::of_person(db, actor, id).await?;
    let audit_rows = audit_log::Entity::find()
        .filter(audit_log::Column::ResourceType.eq("person"))
        .filter(audit_log::Column::ResourceId.eq(id.to_string()))
        .order_by_asc(audit_log::Column::At)
        .all(db)
        .await?;
    audit::record(
        db,
        audit::Entry {
            actor: Some(actor),
            action: "person.export",
            resource_type: "person",
            resource_id: Some(id.to_string()),
            unit: &location(&model),
            detail: None,
        },
    )
    .await?;
    Ok(shared::registry::PersonExport {
        person: one(db, model).await?,
        personal_id,
        memberships,
        audit: audit_rows.into_iter().map(audit::to_dto).collect(),
        exported_at: chrono::Utc::now(),
    })
}
