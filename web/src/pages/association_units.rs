//! `/association-units`: the Association's units as a tree, from the caller's own unit down.
//!
//! A level of the tree is fetched only when it is opened, one page of [`TREE_PAGE`] units at a
//! time, because a province's tree holds every commune and every branch below them.

use crate::api::registry::UnitQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::association_unit_facts::AssociationUnitFacts;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::hooks::{SEARCH_DELAY, focus_soon, use_debounced, use_page_title};
use crate::i18n::Key;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use shared::page::Page;
use shared::registry::{AssociationUnit, UnitStatus};
use uuid::Uuid;

/// Units asked for per page of one tree level.
pub const TREE_PAGE: u64 = 50;

/// The address of a unit's own page.
pub fn unit_href(id: Uuid) -> String {
    format!("/association-units/{id}")
}

/// The tree page.
#[component]
pub fn AssociationUnitsPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_page_title(i18n, Key::AssocTitle);

    let root = LocalResource::new(move || api::registry::root(session));
    let root_view = move || {
        suspend_shown(i18n, async move {
            root.await.map(|unit| {
                let id = unit.id;
                let name = unit.name.clone();
                let unit = Signal::stored(unit);
                view! {
                    <section class="panel" aria-labelledby="root-unit-heading">
                        <h2 id="root-unit-heading">
                            <a id="root-unit" href=unit_href(id)>
                                {name}
                            </a>
                        </h2>
                        <AssociationUnitFacts i18n unit />
                    </section>
                    <UnitChildrenSection app parent=id />
                }
            })
        })
    };

    view! {
        <h1>{move || i18n.t(Key::AssocTitle)}</h1>
        <p>{move || i18n.t(Key::AssocIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>
            {root_view}
        </Transition>
    }
}

/// The units directly under `parent` as the top of a tree (`ul#unit-tree`), with a filter box
/// that ignores diacritics. Bumping `reload` fetches the list again.
#[component]
pub fn UnitChildrenSection(
    app: AppContext,
    parent: Uuid,
    #[prop(optional, into)] reload: Signal<u32>,
) -> impl IntoView {
    let i18n = app.i18n;
    let filter = RwSignal::new(String::new());
    let query = use_debounced(filter.into(), SEARCH_DELAY);
    view! {
        <section class="panel" aria-labelledby="unit-children-heading">
            <h2 id="unit-children-heading">{move || i18n.t(Key::AssocChildrenTitle)}</h2>
            <form
                class="form"
                role="search"
                on:submit=|event: SubmitEvent| event.prevent_default()
            >
                <div class="field">
                    <label for="unit-filter">{move || i18n.t(Key::FilterByName)}</label>
                    <input
                        id="unit-filter"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="unit-filter-hint"
                        aria-controls="unit-tree"
                        bind:value=filter
                    />
                    <p id="unit-filter-hint" class="hint">
                        {move || i18n.t(Key::CommuneFilterHint)}
                    </p>
                </div>
            </form>
            <UnitChildren app parent query reload list_id="unit-tree" />
        </section>
    }
}

/// One level of the tree: the units under `parent` matching `query`, page after page as the
/// officer asks for more.
#[component]
fn UnitChildren(
    app: AppContext,
    parent: Uuid,
    #[prop(optional, into)] query: Signal<String>,
    #[prop(optional, into)] reload: Signal<u32>,
    #[prop(optional)] list_id: Option<&'static str>,
) -> impl IntoView {
    let pages = RwSignal::new(1_u64);
    // Another filter starts again from the first page.
    Effect::new(move |previous: Option<String>| {
        let current = query.get();
        if previous.is_some_and(|previous| previous != current) {
            pages.set(1);
        }
        current
    });
    view! {
        <ul id=list_id class="tree">
            <For each=move || 1..=pages.get() key=|page| *page let:page>
                <UnitChildrenPage app parent query reload page pages />
            </For>
        </ul>
    }
}

/// One page of a tree level, as list items; the last page shown offers the next one.
#[component]
fn UnitChildrenPage(
    app: AppContext,
    parent: Uuid,
    query: Signal<String>,
    reload: Signal<u32>,
    page: u64,
    pages: RwSignal<u64>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let units: LocalResource<Result<Page<AssociationUnit>, ApiError>> =
        LocalResource::new(move || {
            reload.track();
            let request = UnitQuery {
                parent_id: Some(parent),
                q: query.get(),
                include_inactive: false,
                page,
                per_page: TREE_PAGE,
                ..Default::default()
            };
            async move { api::registry::units(session, &request).await }
        });
    let focused = StoredValue::new(false);

    let page_view = move || {
        Suspend::new(async move {
            let Page { items, total, .. } = match units.await {
                Ok(page) => page,
                Err(error) => {
                    return view! {
                        <li>
                            <ProblemAlert i18n error />
                        </li>
                    }
                    .into_any();
                }
            };
            let filtered = !query.get_untracked().trim().is_empty();
            let empty = (page == 1 && items.is_empty()).then(|| {
                let key = if filtered {
                    Key::AssocNoMatch
                } else {
                    Key::AssocNoChildren
                };
                view! { <li class="empty">{move || i18n.t(key)}</li> }
            });
            // The officer asked for this page with the button that has just gone: the
            // focus goes on to the first unit it brought.
            if page > 1
                && !focused.get_value()
                && let Some(first) = items.first()
            {
                focused.set_value(true);
                focus_soon(format!("unit-link-{}", first.id));
            }
            let more = move || {
                (pages.get() == page && page.saturating_mul(TREE_PAGE) < total).then(|| {
                    view! {
                        <li class="tree-more">
                            <button
                                type="button"
                                class="button-quiet"
                                on:click=move |_| pages.set(page + 1)
                            >
                                {move || i18n.t(Key::LoadMore)}
                            </button>
                        </li>
                    }
                })
            };
            view! {
                {items
                    .into_iter()
                    .map(|unit| view! { <UnitNode app unit /> })
                    .collect_view()}
                {empty}
                {more}
            }
            .into_any()
        })
    };

    view! {
        <Transition fallback=move || {
            view! {
                <li>
                    <Loading i18n />
                </li>
            }
        }>
            {page_view}
        </Transition>
    }
}

/// A unit in the tree: its name linking to its page, its level and counts, and a button that
/// shows the units below it, fetched the first time it is pressed.
#[component]
fn UnitNode(app: AppContext, unit: AssociationUnit) -> impl IntoView {
    let i18n = app.i18n;
    let AssociationUnit {
        id,
        name,
        level,
        status,
        member_count,
        children_count,
        ..
    } = unit;
    let expanded = RwSignal::new(false);
    // Once fetched, the level below stays in the page while hidden, so reopening is instant.
    let opened = RwSignal::new(false);
    let children_id = format!("unit-children-{id}");

    let toggle = if children_count > 0 {
        let label_name = name.clone();
        view! {
            <button
                type="button"
                class="tree-toggle"
                aria-expanded=move || expanded.get().to_string()
                aria-controls=children_id.clone()
                aria-label=move || i18n.cat().children_of(&label_name)
                on:click=move |_| {
                    opened.set(true);
                    expanded.update(|open| *open = !*open);
                }
            >
                <span class="tree-chevron" aria-hidden="true"></span>
            </button>
        }
        .into_any()
    } else {
        view! { <span class="tree-leaf" aria-hidden="true"></span> }.into_any()
    };

    view! {
        <li class="tree-item">
            <div class="tree-row">
                {toggle}
                <span class="tree-label">
                    <a id=format!("unit-link-{id}") href=unit_href(id) class="unit-name">
                        {name}
                    </a>
                    " "
                    <span class="unit-meta">
                        {move || i18n.cat().association_level(level)}
                        " · "
                        {move || i18n.cat().member_count(member_count)}
                        {(children_count > 0)
                            .then(|| {
                                view! {
                                    " · "
                                    {move || i18n.cat().children_count(children_count)}
                                }
                            })}
                    </span>
                    {(status != UnitStatus::Active)
                        .then(|| {
                            view! {
                                " "
                                <span class="tag">{move || i18n.cat().unit_status(status)}</span>
                            }
                        })}
                </span>
            </div>
            <div id=children_id class="tree-children" hidden=move || !expanded.get()>
                // Type-erased: the tree is recursive.
                {move || opened.get().then(|| view! { <UnitChildren app parent=id /> }.into_any())}
            </div>
        </li>
    }
}
