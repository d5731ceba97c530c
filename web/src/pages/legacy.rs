//! `/units/legacy`: where a commune of the list in force until 2025-06-30 went, looked up by its
//! code (`/units/legacy?code=…`) or found by its name.

use crate::api;
use crate::app::AppContext;
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::unit_item::UnitItem;
use crate::hooks::{SEARCH_DELAY, use_debounced, use_page_title};
use crate::i18n::{I18n, Key};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::admin_unit::{AdminUnitHit, Era, Successors, UnitLevel};
use shared::error::FieldError;

/// Whether `code` has the shape of a commune code (five digits).
fn is_commune_code(code: &str) -> bool {
    code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())
}

fn lookup_url(code: &str) -> String {
    format!("/units/legacy?code={}", js_sys::encode_uri_component(code))
}

/// The legacy lookup page.
#[component]
pub fn LegacyPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_page_title(i18n, Key::LegacyTitle);

    let query_map = use_query_map();
    let asked = Memo::new(move |_| {
        query_map.with(|map| map.get("code").unwrap_or_default().trim().to_string())
    });
    let input = RwSignal::new(asked.get_untracked());
    // Follow the address when it changes (a search result was chosen, or the history moved).
    Effect::new(move |_| input.set(asked.get()));

    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let navigate = use_navigate();
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        let code = input.get_untracked().trim().to_string();
        if !is_commune_code(&code) {
            field_errors.set(vec![FieldError {
                field: "legacy_code".to_string(),
                code: "invalid_legacy_code".to_string(),
                message: i18n.cat().text(Key::LegacyCodeInvalid).to_string(),
            }]);
            return;
        }
        field_errors.set(Vec::new());
        navigate(&lookup_url(&code), Default::default());
    };

    let lookup = LocalResource::new(move || {
        let code = asked.get();
        async move {
            if code.is_empty() {
                Ok(None)
            } else {
                api::admin_units::successors(session, &code).await.map(Some)
            }
        }
    });
    let result_view = move || {
        Suspend::new(async move {
            match lookup.await {
                Ok(found) => found
                    .map(|successors| view! { <LegacyResult i18n successors /> })
                    .into_any(),
                Err(error) => view! {
                    <div id="legacy-result" class="legacy-result">
                        <ProblemAlert i18n error />
                    </div>
                }
                .into_any(),
            }
        })
    };

    let errors = Signal::from(field_errors);
    view! {
        <h1>{move || i18n.t(Key::LegacyTitle)}</h1>
        <p>{move || i18n.t(Key::LegacyIntro)}</p>
        <section class="panel">
            <form class="form form-inline" on:submit=submit novalidate>
                <div class="field">
                    <label for="legacy-code">{move || i18n.t(Key::LegacyCodeLabel)}</label>
                    <input
                        id="legacy-code"
                        name="code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="off"
                        maxlength="5"
                        pattern="[0-9]{5}"
                        required
                        aria-invalid=move || has_error(errors, "legacy_code").to_string()
                        aria-describedby="legacy-code-hint legacy-code-error"
                        bind:value=input
                    />
                    <p id="legacy-code-hint" class="hint">
                        {move || i18n.t(Key::LegacyCodeHint)}
                    </p>
                    <FieldErrorText i18n errors field="legacy_code" id="legacy-code-error" />
                </div>
                <button id="legacy-submit" type="submit">
                    {move || i18n.t(Key::LegacySubmit)}
                </button>
            </form>
            <Transition fallback=move || view! { <Loading i18n /> }>
                {result_view}
            </Transition>
        </section>
        <LegacySearch app />
    }
}

/// The answer for one legacy code: the commune, a warning when it was split, and where it went.
#[component]
fn LegacyResult(i18n: I18n, successors: Successors) -> impl IntoView {
    let Successors {
        legacy_code,
        legacy,
        partly_merged,
        successors,
    } = successors;
    let legacy_view = match legacy {
        Some(unit) => view! {
            <h2>{move || i18n.t(Key::LegacyCommuneTitle)}</h2>
            <p class="legacy-unit">
                <UnitItem i18n unit />
            </p>
        }
        .into_any(),
        None => view! {
            <p class="notice">{move || i18n.cat().legacy_code_unknown(&legacy_code)}</p>
        }
        .into_any(),
    };
    let successors_view = if successors.is_empty() {
        view! { <p class="empty">{move || i18n.t(Key::NoSuccessors)}</p> }.into_any()
    } else {
        view! {
            <ul id="legacy-successors" class="unit-list">
                {successors
                    .into_iter()
                    .map(|successor| {
                        let href = format!("/units/{}", successor.unit.code);
                        let part = successor.partly_merged;
                        view! {
                            <li>
                                <UnitItem
                                    i18n
                                    unit=successor.unit
                                    href=href
                                    context=successor.province_name
                                />
                                {part
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="tag">{move || i18n.t(Key::PartOnly)}</span>
                                        }
                                    })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <div id="legacy-result" class="legacy-result" aria-live="polite">
            {legacy_view}
            {partly_merged
                .then(|| {
                    view! {
                        <p class="warning" role="note">
                            {move || i18n.t(Key::LegacyPartlyMerged)}
                        </p>
                    }
                })}
            <h2>{move || i18n.t(Key::SuccessorsTitle)}</h2>
            {successors_view}
        </div>
    }
}

/// Search of legacy units by name; a commune found leads to its lookup.
#[component]
fn LegacySearch(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let input = RwSignal::new(String::new());
    let typed = use_debounced(input.into(), SEARCH_DELAY);
    let hits = LocalResource::new(move || {
        let query = typed.get().trim().to_string();
        async move {
            if query.is_empty() {
                Ok(None)
            } else {
                api::admin_units::search(session, &query, Era::Legacy)
                    .await
                    .map(Some)
            }
        }
    });
    let hits_view = move || {
        suspend_shown(i18n, async move {
            hits.await
                .map(|hits| hits.map(|hits| view! { <LegacyHits i18n hits /> }))
        })
    };
    view! {
        <section class="panel" aria-labelledby="legacy-search-heading">
            <h2 id="legacy-search-heading">{move || i18n.t(Key::LegacySearchTitle)}</h2>
            <form class="form" role="search" on:submit=|event: SubmitEvent| event.prevent_default()>
                <div class="field">
                    <label for="legacy-search">{move || i18n.t(Key::LegacySearchLabel)}</label>
                    <input
                        id="legacy-search"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby="legacy-search-hint"
                        aria-controls="legacy-search-results"
                        bind:value=input
                    />
                    <p id="legacy-search-hint" class="hint">
                        {move || i18n.t(Key::LegacySearchHint)}
                    </p>
                </div>
            </form>
            <Transition fallback=move || view! { <Loading i18n /> }>
                {hits_view}
            </Transition>
        </section>
    }
}

/// Legacy search results: each commune links to its lookup; districts and provinces are shown
/// for what they are.
#[component]
fn LegacyHits(i18n: I18n, hits: Vec<AdminUnitHit>) -> impl IntoView {
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
        <ul id="legacy-search-results" class="unit-list">
            {hits
                .into_iter()
                .map(|hit| {
                    let AdminUnitHit { unit, province_name, district_name } = hit;
                    let context = match district_name {
                        Some(district) => format!("{district}, {province_name}"),
                        None => province_name,
                    };
                    let href = (unit.level == UnitLevel::Commune).then(|| lookup_url(&unit.code));
                    view! {
                        <li>
                            <UnitItem i18n unit href=href context=context />
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
