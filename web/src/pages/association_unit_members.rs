//! The members section of `/association-units/{id}`: the unit's memberships, optionally with
//! those of every unit below it, by status.

use crate::api::memberships::MembersQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::pager::{Pager, page_count};
use crate::components::person_item::person_href;
use crate::components::problem::suspend_shown;
use crate::components::select_option::SelectOption;
use crate::hooks::focus_soon;
use crate::i18n::Key;
use leptos::prelude::*;
use shared::page::Page;
use shared::registry::{MEMBERSHIP_STATUSES, Membership};
use uuid::Uuid;

/// Members per page.
const PER_PAGE: u64 = 50;

/// `section#unit-members`: `ul#member-list` with the include-sub-units toggle and a status
/// picker.
#[component]
pub fn UnitMembersSection(app: AppContext, unit: Uuid) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let include_sub_units = RwSignal::new(false);
    let status = RwSignal::new("active".to_string());
    let paging = crate::hooks::use_paging_in_url(PER_PAGE);
    let page = paging.page;
    // Another filter starts again from the first page.
    Effect::new(move |previous: Option<(bool, String)>| {
        let current = (include_sub_units.get(), status.get());
        if previous.is_some_and(|previous| previous != current) {
            page.set(1);
        }
        current
    });
    let members: LocalResource<Result<Page<Membership>, ApiError>> =
        LocalResource::new(move || {
            let query = MembersQuery {
                include_descendants: include_sub_units.get(),
                status: Some(status.get()),
                page: page.get(),
                per_page: paging.per_page.get(),
            };
            async move { api::memberships::of_unit(session, unit, &query).await }
        });

    let list_view = move || {
        suspend_shown(i18n, async move {
            members.await.map(|Page { items, total, page: shown, .. }| {
                let wide = include_sub_units.get_untracked();
                let pages = page_count(total, paging.per_page.get());
                let empty = items.is_empty().then(|| {
                    view! { <p class="empty">{move || i18n.t(Key::NoMembers)}</p> }
                });
                let go = move |to: u64| {
                    page.set(to);
                    focus_soon("unit-members-heading".to_string());
                };
                view! {
                    <p class="result-count" role="status">
                        {move || i18n.cat().member_count(total)}
                    </p>
                    <ul id="member-list" class="member-list">
                        {items
                            .into_iter()
                            .map(|membership| {
                                let Membership {
                                    person_id,
                                    person_name,
                                    association_unit_name,
                                    role,
                                    joined_on,
                                    card_number,
                                    ..
                                } = membership;
                                let role_text = move || {
                                    i18n.cat()
                                        .member_role(&role)
                                        .map_or_else(|| role.clone(), str::to_string)
                                };
                                view! {
                                    <li class="member">
                                        <a href=person_href(person_id) class="person-name">
                                            {person_name}
                                        </a>
                                        <span class="person-meta">
                                            <span>{role_text}</span>
                                            {wide.then(|| view! { <span>{association_unit_name}</span> })}
                                            {joined_on
                                                .map(|date| {
                                                    view! {
                                                        <span>
                                                            {move || i18n.t(Key::JoinedOn)}
                                                            ": "
                                                            {move || i18n.cat().date(date)}
                                                        </span>
                                                    }
                                                })}
                                            {card_number
                                                .map(|card| {
                                                    view! {
                                                        <span>
                                                            {move || i18n.t(Key::CardNumber)}
                                                            ": "
                                                            {card}
                                                        </span>
                                                    }
                                                })}
                                        </span>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {empty}
                    <Pager
                        i18n
                        id="members"
                    per_page=(paging.per_page.get(), paging.choose_size())
                        label=Signal::derive(move || i18n.t(Key::MembersTitle).to_string())
                        page=shown
                        pages
                        go=Callback::new(go)
                    />
                }
            })
        })
    };

    view! {
        <section id="unit-members" class="panel" aria-labelledby="unit-members-heading">
            <h2 id="unit-members-heading" tabindex="-1">{move || i18n.t(Key::MembersTitle)}</h2>
            <div class="form form-inline">
                <label class="check">
                    <input
                        id="members-include-sub-units"
                        type="checkbox"
                        aria-controls="member-list"
                        bind:checked=include_sub_units
                    />
                    {move || i18n.t(Key::IncludeSubUnits)}
                </label>
                <div class="field">
                    <label for="members-status">{move || i18n.t(Key::MembershipStatus)}</label>
                    <select
                        id="members-status"
                        aria-controls="member-list"
                        on:change=move |event| status.set(event_target_value(&event))
                    >
                        {MEMBERSHIP_STATUSES
                            .into_iter()
                            .map(|option| {
                                view! {
                                    <SelectOption value=option selected=status>
                                        {move || {
                                            i18n.cat().membership_status(option).unwrap_or(option)
                                        }}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}
