//! `/criteria-sets`: every criteria set, newest versions first, with its target group, status
//! and whether it is the shipped template.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::i18n::I18n;
use crate::i18n::workflow::WKey;
use crate::pages::workflow::common::{GroupsResource, group_name, group_names, use_title};
use leptos::prelude::*;
use shared::workflow::CriteriaSet;
use std::collections::HashMap;
use uuid::Uuid;

/// The address of a criteria set's page.
pub fn criteria_set_href(id: Uuid) -> String {
    format!("/criteria-sets/{id}")
}

/// The criteria sets page.
#[component]
pub fn CriteriaSetsPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_title(i18n, WKey::CriteriaSetsTitle);
    let sets = LocalResource::new(move || api::workflow::criteria_sets(session, None));
    let groups: GroupsResource = LocalResource::new(move || api::people::target_groups(session));
    let list_view = move || {
        suspend_shown(i18n, async move {
            let sets = sets.await?;
            // A failure leaves the groups unnamed; the list does not depend on them.
            let names = group_names(groups.await.unwrap_or_default());
            if sets.is_empty() {
                return Ok::<_, ApiError>(
                    view! { <p class="empty">{move || i18n.w(WKey::CriteriaSetsEmpty)}</p> }
                        .into_any(),
                );
            }
            Ok(view! {
                <ul id="criteria-set-list" class="set-list">
                    {sets
                        .into_iter()
                        .map(|set| view! { <SetItem i18n set names=names.clone() /> })
                        .collect_view()}
                </ul>
            }
            .into_any())
        })
    };
    view! {
        <h1>{move || i18n.w(WKey::CriteriaSetsTitle)}</h1>
        <p>{move || i18n.w(WKey::CriteriaSetsIntro)}</p>
        <section class="panel">
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

/// One set of the list.
#[component]
fn SetItem(
    i18n: I18n,
    set: CriteriaSet,
    names: HashMap<String, (String, String)>,
) -> impl IntoView {
    let CriteriaSet {
        id,
        code,
        set_version,
        target_group,
        title,
        status,
        is_template,
        total_max,
        ..
    } = set;
    let group = move || group_name(i18n, &names, &target_group);
    view! {
        <li class="set-row">
            <a id=format!("criteria-set-link-{id}") href=criteria_set_href(id) class="person-name">
                {title}
            </a>
            " "
            <span class=format!("tag set-status set-{}", status.as_str())>
                {move || i18n.wcat().set_status(status)}
            </span>
            {is_template
                .then(|| {
                    view! {
                        " "
                        <span class="tag tag-template">{move || i18n.w(WKey::TemplateBadge)}</span>
                    }
                })}
            <span class="person-meta">
                <span>{code} " · " {move || i18n.wcat().set_version(set_version)}</span>
                <span>{group}</span>
                <span>{move || i18n.w(WKey::TotalMax)} ": " {total_max}</span>
            </span>
        </li>
    }
}
