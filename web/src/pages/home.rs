//! `/`: the signed-in officer's welcome, with their unit and the sections of the application.

use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::hooks::use_page_title;
use crate::i18n::Key;
use leptos::prelude::*;

/// The home page (signed-in visitors only).
#[component]
pub fn HomePage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_page_title(i18n, Key::HomeTitle);

    let welcome = move || {
        suspend_shown(i18n, async move {
            me.await.map(|user| {
                user.map(|user| {
                    let name = user
                        .full_name
                        .clone()
                        .unwrap_or_else(|| user.username.clone());
                    let role = user.role;
                    let unit = user.unit;
                    let unit_view = if unit.level == "nation" {
                        view! { <span>{unit.name}</span> }.into_any()
                    } else {
                        let href = format!("/units/{}", unit.code);
                        view! { <a href=href>{unit.name}</a> }.into_any()
                    };
                    view! {
                        <h1>{move || i18n.cat().welcome(&name)}</h1>
                        <dl class="facts">
                            <dt>{move || i18n.t(Key::YourUnit)}</dt>
                            <dd class="home-unit">{unit_view}</dd>
                            <dt>{move || i18n.t(Key::YourRole)}</dt>
                            <dd>{move || i18n.cat().role(role)}</dd>
                        </dl>
                    }
                })
            })
        })
    };

    view! {
        <section class="welcome">
            <Transition fallback=move || view! { <Loading i18n /> }>
                {welcome}
            </Transition>
        </section>
        <section aria-labelledby="sections-heading">
            <h2 id="sections-heading">{move || i18n.t(Key::SectionsTitle)}</h2>
            <ul class="cards">
                <li class="card">
                    <a href="/units">{move || i18n.t(Key::NavUnits)}</a>
                    <p>{move || i18n.t(Key::SectionUnitsText)}</p>
                </li>
                <li class="card">
                    <a href="/units/legacy">{move || i18n.t(Key::NavLegacy)}</a>
                    <p>{move || i18n.t(Key::SectionLegacyText)}</p>
                </li>
            </ul>
        </section>
    }
}
