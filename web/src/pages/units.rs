//! `/units`: search the current administrative units, and the list of provinces.
//!
//! The search text is kept in the address (`/units?q=…`), so that coming back from a unit shows
//! the same results.

use crate::api;
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::components::unit_item::UnitItem;
use crate::hooks::{SEARCH_DELAY, use_debounced, use_page_title};
use crate::i18n::Key;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::admin_unit::Era;

/// The address of the units page searching for `query`.
fn search_url(query: &str) -> String {
    if query.is_empty() {
        "/units".to_string()
    } else {
        format!("/units?q={}", js_sys::encode_uri_component(query))
    }
}

/// The units page.
#[component]
pub fn UnitsPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_page_title(i18n, Key::UnitsTitle);

    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        query_map.with(|map| map.get("q").unwrap_or_default().trim().to_string())
    });
    let input = RwSignal::new(query.get_untracked());
    let typed = use_debounced(input.into(), SEARCH_DELAY);

    let navigate = use_navigate();
    let show = move |text: String| {
        let text = text.trim().to_string();
        if text != query.get_untracked() {
            let options = NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            };
            navigate(&search_url(&text), options);
        }
    };
    let show_typed = show.clone();
    Effect::new(move |_| show_typed(typed.get()));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        show(input.get_untracked());
    };

    let hits = LocalResource::new(move || {
        let query = query.get();
        async move {
            if query.is_empty() {
                Ok(None)
            } else {
                api::admin_units::search(session, &query, Era::Current)
                    .await
                    .map(Some)
            }
        }
    });
    let provinces = LocalResource::new(move || api::admin_units::provinces(session));

    let hits_view = move || {
        suspend_shown(i18n, async move {
            hits.await.map(|hits| {
                hits.map(|hits| {
                    let count = hits.len();
                    view! {
                        <p class="result-count" role="status">
                            {move || {
                                if count == 0 {
                                    i18n.t(Key::SearchNoResults).to_string()
                                } else {
                                    i18n.cat().results_count(count)
                                }
                            }}
                        </p>
                        <ul id="unit-search-results" class="unit-list">
                            {hits
                                .into_iter()
                                .map(|hit| {
                                    let href = format!("/units/{}", hit.unit.code);
                                    view! {
                                        <li>
                                            <UnitItem
                                                i18n
                                                unit=hit.unit
                                                href=href
                                                context=hit.province_name
                                            />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
            })
        })
    };

    let provinces_view = move || {
        suspend_shown(i18n, async move {
            provinces.await.map(|provinces| {
                view! {
                    <ul id="province-list" class="unit-grid">
                        {provinces
                            .into_iter()
                            .map(|province| {
                                let href = format!("/units/{}", province.code);
                                view! {
                                    <li>
                                        <UnitItem i18n unit=province href=href />
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
        })
    };

    view! {
        <h1>{move || i18n.t(Key::UnitsTitle)}</h1>
        <p>{move || i18n.t(Key::UnitsIntro)}</p>
        <section class="panel" aria-labelledby="search-heading">
            <h2 id="search-heading">{move || i18n.t(Key::SearchTitle)}</h2>
            <form class="form" role="search" on:submit=submit>
                <div class="field">
                    <label for="unit-search">{move || i18n.t(Key::SearchLabel)}</label>
                    <input
                        id="unit-search"
                        name="q"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="unit-search-hint"
                        aria-controls="unit-search-results"
                        bind:value=input
                    />
                    <p id="unit-search-hint" class="hint">
                        {move || i18n.t(Key::SearchHint)}
                    </p>
                </div>
            </form>
            <Transition fallback=move || view! { <Loading i18n /> }>
                {hits_view}
            </Transition>
        </section>
        <section aria-labelledby="provinces-heading">
            <h2 id="provinces-heading">{move || i18n.t(Key::ProvincesTitle)}</h2>
            <Transition fallback=move || view! { <Loading i18n /> }>
                {provinces_view}
            </Transition>
        </section>
    }
}
