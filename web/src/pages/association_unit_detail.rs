//! `/association-units/{id}`: one Association unit with the units below it and its members.
//! Officers who keep the unit edit its name and contacts, dissolve or restore a branch or
//! committee, and add branches and committees under a unit of a commune.

use crate::api::registry::VillageQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::association_unit_facts::AssociationUnitFacts;
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::loading::Loading;
use crate::components::problem::{ProblemMessage, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::hooks::{focus_soon, use_page_title};
use crate::i18n::{I18n, Key};
use crate::pages::association_unit_members::UnitMembersSection;
use crate::pages::association_units::{UnitChildrenSection, unit_href};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::auth::Role;
use shared::error::FieldError;
use shared::page::MAX_PER_PAGE;
use shared::registry::{
    AssociationLevel, AssociationUnit, CreateAssociationUnitRequest, UnitStatus,
    UpdateAssociationUnitRequest, Village,
};
use uuid::Uuid;
use validator::Validate;

/// Kinds of committees, in the order the form offers them.
const COMMITTEE_KINDS: [&str; 5] = ["agency", "school", "enterprise", "clan", "other"];

/// The villages of the unit's commune, for the village pickers (empty outside a commune).
type VillagesResource = LocalResource<Result<Vec<Village>, ApiError>>;

/// Whether `role` keeps `unit`: officers of the unit it sits in, and above.
fn may_edit(role: Role, unit: &AssociationUnit) -> bool {
    let required = if unit.commune_code.is_some() {
        Role::CommuneOfficer
    } else if unit.province_code.is_some() {
        Role::ProvinceOfficer
    } else {
        Role::CentralAdmin
    };
    role >= required
}

/// `Some(text)` unless the trimmed text is empty.
fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// The unit page.
#[component]
pub fn AssociationUnitDetailPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_page_title(i18n, Key::AssocTitle);

    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    });
    let unit = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::registry::unit(session, id).await.map(Some),
                None => Ok(None),
            }
        }
    });

    let detail_view = move || {
        suspend_shown(i18n, async move {
            let found = unit.await?;
            let role = me.await?.map(|user| user.role);
            Ok::<_, ApiError>(match found {
                Some(unit) => view! { <UnitDetail app unit role /> }.into_any(),
                None => view! {
                    <p class="error" role="alert">
                        {move || i18n.t(Key::ErrNotFound)}
                    </p>
                }
                .into_any(),
            })
        })
    };

    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Key::NavAssociationUnits)>
            <a href="/association-units">{move || i18n.t(Key::BackToTree)}</a>
        </nav>
        <Transition fallback=move || view! { <Loading i18n /> }>
            {detail_view}
        </Transition>
    }
}

/// Everything about one unit, for a visitor with `role`.
#[component]
fn UnitDetail(app: AppContext, unit: AssociationUnit, role: Option<Role>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = unit.id;
    let parent_id = unit.parent_id;
    let commune_code = unit.commune_code.clone();
    let level = unit.level;
    let editable = role.is_some_and(|role| may_edit(role, &unit));
    let current = RwSignal::new(unit);

    let villages: VillagesResource = LocalResource::new(move || {
        let commune_code = commune_code.clone();
        async move {
            match commune_code {
                Some(code) if editable => {
                    let query = VillageQuery {
                        commune_code: Some(code),
                        per_page: MAX_PER_PAGE,
                        page: 1,
                        ..Default::default()
                    };
                    api::registry::villages(session, &query)
                        .await
                        .map(|page| page.items)
                }
                _ => Ok(Vec::new()),
            }
        }
    });

    let children_reload = RwSignal::new(0_u32);
    let created = Callback::new(move |()| {
        children_reload.update(|n| *n += 1);
        spawn_local(async move {
            match api::registry::unit(session, id).await {
                Ok(fresh) => {
                    current.try_set(fresh);
                }
                Err(error) => leptos::logging::warn!("cannot refresh the unit: {error}"),
            }
        });
    });

    let in_commune = current.with_untracked(|u| u.commune_code.is_some());
    // Only a change of status may replace the form (and lose what is typed in it).
    let active = Memo::new(move |_| current.with(|u| u.status == UnitStatus::Active));
    let sub_units = move || {
        (editable && in_commune && active.get())
            .then(|| view! { <NewSubUnitForm app parent=current villages created /> })
    };
    let dissolvable = matches!(
        level,
        AssociationLevel::Branch | AssociationLevel::Committee
    );

    view! {
        <h1 id="au-heading">{move || current.with(|u| u.name.clone())}</h1>
        <ParentLink app parent_id />
        <AssociationUnitFacts i18n unit=current />
        {editable.then(|| view! { <EditForm app current villages /> })}
        <UnitChildrenSection app parent=id reload=children_reload />
        {sub_units}
        <UnitMembersSection app unit=id />
        {(editable && dissolvable).then(|| view! { <StatusSection app current /> })}
    }
}

/// "Belongs to" with a link to the unit above, when the visitor may see it. The unit above the
/// visitor's own unit lies outside their scope and is refused by the server: the line is then
/// left out rather than reported.
#[component]
fn ParentLink(app: AppContext, parent_id: Option<Uuid>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let parent = LocalResource::new(move || async move {
        match parent_id {
            Some(id) => api::registry::unit(session, id).await.ok(),
            None => None,
        }
    });
    let parent_view = move || {
        Suspend::new(async move {
            parent.await.map(|parent| {
                view! {
                    <p class="au-parent">
                        {move || i18n.t(Key::UnitParent)}
                        ": "
                        <a href=unit_href(parent.id)>{parent.name}</a>
                    </p>
                }
            })
        })
    };
    view! { <Transition fallback=|| ()>{parent_view}</Transition> }
}

/// The village picker of a branch: the villages of its commune, or none.
#[component]
fn VillagePicker(
    i18n: I18n,
    villages: VillagesResource,
    selected: RwSignal<String>,
    id: &'static str,
    errors: Signal<Vec<FieldError>>,
    error_id: &'static str,
) -> impl IntoView {
    let picker = move || {
        suspend_shown(i18n, async move {
            villages.await.map(|villages| {
                let empty = villages.is_empty();
                view! {
                    <select
                        id=id
                        aria-invalid=move || has_error(errors, "village_id").to_string()
                        aria-describedby=error_id
                        on:change=move |event| selected.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected>
                            {move || i18n.t(Key::NoneChosen)}
                        </SelectOption>
                        {villages
                            .into_iter()
                            .map(|village| {
                                view! {
                                    <SelectOption value=village.id.to_string() selected>
                                        {village.name}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                    {empty
                        .then(|| {
                            view! {
                                <p class="hint">
                                    {move || i18n.t(Key::NoVillagesYet)}
                                    " "
                                    <a href="/villages">{move || i18n.t(Key::NavVillages)}</a>
                                </p>
                            }
                        })}
                }
            })
        })
    };
    view! {
        <Transition fallback=move || view! { <Loading i18n /> }>
            {picker}
        </Transition>
    }
}

/// The committee-kind picker.
#[component]
fn CommitteeKindPicker(
    i18n: I18n,
    selected: RwSignal<String>,
    id: &'static str,
    errors: Signal<Vec<FieldError>>,
    error_id: &'static str,
) -> impl IntoView {
    view! {
        <select
            id=id
            aria-invalid=move || has_error(errors, "committee_kind").to_string()
            aria-describedby=error_id
            on:change=move |event| selected.set(event_target_value(&event))
        >
            <SelectOption value="" selected>
                {move || i18n.t(Key::NoneChosen)}
            </SelectOption>
            {COMMITTEE_KINDS
                .into_iter()
                .map(|kind| {
                    view! {
                        <SelectOption value=kind selected>
                            {move || i18n.cat().committee_kind(kind).unwrap_or(kind)}
                        </SelectOption>
                    }
                })
                .collect_view()}
        </select>
    }
}

/// The values of the edit form, as text.
#[derive(Clone, Copy)]
struct EditFields {
    name: RwSignal<String>,
    chairperson: RwSignal<String>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    committee_kind: RwSignal<String>,
    village: RwSignal<String>,
}

impl EditFields {
    fn new(unit: &AssociationUnit) -> Self {
        let fields = EditFields {
            name: RwSignal::new(String::new()),
            chairperson: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            committee_kind: RwSignal::new(String::new()),
            village: RwSignal::new(String::new()),
        };
        fields.fill(unit);
        fields
    }

    /// Shows `unit` as the server keeps it (the phone number normalised, names cleaned).
    fn fill(&self, unit: &AssociationUnit) {
        self.name.set(unit.name.clone());
        self.chairperson
            .set(unit.chairperson.clone().unwrap_or_default());
        self.phone.set(unit.phone.clone().unwrap_or_default());
        self.email.set(unit.email.clone().unwrap_or_default());
        self.committee_kind
            .set(unit.committee_kind.clone().unwrap_or_default());
        self.village
            .set(unit.village_id.map(|id| id.to_string()).unwrap_or_default());
    }

    /// The change to send for a unit of `level`; an emptied chairperson, phone or email is
    /// sent empty, which clears it.
    fn request(&self, level: AssociationLevel) -> UpdateAssociationUnitRequest {
        UpdateAssociationUnitRequest {
            name: Some(self.name.get_untracked().trim().to_string()),
            chairperson: Some(self.chairperson.get_untracked().trim().to_string()),
            phone: Some(self.phone.get_untracked().trim().to_string()),
            email: Some(self.email.get_untracked().trim().to_string()),
            committee_kind: (level == AssociationLevel::Committee)
                .then(|| non_empty(&self.committee_kind.get_untracked()))
                .flatten(),
            village_id: (level == AssociationLevel::Branch)
                .then(|| Uuid::parse_str(self.village.get_untracked().trim()).ok())
                .flatten(),
            status: None,
        }
    }
}

/// `form#association-unit-form`: name, chairperson and contacts, and the committee kind or the
/// village of a branch.
#[component]
fn EditForm(
    app: AppContext,
    current: RwSignal<AssociationUnit>,
    villages: VillagesResource,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (id, level) = current.with_untracked(|u| (u.id, u.level));
    let fields = EditFields::new(&current.get_untracked());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = fields.request(level);
        error.set(None);
        saved.set(false);
        if let Err(errors) = request.validate() {
            field_errors.set(shared::error::field_errors(&errors));
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::registry::update_unit(session, id, &request).await;
            pending.try_set(false);
            match outcome {
                Ok(updated) => {
                    fields.fill(&updated);
                    current.try_set(updated);
                    saved.try_set(true);
                }
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let errors = Signal::from(field_errors);
    view! {
        <section class="panel" aria-labelledby="au-edit-heading">
            <h2 id="au-edit-heading">{move || i18n.t(Key::AuEditTitle)}</h2>
            <form id="association-unit-form" class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="au-name">{move || i18n.t(Key::AuName)}</label>
                    <input
                        id="au-name"
                        name="name"
                        type="text"
                        autocomplete="off"
                        required
                        aria-invalid=move || has_error(errors, "name").to_string()
                        aria-describedby="au-name-error"
                        bind:value=fields.name
                    />
                    <FieldErrorText i18n errors field="name" id="au-name-error" />
                </div>
                {(level == AssociationLevel::Committee)
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="au-committee-kind">
                                    {move || i18n.t(Key::AuCommitteeKind)}
                                </label>
                                <CommitteeKindPicker
                                    i18n
                                    selected=fields.committee_kind
                                    id="au-committee-kind"
                                    errors
                                    error_id="au-committee-kind-error"
                                />
                                <FieldErrorText
                                    i18n
                                    errors
                                    field="committee_kind"
                                    id="au-committee-kind-error"
                                />
                            </div>
                        }
                    })}
                {(level == AssociationLevel::Branch)
                    .then(|| {
                        view! {
                            <div class="field">
                                <label for="au-village">{move || i18n.t(Key::AuVillage)}</label>
                                <VillagePicker
                                    i18n
                                    villages
                                    selected=fields.village
                                    id="au-village"
                                    errors
                                    error_id="au-village-error"
                                />
                                <FieldErrorText
                                    i18n
                                    errors
                                    field="village_id"
                                    id="au-village-error"
                                />
                            </div>
                        }
                    })}
                <div class="field">
                    <label for="au-chairperson">{move || i18n.t(Key::AuChairperson)}</label>
                    <input
                        id="au-chairperson"
                        name="chairperson"
                        type="text"
                        autocomplete="off"
                        aria-invalid=move || has_error(errors, "chairperson").to_string()
                        aria-describedby="au-chairperson-error"
                        bind:value=fields.chairperson
                    />
                    <FieldErrorText i18n errors field="chairperson" id="au-chairperson-error" />
                </div>
                <div class="field">
                    <label for="au-phone">{move || i18n.t(Key::AuPhone)}</label>
                    <input
                        id="au-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="off"
                        aria-invalid=move || has_error(errors, "phone").to_string()
                        aria-describedby="au-phone-hint au-phone-error"
                        bind:value=fields.phone
                    />
                    <p id="au-phone-hint" class="hint">
                        {move || i18n.t(Key::AuPhoneHint)}
                    </p>
                    <FieldErrorText i18n errors field="phone" id="au-phone-error" />
                </div>
                <div class="field">
                    <label for="au-email">{move || i18n.t(Key::AuEmail)}</label>
                    <input
                        id="au-email"
                        name="email"
                        type="email"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=move || has_error(errors, "email").to_string()
                        aria-describedby="au-email-error"
                        bind:value=fields.email
                    />
                    <FieldErrorText i18n errors field="email" id="au-email-error" />
                </div>
                {move || {
                    error
                        .get()
                        .map(|error| {
                            view! {
                                <div id="au-error" class="error" role="alert">
                                    <ProblemMessage i18n error />
                                </div>
                            }
                        })
                }}
                <div class="form-actions">
                    <button id="au-save" type="submit" disabled=move || pending.get()>
                        {move || {
                            if pending.get() { i18n.t(Key::Saving) } else { i18n.t(Key::Save) }
                        }}
                    </button>
                    <p id="au-saved" class="success" role="status">
                        {move || saved.get().then(|| i18n.t(Key::Saved))}
                    </p>
                </div>
            </form>
        </section>
    }
}

/// Dissolving a branch or committee, after a confirmation, or restoring a dissolved one.
#[component]
fn StatusSection(app: AppContext, current: RwSignal<AssociationUnit>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = current.with_untracked(|u| u.id);
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let active = move || current.with(|u| u.status == UnitStatus::Active);

    let set_status = move |status: UnitStatus, then_focus: &'static str| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let request = UpdateAssociationUnitRequest {
            status: Some(status),
            ..Default::default()
        };
        spawn_local(async move {
            let outcome = api::registry::update_unit(session, id, &request).await;
            pending.try_set(false);
            match outcome {
                Ok(updated) => {
                    confirming.try_set(false);
                    current.try_set(updated);
                    focus_soon(then_focus.to_string());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let ask = move |_| {
        error.set(None);
        confirming.set(true);
        focus_soon("au-dissolve-confirm".to_string());
    };
    let cancel = move |_| {
        confirming.set(false);
        focus_soon("au-dissolve".to_string());
    };

    let dissolve_view = move || {
        if confirming.get() {
            view! {
                <div class="confirm">
                    <p id="au-dissolve-question" class="warning">
                        {move || current.with(|u| i18n.cat().confirm_dissolve(&u.name))}
                    </p>
                    <div class="form-actions">
                        <button
                            id="au-dissolve-confirm"
                            type="button"
                            class="button-danger"
                            aria-describedby="au-dissolve-question"
                            disabled=move || pending.get()
                            on:click=move |_| set_status(UnitStatus::Dissolved, "au-restore")
                        >
                            {move || i18n.t(Key::AuDissolveConfirm)}
                        </button>
                        <button
                            id="au-dissolve-cancel"
                            type="button"
                            class="button-quiet"
                            on:click=cancel
                        >
                            {move || i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button id="au-dissolve" type="button" class="button-danger" on:click=ask>
                    {move || i18n.t(Key::AuDissolve)}
                </button>
            }
            .into_any()
        }
    };

    view! {
        <section class="panel" aria-labelledby="au-status-heading">
            <h2 id="au-status-heading">
                {move || {
                    if active() { i18n.t(Key::AuDissolveTitle) } else { i18n.t(Key::AuRestore) }
                }}
            </h2>
            {move || {
                if active() {
                    view! {
                        <p>{move || i18n.t(Key::AuDissolveText)}</p>
                        {dissolve_view}
                    }
                        .into_any()
                } else {
                    view! {
                        <p>{move || i18n.t(Key::AuRestoreText)}</p>
                        <button
                            id="au-restore"
                            type="button"
                            class="button-quiet"
                            disabled=move || pending.get()
                            on:click=move |_| set_status(UnitStatus::Active, "au-dissolve")
                        >
                            {move || i18n.t(Key::AuRestore)}
                        </button>
                    }
                        .into_any()
                }
            }}
            {move || {
                error
                    .get()
                    .map(|error| {
                        // 409: units below or members are still active; say so in the
                        // officer's language rather than the server's.
                        let blocked = error.problem().is_some_and(|problem| problem.status == 409);
                        let message = if blocked {
                            view! {
                                <p class="problem-title">{move || i18n.t(Key::AuDissolveBlocked)}</p>
                            }
                                .into_any()
                        } else {
                            view! { <ProblemMessage i18n error /> }.into_any()
                        };
                        view! {
                            <div id="au-status-error" class="error" role="alert">
                                {message}
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// `form#new-sub-unit-form`: a branch (with its village) or a committee (with its kind) under
/// `parent`. After each addition the name field is emptied and focused for the next one.
#[component]
fn NewSubUnitForm(
    app: AppContext,
    parent: RwSignal<AssociationUnit>,
    villages: VillagesResource,
    created: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let parent_id = parent.with_untracked(|u| u.id);
    let level = RwSignal::new(AssociationLevel::Branch.as_str().to_string());
    let name = RwSignal::new(String::new());
    let village = RwSignal::new(String::new());
    let committee_kind = RwSignal::new(String::new());
    let chairperson = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let added = RwSignal::new(None::<String>);
    let chosen = move || AssociationLevel::parse(&level.get()).unwrap_or(AssociationLevel::Branch);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let level =
            AssociationLevel::parse(&level.get_untracked()).unwrap_or(AssociationLevel::Branch);
        let request = CreateAssociationUnitRequest {
            name: name.get_untracked().trim().to_string(),
            level,
            parent_id,
            village_id: (level == AssociationLevel::Branch)
                .then(|| Uuid::parse_str(village.get_untracked().trim()).ok())
                .flatten(),
            committee_kind: (level == AssociationLevel::Committee)
                .then(|| non_empty(&committee_kind.get_untracked()))
                .flatten(),
            chairperson: non_empty(&chairperson.get_untracked()),
            phone: non_empty(&phone.get_untracked()),
            email: None,
        };
        error.set(None);
        added.set(None);
        let mut problems = match request.validate() {
            Ok(()) => Vec::new(),
            Err(errors) => shared::error::field_errors(&errors),
        };
        // The server asks every committee for its kind; say so before sending.
        if level == AssociationLevel::Committee && request.committee_kind.is_none() {
            problems.push(FieldError {
                field: "committee_kind".to_string(),
                code: "required".to_string(),
                message: "is required".to_string(),
            });
        }
        if !problems.is_empty() {
            field_errors.set(problems);
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::registry::create_unit(session, &request).await;
            pending.try_set(false);
            match outcome {
                Ok(unit) => {
                    added.try_set(Some(unit.name));
                    name.try_set(String::new());
                    village.try_set(String::new());
                    chairperson.try_set(String::new());
                    phone.try_set(String::new());
                    focus_soon("new-sub-unit-name".to_string());
                    created.run(());
                }
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let errors = Signal::from(field_errors);
    view! {
        <section class="panel" aria-labelledby="new-sub-unit-heading">
            <h2 id="new-sub-unit-heading">{move || i18n.t(Key::NewSubUnitTitle)}</h2>
            <form id="new-sub-unit-form" class="form" on:submit=submit novalidate>
                <FieldErrorText i18n errors field="parent_id" id="new-sub-unit-parent-error" />
                <div class="field">
                    <label for="new-sub-unit-level">{move || i18n.t(Key::NewSubUnitLevel)}</label>
                    <select
                        id="new-sub-unit-level"
                        aria-invalid=move || has_error(errors, "level").to_string()
                        aria-describedby="new-sub-unit-level-error"
                        on:change=move |event| level.set(event_target_value(&event))
                    >
                        {[AssociationLevel::Branch, AssociationLevel::Committee]
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <SelectOption value=option.as_str() selected=level>
                                        {move || i18n.cat().association_level(option)}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldErrorText i18n errors field="level" id="new-sub-unit-level-error" />
                </div>
                <div class="field">
                    <label for="new-sub-unit-name">{move || i18n.t(Key::AuName)}</label>
                    <input
                        id="new-sub-unit-name"
                        name="name"
                        type="text"
                        autocomplete="off"
                        required
                        aria-invalid=move || has_error(errors, "name").to_string()
                        aria-describedby="new-sub-unit-name-hint new-sub-unit-name-error"
                        bind:value=name
                    />
                    <p id="new-sub-unit-name-hint" class="hint">
                        {move || i18n.t(Key::NewSubUnitNameHint)}
                    </p>
                    <FieldErrorText i18n errors field="name" id="new-sub-unit-name-error" />
                </div>
                {move || match chosen() {
                    AssociationLevel::Committee => {
                        view! {
                            <div class="field">
                                <label for="new-sub-unit-kind">
                                    {move || i18n.t(Key::AuCommitteeKind)}
                                </label>
                                <CommitteeKindPicker
                                    i18n
                                    selected=committee_kind
                                    id="new-sub-unit-kind"
                                    errors
                                    error_id="new-sub-unit-kind-error"
                                />
                                <FieldErrorText
                                    i18n
                                    errors
                                    field="committee_kind"
                                    id="new-sub-unit-kind-error"
                                />
                            </div>
                        }
                            .into_any()
                    }
                    _ => {
                        view! {
                            <div class="field">
                                <label for="new-sub-unit-village">
                                    {move || i18n.t(Key::AuVillage)}
                                </label>
                                <VillagePicker
                                    i18n
                                    villages
                                    selected=village
                                    id="new-sub-unit-village"
                                    errors
                                    error_id="new-sub-unit-village-error"
                                />
                                <FieldErrorText
                                    i18n
                                    errors
                                    field="village_id"
                                    id="new-sub-unit-village-error"
                                />
                            </div>
                        }
                            .into_any()
                    }
                }}
                <div class="field">
                    <label for="new-sub-unit-chairperson">
                        {move || i18n.t(Key::AuChairperson)}
                    </label>
                    <input
                        id="new-sub-unit-chairperson"
                        name="chairperson"
                        type="text"
                        autocomplete="off"
                        aria-invalid=move || has_error(errors, "chairperson").to_string()
                        aria-describedby="new-sub-unit-chairperson-error"
                        bind:value=chairperson
                    />
                    <FieldErrorText
                        i18n
                        errors
                        field="chairperson"
                        id="new-sub-unit-chairperson-error"
                    />
                </div>
                <div class="field">
                    <label for="new-sub-unit-phone">{move || i18n.t(Key::AuPhone)}</label>
                    <input
                        id="new-sub-unit-phone"
                        name="phone"
                        type="tel"
                        inputmode="tel"
                        autocomplete="off"
                        aria-invalid=move || has_error(errors, "phone").to_string()
                        aria-describedby="new-sub-unit-phone-hint new-sub-unit-phone-error"
                        bind:value=phone
                    />
                    <p id="new-sub-unit-phone-hint" class="hint">
                        {move || i18n.t(Key::AuPhoneHint)}
                    </p>
                    <FieldErrorText i18n errors field="phone" id="new-sub-unit-phone-error" />
                </div>
                {move || {
                    error
                        .get()
                        .map(|error| {
                            view! {
                                <div id="new-sub-unit-error" class="error" role="alert">
                                    <ProblemMessage i18n error />
                                </div>
                            }
                        })
                }}
                <div class="form-actions">
                    <button id="new-sub-unit-submit" type="submit" disabled=move || pending.get()>
                        {move || {
                            if pending.get() {
                                i18n.t(Key::Adding)
                            } else {
                                i18n.t(Key::NewSubUnitSubmit)
                            }
                        }}
                    </button>
                    <p id="new-sub-unit-added" class="success" role="status">
                        {move || added.get().map(|name| i18n.cat().added(&name))}
                    </p>
                </div>
            </form>
        </section>
    }
}
