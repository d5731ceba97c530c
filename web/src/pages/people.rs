//! `/people`: the people of the officer's unit, filtered by place, target group, gender, birth
//! year and membership, with a name search that ignores diacritics, and an exact look-up by
//! personal ID number.
//!
//! The filters live in the address (`?q=…&commune=…`), so that coming back from a person's page
//! shows the same list. The ID number never does: the look-up sends it in a request body.

use crate::api::people::PeopleQuery;
use crate::api::registry::VillageQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::commune_picker::{AdminUnitsResource, CommunePicker};
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::loading::Loading;
use crate::components::pager::{PAGE_SIZES, Pager, page_count};
use crate::components::person_item::{PersonItem, person_href};
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::hooks::{SEARCH_DELAY, focus_soon, use_debounced, use_page_title};
use crate::i18n::{I18n, Key};
use crate::scope::Scope;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use shared::auth::{Role, User};
use shared::error::FieldError;
use shared::page::{MAX_PER_PAGE, Page};
use shared::person::{Gender, validate_personal_id};
use shared::registry::{Person, TargetGroup, Village};
use std::collections::HashMap;
use uuid::Uuid;

/// People per page of the list unless the officer chooses another size.
const PER_PAGE: u64 = 50;

/// The target groups, for the filter and for naming each person's group.
type GroupsResource = LocalResource<Result<Vec<TargetGroup>, ApiError>>;

/// The villages of the chosen commune (none before a commune is chosen).
type VillagesResource = LocalResource<Result<Vec<Village>, ApiError>>;

/// The people page.
#[component]
pub fn PeoplePage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_page_title(i18n, Key::PeopleTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <People app user /> }))
        })
    };
    view! {
        <h1>{move || i18n.t(Key::PeopleTitle)}</h1>
        <p>{move || i18n.t(Key::PeopleIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// The filters as the address keeps them.
#[derive(Clone, Copy)]
struct Filters {
    province: RwSignal<String>,
    commune: RwSignal<String>,
    village: RwSignal<String>,
    group: RwSignal<String>,
    gender: RwSignal<String>,
    year_from: RwSignal<String>,
    year_to: RwSignal<String>,
    member: RwSignal<String>,
    search: RwSignal<String>,
}

/// `name=value&…` of the non-empty `pairs`, each value encoded.
fn query_string(pairs: &[(&str, String)]) -> String {
    pairs
        .iter()
        .filter(|(_, value)| !value.trim().is_empty())
        .map(|(name, value)| {
            format!(
                "{name}={}",
                String::from(js_sys::encode_uri_component(value.trim()))
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// The page for `user`: look-up, filters and the list.
#[component]
fn People(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let scope = Scope::of(&user);
    let can_register = user.role >= Role::BranchOfficer;
    let params = use_query_map().get_untracked();
    let param = |name: &str| params.get(name).unwrap_or_default();

    let filters = Filters {
        province: RwSignal::new(match scope {
            Scope::Province => user.unit.code.clone(),
            Scope::Nation => param("province"),
            Scope::Commune => String::new(),
        }),
        commune: RwSignal::new(match scope {
            Scope::Commune => user.unit.code.clone(),
            _ => param("commune"),
        }),
        village: RwSignal::new(param("village")),
        group: RwSignal::new(param("group")),
        gender: RwSignal::new(param("gender")),
        year_from: RwSignal::new(param("from")),
        year_to: RwSignal::new(param("to")),
        member: RwSignal::new(param("member")),
        search: RwSignal::new(param("q")),
    };
    let per_page = RwSignal::new(
        param("per_page")
            .parse::<u64>()
            .ok()
            .filter(|size| PAGE_SIZES.contains(size))
            .unwrap_or(PER_PAGE),
    );
    let Filters {
        province,
        commune,
        village,
        group,
        gender,
        year_from,
        year_to,
        member,
        search,
    } = filters;
    let q = use_debounced(search.into(), SEARCH_DELAY);
    let from = use_debounced(year_from.into(), SEARCH_DELAY);
    let to = use_debounced(year_to.into(), SEARCH_DELAY);

    // Another commune has other villages.
    Effect::new(move |previous: Option<String>| {
        let current = commune.get();
        if previous.is_some_and(|previous| previous != current) {
            village.set(String::new());
        }
        current
    });

    // Plain closures rather than memos: the list must follow every filter, and a resource fed
    // by a memo that another memo also reads can miss the change (reactive_graph 0.2).
    let query = move || PeopleQuery {
        unit: [commune.get(), province.get()]
            .into_iter()
            .find(|code| !code.is_empty()),
        village_id: Uuid::parse_str(&village.get()).ok(),
        target_group: Some(group.get()).filter(|g| !g.is_empty()),
        gender: Gender::parse(&gender.get()),
        birth_year_from: from.get().trim().parse().ok(),
        birth_year_to: to.get().trim().parse().ok(),
        member: match member.get().as_str() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        },
        q: q.get(),
        page: 0,
        per_page: per_page.get(),
    };
    // The page asked for, with the filters it was asked under: other filters start again from
    // the first page without a second fetch.
    let first_page = param("page").parse::<u64>().ok().filter(|p| *p >= 1);
    let paged = RwSignal::new((first_page.unwrap_or(1), untrack(query)));
    let page = move || {
        let now = query();
        paged.with(|(page, asked)| if *asked == now { *page } else { 1 })
    };

    let people: LocalResource<Result<Page<Person>, ApiError>> = LocalResource::new(move || {
        let request = PeopleQuery {
            page: page(),
            ..query()
        };
        async move { api::people::people(session, &request).await }
    });
    let groups: GroupsResource = LocalResource::new(move || api::people::target_groups(session));
    let villages: VillagesResource = LocalResource::new(move || {
        let commune = commune.get();
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
    let provinces = (scope == Scope::Nation)
        .then(|| LocalResource::new(move || api::admin_units::provinces(session)));
    let communes: AdminUnitsResource = LocalResource::new(move || {
        let province = province.get();
        async move {
            if province.is_empty() || scope == Scope::Commune {
                Ok(Vec::new())
            } else {
                api::admin_units::communes(session, &province).await
            }
        }
    });

    // The address follows the filters, replacing itself rather than filling the history.
    let navigate = use_navigate();
    let location = use_location();
    Effect::new(move |_| {
        let mut pairs = Vec::new();
        if scope == Scope::Nation {
            pairs.push(("province", province.get()));
        }
        if scope != Scope::Commune {
            pairs.push(("commune", commune.get()));
        }
        pairs.extend([
            ("village", village.get()),
            ("group", group.get()),
            ("gender", gender.get()),
            ("from", from.get()),
            ("to", to.get()),
            ("member", member.get()),
            ("q", q.get()),
        ]);
        let size = per_page.get();
        if size != PER_PAGE {
            pairs.push(("per_page", size.to_string()));
        }
        let shown_page = page();
        if shown_page > 1 {
            pairs.push(("page", shown_page.to_string()));
        }
        let search = query_string(&pairs);
        let target = if search.is_empty() {
            "/people".to_string()
        } else {
            format!("/people?{search}")
        };
        let current = format!(
            "{}{}",
            location.pathname.get_untracked(),
            location.search.get_untracked()
        );
        let current = current.trim_end_matches('?');
        if target != current {
            navigate(
                &target,
                NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
    });

    let narrowed = [
        village.get_untracked(),
        group.get_untracked(),
        gender.get_untracked(),
        year_from.get_untracked(),
        year_to.get_untracked(),
        member.get_untracked(),
    ]
    .iter()
    .any(|value| !value.is_empty());
    let picker = (scope != Scope::Commune).then(|| {
        view! {
            <CommunePicker
                i18n
                provinces=provinces
                communes
                province
                commune
                province_id="people-province"
                commune_id="people-commune"
                empty=Key::AllOption
            />
        }
    });

    let list_view = move || {
        suspend_shown(i18n, async move {
            let result = people.await?;
            // A failure here is already shown beside the target-group filter.
            let groups: HashMap<String, (String, String)> = groups
                .await
                .unwrap_or_default()
                .into_iter()
                .map(|group| (group.code, (group.name_vi, group.name_en)))
                .collect();
            let Page {
                items,
                total,
                page: shown_page,
                per_page: shown_per_page,
            } = result;
            let asked = untrack(query);
            let filtered = !asked.q.trim().is_empty()
                || asked.village_id.is_some()
                || asked.target_group.is_some()
                || asked.gender.is_some()
                || asked.birth_year_from.is_some()
                || asked.birth_year_to.is_some()
                || asked.member.is_some();
            let empty = items.is_empty().then(|| {
                let key = if filtered {
                    Key::PeopleNoMatch
                } else {
                    Key::PeopleEmpty
                };
                view! { <p class="empty">{move || i18n.t(key)}</p> }
            });
            let show_commune = scope != Scope::Commune;
            let pages = page_count(total, shown_per_page);
            let go = move |to: u64| {
                paged.set((to, untrack(query)));
                focus_soon("people-list-heading".to_string());
            };
            Ok::<_, ApiError>(view! {
                <p class="result-count" role="status">
                    {move || i18n.cat().person_count(total)}
                </p>
                <ul id="people-list" class="person-list">
                    {items
                        .into_iter()
                        .map(|person| {
                            let group = person
                                .target_group
                                .as_ref()
                                .and_then(|code| groups.get(code).cloned());
                            view! {
                                <li class="person">
                                    <PersonItem i18n person group show_commune />
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                {empty}
                <Pager
                    i18n
                    id="people"
                    label=Signal::derive(move || i18n.t(Key::PeopleListTitle).to_string())
                    page=shown_page
                    pages
                    go=Callback::new(go)
                    per_page=(shown_per_page, Callback::new(move |size| per_page.set(size)))
                />
            })
        })
    };

    view! {
        {can_register
            .then(|| {
                view! {
                    <p class="page-actions">
                        <a id="person-new" href="/people/new" class="button">
                            {move || i18n.t(Key::PersonNew)}
                        </a>
                    </p>
                }
            })}
        <Lookup app />
        <section class="panel" aria-labelledby="people-list-heading">
            <h2 id="people-list-heading" tabindex="-1">
                {move || i18n.t(Key::PeopleListTitle)}
            </h2>
            <form
                class="form"
                role="search"
                on:submit=|event: SubmitEvent| event.prevent_default()
            >
                <div class="field">
                    <label for="people-search">{move || i18n.t(Key::PeopleSearchLabel)}</label>
                    <input
                        id="people-search"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="people-search-hint"
                        aria-controls="people-list"
                        bind:value=search
                    />
                    <p id="people-search-hint" class="hint">
                        {move || i18n.t(Key::PeopleSearchHint)}
                    </p>
                </div>
                <details class="filters" open=narrowed>
                    <summary>{move || i18n.t(Key::MoreFilters)}</summary>
                    <div class="filter-grid">
                        {picker}
                        <VillageFilter i18n villages village commune />
                        <GroupFilter i18n groups group />
                        <div class="field">
                            <label for="people-gender">{move || i18n.t(Key::Gender)}</label>
                            <select
                                id="people-gender"
                                on:change=move |event| gender.set(event_target_value(&event))
                            >
                                <SelectOption value="" selected=gender>
                                    {move || i18n.t(Key::AllOption)}
                                </SelectOption>
                                {Gender::ALL
                                    .into_iter()
                                    .map(|option| {
                                        view! {
                                            <SelectOption value=option.as_str() selected=gender>
                                                {move || i18n.cat().gender(option)}
                                            </SelectOption>
                                        }
                                    })
                                    .collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="people-member">{move || i18n.t(Key::MemberFilter)}</label>
                            <select
                                id="people-member"
                                on:change=move |event| member.set(event_target_value(&event))
                            >
                                <SelectOption value="" selected=member>
                                    {move || i18n.t(Key::AllOption)}
                                </SelectOption>
                                <SelectOption value="true" selected=member>
                                    {move || i18n.t(Key::MembersOnly)}
                                </SelectOption>
                                <SelectOption value="false" selected=member>
                                    {move || i18n.t(Key::NonMembersOnly)}
                                </SelectOption>
                            </select>
                        </div>
                        <div class="field">
                            <label for="people-year-from">{move || i18n.t(Key::BornFrom)}</label>
                            <input
                                id="people-year-from"
                                type="number"
                                inputmode="numeric"
                                min="1900"
                                max="2100"
                                autocomplete="off"
                                bind:value=year_from
                            />
                        </div>
                        <div class="field">
                            <label for="people-year-to">{move || i18n.t(Key::BornTo)}</label>
                            <input
                                id="people-year-to"
                                type="number"
                                inputmode="numeric"
                                min="1900"
                                max="2100"
                                autocomplete="off"
                                bind:value=year_to
                            />
                        </div>
                    </div>
                </details>
            </form>
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

/// The village filter: the villages of the chosen commune.
#[component]
fn VillageFilter(
    i18n: I18n,
    villages: VillagesResource,
    village: RwSignal<String>,
    commune: RwSignal<String>,
) -> impl IntoView {
    let picker = move || {
        suspend_shown(i18n, async move {
            villages.await.map(|villages| {
                let none = villages.is_empty();
                view! {
                    <select
                        id="people-village"
                        disabled=none
                        aria-describedby="people-village-hint"
                        on:change=move |event| village.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=village>
                            {move || i18n.t(Key::AllOption)}
                        </SelectOption>
                        {villages
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <SelectOption value=option.id.to_string() selected=village>
                                        {option.name}
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
            <label for="people-village">{move || i18n.t(Key::AuVillage)}</label>
            <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition>
            <Show when=move || commune.with(String::is_empty)>
                <p id="people-village-hint" class="hint">
                    {move || i18n.t(Key::ChooseCommuneFirst)}
                </p>
            </Show>
        </div>
    }
}

/// The target-group filter.
#[component]
fn GroupFilter(i18n: I18n, groups: GroupsResource, group: RwSignal<String>) -> impl IntoView {
    let picker = move || {
        suspend_shown(i18n, async move {
            groups.await.map(|groups| {
                view! {
                    <select
                        id="people-target-group"
                        on:change=move |event| group.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=group>
                            {move || i18n.t(Key::AllOption)}
                        </SelectOption>
                        {groups
                            .into_iter()
                            .map(|option| {
                                let TargetGroup { code, name_vi, name_en, .. } = option;
                                view! {
                                    <SelectOption value=code selected=group>
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
    view! {
        <div class="field">
            <label for="people-target-group">{move || i18n.t(Key::TargetGroup)}</label>
            <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition>
        </div>
    }
}

/// What the look-up found.
#[derive(Clone)]
enum Found {
    Person(Box<Person>),
    Nobody,
    Failed(ApiError),
}

/// `form#people-lookup-form`: the record with exactly this personal ID number, checked with the
/// shared rules before it is sent.
#[component]
fn Lookup(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let number = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors = Signal::from(field_errors);
    let pending = RwSignal::new(false);
    let found = RwSignal::new(None::<Found>);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        found.set(None);
        let typed = number.get_untracked().trim().to_string();
        if let Err(error) = validate_personal_id(&typed) {
            field_errors.set(vec![FieldError {
                field: "personal_id".to_string(),
                code: error.code.to_string(),
                message: error
                    .message
                    .map(|message| message.to_string())
                    .unwrap_or_default(),
            }]);
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::people::lookup(session, &typed).await;
            pending.try_set(false);
            let result = match outcome {
                Ok(person) => {
                    focus_soon(format!("person-link-{}", person.id));
                    Found::Person(Box::new(person))
                }
                Err(error) if error.problem().is_some_and(|p| p.status == 404) => Found::Nobody,
                Err(error) => {
                    field_errors.try_set(error.field_errors());
                    Found::Failed(error)
                }
            };
            found.try_set(Some(result));
        });
    };

    let result_view = move || {
        found.get().map(|found| match found {
            Found::Person(person) => {
                let href = person_href(person.id);
                view! {
                    <div class="lookup-found">
                        <PersonItem i18n person=*person show_commune=true />
                        <p>
                            <a href=href>{move || i18n.t(Key::OpenRecord)}</a>
                        </p>
                    </div>
                }
                .into_any()
            }
            Found::Nobody => {
                view! { <p class="notice">{move || i18n.t(Key::LookupNobody)}</p> }.into_any()
            }
            Found::Failed(error) => view! { <ProblemAlert i18n error /> }.into_any(),
        })
    };

    view! {
        <section class="panel" aria-labelledby="people-lookup-heading">
            <h2 id="people-lookup-heading">{move || i18n.t(Key::LookupTitle)}</h2>
            <form id="people-lookup-form" class="form form-inline" on:submit=submit novalidate>
                <div class="field field-grow">
                    <label for="people-lookup">{move || i18n.t(Key::PersonalIdLabel)}</label>
                    <input
                        id="people-lookup"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        spellcheck="false"
                        aria-invalid=move || has_error(errors, "personal_id").to_string()
                        aria-describedby="people-lookup-hint people-lookup-error"
                        bind:value=number
                    />
                    <p id="people-lookup-hint" class="hint">{move || i18n.t(Key::LookupHint)}</p>
                    <FieldErrorText i18n errors field="personal_id" id="people-lookup-error" />
                </div>
                <button id="people-lookup-submit" type="submit" disabled=move || pending.get()>
                    {move || i18n.t(Key::LookupSubmit)}
                </button>
            </form>
            <div id="people-lookup-result" aria-live="polite">
                {result_view}
            </div>
        </section>
    }
}
