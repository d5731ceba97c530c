//! `/villages`: the villages and residential groups of a commune. Commune officers see their own
//! commune; province and central officers first pick one (or see their whole unit).
//!
//! The form is made for entering a commune's villages one after another from the keyboard: Enter
//! saves, and the name field is emptied and keeps the focus for the next one.

use crate::api::registry::VillageQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::commune_picker::{AdminUnitsResource, CommunePicker};
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::loading::Loading;
use crate::components::pager::{Pager, page_count};
use crate::components::problem::{ProblemMessage, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::hooks::{SEARCH_DELAY, focus_soon, use_debounced, use_page_title};
use crate::i18n::{I18n, Key};
use crate::scope::Scope;
use leptos::ev::{KeyboardEvent, SubmitEvent};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::{Role, User};
use shared::error::FieldError;
use shared::page::Page;
use shared::registry::{CreateVillageRequest, UpdateVillageRequest, VILLAGE_KINDS, Village};
use std::collections::HashMap;
use uuid::Uuid;
use validator::Validate;

/// Villages per page of the list.
const PER_PAGE: u64 = 50;

/// Where the focus goes once the list has been fetched again after a change.
#[derive(Clone, Copy)]
enum FocusAfter {
    /// The edit button of a village.
    Edit(Uuid),
    /// The deactivate or reactivate button of a village.
    Toggle(Uuid),
}

impl FocusAfter {
    fn target(self) -> (Uuid, String) {
        match self {
            FocusAfter::Edit(id) => (id, format!("village-edit-{id}")),
            FocusAfter::Toggle(id) => (id, format!("village-toggle-{id}")),
        }
    }
}

/// What the status line under the list heading reports.
#[derive(Clone)]
enum Notice {
    Saved,
    Added(String),
}

/// The label of a village kind in the current language.
fn kind_label(i18n: I18n, kind: &str) -> String {
    i18n.cat()
        .village_kind(kind)
        .map_or_else(|| kind.to_string(), str::to_string)
}

/// The options of a village-kind picker.
fn kind_options(i18n: I18n, selected: RwSignal<String>) -> impl IntoView {
    VILLAGE_KINDS
        .into_iter()
        .map(|kind| {
            view! {
                <SelectOption value=kind selected>
                    {move || kind_label(i18n, kind)}
                </SelectOption>
            }
        })
        .collect_view()
}

/// The villages page.
#[component]
pub fn VillagesPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_page_title(i18n, Key::VillagesTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Villages app user /> }))
        })
    };
    view! {
        <h1>{move || i18n.t(Key::VillagesTitle)}</h1>
        <p>{move || i18n.t(Key::VillagesIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>
            {page_view}
        </Transition>
    }
}

/// The page for `user`: the commune picker when their unit is wider than a commune, the form,
/// and the list.
#[component]
fn Villages(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let scope = Scope::of(&user);
    let can_edit = user.role >= Role::CommuneOfficer;
    // Commune officers cannot move a village out of their commune, so they are not offered to.
    let can_move = can_edit && scope != Scope::Commune;
    let own_code = user.unit.code.clone();
    let province = RwSignal::new(if scope == Scope::Province {
        own_code.clone()
    } else {
        String::new()
    });
    let commune = RwSignal::new(if scope == Scope::Commune {
        own_code
    } else {
        String::new()
    });

    let communes: AdminUnitsResource = LocalResource::new(move || {
        let province = province.get();
        async move {
            if province.is_empty() {
                Ok(Vec::new())
            } else {
                api::admin_units::communes(session, &province).await
            }
        }
    });

    let filter = RwSignal::new(String::new());
    let query = use_debounced(filter.into(), SEARCH_DELAY);
    let include_inactive = RwSignal::new(false);
    let paging = crate::hooks::use_paging_in_url(PER_PAGE);
    let page = paging.page;
    let reload = RwSignal::new(0_u32);
    let editing = RwSignal::new(None::<Uuid>);
    let status = RwSignal::new(None::<Notice>);
    let focus_after = StoredValue::new(None::<FocusAfter>);

    // Another commune, filter or toggle starts again from the first page.
    Effect::new(move |previous: Option<(String, String, bool)>| {
        let current = (commune.get(), query.get(), include_inactive.get());
        if previous.is_some_and(|previous| previous != current) {
            page.set(1);
        }
        current
    });

    let villages: LocalResource<Result<Page<Village>, ApiError>> = LocalResource::new(move || {
        reload.track();
        let request = VillageQuery {
            commune_code: Some(commune.get()).filter(|code| !code.is_empty()),
            q: query.get(),
            include_inactive: include_inactive.get(),
            page: page.get(),
            per_page: paging.per_page.get(),
        };
        async move { api::registry::villages(session, &request).await }
    });

    let changed = Callback::new(move |focus: FocusAfter| {
        status.set(Some(Notice::Saved));
        editing.set(None);
        focus_after.set_value(Some(focus));
        reload.update(|n| *n += 1);
    });
    let added = Callback::new(move |name: String| {
        status.set(Some(Notice::Added(name)));
        reload.update(|n| *n += 1);
    });

    let list_view = move || {
        suspend_shown(i18n, async move {
            let result = villages.await?;
            // A failure here is already shown beside the commune picker.
            let names: HashMap<String, String> = communes
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|unit| (unit.code, unit.name))
                .collect();
            let Page {
                items,
                total,
                page: shown_page,
                ..
            } = result;
            if let Some(focus) = focus_after.try_update_value(Option::take).flatten() {
                let (id, target) = focus.target();
                if items.iter().any(|village| village.id == id) {
                    focus_soon(target);
                } else {
                    focus_soon("village-list-heading".to_string());
                }
            }
            let whole_unit = commune.get_untracked().is_empty();
            let filtered = !query.get_untracked().trim().is_empty();
            let empty = items.is_empty().then(|| {
                let key = if filtered {
                    Key::VillagesNoMatch
                } else {
                    Key::VillagesEmpty
                };
                view! { <p class="empty">{move || i18n.t(key)}</p> }
            });
            let pages = page_count(total, paging.per_page.get());
            Ok::<_, ApiError>(view! {
                <p class="result-count">{move || i18n.cat().village_count(total)}</p>
                <ul id="village-list" class="village-list">
                    {items
                        .into_iter()
                        .map(|village| {
                            let commune_name = whole_unit
                                .then(|| names.get(&village.commune_code).cloned())
                                .flatten();
                            view! {
                                <VillageItem
                                    app
                                    village
                                    commune_name
                                    can_edit
                                    can_move
                                    editing
                                    changed
                                />
                            }
                        })
                        .collect_view()}
                </ul>
                {empty}
                <Pager
                    i18n
                    id="village"
                    per_page=(paging.per_page.get(), paging.choose_size())
                    label=Signal::derive(move || i18n.t(Key::VillagesListTitle).to_string())
                    page=shown_page
                    pages
                    go=Callback::new(move |to| page.set(to))
                />
            })
        })
    };

    view! {
        {(scope != Scope::Commune)
            .then(|| {
                let provinces = (scope == Scope::Nation)
                    .then(|| LocalResource::new(move || api::admin_units::provinces(session)));
                view! {
                    <section class="panel picker">
                        <CommunePicker
                            i18n
                            provinces
                            communes
                            province
                            commune
                            province_id="village-province"
                            commune_id="village-commune"
                            empty=Key::AllOption
                        />
                    </section>
                }
            })}
        {can_edit
            .then(|| {
                view! {
                    <Show
                        when=move || commune.with(|code| !code.is_empty())
                        fallback=move || {
                            view! {
                                <p class="notice">{move || i18n.t(Key::VillageChooseCommune)}</p>
                            }
                        }
                    >
                        <NewVillageForm app commune added />
                    </Show>
                }
            })}
        <section class="panel" aria-labelledby="village-list-heading">
            <h2 id="village-list-heading" tabindex="-1">
                {move || i18n.t(Key::VillagesListTitle)}
            </h2>
            <p id="village-status" class="success" role="status">
                {move || {
                    status
                        .get()
                        .map(|notice| match notice {
                            Notice::Saved => i18n.t(Key::Saved).to_string(),
                            Notice::Added(name) => i18n.cat().added(&name),
                        })
                }}
            </p>
            <form
                class="form"
                role="search"
                on:submit=|event: SubmitEvent| event.prevent_default()
            >
                <div class="field">
                    <label for="village-filter">{move || i18n.t(Key::FilterByName)}</label>
                    <input
                        id="village-filter"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="village-filter-hint"
                        aria-controls="village-list"
                        bind:value=filter
                    />
                    <p id="village-filter-hint" class="hint">
                        {move || i18n.t(Key::CommuneFilterHint)}
                    </p>
                </div>
                <label class="check">
                    <input
                        id="village-show-inactive"
                        type="checkbox"
                        bind:checked=include_inactive
                    />
                    {move || i18n.t(Key::ShowInactive)}
                </label>
            </form>
            <Transition fallback=move || view! { <Loading i18n /> }>
                {list_view}
            </Transition>
        </section>
    }
}

/// `form#village-form`: name and kind of a new village in `commune`. After saving, the name is
/// emptied and focused, and the kind kept, for the next one.
#[component]
fn NewVillageForm(
    app: AppContext,
    commune: RwSignal<String>,
    added: Callback<String>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new(VILLAGE_KINDS[0].to_string());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let name_input = NodeRef::<html::Input>::new();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = CreateVillageRequest {
            commune_code: commune.get_untracked(),
            name: name.get_untracked().trim().to_string(),
            kind: kind.get_untracked(),
        };
        error.set(None);
        if let Err(errors) = request.validate() {
            field_errors.set(shared::error::field_errors(&errors));
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::registry::create_village(session, &request).await;
            pending.try_set(false);
            match outcome {
                Ok(village) => {
                    name.try_set(String::new());
                    added.run(village.name);
                }
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
            if let Some(input) = name_input.get_untracked()
                && input.focus().is_err()
            {
                leptos::logging::warn!("cannot focus the village name");
            }
        });
    };

    let errors = Signal::from(field_errors);
    view! {
        <section class="panel" aria-labelledby="new-village-heading">
            <h2 id="new-village-heading">{move || i18n.t(Key::NewVillageTitle)}</h2>
            <form id="village-form" class="form form-inline" on:submit=submit novalidate>
                <FieldErrorText i18n errors field="commune_code" id="village-commune-error" />
                <div class="field field-grow">
                    <label for="village-name">{move || i18n.t(Key::VillageName)}</label>
                    <input
                        id="village-name"
                        name="name"
                        type="text"
                        autocomplete="off"
                        required
                        node_ref=name_input
                        aria-invalid=move || has_error(errors, "name").to_string()
                        aria-describedby="village-name-hint village-name-error"
                        bind:value=name
                    />
                    <p id="village-name-hint" class="hint">
                        {move || i18n.t(Key::VillageNameHint)}
                    </p>
                    <FieldErrorText i18n errors field="name" id="village-name-error" />
                </div>
                <div class="field">
                    <label for="village-kind">{move || i18n.t(Key::VillageKind)}</label>
                    <select
                        id="village-kind"
                        aria-invalid=move || has_error(errors, "kind").to_string()
                        aria-describedby="village-kind-error"
                        on:change=move |event| kind.set(event_target_value(&event))
                    >
                        {kind_options(i18n, kind)}
                    </select>
                    <FieldErrorText i18n errors field="kind" id="village-kind-error" />
                </div>
                <button id="village-submit" type="submit" disabled=move || pending.get()>
                    {move || {
                        if pending.get() { i18n.t(Key::Saving) } else { i18n.t(Key::VillageSubmit) }
                    }}
                </button>
            </form>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <div id="village-error" class="error" role="alert">
                                <ProblemMessage i18n error />
                            </div>
                        }
                    })
            }}
        </section>
    }
}

/// One village of the list: its name, kind and state, with edit and (de)activate buttons, or
/// the inline editor while it is being edited.
#[component]
fn VillageItem(
    app: AppContext,
    village: Village,
    commune_name: Option<String>,
    can_edit: bool,
    can_move: bool,
    editing: RwSignal<Option<Uuid>>,
    changed: Callback<FocusAfter>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = village.id;
    let active = village.status == "active";
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let name_id = format!("village-name-{id}");

    let toggle = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let request = UpdateVillageRequest {
            active: Some(!active),
            ..Default::default()
        };
        spawn_local(async move {
            let outcome = api::registry::update_village(session, id, &request).await;
            pending.try_set(false);
            match outcome {
                Ok(_) => changed.run(FocusAfter::Toggle(id)),
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let shown = {
        let village = village.clone();
        let name_id = name_id.clone();
        move || {
            let kind = village.kind.clone();
            let commune_name = commune_name.clone();
            view! {
                <div class="village-row">
                    <span class="village-label">
                        <span id=name_id.clone() class="village-name">
                            {village.name.clone()}
                        </span>
                        " "
                        <span class="unit-meta">
                            {move || kind_label(i18n, &kind)}
                            {commune_name.map(|name| view! { " · " {name} })}
                        </span>
                        {(!active)
                            .then(|| {
                                view! {
                                    " "
                                    <span class="tag">{move || i18n.t(Key::VillageInactive)}</span>
                                }
                            })}
                    </span>
                    {can_edit
                        .then(|| {
                            view! {
                                <span class="village-actions">
                                    <button
                                        id=format!("village-edit-{id}")
                                        type="button"
                                        class="button-quiet"
                                        aria-describedby=name_id.clone()
                                        on:click=move |_| {
                                            editing.set(Some(id));
                                            focus_soon("village-edit-name".to_string());
                                        }
                                    >
                                        {move || i18n.t(Key::Edit)}
                                    </button>
                                    <button
                                        id=format!("village-toggle-{id}")
                                        type="button"
                                        class="button-quiet"
                                        aria-describedby=name_id.clone()
                                        disabled=move || pending.get()
                                        on:click=toggle
                                    >
                                        {move || {
                                            if active {
                                                i18n.t(Key::Deactivate)
                                            } else {
                                                i18n.t(Key::Reactivate)
                                            }
                                        }}
                                    </button>
                                </span>
                            }
                        })}
                </div>
            }
        }
    };

    view! {
        <li class="village" class:inactive=!active>
            <Show
                when=move || editing.get() == Some(id)
                fallback=shown
            >
                <VillageEditor app village=village.clone() can_move editing changed />
            </Show>
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <div class="error" role="alert">
                                <ProblemMessage i18n error />
                            </div>
                        }
                    })
            }}
        </li>
    }
}

/// The inline editor of one village: name, kind and, for officers above a commune, the commune
/// of the same province it belongs to. Escape leaves it without saving.
#[component]
fn VillageEditor(
    app: AppContext,
    village: Village,
    can_move: bool,
    editing: RwSignal<Option<Uuid>>,
    changed: Callback<FocusAfter>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = village.id;
    let old_commune = village.commune_code.clone();
    let province_code = village.province_code.clone();
    let name = RwSignal::new(village.name.clone());
    let kind = RwSignal::new(village.kind.clone());
    let commune = RwSignal::new(village.commune_code.clone());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors = Signal::from(field_errors);
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let cancel = move || {
        editing.set(None);
        focus_soon(format!("village-edit-{id}"));
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let target = commune.get_untracked();
        let request = UpdateVillageRequest {
            name: Some(name.get_untracked().trim().to_string()),
            kind: Some(kind.get_untracked()),
            commune_code: (target != old_commune).then_some(target),
            active: None,
        };
        error.set(None);
        if let Err(errors) = request.validate() {
            field_errors.set(shared::error::field_errors(&errors));
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::registry::update_village(session, id, &request).await;
            pending.try_set(false);
            match outcome {
                Ok(_) => changed.run(FocusAfter::Edit(id)),
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let escape = move |event: KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            cancel();
        }
    };

    let move_field = can_move.then(|| {
        let communes = LocalResource::new(move || {
            let province_code = province_code.clone();
            async move { api::admin_units::communes(session, &province_code).await }
        });
        let picker = move || {
            suspend_shown(i18n, async move {
                communes.await.map(|communes| {
                    view! {
                        <select
                            id="village-edit-commune"
                            aria-invalid=move || has_error(errors, "commune_code").to_string()
                            aria-describedby="village-edit-commune-error"
                            on:change=move |event| commune.set(event_target_value(&event))
                        >
                            {communes
                                .into_iter()
                                .map(|unit| {
                                    view! {
                                        <SelectOption value=unit.code selected=commune>
                                            {unit.name}
                                        </SelectOption>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                })
            })
        };
        view! {
            <div class="field">
                <label for="village-edit-commune">{move || i18n.t(Key::CommunesTitle)}</label>
                <Transition fallback=move || view! { <Loading i18n /> }>
                    {picker}
                </Transition>
                <FieldErrorText
                    i18n
                    errors
                    field="commune_code"
                    id="village-edit-commune-error"
                />
            </div>
        }
    });

    view! {
        <form
            id="village-edit-form"
            class="form village-edit"
            on:submit=submit
            on:keydown=escape
            novalidate
        >
            <div class="field">
                <label for="village-edit-name">{move || i18n.t(Key::VillageName)}</label>
                <input
                    id="village-edit-name"
                    name="name"
                    type="text"
                    autocomplete="off"
                    required
                    aria-invalid=move || has_error(errors, "name").to_string()
                    aria-describedby="village-edit-name-error"
                    bind:value=name
                />
                <FieldErrorText i18n errors field="name" id="village-edit-name-error" />
            </div>
            <div class="field">
                <label for="village-edit-kind">{move || i18n.t(Key::VillageKind)}</label>
                <select
                    id="village-edit-kind"
                    aria-invalid=move || has_error(errors, "kind").to_string()
                    aria-describedby="village-edit-kind-error"
                    on:change=move |event| kind.set(event_target_value(&event))
                >
                    {kind_options(i18n, kind)}
                </select>
                <FieldErrorText i18n errors field="kind" id="village-edit-kind-error" />
            </div>
            {move_field}
            {move || {
                error
                    .get()
                    .map(|error| {
                        view! {
                            <div class="error" role="alert">
                                <ProblemMessage i18n error />
                            </div>
                        }
                    })
            }}
            <div class="form-actions">
                <button id="village-edit-save" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t(Key::Saving) } else { i18n.t(Key::Save) }}
                </button>
                <button
                    id="village-edit-cancel"
                    type="button"
                    class="button-quiet"
                    on:click=move |_| cancel()
                >
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}
