//! `/assessments`: registering people for a period and the list of the unit's registrations.
//!
//! Registering is made for the keyboard: type a name, Tab to the person's "register" button,
//! Enter; the search is then emptied and takes the focus for the next person.

use crate::api::people::PeopleQuery;
use crate::api::workflow::RegistrationQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::pager::{Pager, page_count};
use crate::components::person_item::PersonItem;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::hooks::{SEARCH_DELAY, focus_soon, use_debounced};
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::workflow::assessment::assessment_href;
use crate::pages::workflow::common::{
    ErrorLine, GroupsResource, PeriodPicker, StatusTag, group_name, group_names, use_periods,
    use_title,
};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::assessment::AssessmentStatus;
use shared::auth::{Role, User};
use shared::error::FieldError;
use shared::page::Page;
use shared::registry::Person;
use shared::workflow::{Registration, RegistrationInput};
use std::collections::HashMap;
use uuid::Uuid;

/// Registrations per page of the list.
const PER_PAGE: u64 = 50;

/// People offered per search.
const SEARCH_RESULTS: u64 = 10;

/// The registration page.
#[component]
pub fn AssessmentsPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, WKey::AssessmentsTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Assessments app user /> }))
        })
    };
    view! {
        <h1>{move || i18n.w(WKey::AssessmentsTitle)}</h1>
        <p>{move || i18n.w(WKey::AssessmentsIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// The page for `user`: the period, the registration form and the list.
#[component]
fn Assessments(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (periods, chosen, period_id) = use_periods(app);
    let groups: GroupsResource = LocalResource::new(move || api::people::target_groups(session));
    let reload = RwSignal::new(0_u32);
    let registered = Callback::new(move |()| reload.update(|n| *n += 1));
    let can_register = user.role >= Role::BranchOfficer;
    view! {
        <PeriodPicker app periods chosen role=user.role />
        {move || {
            if !can_register {
                return view! { <p class="notice">{move || i18n.w(WKey::RegisterViewerNote)}</p> }
                    .into_any();
            }
            match period_id.get() {
                Some(period) => view! { <RegisterPanel app period groups registered /> }.into_any(),
                None => ().into_any(),
            }
        }}
        <RegistrationList app period_id groups reload />
    }
}

/// Searching people of the unit and registering one for `period`.
#[component]
fn RegisterPanel(
    app: AppContext,
    period: Uuid,
    groups: GroupsResource,
    registered: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let search = RwSignal::new(String::new());
    let query = use_debounced(search.into(), SEARCH_DELAY);
    let group = RwSignal::new(String::new());
    let pending = RwSignal::new(None::<Uuid>);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();
    let done = RwSignal::new(None::<Registration>);
    let search_input = NodeRef::<html::Input>::new();

    let people = LocalResource::new(move || {
        let q = query.get();
        async move {
            if q.trim().chars().count() < 2 {
                return Ok(None);
            }
            let request = PeopleQuery {
                q,
                page: 1,
                per_page: SEARCH_RESULTS,
                ..Default::default()
            };
            api::people::people(session, &request).await.map(Some)
        }
    });

    let register = move |person: Person| {
        if pending.get_untracked().is_some() {
            return;
        }
        pending.set(Some(person.id));
        error.set(None);
        field_errors.set(Vec::new());
        done.set(None);
        let input = RegistrationInput {
            person_id: person.id,
            period_id: period,
            target_group: Some(group.get_untracked()).filter(|g| !g.is_empty()),
            reviewing_unit_id: None,
            external_id: None,
        };
        spawn_local(async move {
            let outcome = api::workflow::register(session, &input).await;
            pending.try_set(None);
            match outcome {
                Ok(registration) => {
                    done.try_set(Some(registration));
                    search.try_set(String::new());
                    registered.run(());
                    if let Some(input) = search_input.get_untracked()
                        && input.focus().is_err()
                    {
                        leptos::logging::warn!("cannot focus the search");
                    }
                }
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                    if field_errors
                        .try_with_untracked(|e| e.iter().any(|e| e.field == "target_group"))
                        .unwrap_or(false)
                    {
                        focus_soon("register-group".to_string());
                    }
                }
            }
        });
    };

    let group_picker = move || {
        suspend_shown(i18n, async move {
            groups.await.map(|groups| {
                view! {
                    <select
                        id="register-group"
                        aria-describedby="register-group-error"
                        aria-invalid=move || {
                            errors.with(|e| crate::pages::workflow::common::invalid(e, "target_group"))
                        }
                        on:change=move |event| group.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=group>
                            {move || i18n.w(WKey::RegisterGroupDefault)}
                        </SelectOption>
                        {groups
                            .into_iter()
                            .filter(|g| g.active)
                            .map(|g| {
                                view! {
                                    <SelectOption value=g.code selected=group>
                                        {move || i18n.pick(&g.name_vi, &g.name_en).to_string()}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                }
            })
        })
    };

    let results = move || {
        suspend_shown(i18n, async move {
            let found = people.await?;
            // A failure leaves the groups unnamed; the list does not depend on them.
            let names = group_names(groups.await.unwrap_or_default());
            Ok::<_, ApiError>(match found {
                None => view! { <p class="hint">{move || i18n.w(WKey::RegisterTypeMore)}</p> }
                    .into_any(),
                Some(Page { items, .. }) if items.is_empty() => {
                    view! { <p class="empty">{move || i18n.w(WKey::RegisterNoMatch)}</p> }
                        .into_any()
                }
                Some(Page { items, .. }) => view! {
                    <ul id="register-results" class="person-list">
                        {items
                            .into_iter()
                            .map(|person| {
                                let id = person.id;
                                let group = person
                                    .target_group
                                    .as_ref()
                                    .and_then(|code| names.get(code).cloned());
                                let chosen = person.clone();
                                view! {
                                    <li class="person register-row">
                                        <div>
                                            <PersonItem i18n person group />
                                        </div>
                                        <button
                                            id=format!("register-{id}")
                                            type="button"
                                            class="register-person button-small"
                                            aria-describedby=format!("person-link-{id}")
                                            disabled=move || pending.get().is_some()
                                            on:click=move |_| register(chosen.clone())
                                        >
                                            {move || {
                                                if pending.get() == Some(id) {
                                                    i18n.w(WKey::Registering)
                                                } else {
                                                    i18n.w(WKey::Register)
                                                }
                                            }}
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            })
        })
    };

    // A person registered already is told in words, with the way to their assessment.
    let error_view = move || {
        error.get().map(|failure| {
            let existing = failure
                .problem()
                .filter(|p| p.code == "duplicate")
                .and_then(|p| p.existing_id.as_deref())
                .and_then(|id| Uuid::parse_str(id).ok());
            match existing {
                Some(existing) => view! {
                    <div id="register-error" class="warning" role="alert">
                        <p>{move || i18n.w(WKey::AlreadyRegistered)}</p>
                        <p>
                            <a id="register-existing" href=assessment_href(existing)>
                                {move || i18n.w(WKey::OpenAssessment)}
                            </a>
                        </p>
                    </div>
                }
                .into_any(),
                None => {
                    view! { <ProblemAlert i18n error=failure id="register-error" /> }.into_any()
                }
            }
        })
    };

    view! {
        <section class="panel" aria-labelledby="register-heading">
            <h2 id="register-heading">{move || i18n.w(WKey::RegisterTitle)}</h2>
            <form
                class="form"
                role="search"
                on:submit=|event: SubmitEvent| event.prevent_default()
            >
                <div class="filter-grid">
                    <div class="field">
                        <label for="register-group">{move || i18n.w(WKey::RegisterGroupLabel)}</label>
                        <Transition fallback=move || view! { <Loading i18n /> }>{group_picker}</Transition>
                        <ErrorLine i18n errors field="target_group" id="register-group-error" />
                    </div>
                    <div class="field">
                        <label for="register-search">{move || i18n.w(WKey::RegisterSearchLabel)}</label>
                        <input
                            id="register-search"
                            type="search"
                            autocomplete="off"
                            spellcheck="false"
                            node_ref=search_input
                            aria-describedby="register-search-hint"
                            aria-controls="register-results"
                            bind:value=search
                        />
                        <p id="register-search-hint" class="hint">
                            {move || i18n.w(WKey::RegisterSearchHint)}
                        </p>
                    </div>
                </div>
            </form>
            <p id="register-status" class="success" role="status">
                {move || {
                    done.get()
                        .map(|r| {
                            view! {
                                {i18n.wcat().registered(&r.person_name)}
                                " "
                                <a id="registered-link" href=assessment_href(r.id)>
                                    {move || i18n.w(WKey::OpenAssessment)}
                                </a>
                            }
                        })
                }}
            </p>
            {error_view}
            <Transition fallback=move || view! { <Loading i18n /> }>{results}</Transition>
        </section>
    }
}

/// The registrations of the period, with a status filter and a name filter.
#[component]
fn RegistrationList(
    app: AppContext,
    period_id: Memo<Option<Uuid>>,
    groups: GroupsResource,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    // `?status=` of the address (the home page links here with it), when it is a status.
    let status = RwSignal::new(
        crate::hooks::query_param("status")
            .filter(|s| AssessmentStatus::parse(s).is_some())
            .unwrap_or_default(),
    );
    let filter = RwSignal::new(String::new());
    let query = use_debounced(filter.into(), SEARCH_DELAY);
    let paging = crate::hooks::use_paging_in_url(PER_PAGE);
    let page = paging.page;

    // Another period, status or search starts again from the first page; the period arriving
    // when the page loads keeps the page the address asked for.
    Effect::new(move |previous: Option<(Option<Uuid>, String, String)>| {
        let current = (period_id.get(), status.get(), query.get());
        if previous.is_some_and(|previous| previous.0.is_some() && previous != current) {
            page.set(1);
        }
        current
    });

    let registrations = LocalResource::new(move || {
        reload.track();
        let period = period_id.get();
        let request = RegistrationQuery {
            period_id: period,
            status: AssessmentStatus::parse(&status.get()),
            target_group: None,
            q: query.get(),
            page: page.get(),
            per_page: paging.per_page.get(),
        };
        async move {
            match period {
                Some(_) => api::workflow::registrations(session, &request)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });

    let list_view = move || {
        suspend_shown(i18n, async move {
            let Some(result) = registrations.await? else {
                return Ok::<_, ApiError>(().into_any());
            };
            // A failure leaves the groups unnamed; the list does not depend on them.
            let names = group_names(groups.await.unwrap_or_default());
            let Page {
                items,
                total,
                page: shown_page,
                ..
            } = result;
            let filtered =
                !status.get_untracked().is_empty() || !query.get_untracked().trim().is_empty();
            let empty = items.is_empty().then(|| {
                let key = if filtered {
                    WKey::RegistrationsNoMatch
                } else {
                    WKey::RegistrationsEmpty
                };
                view! { <p class="empty">{move || i18n.w(key)}</p> }
            });
            let pages = page_count(total, paging.per_page.get());
            Ok(view! {
                <p class="result-count">{move || i18n.wcat().registration_count(total)}</p>
                <ul id="registration-list" class="registration-list">
                    {items
                        .into_iter()
                        .map(|registration| {
                            view! { <RegistrationItem i18n registration names=names.clone() /> }
                        })
                        .collect_view()}
                </ul>
                {empty}
                <Pager
                    i18n
                    id="registration"
                    per_page=(paging.per_page.get(), paging.choose_size())
                    label=Signal::derive(move || i18n.w(WKey::RegistrationsTitle).to_string())
                    page=shown_page
                    pages
                    go=Callback::new(move |to| page.set(to))
                />
            }
            .into_any())
        })
    };

    view! {
        <section class="panel" aria-labelledby="registrations-heading">
            <h2 id="registrations-heading">{move || i18n.w(WKey::RegistrationsTitle)}</h2>
            <form
                class="form filter-grid"
                role="search"
                on:submit=|event: SubmitEvent| event.prevent_default()
            >
                <div class="field">
                    <label for="status-filter">{move || i18n.w(WKey::Status)}</label>
                    <select
                        id="status-filter"
                        aria-controls="registration-list"
                        on:change=move |event| status.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=status>
                            {move || i18n.t(Key::AllOption)}
                        </SelectOption>
                        {AssessmentStatus::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <SelectOption value=s.as_str() selected=status>
                                        {move || i18n.wcat().status(s)}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="registration-filter">{move || i18n.t(Key::FilterByName)}</label>
                    <input
                        id="registration-filter"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-controls="registration-list"
                        bind:value=filter
                    />
                </div>
            </form>
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

/// One registration: the name linking to the assessment, the status, and what tells people
/// apart.
#[component]
pub fn RegistrationItem(
    i18n: I18n,
    registration: Registration,
    names: HashMap<String, (String, String)>,
) -> impl IntoView {
    let Registration {
        id,
        person_name,
        person_birth_year,
        target_group,
        reviewing_unit_name,
        effective_status,
        self_result,
        ..
    } = registration;
    let group = move || group_name(i18n, &names, &target_group);
    view! {
        <li class="registration">
            <a id=format!("registration-link-{id}") href=assessment_href(id) class="person-name">
                {person_name}
            </a>
            " "
            <StatusTag i18n status=effective_status />
            <span class="person-meta">
                <span>{person_birth_year}</span>
                <span>{group}</span>
                <span>{reviewing_unit_name}</span>
                {self_result
                    .map(|result| {
                        view! {
                            <span>
                                {move || i18n.w(WKey::SelfTotal)}
                                ": "
                                {move || i18n.wcat().total_of(result.total, result.max)}
                            </span>
                        }
                    })}
            </span>
        </li>
    }
}
