//! `/people/{id}`: one person record with its memberships and, for commune officers and above,
//! the full ID number on request, the export of everything held, erasure and the audit trail.
//!
//! Opening the page, showing the full number and exporting are each written to the audit log by
//! the server; the trail shown here is fetched again after each of them.

use crate::api::memberships as membership_api;
use crate::api::registry::UnitQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::loading::Loading;
use crate::components::pager::{Pager, page_count};
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::dates::{DAY_PLACEHOLDER, day_text, read_day, today};
use crate::download;
use crate::hooks::{enter_submits, focus_soon, use_page_title};
use crate::i18n::{I18n, Key};
use crate::pages::association_units::unit_href;
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::auth::Role;
use shared::error::FieldError;
use shared::page::{MAX_PER_PAGE, Page};
use shared::person::display_phone;
use shared::registry::{
    AssociationUnit, AuditEntry, CreateMembershipRequest, MEMBER_ROLES, Membership, Person,
    TargetGroup, TransferMembershipRequest, UpdateMembershipRequest,
};
use uuid::Uuid;
use validator::Validate;

/// Audit entries per page of the trail.
const AUDIT_PER_PAGE: u64 = 20;

/// The Association units of the person's commune a membership can be in.
type UnitsResource = LocalResource<Result<Vec<AssociationUnit>, ApiError>>;

/// `Some(text)` unless the trimmed text is empty.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The label of a member role in the current language.
fn role_label(i18n: I18n, role: &str) -> String {
    i18n.cat()
        .member_role(role)
        .map_or_else(|| role.to_string(), str::to_string)
}

/// The options of a member-role picker.
fn role_options(i18n: I18n, selected: RwSignal<String>) -> impl IntoView {
    MEMBER_ROLES
        .into_iter()
        .map(|role| {
            view! {
                <SelectOption value=role selected>
                    {move || role_label(i18n, role)}
                </SelectOption>
            }
        })
        .collect_view()
}

/// The person page.
#[component]
pub fn PersonDetailPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_page_title(i18n, Key::PersonTitle);
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
    let detail_view = move || {
        suspend_shown(i18n, async move {
            let found = person.await?;
            let role = me.await?.map(|user| user.role);
            Ok::<_, ApiError>(match (found, role) {
                (Some(person), Some(role)) => view! { <PersonDetail app person role /> }.into_any(),
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
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Key::PeopleTitle)>
            <a href="/people">{move || i18n.t(Key::BackToPeople)}</a>
        </nav>
        <Transition fallback=move || view! { <Loading i18n /> }>{detail_view}</Transition>
    }
}

/// Everything about one person, for a visitor with `role`.
#[component]
fn PersonDetail(app: AppContext, person: Person, role: Role) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = person.id;
    let officer = role >= Role::CommuneOfficer;
    let registrar = role >= Role::BranchOfficer;
    let audit_reload = RwSignal::new(0_u32);
    let groups: LocalResource<Result<Vec<TargetGroup>, ApiError>> =
        LocalResource::new(move || api::people::target_groups(session));

    let export_error = RwSignal::new(None::<ApiError>);
    let exporting = RwSignal::new(false);
    let export = move |_| {
        if exporting.get_untracked() {
            return;
        }
        exporting.set(true);
        export_error.set(None);
        spawn_local(async move {
            let outcome = api::people::export(session, id).await;
            exporting.try_set(false);
            match outcome {
                Ok(json) => {
                    let saved = serde_json::to_string_pretty(&json)
                        .map_err(|error| error.to_string())
                        .and_then(|text| {
                            download::save_text(
                                &format!("person-{id}.json"),
                                "application/json",
                                &text,
                            )
                            .map_err(|error| format!("{error:?}"))
                        });
                    if let Err(error) = saved {
                        export_error.try_set(Some(ApiError::Decode(error)));
                    }
                }
                Err(error) => {
                    export_error.try_set(Some(error));
                }
            }
            audit_reload.try_update(|n| *n += 1);
        });
    };

    let actions = (registrar || officer).then(|| {
        view! {
            <div class="page-actions">
                {registrar
                    .then(|| {
                        view! {
                            <a id="person-edit" href=format!("/people/{id}/edit") class="button">
                                {move || i18n.t(Key::Edit)}
                            </a>
                        }
                    })}
                {officer
                    .then(|| {
                        view! {
                            <button
                                id="person-export"
                                type="button"
                                class="button-quiet"
                                aria-describedby="person-export-note"
                                disabled=move || exporting.get()
                                on:click=export
                            >
                                {move || i18n.t(Key::ExportRecord)}
                            </button>
                            <p id="person-export-note" class="hint">
                                {move || i18n.t(Key::ExportNote)}
                            </p>
                        }
                    })}
            </div>
            {move || {
                export_error
                    .get()
                    .map(|error| view! { <ProblemAlert i18n error id="person-export-error" /> })
            }}
        }
    });

    let name = person.full_name.clone();
    let commune_code = person.commune_code.clone();
    view! {
        <h1 id="person-heading">{person.full_name.clone()}</h1>
        {actions}
        <PersonFacts app person groups officer audit_reload />
        <Memberships app person_id=id commune_code can_edit=registrar />
        {officer.then(|| view! { <AuditTrail app person_id=id reload=audit_reload /> })}
        {officer.then(|| view! { <DeleteSection app person_id=id name /> })}
    }
}

/// The record's fields, with the full ID number shown on request to commune officers and above.
#[component]
fn PersonFacts(
    app: AppContext,
    person: Person,
    groups: LocalResource<Result<Vec<TargetGroup>, ApiError>>,
    officer: bool,
    audit_reload: RwSignal<u32>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let Person {
        id,
        gender,
        birth_date,
        birth_year,
        personal_id_masked,
        phone,
        commune_name,
        village_name,
        occupation,
        target_group,
        workplace,
        ethnicity,
        religion,
        consent,
        external_id,
        updated_at,
        ..
    } = person;
    let or_not_set = move |value: Option<String>| match value {
        Some(value) => view! { <span>{value}</span> }.into_any(),
        None => view! { <span class="not-set">{move || i18n.t(Key::NotSet)}</span> }.into_any(),
    };

    let revealed = RwSignal::new(None::<Option<String>>);
    let revealing = RwSignal::new(false);
    let reveal_error = RwSignal::new(None::<ApiError>);
    let reveal = move |_| {
        if revealing.get_untracked() {
            return;
        }
        revealing.set(true);
        reveal_error.set(None);
        spawn_local(async move {
            let outcome = api::people::reveal_personal_id(session, id).await;
            revealing.try_set(false);
            match outcome {
                Ok(found) => {
                    revealed.try_set(Some(found.personal_id));
                    focus_soon("person-reveal-hide".to_string());
                }
                Err(error) => {
                    reveal_error.try_set(Some(error));
                }
            }
            audit_reload.try_update(|n| *n += 1);
        });
    };
    let hide = move |_| {
        revealed.set(None);
        focus_soon("person-reveal".to_string());
    };
    let has_number = personal_id_masked.is_some();
    let number_view = move || {
        match revealed.get() {
        Some(full) => view! {
            <span id="person-personal-id-full" class="person-id">
                {full.unwrap_or_default()}
            </span>
            " "
            <button id="person-reveal-hide" type="button" class="button-quiet button-small" on:click=hide>
                {move || i18n.t(Key::HideNumber)}
            </button>
        }
        .into_any(),
        None => {
            let masked = personal_id_masked.clone();
            view! {
                {match masked {
                    Some(masked) => view! { <span id="person-personal-id" class="person-id">{masked}</span> }.into_any(),
                    None => view! { <span class="not-set">{move || i18n.t(Key::NoPersonalId)}</span> }.into_any(),
                }}
                {(officer && has_number)
                    .then(|| {
                        view! {
                            " "
                            <button
                                id="person-reveal"
                                type="button"
                                class="button-quiet button-small"
                                aria-describedby="person-reveal-note"
                                disabled=move || revealing.get()
                                on:click=reveal
                            >
                                {move || i18n.t(Key::ShowFullNumber)}
                            </button>
                            <span id="person-reveal-note" class="hint">
                                {move || i18n.t(Key::RevealNote)}
                            </span>
                        }
                    })}
            }
            .into_any()
        }
    }
    };

    let group_view = move || {
        let target_group = target_group.clone();
        suspend_shown(i18n, async move {
            let groups = groups.await?;
            Ok::<_, ApiError>(match target_group {
                Some(code) => {
                    let name = groups
                        .into_iter()
                        .find(|group| group.code == code)
                        .map(|group| (group.name_vi, group.name_en));
                    match name {
                        Some((vi, en)) => {
                            view! { <span>{move || i18n.pick(&vi, &en).to_string()}</span> }
                                .into_any()
                        }
                        None => view! { <span>{code}</span> }.into_any(),
                    }
                }
                None => {
                    view! { <span class="not-set">{move || i18n.t(Key::NotSet)}</span> }.into_any()
                }
            })
        })
    };

    let sensitive = (ethnicity.is_some() || religion.is_some()).then(|| {
        let consent_view = consent.map(|consent| {
            let at = consent.consented_at.date_naive();
            view! {
                <dt>{move || i18n.t(Key::ConsentTitle)}</dt>
                <dd class="person-consent">
                    {move || i18n.cat().consent_given(&consent.consented_by, &i18n.cat().date(at))}
                    <br />
                    <q>{consent.text.clone()}</q>
                </dd>
            }
        });
        view! {
            <dt>{move || i18n.t(Key::Ethnicity)}</dt>
            <dd>{or_not_set(ethnicity)}</dd>
            <dt>{move || i18n.t(Key::Religion)}</dt>
            <dd>{or_not_set(religion)}</dd>
            {consent_view}
        }
    });

    view! {
        <dl class="facts">
            <dt>{move || i18n.t(Key::Gender)}</dt>
            <dd class="person-gender">{move || i18n.cat().gender(gender)}</dd>
            <dt>{move || i18n.t(Key::Born)}</dt>
            <dd class="person-birth">
                {move || match birth_date {
                    Some(date) => i18n.cat().date(date),
                    None => birth_year.to_string(),
                }}
            </dd>
            <dt>{move || i18n.t(Key::PersonalId)}</dt>
            <dd class="person-number">
                {number_view}
                {move || {
                    reveal_error.get().map(|error| view! { <ProblemAlert i18n error /> })
                }}
            </dd>
            <dt>{move || i18n.t(Key::AuPhone)}</dt>
            <dd>{or_not_set(phone.as_deref().map(display_phone))}</dd>
            <dt>{move || i18n.t(Key::CommunesTitle)}</dt>
            <dd>{commune_name}</dd>
            <dt>{move || i18n.t(Key::AuVillage)}</dt>
            <dd>{or_not_set(village_name)}</dd>
            <dt>{move || i18n.t(Key::TargetGroup)}</dt>
            <dd>
                <Transition fallback=move || view! { <Loading i18n /> }>{group_view}</Transition>
            </dd>
            <dt>{move || i18n.t(Key::Occupation)}</dt>
            <dd>{or_not_set(occupation)}</dd>
            <dt>{move || i18n.t(Key::Workplace)}</dt>
            <dd>{or_not_set(workplace)}</dd>
            {sensitive}
            {external_id
                .map(|external| {
                    view! {
                        <dt>{move || i18n.t(Key::ExternalId)}</dt>
                        <dd>{external}</dd>
                    }
                })}
            <dt>{move || i18n.t(Key::UpdatedAt)}</dt>
            <dd>{move || i18n.cat().date_time(updated_at)}</dd>
        </dl>
    }
}

/// What is open under one membership.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Edit,
    End,
    Transfer,
}

/// The memberships of the person, oldest history included, with the forms that change them.
#[component]
fn Memberships(
    app: AppContext,
    person_id: Uuid,
    commune_code: String,
    can_edit: bool,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let reload = RwSignal::new(0_u32);
    let open = RwSignal::new(None::<(Uuid, Change)>);
    let status = RwSignal::new(false);
    let memberships: LocalResource<Result<Vec<Membership>, ApiError>> =
        LocalResource::new(move || {
            reload.track();
            membership_api::of_person(session, person_id)
        });
    let units: UnitsResource = LocalResource::new(move || {
        let commune_code = commune_code.clone();
        async move {
            if !can_edit {
                return Ok(Vec::new());
            }
            let query = UnitQuery {
                commune_code: Some(commune_code),
                page: 1,
                per_page: MAX_PER_PAGE,
                ..Default::default()
            };
            api::registry::units(session, &query)
                .await
                .map(|page| page.items)
        }
    });
    let changed = Callback::new(move |focus: String| {
        open.set(None);
        status.set(true);
        reload.update(|n| *n += 1);
        focus_soon(focus);
    });

    let list_view = move || {
        suspend_shown(i18n, async move {
            memberships.await.map(|memberships| {
                let all = memberships.clone();
                let empty = memberships.is_empty().then(|| {
                    view! { <p class="empty">{move || i18n.t(Key::NoMemberships)}</p> }
                });
                view! {
                    <ul id="membership-list" class="membership-list">
                        {memberships
                            .into_iter()
                            .map(|membership| {
                                let transferred_to = membership
                                    .transferred_to_id
                                    .and_then(|to| all.iter().find(|m| m.id == to))
                                    .map(|m| m.association_unit_name.clone());
                                view! {
                                    <MembershipItem
                                        app
                                        membership
                                        transferred_to
                                        can_edit
                                        open
                                        units
                                        changed
                                    />
                                }
                            })
                            .collect_view()}
                    </ul>
                    {empty}
                }
            })
        })
    };

    view! {
        <section class="panel" aria-labelledby="memberships-heading">
            <h2 id="memberships-heading" tabindex="-1">
                {move || i18n.t(Key::MembershipsTitle)}
            </h2>
            <p id="membership-status" class="success" role="status">
                {move || status.get().then(|| i18n.t(Key::Saved))}
            </p>
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
            {can_edit.then(|| view! { <NewMembershipForm app person_id units changed /> })}
        </section>
    }
}

/// One membership: unit, role, dates, status and where a transfer led; the buttons that change
/// an active one, and the form that is open under it.
#[component]
fn MembershipItem(
    app: AppContext,
    membership: Membership,
    transferred_to: Option<String>,
    can_edit: bool,
    open: RwSignal<Option<(Uuid, Change)>>,
    units: UnitsResource,
    changed: Callback<String>,
) -> impl IntoView {
    let i18n = app.i18n;
    let id = membership.id;
    let active = membership.status == "active";
    let label_id = format!("membership-unit-{id}");
    let Membership {
        association_unit_id,
        association_unit_name,
        role,
        joined_on,
        card_number,
        status,
        ended_on,
        note,
        ..
    } = membership.clone();
    let status_label = {
        let status = status.clone();
        move || {
            i18n.cat()
                .membership_status(&status)
                .map_or_else(|| status.clone(), str::to_string)
        }
    };
    let role_text = {
        let role = role.clone();
        move || role_label(i18n, &role)
    };
    let toggle = move |change: Change, focus: &'static str| {
        move |_| {
            if open.get_untracked() == Some((id, change)) {
                open.set(None);
            } else {
                open.set(Some((id, change)));
                focus_soon(focus.to_string());
            }
        }
    };
    let button = move |change: Change, key: Key, focus: &'static str| {
        let button_id = match change {
            Change::Edit => format!("membership-edit-{id}"),
            Change::End => format!("membership-end-{id}"),
            Change::Transfer => format!("membership-transfer-{id}"),
        };
        view! {
            <button
                id=button_id
                type="button"
                class="button-quiet button-small"
                aria-describedby=format!("membership-unit-{id}")
                aria-expanded=move || (open.get() == Some((id, change))).to_string()
                on:click=toggle(change, focus)
            >
                {move || i18n.t(key)}
            </button>
        }
    };
    let form = move || {
        let membership = membership.clone();
        match open.get() {
            Some((open_id, change)) if open_id == id => Some(match change {
                Change::Edit => {
                    view! { <EditMembershipForm app membership open changed /> }.into_any()
                }
                Change::End => {
                    view! { <EndMembershipForm app membership open changed /> }.into_any()
                }
                Change::Transfer => {
                    view! { <TransferForm app membership open units changed /> }.into_any()
                }
            }),
            _ => None,
        }
    };
    view! {
        <li class="membership" class:ended=!active id=format!("membership-{id}")>
            <div class="membership-row">
                <a id=label_id href=unit_href(association_unit_id) class="unit-name">
                    {association_unit_name}
                </a>
                " "
                <span class="tag" class:tag-member=active>{status_label}</span>
            </div>
            <p class="unit-meta">
                <span>{role_text}</span>
                {joined_on
                    .map(|date| {
                        view! {
                            " · "
                            <span>
                                {move || i18n.t(Key::JoinedOn)} ": " {move || i18n.cat().date(date)}
                            </span>
                        }
                    })}
                {card_number
                    .map(|card| {
                        view! {
                            " · "
                            <span>{move || i18n.t(Key::CardNumber)} ": " {card}</span>
                        }
                    })}
                {ended_on
                    .map(|date| {
                        view! {
                            " · "
                            <span>
                                {move || i18n.t(Key::EndedOn)} ": " {move || i18n.cat().date(date)}
                            </span>
                        }
                    })}
                {transferred_to
                    .map(|unit| {
                        view! {
                            " · "
                            <span class="membership-transferred-to">
                                {move || i18n.cat().transferred_to(&unit)}
                            </span>
                        }
                    })}
            </p>
            {note.map(|note| view! { <p class="membership-note">{note}</p> })}
            {(can_edit && active)
                .then(|| {
                    view! {
                        <div class="membership-actions">
                            {button(Change::Edit, Key::Edit, "membership-edit-role")}
                            {button(Change::End, Key::EndMembership, "membership-end-status")}
                            {button(Change::Transfer, Key::TransferMembership, "membership-transfer-unit")}
                        </div>
                    }
                })}
            {form}
        </li>
    }
}

/// Escape closes the form open under a membership and returns to its button; Enter sends it
/// from any field.
fn escape_closes(
    open: RwSignal<Option<(Uuid, Change)>>,
    back_to: String,
) -> impl Fn(KeyboardEvent) + Copy + 'static {
    let back_to = StoredValue::new(back_to);
    move |event: KeyboardEvent| {
        enter_submits(&event);
        if event.key() == "Escape" {
            event.prevent_default();
            open.set(None);
            focus_soon(back_to.get_value());
        }
    }
}

/// The state every membership form shares: field errors, the failure, and whether it is sending.
#[derive(Clone, Copy)]
struct FormState {
    field_errors: RwSignal<Vec<FieldError>>,
    error: RwSignal<Option<ApiError>>,
    pending: RwSignal<bool>,
}

impl FormState {
    fn new() -> Self {
        FormState {
            field_errors: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            pending: RwSignal::new(false),
        }
    }

    /// Starts a send unless one is under way or `checked` found errors.
    fn start(&self, checked: Result<(), validator::ValidationErrors>) -> bool {
        if self.pending.get_untracked() {
            return false;
        }
        self.error.set(None);
        if let Err(errors) = checked {
            self.field_errors.set(shared::error::field_errors(&errors));
            return false;
        }
        self.field_errors.set(Vec::new());
        self.pending.set(true);
        true
    }

    /// Ends a send: on success `done`, else the errors are shown.
    fn finish<T>(&self, outcome: Result<T, ApiError>, done: impl FnOnce(T)) {
        self.pending.try_set(false);
        match outcome {
            Ok(value) => done(value),
            Err(failure) => {
                self.field_errors.try_set(failure.field_errors());
                self.error.try_set(Some(failure));
            }
        }
    }

    fn errors(&self) -> Signal<Vec<FieldError>> {
        self.field_errors.into()
    }

    fn failure_view(&self, i18n: I18n) -> impl IntoView + use<> {
        let error = self.error;
        move || {
            error
                .get()
                .map(|error| view! { <ProblemAlert i18n error /> })
        }
    }
}

/// `form#membership-edit-form`: role, card number and note of an active membership.
#[component]
fn EditMembershipForm(
    app: AppContext,
    membership: Membership,
    open: RwSignal<Option<(Uuid, Change)>>,
    changed: Callback<String>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = membership.id;
    let role = RwSignal::new(membership.role.clone());
    let card = RwSignal::new(membership.card_number.clone().unwrap_or_default());
    let note = RwSignal::new(membership.note.clone().unwrap_or_default());
    let state = FormState::new();
    let errors = state.errors();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let request = UpdateMembershipRequest {
            role: Some(role.get_untracked()),
            card_number: Some(card.get_untracked().trim().to_string()),
            note: Some(note.get_untracked().trim().to_string()),
            ..Default::default()
        };
        if !state.start(request.validate()) {
            return;
        }
        spawn_local(async move {
            let outcome = membership_api::update(session, id, &request).await;
            state.finish(outcome, |_| changed.run(format!("membership-edit-{id}")));
        });
    };
    view! {
        <form
            id="membership-edit-form"
            class="form membership-form"
            on:submit=submit
            on:keydown=escape_closes(open, format!("membership-edit-{id}"))
            novalidate
        >
            <div class="field">
                <label for="membership-edit-role">{move || i18n.t(Key::MemberRole)}</label>
                <select
                    id="membership-edit-role"
                    aria-invalid=move || has_error(errors, "role").to_string()
                    aria-describedby="membership-edit-role-error"
                    on:change=move |event| role.set(event_target_value(&event))
                >
                    {role_options(i18n, role)}
                </select>
                <FieldErrorText i18n errors field="role" id="membership-edit-role-error" />
            </div>
            <div class="field">
                <label for="membership-edit-card">{move || i18n.t(Key::CardNumber)}</label>
                <input
                    id="membership-edit-card"
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || has_error(errors, "card_number").to_string()
                    aria-describedby="membership-edit-card-error"
                    bind:value=card
                />
                <FieldErrorText i18n errors field="card_number" id="membership-edit-card-error" />
            </div>
            <div class="field">
                <label for="membership-edit-note">{move || i18n.t(Key::Note)}</label>
                <input
                    id="membership-edit-note"
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || has_error(errors, "note").to_string()
                    aria-describedby="membership-edit-note-error"
                    bind:value=note
                />
                <FieldErrorText i18n errors field="note" id="membership-edit-note-error" />
            </div>
            {state.failure_view(i18n)}
            <div class="form-actions">
                <button id="membership-edit-save" type="submit" disabled=move || state.pending.get()>
                    {move || i18n.t(Key::Save)}
                </button>
                <button
                    type="button"
                    class="button-quiet"
                    on:click=move |_| {
                        open.set(None);
                        focus_soon(format!("membership-edit-{id}"));
                    }
                >
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// `form#membership-end-form`: the member left, or died, on a given day.
#[component]
fn EndMembershipForm(
    app: AppContext,
    membership: Membership,
    open: RwSignal<Option<(Uuid, Change)>>,
    changed: Callback<String>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = membership.id;
    let status = RwSignal::new("left".to_string());
    let ended_on = RwSignal::new(day_text(today()));
    let state = FormState::new();
    let errors = state.errors();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let ended_on = match read_day("ended_on", &ended_on.get_untracked()) {
            Ok(day) => day,
            Err(error) => {
                state.field_errors.set(vec![error]);
                return;
            }
        };
        let request = UpdateMembershipRequest {
            status: Some(status.get_untracked()),
            ended_on,
            ..Default::default()
        };
        if !state.start(request.validate()) {
            return;
        }
        spawn_local(async move {
            let outcome = membership_api::update(session, id, &request).await;
            state.finish(outcome, |_| changed.run("memberships-heading".to_string()));
        });
    };
    view! {
        <form
            id="membership-end-form"
            class="form membership-form"
            on:submit=submit
            on:keydown=escape_closes(open, format!("membership-end-{id}"))
            novalidate
        >
            <div class="field">
                <label for="membership-end-status">{move || i18n.t(Key::EndReason)}</label>
                <select
                    id="membership-end-status"
                    aria-invalid=move || has_error(errors, "status").to_string()
                    aria-describedby="membership-end-status-error"
                    on:change=move |event| status.set(event_target_value(&event))
                >
                    {["left", "deceased"]
                        .into_iter()
                        .map(|option| {
                            view! {
                                <SelectOption value=option selected=status>
                                    {move || i18n.cat().membership_status(option).unwrap_or(option)}
                                </SelectOption>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldErrorText i18n errors field="status" id="membership-end-status-error" />
            </div>
            <div class="field">
                <label for="membership-end-on">{move || i18n.t(Key::EndedOn)}</label>
                <input
                    id="membership-end-on"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder=DAY_PLACEHOLDER
                    aria-invalid=move || has_error(errors, "ended_on").to_string()
                    aria-describedby="membership-end-on-error"
                    bind:value=ended_on
                />
                <FieldErrorText i18n errors field="ended_on" id="membership-end-on-error" />
            </div>
            {state.failure_view(i18n)}
            <div class="form-actions">
                <button
                    id="membership-end-save"
                    type="submit"
                    class="button-danger"
                    disabled=move || state.pending.get()
                >
                    {move || i18n.t(Key::EndMembership)}
                </button>
                <button
                    type="button"
                    class="button-quiet"
                    on:click=move |_| {
                        open.set(None);
                        focus_soon(format!("membership-end-{id}"));
                    }
                >
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// The options of a unit picker: the units of the commune, `except` one, with their level.
fn unit_options(
    i18n: I18n,
    units: Vec<AssociationUnit>,
    except: Option<Uuid>,
    selected: RwSignal<String>,
) -> impl IntoView {
    units
        .into_iter()
        .filter(|unit| Some(unit.id) != except)
        .map(|unit| {
            let level = unit.level;
            view! {
                <SelectOption value=unit.id.to_string() selected>
                    {unit.name}
                    " ("
                    {move || i18n.cat().association_level(level)}
                    ")"
                </SelectOption>
            }
        })
        .collect_view()
}

/// `form#membership-transfer-form`: the member moves to another unit of the commune; the old
/// membership stays as history.
#[component]
fn TransferForm(
    app: AppContext,
    membership: Membership,
    open: RwSignal<Option<(Uuid, Change)>>,
    units: UnitsResource,
    changed: Callback<String>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = membership.id;
    let from_unit = membership.association_unit_id;
    let target = RwSignal::new(String::new());
    let on = RwSignal::new(day_text(today()));
    let role = RwSignal::new(membership.role.clone());
    let card = RwSignal::new(membership.card_number.clone().unwrap_or_default());
    let state = FormState::new();
    let errors = state.errors();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Ok(to) = Uuid::parse_str(&target.get_untracked()) else {
            state.field_errors.set(vec![FieldError {
                field: "to_association_unit_id".to_string(),
                code: "required".to_string(),
                message: "is required".to_string(),
            }]);
            focus_soon("membership-transfer-unit".to_string());
            return;
        };
        let on = match read_day("on", &on.get_untracked()) {
            Ok(day) => day,
            Err(error) => {
                state.field_errors.set(vec![error]);
                return;
            }
        };
        let request = TransferMembershipRequest {
            to_association_unit_id: to,
            on,
            role: Some(role.get_untracked()),
            card_number: non_empty(&card.get_untracked()),
        };
        if !state.start(request.validate()) {
            return;
        }
        spawn_local(async move {
            let outcome = membership_api::transfer(session, id, &request).await;
            state.finish(outcome, |_| changed.run("memberships-heading".to_string()));
        });
    };
    let picker = move || {
        suspend_shown(i18n, async move {
            units.await.map(|units| {
                view! {
                    <select
                        id="membership-transfer-unit"
                        aria-invalid=move || has_error(errors, "to_association_unit_id").to_string()
                        aria-describedby="membership-transfer-unit-error"
                        on:change=move |event| target.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=target>
                            {move || i18n.t(Key::ChooseOption)}
                        </SelectOption>
                        {unit_options(i18n, units, Some(from_unit), target)}
                    </select>
                }
            })
        })
    };
    view! {
        <form
            id="membership-transfer-form"
            class="form membership-form"
            on:submit=submit
            on:keydown=escape_closes(open, format!("membership-transfer-{id}"))
            novalidate
        >
            <div class="field">
                <label for="membership-transfer-unit">{move || i18n.t(Key::TransferTo)}</label>
                <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition>
                <FieldErrorText
                    i18n
                    errors
                    field="to_association_unit_id"
                    id="membership-transfer-unit-error"
                />
            </div>
            <div class="field">
                <label for="membership-transfer-on">{move || i18n.t(Key::TransferOn)}</label>
                <input
                    id="membership-transfer-on"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder=DAY_PLACEHOLDER
                    aria-invalid=move || has_error(errors, "on").to_string()
                    aria-describedby="membership-transfer-on-error"
                    bind:value=on
                />
                <FieldErrorText i18n errors field="on" id="membership-transfer-on-error" />
            </div>
            <div class="field">
                <label for="membership-transfer-role">{move || i18n.t(Key::MemberRole)}</label>
                <select
                    id="membership-transfer-role"
                    aria-invalid=move || has_error(errors, "role").to_string()
                    aria-describedby="membership-transfer-role-error"
                    on:change=move |event| role.set(event_target_value(&event))
                >
                    {role_options(i18n, role)}
                </select>
                <FieldErrorText i18n errors field="role" id="membership-transfer-role-error" />
            </div>
            <div class="field">
                <label for="membership-transfer-card">{move || i18n.t(Key::CardNumber)}</label>
                <input
                    id="membership-transfer-card"
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || has_error(errors, "card_number").to_string()
                    aria-describedby="membership-transfer-card-error"
                    bind:value=card
                />
                <FieldErrorText
                    i18n
                    errors
                    field="card_number"
                    id="membership-transfer-card-error"
                />
            </div>
            {state.failure_view(i18n)}
            <div class="form-actions">
                <button
                    id="membership-transfer-save"
                    type="submit"
                    disabled=move || state.pending.get()
                >
                    {move || i18n.t(Key::TransferMembership)}
                </button>
                <button
                    type="button"
                    class="button-quiet"
                    on:click=move |_| {
                        open.set(None);
                        focus_soon(format!("membership-transfer-{id}"));
                    }
                >
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// `form#membership-form`: the person joins a unit of their commune (its Association, a branch
/// or a committee).
#[component]
fn NewMembershipForm(
    app: AppContext,
    person_id: Uuid,
    units: UnitsResource,
    changed: Callback<String>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let unit = RwSignal::new(String::new());
    let role = RwSignal::new("hoi_vien".to_string());
    let joined = RwSignal::new(String::new());
    let card = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let state = FormState::new();
    let errors = state.errors();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Ok(unit_id) = Uuid::parse_str(&unit.get_untracked()) else {
            state.field_errors.set(vec![FieldError {
                field: "association_unit_id".to_string(),
                code: "required".to_string(),
                message: "is required".to_string(),
            }]);
            focus_soon("membership-unit".to_string());
            return;
        };
        let joined_on = match read_day("joined_on", &joined.get_untracked()) {
            Ok(day) => day,
            Err(error) => {
                state.field_errors.set(vec![error]);
                return;
            }
        };
        let request = CreateMembershipRequest {
            person_id,
            association_unit_id: unit_id,
            role: role.get_untracked(),
            joined_on,
            card_number: non_empty(&card.get_untracked()),
            note: non_empty(&note.get_untracked()),
        };
        if !state.start(request.validate()) {
            return;
        }
        spawn_local(async move {
            let outcome = membership_api::create(session, &request).await;
            state.finish(outcome, |_| {
                card.try_set(String::new());
                note.try_set(String::new());
                changed.run("membership-unit".to_string());
            });
        });
    };
    let picker = move || {
        suspend_shown(i18n, async move {
            units.await.map(|units| {
                let none = units.is_empty();
                view! {
                    <select
                        id="membership-unit"
                        aria-invalid=move || has_error(errors, "association_unit_id").to_string()
                        aria-describedby="membership-unit-error"
                        on:change=move |event| unit.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=unit>
                            {move || i18n.t(Key::ChooseOption)}
                        </SelectOption>
                        {unit_options(i18n, units, None, unit)}
                    </select>
                    {none.then(|| view! { <p class="hint">{move || i18n.t(Key::NoUnitsHere)}</p> })}
                }
            })
        })
    };
    view! {
        <h3 id="membership-form-heading">{move || i18n.t(Key::AddMembership)}</h3>
        <form
            id="membership-form"
            class="form membership-form"
            aria-labelledby="membership-form-heading"
            on:submit=submit
            on:keydown=|event| enter_submits(&event)
            novalidate
        >
            <FieldErrorText i18n errors field="person_id" id="membership-person-error" />
            <div class="field">
                <label for="membership-unit">{move || i18n.t(Key::MembershipUnit)}</label>
                <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition>
                <FieldErrorText
                    i18n
                    errors
                    field="association_unit_id"
                    id="membership-unit-error"
                />
            </div>
            <div class="field">
                <label for="membership-role">{move || i18n.t(Key::MemberRole)}</label>
                <select
                    id="membership-role"
                    aria-invalid=move || has_error(errors, "role").to_string()
                    aria-describedby="membership-role-error"
                    on:change=move |event| role.set(event_target_value(&event))
                >
                    {role_options(i18n, role)}
                </select>
                <FieldErrorText i18n errors field="role" id="membership-role-error" />
            </div>
            <div class="field">
                <label for="membership-joined">{move || i18n.t(Key::JoinedOn)}</label>
                <input
                    id="membership-joined"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    placeholder=DAY_PLACEHOLDER
                    aria-invalid=move || has_error(errors, "joined_on").to_string()
                    aria-describedby="membership-joined-error"
                    bind:value=joined
                />
                <FieldErrorText i18n errors field="joined_on" id="membership-joined-error" />
            </div>
            <div class="field">
                <label for="membership-card">{move || i18n.t(Key::CardNumber)}</label>
                <input
                    id="membership-card"
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || has_error(errors, "card_number").to_string()
                    aria-describedby="membership-card-error"
                    bind:value=card
                />
                <FieldErrorText i18n errors field="card_number" id="membership-card-error" />
            </div>
            <div class="field">
                <label for="membership-note">{move || i18n.t(Key::Note)}</label>
                <input
                    id="membership-note"
                    type="text"
                    autocomplete="off"
                    aria-invalid=move || has_error(errors, "note").to_string()
                    aria-describedby="membership-note-error"
                    bind:value=note
                />
                <FieldErrorText i18n errors field="note" id="membership-note-error" />
            </div>
            {state.failure_view(i18n)}
            <div class="form-actions">
                <button id="membership-submit" type="submit" disabled=move || state.pending.get()>
                    {move || {
                        if state.pending.get() {
                            i18n.t(Key::Adding)
                        } else {
                            i18n.t(Key::AddMembership)
                        }
                    }}
                </button>
            </div>
        </form>
    }
}

/// `ul#person-audit`: who did what to the record, newest first.
#[component]
fn AuditTrail(app: AppContext, person_id: Uuid, reload: RwSignal<u32>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let paging = crate::hooks::use_paging_in_url(AUDIT_PER_PAGE);
    let page = paging.page;
    let entries: LocalResource<Result<Page<AuditEntry>, ApiError>> =
        LocalResource::new(move || {
            reload.track();
            let page = page.get();
            api::people::audit_of_person(session, person_id, page, paging.per_page.get())
        });
    let trail_view = move || {
        suspend_shown(i18n, async move {
            entries.await.map(
                |Page {
                     items,
                     total,
                     page: shown,
                     ..
                 }| {
                    let pages = page_count(total, paging.per_page.get());
                    view! {
                        <ul id="person-audit" class="audit-list">
                            {items
                                .into_iter()
                                .map(|entry| {
                                    let AuditEntry { at, actor_username, action, .. } = entry;
                                    let label = {
                                        let action = action.clone();
                                        move || {
                                            i18n.cat()
                                                .audit_action(&action)
                                                .map_or_else(|| action.clone(), str::to_string)
                                        }
                                    };
                                    view! {
                                        <li class="audit-entry">
                                            <time datetime=at.to_rfc3339()>
                                                {move || i18n.cat().date_time(at)}
                                            </time>
                                            " "
                                            <span class="audit-action">{label}</span>
                                            " "
                                            <span class="unit-meta">
                                                {actor_username
                                                    .unwrap_or_else(|| "—".to_string())}
                                            </span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <Pager
                            i18n
                            id="audit"
                    per_page=(paging.per_page.get(), paging.choose_size())
                            label=Signal::derive(move || i18n.t(Key::AuditTitle).to_string())
                            page=shown
                            pages
                            go=Callback::new(move |to| page.set(to))
                        />
                    }
                },
            )
        })
    };
    view! {
        <section class="panel" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{move || i18n.t(Key::AuditTitle)}</h2>
            <p class="hint">{move || i18n.t(Key::AuditIntro)}</p>
            <Transition fallback=move || view! { <Loading i18n /> }>{trail_view}</Transition>
        </section>
    }
}

/// Erasing the record (the person's right to erasure), after a confirmation.
#[component]
fn DeleteSection(app: AppContext, person_id: Uuid, name: String) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let navigate = use_navigate();
    let erase = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = api::people::delete(session, person_id).await;
            pending.try_set(false);
            match outcome {
                Ok(()) => navigate("/people", Default::default()),
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let question = StoredValue::new(name);
    let body = move || {
        if confirming.get() {
            let erase = erase.clone();
            view! {
                <div class="confirm">
                    <p id="person-delete-question" class="warning">
                        {move || question.with_value(|name| i18n.cat().confirm_delete_person(name))}
                    </p>
                    <div class="form-actions">
                        <button
                            id="person-delete-confirm"
                            type="button"
                            class="button-danger"
                            aria-describedby="person-delete-question"
                            disabled=move || pending.get()
                            on:click=erase
                        >
                            {move || i18n.t(Key::DeleteConfirm)}
                        </button>
                        <button
                            id="person-delete-cancel"
                            type="button"
                            class="button-quiet"
                            on:click=move |_| {
                                confirming.set(false);
                                focus_soon("person-delete".to_string());
                            }
                        >
                            {move || i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button
                    id="person-delete"
                    type="button"
                    class="button-danger"
                    on:click=move |_| {
                        confirming.set(true);
                        focus_soon("person-delete-cancel".to_string());
                    }
                >
                    {move || i18n.t(Key::DeletePerson)}
                </button>
            }
            .into_any()
        }
    };
    view! {
        <section class="panel" aria-labelledby="person-delete-heading">
            <h2 id="person-delete-heading">{move || i18n.t(Key::DeleteTitle)}</h2>
            <p>{move || i18n.t(Key::DeleteText)}</p>
            {body}
            {move || {
                error
                    .get()
                    .map(|error| view! { <ProblemAlert i18n error id="person-delete-error" /> })
            }}
        </section>
    }
}
