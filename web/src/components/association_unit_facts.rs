//! What is known of one Association unit: level, status, contacts and counts.

use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use shared::registry::{AssociationUnit, UnitStatus};

/// A definition list of the unit's facts; it follows `unit` when the unit is edited.
#[component]
pub fn AssociationUnitFacts(
    i18n: I18n,
    #[prop(into)] unit: Signal<AssociationUnit>,
) -> impl IntoView {
    let or_not_set = move |value: Option<String>| match value.filter(|v| !v.is_empty()) {
        Some(value) => view! { <span>{value}</span> }.into_any(),
        None => view! { <span class="not-set">{move || i18n.t(Key::NotSet)}</span> }.into_any(),
    };
    let status = move || unit.with(|u| u.status);
    let committee_kind = move || unit.with(|u| u.committee_kind.clone());
    view! {
        <dl class="facts">
            <dt>{move || i18n.t(Key::UnitLevel)}</dt>
            <dd class="au-level">{move || i18n.cat().association_level(unit.with(|u| u.level))}</dd>
            <dt>{move || i18n.t(Key::AuStatus)}</dt>
            <dd class="au-status">
                <span class:tag=move || status() != UnitStatus::Active>
                    {move || i18n.cat().unit_status(status())}
                </span>
            </dd>
            {move || {
                committee_kind()
                    .map(|kind| {
                        view! {
                            <dt>{move || i18n.t(Key::AuCommitteeKind)}</dt>
                            <dd>
                                {move || {
                                    i18n.cat()
                                        .committee_kind(&kind)
                                        .map_or_else(|| kind.clone(), str::to_string)
                                }}
                            </dd>
                        }
                    })
            }}
            <dt>{move || i18n.t(Key::AuChairperson)}</dt>
            <dd class="au-chairperson">{move || or_not_set(unit.with(|u| u.chairperson.clone()))}</dd>
            <dt>{move || i18n.t(Key::AuPhone)}</dt>
            <dd class="au-phone">{move || or_not_set(unit.with(|u| u.phone.clone()))}</dd>
            <dt>{move || i18n.t(Key::AuEmail)}</dt>
            <dd class="au-email">{move || or_not_set(unit.with(|u| u.email.clone()))}</dd>
            <dt>{move || i18n.t(Key::AuMembers)}</dt>
            <dd class="au-members">{move || unit.with(|u| u.member_count)}</dd>
            <dt>{move || i18n.t(Key::UnitChildren)}</dt>
            <dd class="au-children">{move || unit.with(|u| u.children_count)}</dd>
        </dl>
    }
}
