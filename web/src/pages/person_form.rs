//! `/people/new` and `/people/{id}/edit`: the person form, made for entering one record after
//! another from the keyboard.
//!
//! The fields follow the order of a paper record, Enter saves (on a new record it saves and
//! starts the next one), and the commune, village and target group of the last record are kept
//! for the next, between visits too. Every field is checked with the rules of
//! `shared::person` when it loses the focus and again before sending, so the messages are those
//! the server would give; what only the server can know (a duplicate ID number, a village that
//! has just been closed) comes back beside the same fields.

use crate::api::people::Saved;
use crate::api::registry::VillageQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::commune_picker::{AdminUnitsResource, CommunePicker};
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::loading::Loading;
use crate::components::person_item::person_href;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::dates::{DAY_PLACEHOLDER, day_text, read_day, today};
use crate::hooks::{enter_submits, focus_soon, use_page_title};
use crate::i18n::Key;
use crate::pages::old_address::OldAddress;
use crate::scope::Scope;
use crate::storage;
use chrono::{Datelike, NaiveTime};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use serde::{Deserialize, Serialize};
use shared::auth::{Role, User};
use shared::error::FieldError;
use shared::page::MAX_PER_PAGE;
use shared::person::{FlexibleDate, Gender, PersonalId, check_birth, parse_flexible_date};
use shared::registry::{
    LegacyAddress, Person, PersonInput, SensitiveConsent, TargetGroup, Village,
};
use std::collections::HashSet;
use uuid::Uuid;
use validator::Validate;

/// Where the place and target group of the last record entered are kept.
const DEFAULTS_KEY: &str = "cdht.person-defaults";

/// The fields of the request, in the order of the form, with the input each error belongs to:
/// the first one in error gets the focus.
const FIELD_INPUTS: [(&str, &str); 17] = [
    ("full_name", "person-full-name"),
    ("gender", "person-gender"),
    ("birth_date", "person-birth-date"),
    ("birth_year", "person-birth-year"),
    ("personal_id", "person-personal-id"),
    ("phone", "person-phone"),
    ("commune_code", "person-commune"),
    ("village_id", "person-village"),
    ("target_group", "person-target-group"),
    ("occupation", "person-occupation"),
    ("workplace", "person-workplace"),
    ("ethnicity", "person-ethnicity"),
    ("religion", "person-religion"),
    ("consent", "person-consent-by"),
    ("consent.consented_by", "person-consent-by"),
    ("consent.consented_at", "person-consent-at"),
    ("consent.text", "person-consent-text"),
];

/// Fields of the "sensitive data" section, which is opened when one of them is in error.
const SENSITIVE_FIELDS: [&str; 6] = [
    "ethnicity",
    "religion",
    "consent",
    "consent.consented_by",
    "consent.consented_at",
    "consent.text",
];

/// The place and target group kept from one record to the next.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Defaults {
    province_code: String,
    commune_code: String,
    village_id: String,
    target_group: String,
}

impl Defaults {
    fn load() -> Self {
        storage::get(DEFAULTS_KEY)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    }

    fn store(&self) {
        match serde_json::to_string(self) {
            Ok(json) => storage::set(DEFAULTS_KEY, &json),
            Err(error) => leptos::logging::warn!("cannot keep the form's defaults: {error}"),
        }
    }
}

/// What the form does once the record is saved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Then {
    /// Show the saved record.
    Show,
    /// Start the next record.
    Next,
}

/// Every field of the form, as typed.
#[derive(Clone, Copy)]
struct Fields {
    full_name: RwSignal<String>,
    gender: RwSignal<String>,
    birth_date: RwSignal<String>,
    birth_year: RwSignal<String>,
    personal_id: RwSignal<String>,
    remove_personal_id: RwSignal<bool>,
    phone: RwSignal<String>,
    province: RwSignal<String>,
    commune: RwSignal<String>,
    village: RwSignal<String>,
    target_group: RwSignal<String>,
    occupation: RwSignal<String>,
    workplace: RwSignal<String>,
    ethnicity: RwSignal<String>,
    religion: RwSignal<String>,
    consent_by: RwSignal<String>,
    consent_at: RwSignal<String>,
    consent_text: RwSignal<String>,
    /// The old address to send while no current commune is known (see `old_address`).
    legacy_address: RwSignal<Option<LegacyAddress>>,
}

/// `Some(text)` unless the trimmed text is empty.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

fn field_error(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_string(),
        code: code.to_string(),
        message: message.into(),
    }
}

fn required(field: &str) -> FieldError {
    field_error(field, "required", "is required")
}

impl Fields {
    /// A blank form for a new record in `defaults`' place.
    fn blank(defaults: &Defaults) -> Self {
        let text = |value: &str| RwSignal::new(value.to_string());
        Fields {
            full_name: text(""),
            gender: text(""),
            birth_date: text(""),
            birth_year: text(""),
            personal_id: text(""),
            remove_personal_id: RwSignal::new(false),
            phone: text(""),
            province: text(&defaults.province_code),
            commune: text(&defaults.commune_code),
            village: text(&defaults.village_id),
            target_group: text(&defaults.target_group),
            occupation: text(""),
            workplace: text(""),
            ethnicity: text(""),
            religion: text(""),
            consent_by: text(""),
            consent_at: text(&day_text(today())),
            consent_text: text(""),
            legacy_address: RwSignal::new(None),
        }
    }

    /// The form filled with `person` as the server keeps it. The ID number stays empty: the
    /// server only shows it masked, and leaving it empty keeps it.
    fn of(person: &Person) -> Self {
        let text = |value: Option<&str>| RwSignal::new(value.unwrap_or_default().to_string());
        let consent = person.consent.as_ref();
        Fields {
            full_name: text(Some(&person.full_name)),
            gender: text(Some(person.gender.as_str())),
            birth_date: RwSignal::new(person.birth_date.map(day_text).unwrap_or_default()),
            birth_year: RwSignal::new(person.birth_year.to_string()),
            personal_id: text(None),
            remove_personal_id: RwSignal::new(false),
            phone: RwSignal::new(
                person
                    .phone
                    .as_deref()
                    .map(shared::person::display_phone)
                    .unwrap_or_default(),
            ),
            province: text(Some(&person.province_code)),
            commune: text(Some(&person.commune_code)),
            village: RwSignal::new(
                person
                    .village_id
                    .map(|id| id.to_string())
                    .unwrap_or_default(),
            ),
            target_group: text(person.target_group.as_deref()),
            occupation: text(person.occupation.as_deref()),
            workplace: text(person.workplace.as_deref()),
            ethnicity: text(person.ethnicity.as_deref()),
            religion: text(person.religion.as_deref()),
            consent_by: text(consent.map(|c| c.consented_by.as_str())),
            consent_at: RwSignal::new(
                consent
                    .map(|c| day_text(c.consented_at.date_naive()))
                    .unwrap_or_else(|| day_text(today())),
            ),
            consent_text: text(consent.map(|c| c.text.as_str())),
            legacy_address: RwSignal::new(None),
        }
    }

    /// Empties the form for the next record, keeping its place and target group.
    fn clear_for_next(&self) {
        for field in [
            self.full_name,
            self.gender,
            self.birth_date,
            self.birth_year,
            self.personal_id,
            self.phone,
            self.occupation,
            self.workplace,
            self.ethnicity,
            self.religion,
            self.consent_by,
            self.consent_text,
        ] {
            field.set(String::new());
        }
        self.remove_personal_id.set(false);
        self.consent_at.set(day_text(today()));
        self.legacy_address.set(None);
    }

    /// The place and target group to offer with the next record.
    fn defaults(&self) -> Defaults {
        Defaults {
            province_code: self.province.get_untracked(),
            commune_code: self.commune.get_untracked(),
            village_id: self.village.get_untracked(),
            target_group: self.target_group.get_untracked(),
        }
    }

    /// The request the form describes (`None` until a gender is chosen) and every error the
    /// shared rules find in it. `editing` sends an empty ID number as "keep the stored one".
    fn check(
        &self,
        editing: bool,
        external_id: Option<String>,
    ) -> (Option<PersonInput>, Vec<FieldError>) {
        let mut errors = Vec::new();
        let gender = Gender::parse(&self.gender.get());
        if gender.is_none() {
            errors.push(required("gender"));
        }
        let birth_date = read_day("birth_date", &self.birth_date.get()).unwrap_or_else(|error| {
            errors.push(error);
            None
        });
        let birth_year = match self.birth_year.get().trim() {
            "" => None,
            typed => match typed.parse::<i32>() {
                Ok(year) => Some(year),
                Err(_) => {
                    errors.push(field_error(
                        "birth_year",
                        "invalid_year",
                        "must be a year such as 1985",
                    ));
                    None
                }
            },
        };
        let unreadable = errors.iter().any(|e| e.field.starts_with("birth_"));
        let year = match check_birth(birth_date, birth_year, today()) {
            Ok(year) => Some(year),
            Err(_) if unreadable => None,
            Err(error) => {
                let field = if birth_date.is_some() {
                    "birth_date"
                } else {
                    "birth_year"
                };
                errors.push(field_error(field, error.code(), error.to_string()));
                None
            }
        };
        let typed_id = self.personal_id.get().trim().to_string();
        let personal_id = if editing && self.remove_personal_id.get() {
            Some(String::new())
        } else {
            non_empty(&typed_id)
        };
        if let Ok(id) = PersonalId::parse(&typed_id)
            && let (Some(gender), Some(year)) = (gender, year)
            && let Err(error) = id.check_against(gender, year)
        {
            errors.push(field_error("personal_id", error.code(), error.to_string()));
        }
        let commune_code = self.commune.get();
        let legacy_address = self
            .legacy_address
            .get()
            .filter(|_| commune_code.trim().is_empty());
        if commune_code.trim().is_empty() && legacy_address.is_none() {
            errors.push(required("commune_code"));
        }
        let ethnicity = non_empty(&self.ethnicity.get());
        let religion = non_empty(&self.religion.get());
        let consent = if ethnicity.is_some() || religion.is_some() {
            let consented_by = self.consent_by.get().trim().to_string();
            let consented_at = match read_day("consent.consented_at", &self.consent_at.get()) {
                Ok(Some(day)) => Some(day),
                Ok(None) => {
                    errors.push(required("consent.consented_at"));
                    None
                }
                Err(error) => {
                    errors.push(error);
                    None
                }
            };
            let text = self.consent_text.get().trim().to_string();
            if consented_by.is_empty() {
                errors.push(required("consent.consented_by"));
            }
            if text.is_empty() {
                errors.push(required("consent.text"));
            }
            consented_at.map(|at| SensitiveConsent {
                consented_by,
                consented_at: at.and_time(NaiveTime::MIN).and_utc(),
                text,
            })
        } else {
            None
        };
        let input = PersonInput {
            full_name: self.full_name.get().trim().to_string(),
            // Only to check the other fields; no request is built without a chosen gender.
            gender: gender.unwrap_or(Gender::Male),
            birth_date,
            birth_year: birth_year.or(year),
            personal_id,
            phone: non_empty(&self.phone.get()),
            commune_code,
            village_id: Uuid::parse_str(self.village.get().trim()).ok(),
            occupation: non_empty(&self.occupation.get()),
            target_group: non_empty(&self.target_group.get()),
            workplace: non_empty(&self.workplace.get()),
            ethnicity,
            religion,
            consent,
            external_id,
            legacy_address,
        };
        if let Err(found) = input.validate() {
            for error in shared::error::field_errors(&found) {
                if !errors.iter().any(|e| e.field == error.field) {
                    errors.push(error);
                }
            }
        }
        (gender.map(|_| input), errors)
    }
}

/// The input to focus for the first of `errors`, in the order of the form.
fn first_error_input(errors: &[FieldError]) -> Option<&'static str> {
    FIELD_INPUTS
        .iter()
        .find(|(field, _)| errors.iter().any(|error| error.field == *field))
        .map(|(_, input)| *input)
}

/// `/people/new`.
#[component]
pub fn PersonNewPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_page_title(i18n, Key::PersonNewTitle);
    let form_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <PersonForm app user person=None /> }))
        })
    };
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Key::PeopleTitle)>
            <a href="/people">{move || i18n.t(Key::BackToPeople)}</a>
        </nav>
        <h1>{move || i18n.t(Key::PersonNewTitle)}</h1>
        <Transition fallback=move || view! { <Loading i18n /> }>{form_view}</Transition>
    }
}

/// `/people/{id}/edit`.
#[component]
pub fn PersonEditPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_page_title(i18n, Key::PersonEditTitle);
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    });
    let person = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::people::person(session, id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let form_view = move || {
        suspend_shown(i18n, async move {
            let person = person.await?;
            let user = me.await?;
            Ok::<_, ApiError>(match (person, user) {
                (Some(person), Some(user)) => {
                    view! { <PersonForm app user person=Some(person) /> }.into_any()
                }
                (None, _) => view! {
                    <p class="error" role="alert">
                        {move || i18n.t(Key::ErrNotFound)}
                    </p>
                }
                .into_any(),
                (_, None) => ().into_any(),
            })
        })
    };
    let back = move || id.get().map_or_else(|| "/people".to_string(), person_href);
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Key::PeopleTitle)>
            <a href=back>{move || i18n.t(Key::BackToPerson)}</a>
        </nav>
        <h1>{move || i18n.t(Key::PersonEditTitle)}</h1>
        <Transition fallback=move || view! { <Loading i18n /> }>{form_view}</Transition>
    }
}

/// `form#person-form` for `user`: a new record, or a change of `person`.
#[component]
fn PersonForm(app: AppContext, user: User, person: Option<Person>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    if user.role < Role::BranchOfficer {
        return view! {
            <p class="notice" role="alert">
                {move || i18n.t(Key::PersonReadOnly)}
            </p>
        }
        .into_any();
    }
    let scope = Scope::of(&user);
    let editing = person.as_ref().map(|p| p.id);
    let masked = person.as_ref().and_then(|p| p.personal_id_masked.clone());
    let external_id = person.as_ref().and_then(|p| p.external_id.clone());
    let fields = match &person {
        Some(person) => Fields::of(person),
        None => Fields::blank(&Defaults::load()),
    };
    match scope {
        Scope::Commune => fields.commune.set(user.unit.code.clone()),
        Scope::Province => fields.province.set(user.unit.code.clone()),
        Scope::Nation => {}
    }
    let default_then = if editing.is_some() {
        Then::Show
    } else {
        Then::Next
    };

    let touched = RwSignal::new(HashSet::<String>::new());
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let duplicate = RwSignal::new(None::<Option<String>>);
    let failure = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let added = RwSignal::new(None::<(Uuid, String)>);
    let held = RwSignal::new(None::<String>);
    let sensitive_open = RwSignal::new(
        person
            .as_ref()
            .is_some_and(|p| p.ethnicity.is_some() || p.religion.is_some()),
    );

    let check_external_id = external_id.clone();
    let found = Memo::new(move |_| fields.check(editing.is_some(), check_external_id.clone()).1);
    let errors = Signal::derive(move || {
        let touched = touched.get();
        let mut shown: Vec<FieldError> = found.with(|found| {
            found
                .iter()
                .filter(|error| touched.contains(&error.field))
                .cloned()
                .collect()
        });
        server_errors.with(|server| {
            for error in server {
                if !shown.iter().any(|e| e.field == error.field) {
                    shown.push(error.clone());
                }
            }
        });
        shown
    });
    // A field that loses the focus is checked from then on.
    let blurred = move |field: &'static str| {
        if !touched.with_untracked(|t| t.contains(field)) {
            touched.update(|t| {
                t.insert(field.to_string());
            });
        }
    };
    // The server's word on a field stands until the field is changed.
    let edited = move |field: &'static str| {
        if server_errors.with_untracked(|e| e.iter().any(|e| e.field == field)) {
            server_errors.update(|e| e.retain(|e| e.field != field));
        }
        if field == "personal_id" && duplicate.with_untracked(Option::is_some) {
            duplicate.set(None);
        }
    };

    // Another commune has other villages.
    Effect::new(move |previous: Option<String>| {
        let current = fields.commune.get();
        if previous.is_some_and(|previous| previous != current) {
            fields.village.set(String::new());
        }
        current
    });

    let provinces = (scope == Scope::Nation)
        .then(|| LocalResource::new(move || api::admin_units::provinces(session)));
    let communes: AdminUnitsResource = LocalResource::new(move || {
        let province = fields.province.get();
        async move {
            if province.is_empty() || scope == Scope::Commune {
                Ok(Vec::new())
            } else {
                api::admin_units::communes(session, &province).await
            }
        }
    });
    let villages: LocalResource<Result<Vec<Village>, ApiError>> = LocalResource::new(move || {
        let commune = fields.commune.get();
        async move {
            if commune.is_empty() {
                return Ok(Vec::new());
            }
            let request = VillageQuery {
                commune_code: Some(commune),
                page: 1,
                per_page: MAX_PER_PAGE,
                ..Default::default()
            };
            api::registry::villages(session, &request)
                .await
                .map(|page| page.items)
        }
    });
    let groups: LocalResource<Result<Vec<TargetGroup>, ApiError>> =
        LocalResource::new(move || api::people::target_groups(session));

    // A kept choice that no longer exists (a commune of another province, a closed village or
    // group) is dropped rather than sent.
    if scope != Scope::Commune {
        Effect::new(move |_| {
            if let Some(Ok(list)) = communes.get() {
                let chosen = fields.commune.get_untracked();
                if !chosen.is_empty()
                    && !fields.province.get_untracked().is_empty()
                    && !list.iter().any(|unit| unit.code == chosen)
                {
                    fields.commune.set(String::new());
                }
            }
        });
    }
    Effect::new(move |_| {
        if let Some(Ok(list)) = villages.get() {
            let chosen = fields.village.get_untracked();
            if !chosen.is_empty() && !list.iter().any(|village| village.id.to_string() == chosen) {
                fields.village.set(String::new());
            }
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(list)) = groups.get() {
            let chosen = fields.target_group.get_untracked();
            if !chosen.is_empty() && !list.iter().any(|g| g.active && g.code == chosen) {
                fields.target_group.set(String::new());
            }
        }
    });

    let navigate = use_navigate();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let then = match event.submitter().map(|button| button.id()).as_deref() {
            Some("person-save-new") => Then::Next,
            Some("person-save") => Then::Show,
            _ => default_then,
        };
        let (input, problems) = untrack(|| fields.check(editing.is_some(), external_id.clone()));
        touched.set(
            FIELD_INPUTS
                .iter()
                .map(|(field, _)| field.to_string())
                .collect(),
        );
        server_errors.set(Vec::new());
        duplicate.set(None);
        failure.set(None);
        added.set(None);
        held.set(None);
        let input = match input {
            Some(input) if problems.is_empty() => input,
            _ => {
                if problems
                    .iter()
                    .any(|e| SENSITIVE_FIELDS.contains(&e.field.as_str()))
                {
                    sensitive_open.set(true);
                }
                if let Some(target) = first_error_input(&problems) {
                    focus_soon(target.to_string());
                }
                return;
            }
        };
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = match editing {
                Some(id) => api::people::update(session, id, &input).await,
                None => api::people::create(session, &input).await,
            };
            pending.try_set(false);
            match outcome {
                Ok(Saved::Held(item)) => {
                    held.try_set(Some(format!(
                        "{} ({})",
                        item.full_name, item.legacy_address
                    )));
                    if editing.is_none() {
                        fields.clear_for_next();
                        touched.set(HashSet::new());
                        sensitive_open.set(false);
                    }
                    focus_soon("person-held-link".to_string());
                }
                Ok(Saved::Person(saved)) => {
                    fields.defaults().store();
                    match (then, editing) {
                        (Then::Show, _) => navigate(&person_href(saved.id), Default::default()),
                        (Then::Next, Some(_)) => navigate("/people/new", Default::default()),
                        (Then::Next, None) => {
                            fields.clear_for_next();
                            touched.set(HashSet::new());
                            sensitive_open.set(false);
                            added.set(Some((saved.id, saved.full_name)));
                            focus_soon("person-full-name".to_string());
                        }
                    }
                }
                Err(error) if error.problem().is_some_and(|p| p.code == "duplicate") => {
                    let existing = error.problem().and_then(|p| p.existing_id.clone());
                    duplicate.try_set(Some(existing));
                    focus_soon("person-personal-id".to_string());
                }
                Err(error) => {
                    let problems = error.field_errors();
                    if problems
                        .iter()
                        .any(|e| SENSITIVE_FIELDS.contains(&e.field.as_str()))
                    {
                        sensitive_open.try_set(true);
                    }
                    if let Some(target) = first_error_input(&problems) {
                        focus_soon(target.to_string());
                    }
                    server_errors.try_set(problems);
                    failure.try_set(Some(error));
                }
            }
        });
    };

    // Spells out a mismatch with the facts the typed number encodes.
    let describe_id = Callback::new(move |error: FieldError| {
        if !matches!(
            error.code.as_str(),
            "gender_mismatch" | "birth_year_mismatch"
        ) {
            return None;
        }
        let id = PersonalId::parse(&fields.personal_id.get()).ok()?;
        Some(i18n.cat().id_encodes(id.gender(), id.birth_year()))
    });

    let invalid = move |field: &'static str| move || has_error(errors, field).to_string();
    let commune_invalid = Signal::derive(move || has_error(errors, "commune_code"));
    let place = match scope {
        Scope::Commune => {
            let name = user.unit.name.clone();
            view! {
                <div class="field">
                    <span class="label">{move || i18n.t(Key::CommunesTitle)}</span>
                    <span id="person-commune-fixed" class="fixed-value">{name}</span>
                    <FieldErrorText i18n errors field="commune_code" id="person-commune-error" />
                </div>
            }
            .into_any()
        }
        _ => view! {
            <CommunePicker
                i18n
                provinces=provinces
                communes
                province=fields.province
                commune=fields.commune
                province_id="person-province"
                commune_id="person-commune"
                empty=Key::ChooseOption
                described_by="person-commune-error"
                invalid=commune_invalid
            >
                <FieldErrorText i18n errors field="commune_code" id="person-commune-error" />
            </CommunePicker>
        }
        .into_any(),
    };

    let old_address = (scope != Scope::Commune).then(|| {
        view! {
            <OldAddress
                i18n
                session
                province=fields.province
                commune=fields.commune
                address=fields.legacy_address
            />
        }
    });

    let village_picker = move || {
        suspend_shown(i18n, async move {
            villages.await.map(|villages| {
                let none = villages.is_empty();
                view! {
                    <select
                        id="person-village"
                        aria-invalid=invalid("village_id")
                        aria-describedby="person-village-hint person-village-error"
                        on:change=move |event| fields.village.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=fields.village>
                            {move || i18n.t(Key::NoneChosen)}
                        </SelectOption>
                        {villages
                            .into_iter()
                            .map(|village| {
                                view! {
                                    <SelectOption
                                        value=village.id.to_string()
                                        selected=fields.village
                                    >
                                        {village.name}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                    <p id="person-village-hint" class="hint">
                        {move || {
                            if none {
                                Some(i18n.t(Key::ChooseCommuneFirst))
                            } else {
                                editing.is_none().then(|| i18n.t(Key::KeptForNext))
                            }
                        }}
                    </p>
                }
            })
        })
    };
    let current_group = person.as_ref().and_then(|p| p.target_group.clone());
    let group_picker = move || {
        let current_group = current_group.clone();
        suspend_shown(i18n, async move {
            groups.await.map(|groups| {
                view! {
                    <select
                        id="person-target-group"
                        aria-invalid=invalid("target_group")
                        aria-describedby="person-target-group-error"
                        on:change=move |event| fields.target_group.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=fields.target_group>
                            {move || i18n.t(Key::NoneChosen)}
                        </SelectOption>
                        {groups
                            .into_iter()
                            .filter(|group| {
                                group.active || current_group.as_ref() == Some(&group.code)
                            })
                            .map(|group| {
                                let TargetGroup { code, name_vi, name_en, .. } = group;
                                view! {
                                    <SelectOption value=code selected=fields.target_group>
                                        {move || i18n.pick(&name_vi, &name_en).to_string()}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                }
            })
        })
    };

    let id_hint = move || match (&masked, editing) {
        (Some(masked), Some(_)) => i18n.cat().personal_id_kept(masked),
        _ => i18n.t(Key::PersonalIdHint).to_string(),
    };
    let can_remove_id = editing.is_some()
        && person
            .as_ref()
            .is_some_and(|p| p.personal_id_masked.is_some());

    let duplicate_view = move || {
        duplicate.get().map(|existing| {
            let link = existing.map(|id| {
                let href = format!("/people/{id}");
                view! {
                    <a id="person-duplicate-link" href=href>
                        {move || i18n.t(Key::OpenExisting)}
                    </a>
                }
            });
            let outside = link.is_none();
            view! {
                <div id="person-duplicate" class="error" role="alert">
                    <p class="problem-title">
                        {move || {
                            if outside {
                                i18n.t(Key::DuplicateOutside)
                            } else {
                                i18n.t(Key::DuplicatePersonalId)
                            }
                        }}
                    </p>
                    {link.map(|link| view! { <p>{link}</p> })}
                </div>
            }
        })
    };

    let save_new = view! {
        <button
            id="person-save-new"
            type="submit"
            class=if editing.is_some() { "button-quiet" } else { "" }
            disabled=move || pending.get()
        >
            {move || {
                if editing.is_some() {
                    i18n.t(Key::SaveThenNew)
                } else {
                    i18n.t(Key::SaveAndNew)
                }
            }}
        </button>
    };
    let save = view! {
        <button
            id="person-save"
            type="submit"
            class=if editing.is_some() { "" } else { "button-quiet" }
            disabled=move || pending.get()
        >
            {move || if pending.get() { i18n.t(Key::Saving) } else { i18n.t(Key::Save) }}
        </button>
    };
    // The first submit button is the one Enter presses.
    let buttons = if editing.is_some() {
        view! { {save} {save_new} }.into_any()
    } else {
        view! { {save_new} {save} }.into_any()
    };
    let cancel_href = editing.map_or_else(|| "/people".to_string(), person_href);

    focus_soon("person-full-name".to_string());
    view! {
        <p class="hint" id="person-form-hint">
            {move || {
                if editing.is_some() {
                    i18n.t(Key::PersonEditHint)
                } else {
                    i18n.t(Key::PersonNewHint)
                }
            }}
        </p>
        <p id="person-added" class="success" role="status">
            {move || {
                added
                    .get()
                    .map(|(id, name)| {
                        view! {
                            {move || i18n.cat().added(&name)}
                            " "
                            <a id="person-added-link" href=person_href(id)>
                                {move || i18n.t(Key::OpenRecord)}
                            </a>
                        }
                    })
            }}
        </p>
        <p id="person-held" class="notice" role="status">
            {move || {
                held.get()
                    .map(|who| {
                        view! {
                            {who} ": " {move || i18n.t(Key::PersonHeld)}
                            " "
                            <a id="person-held-link" href="/legacy-queue">
                                {move || i18n.t(Key::OpenLegacyQueue)}
                            </a>
                        }
                    })
            }}
        </p>
        <form
            id="person-form"
            class="form person-form"
            on:submit=submit
            on:keydown=|event| enter_submits(&event)
            novalidate
        >
            <div class="form-grid">
                <div class="field field-wide">
                    <label for="person-full-name">{move || i18n.t(Key::FullName)}</label>
                    <input
                        id="person-full-name"
                        name="full_name"
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        required
                        aria-invalid=invalid("full_name")
                        aria-describedby="person-full-name-error"
                        bind:value=fields.full_name
                        on:blur=move |_| blurred("full_name")
                        on:input=move |_| edited("full_name")
                    />
                    <FieldErrorText i18n errors field="full_name" id="person-full-name-error" />
                </div>
                <div class="field">
                    <label for="person-gender">{move || i18n.t(Key::Gender)}</label>
                    <select
                        id="person-gender"
                        name="gender"
                        required
                        aria-invalid=invalid("gender")
                        aria-describedby="person-gender-error"
                        on:change=move |event| fields.gender.set(event_target_value(&event))
                        on:blur=move |_| blurred("gender")
                    >
                        <SelectOption value="" selected=fields.gender>
                            {move || i18n.t(Key::ChooseOption)}
                        </SelectOption>
                        {Gender::ALL
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <SelectOption value=option.as_str() selected=fields.gender>
                                        {move || i18n.cat().gender(option)}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErrorText i18n errors field="gender" id="person-gender-error" />
                </div>
                <div class="field">
                    <label for="person-birth-date">{move || i18n.t(Key::BirthDate)}</label>
                    <input
                        id="person-birth-date"
                        name="birth_date"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        placeholder=DAY_PLACEHOLDER
                        aria-invalid=invalid("birth_date")
                        aria-describedby="person-birth-hint person-birth-date-error"
                        bind:value=fields.birth_date
                        on:change=move |_| {
                            // A bare year typed here is the year of birth.
                            match parse_flexible_date(&fields.birth_date.get_untracked()) {
                                Some(FlexibleDate::Full(date)) => {
                                    fields.birth_year.set(date.year().to_string());
                                }
                                Some(FlexibleDate::Year(year)) => {
                                    fields.birth_year.set(year.to_string());
                                    fields.birth_date.set(String::new());
                                }
                                None => {}
                            }
                        }
                        on:blur=move |_| blurred("birth_date")
                        on:input=move |_| edited("birth_date")
                    />
                    <FieldErrorText i18n errors field="birth_date" id="person-birth-date-error" />
                </div>
                <div class="field">
                    <label for="person-birth-year">{move || i18n.t(Key::BirthYear)}</label>
                    <input
                        id="person-birth-year"
                        name="birth_year"
                        type="text"
                        inputmode="numeric"
                        maxlength="4"
                        autocomplete="off"
                        aria-invalid=invalid("birth_year")
                        aria-describedby="person-birth-hint person-birth-year-error"
                        bind:value=fields.birth_year
                        on:blur=move |_| blurred("birth_year")
                        on:input=move |_| edited("birth_year")
                    />
                    <FieldErrorText i18n errors field="birth_year" id="person-birth-year-error" />
                </div>
                <p id="person-birth-hint" class="hint field-wide">
                    {move || i18n.t(Key::BirthHint)}
                </p>
                <div class="field">
                    <label for="person-personal-id">{move || i18n.t(Key::PersonalIdLabel)}</label>
                    <input
                        id="person-personal-id"
                        name="personal_id"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=move || {
                            (has_error(errors, "personal_id") || duplicate.with(Option::is_some))
                                .to_string()
                        }
                        aria-describedby="person-personal-id-hint person-personal-id-error person-duplicate"
                        disabled=move || fields.remove_personal_id.get()
                        bind:value=fields.personal_id
                        on:blur=move |_| blurred("personal_id")
                        on:input=move |_| edited("personal_id")
                    />
                    <p id="person-personal-id-hint" class="hint">{id_hint}</p>
                    <FieldErrorText
                        i18n
                        errors
                        field="personal_id"
                        id="person-personal-id-error"
                        describe=describe_id
                    />
                    {duplicate_view}
                    {can_remove_id
                        .then(|| {
                            view! {
                                <label class="check">
                                    <input
                                        id="person-personal-id-remove"
                                        type="checkbox"
                                        bind:checked=fields.remove_personal_id
                                    />
                                    {move || i18n.t(Key::RemovePersonalId)}
                                </label>
                            }
                        })}
                </div>
                <div class="field">
                    <label for="person-phone">{move || i18n.t(Key::AuPhone)}</label>
                    <input
                        id="person-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="off"
                        aria-invalid=invalid("phone")
                        aria-describedby="person-phone-hint person-phone-error"
                        bind:value=fields.phone
                        on:blur=move |_| blurred("phone")
                        on:input=move |_| edited("phone")
                    />
                    <p id="person-phone-hint" class="hint">{move || i18n.t(Key::AuPhoneHint)}</p>
                    <FieldErrorText i18n errors field="phone" id="person-phone-error" />
                </div>
                {place}
                {old_address}
                <div class="field">
                    <label for="person-village">{move || i18n.t(Key::AuVillage)}</label>
                    <Transition fallback=move || view! { <Loading i18n /> }>{village_picker}</Transition>
                    <FieldErrorText i18n errors field="village_id" id="person-village-error" />
                </div>
                <div class="field">
                    <label for="person-target-group">{move || i18n.t(Key::TargetGroup)}</label>
                    <Transition fallback=move || view! { <Loading i18n /> }>{group_picker}</Transition>
                    <FieldErrorText
                        i18n
                        errors
                        field="target_group"
                        id="person-target-group-error"
                    />
                </div>
                <div class="field">
                    <label for="person-occupation">{move || i18n.t(Key::Occupation)}</label>
                    <input
                        id="person-occupation"
                        name="occupation"
                        type="text"
                        autocomplete="off"
                        aria-invalid=invalid("occupation")
                        aria-describedby="person-occupation-error"
                        bind:value=fields.occupation
                        on:blur=move |_| blurred("occupation")
                        on:input=move |_| edited("occupation")
                    />
                    <FieldErrorText i18n errors field="occupation" id="person-occupation-error" />
                </div>
                <div class="field">
                    <label for="person-workplace">{move || i18n.t(Key::Workplace)}</label>
                    <input
                        id="person-workplace"
                        name="workplace"
                        type="text"
                        autocomplete="off"
                        aria-invalid=invalid("workplace")
                        aria-describedby="person-workplace-error"
                        bind:value=fields.workplace
                        on:blur=move |_| blurred("workplace")
                        on:input=move |_| edited("workplace")
                    />
                    <FieldErrorText i18n errors field="workplace" id="person-workplace-error" />
                </div>
            </div>
            <details
                id="person-sensitive"
                class="sensitive"
                prop:open=move || sensitive_open.get()
                on:toggle=move |event| {
                    let open = event_target::<web_sys::HtmlDetailsElement>(&event).open();
                    if open != sensitive_open.get_untracked() {
                        sensitive_open.set(open);
                    }
                }
            >
                <summary>{move || i18n.t(Key::SensitiveTitle)}</summary>
                <p class="hint">{move || i18n.t(Key::SensitiveHint)}</p>
                <div class="form-grid">
                    <div class="field">
                        <label for="person-ethnicity">{move || i18n.t(Key::Ethnicity)}</label>
                        <input
                            id="person-ethnicity"
                            name="ethnicity"
                            type="text"
                            autocomplete="off"
                            aria-invalid=invalid("ethnicity")
                            aria-describedby="person-ethnicity-error"
                            bind:value=fields.ethnicity
                            on:blur=move |_| blurred("ethnicity")
                            on:input=move |_| edited("ethnicity")
                        />
                        <FieldErrorText i18n errors field="ethnicity" id="person-ethnicity-error" />
                    </div>
                    <div class="field">
                        <label for="person-religion">{move || i18n.t(Key::Religion)}</label>
                        <input
                            id="person-religion"
                            name="religion"
                            type="text"
                            autocomplete="off"
                            aria-invalid=invalid("religion")
                            aria-describedby="person-religion-error"
                            bind:value=fields.religion
                            on:blur=move |_| blurred("religion")
                            on:input=move |_| edited("religion")
                        />
                        <FieldErrorText i18n errors field="religion" id="person-religion-error" />
                    </div>
                    <FieldErrorText i18n errors field="consent" id="person-consent-error" />
                    <div class="field">
                        <label for="person-consent-by">{move || i18n.t(Key::ConsentBy)}</label>
                        <input
                            id="person-consent-by"
                            name="consented_by"
                            type="text"
                            autocomplete="off"
                            aria-invalid=invalid("consent.consented_by")
                            aria-describedby="person-consent-by-hint person-consent-by-error person-consent-error"
                            bind:value=fields.consent_by
                            on:blur=move |_| blurred("consent.consented_by")
                            on:input=move |_| edited("consent.consented_by")
                        />
                        <p id="person-consent-by-hint" class="hint">
                            {move || i18n.t(Key::ConsentByHint)}
                        </p>
                        <FieldErrorText
                            i18n
                            errors
                            field="consent.consented_by"
                            id="person-consent-by-error"
                        />
                    </div>
                    <div class="field">
                        <label for="person-consent-at">{move || i18n.t(Key::ConsentAt)}</label>
                        <input
                            id="person-consent-at"
                            name="consented_at"
                            type="text"
                            inputmode="numeric"
                            autocomplete="off"
                            placeholder=DAY_PLACEHOLDER
                            aria-invalid=invalid("consent.consented_at")
                            aria-describedby="person-consent-at-error"
                            bind:value=fields.consent_at
                            on:blur=move |_| blurred("consent.consented_at")
                            on:input=move |_| edited("consent.consented_at")
                        />
                        <FieldErrorText
                            i18n
                            errors
                            field="consent.consented_at"
                            id="person-consent-at-error"
                        />
                    </div>
                    <div class="field field-wide">
                        <label for="person-consent-text">{move || i18n.t(Key::ConsentText)}</label>
                        <input
                            id="person-consent-text"
                            name="consent_text"
                            type="text"
                            autocomplete="off"
                            aria-invalid=invalid("consent.text")
                            aria-describedby="person-consent-text-hint person-consent-text-error"
                            bind:value=fields.consent_text
                            on:input=move |_| edited("consent.text")
                            on:blur=move |_| blurred("consent.text")
                        />
                        <p id="person-consent-text-hint" class="hint">
                            {move || i18n.t(Key::ConsentTextHint)}
                        </p>
                        <FieldErrorText
                            i18n
                            errors
                            field="consent.text"
                            id="person-consent-text-error"
                        />
                    </div>
                </div>
            </details>
            {move || {
                failure
                    .get()
                    .map(|error| view! { <ProblemAlert i18n error id="person-form-error" /> })
            }}
            <div class="form-actions">
                {buttons}
                <a href=cancel_href class="button button-quiet">
                    {move || i18n.t(Key::Cancel)}
                </a>
            </div>
        </form>
    }
    .into_any()
}
