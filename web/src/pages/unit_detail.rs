//! `/units/{code}`: one current unit with its parent, and for a province its communes with a
//! filter that ignores diacritics.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::components::unit_item::UnitItem;
use crate::hooks::use_page_title;
use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::admin_unit::{AdminUnit, AdminUnitDetail, UnitLevel};
use shared::text::fold;
use std::sync::Arc;

/// Whether `code` has the shape of a province code (two digits).
fn is_province_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit())
}

fn level_key(level: UnitLevel) -> Key {
    match level {
        UnitLevel::Province => Key::LevelProvince,
        UnitLevel::District => Key::LevelDistrict,
        UnitLevel::Commune => Key::LevelCommune,
    }
}

/// The unit page.
#[component]
pub fn UnitDetailPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_page_title(i18n, Key::UnitsTitle);

    let params = use_params_map();
    let code = Memo::new(move |_| params.with(|p| p.get("code").unwrap_or_default()));
    let detail = LocalResource::new(move || {
        let code = code.get();
        async move { api::admin_units::unit(session, &code).await }
    });
    // Asked for together with the unit, and shown once the unit turns out to be a province.
    let communes: CommunesResource = LocalResource::new(move || {
        let code = code.get();
        async move {
            if is_province_code(&code) {
                api::admin_units::communes(session, &code).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });

    let detail_view = move || {
        suspend_shown(i18n, async move {
            detail.await.map(|detail| {
                let province = detail.unit.level == UnitLevel::Province;
                view! {
                    <UnitFacts i18n detail />
                    {province.then(|| view! { <Communes i18n communes /> })}
                }
            })
        })
    };

    view! {
        <nav class="breadcrumb" aria-label=move || i18n.t(Key::NavUnits)>
            <a href="/units">{move || i18n.t(Key::BackToProvinces)}</a>
        </nav>
        <Transition fallback=move || view! { <Loading i18n /> }>
            {detail_view}
        </Transition>
    }
}

/// The communes of a province, `None` for other units.
type CommunesResource = LocalResource<Result<Option<Vec<AdminUnit>>, ApiError>>;

/// Name, code, type, level, parent and number of units below.
#[component]
fn UnitFacts(i18n: I18n, detail: AdminUnitDetail) -> impl IntoView {
    let AdminUnitDetail {
        unit,
        parent,
        province,
        children_count,
    } = detail;
    let level = level_key(unit.level);
    let link = |unit: AdminUnit| {
        let href = format!("/units/{}", unit.code);
        view! { <a href=href>{unit.name}</a> }
    };
    view! {
        <h1>{unit.name}</h1>
        <dl class="facts">
            <dt>{move || i18n.t(Key::UnitCode)}</dt>
            <dd>
                <span class="unit-code">{unit.code}</span>
            </dd>
            <dt>{move || i18n.t(Key::UnitType)}</dt>
            <dd>{unit.unit_type}</dd>
            <dt>{move || i18n.t(Key::UnitLevel)}</dt>
            <dd>{move || i18n.t(level)}</dd>
            {parent
                .map(|parent| {
                    view! {
                        <dt>{move || i18n.t(Key::UnitParent)}</dt>
                        <dd>{link(parent)}</dd>
                    }
                })}
            {province
                .map(|province| {
                    view! {
                        <dt>{move || i18n.t(Key::UnitProvince)}</dt>
                        <dd>{link(province)}</dd>
                    }
                })}
            {(children_count > 0)
                .then(|| {
                    view! {
                        <dt>{move || i18n.t(Key::UnitChildren)}</dt>
                        <dd>{children_count}</dd>
                    }
                })}
        </dl>
    }
}

/// The communes of a province, with the filter box.
#[component]
fn Communes(i18n: I18n, communes: CommunesResource) -> impl IntoView {
    let filter = RwSignal::new(String::new());
    let list_view = move || {
        suspend_shown(i18n, async move {
            communes.await.map(|communes| {
                let communes = communes.unwrap_or_default();
                let total = communes.len();
                let communes: Arc<Vec<(String, AdminUnit)>> = Arc::new(
                    communes
                        .into_iter()
                        .map(|unit| (fold(&unit.name), unit))
                        .collect(),
                );
                let shown = Memo::new(move |_| {
                    let wanted = fold(&filter.get());
                    communes
                        .iter()
                        .filter(|(folded, unit)| {
                            folded.contains(&wanted) || unit.code.starts_with(&wanted)
                        })
                        .map(|(_, unit)| unit.clone())
                        .collect::<Vec<_>>()
                });
                view! {
                    <p class="result-count" role="status">
                        {move || i18n.cat().filter_count(shown.with(Vec::len), total)}
                    </p>
                    <ul id="commune-list" class="unit-grid">
                        <For
                            each=move || shown.get()
                            key=|unit| unit.code.clone()
                            children=move |unit| {
                                let href = format!("/units/{}", unit.code);
                                view! {
                                    <li>
                                        <UnitItem i18n unit href=href />
                                    </li>
                                }
                            }
                        />
                    </ul>
                    <Show when=move || shown.with(Vec::is_empty)>
                        <p class="empty">{move || i18n.t(Key::CommuneFilterEmpty)}</p>
                    </Show>
                }
            })
        })
    };

    view! {
        <section class="panel" aria-labelledby="communes-heading">
            <h2 id="communes-heading">{move || i18n.t(Key::CommunesTitle)}</h2>
            <div class="field">
                <label for="commune-filter">{move || i18n.t(Key::CommuneFilterLabel)}</label>
                <input
                    id="commune-filter"
                    type="search"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="commune-filter-hint"
                    aria-controls="commune-list"
                    bind:value=filter
                />
                <p id="commune-filter-hint" class="hint">
                    {move || i18n.t(Key::CommuneFilterHint)}
                </p>
            </div>
            <Transition fallback=move || view! { <Loading i18n /> }>
                {list_view}
            </Transition>
        </section>
    }
}
