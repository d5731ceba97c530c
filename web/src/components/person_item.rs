//! One person in a list: the name linking to the record, and the facts that tell two people of
//! the same name apart. The personal ID number is only ever shown masked here.

use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use shared::registry::Person;

/// The address of a person's page.
pub fn person_href(id: uuid::Uuid) -> String {
    format!("/people/{id}")
}

/// The person's name as a link (`a#person-link-{id}`), then gender, birth, masked ID number,
/// village (and commune when `show_commune`), target group, and a tag for members.
#[component]
pub fn PersonItem(
    i18n: I18n,
    person: Person,
    /// The target group's name in both languages (Vietnamese, English), when the person has one.
    #[prop(default = None)]
    group: Option<(String, String)>,
    #[prop(optional)] show_commune: bool,
) -> impl IntoView {
    let Person {
        id,
        full_name,
        gender,
        birth_date,
        birth_year,
        personal_id_masked,
        commune_name,
        village_name,
        is_member,
        ..
    } = person;
    let place = match (village_name, show_commune) {
        (Some(village), true) => Some(format!("{village}, {commune_name}")),
        (Some(village), false) => Some(village),
        (None, true) => Some(commune_name),
        (None, false) => None,
    };
    view! {
        <a id=format!("person-link-{id}") href=person_href(id) class="person-name">
            {full_name}
        </a>
        {is_member
            .then(|| {
                view! {
                    " "
                    <span class="tag tag-member">{move || i18n.t(Key::MemberTag)}</span>
                }
            })}
        <span class="person-meta">
            <span>{move || i18n.cat().gender(gender)}</span>
            <span>
                {move || match birth_date {
                    Some(date) => i18n.cat().date(date),
                    None => birth_year.to_string(),
                }}
            </span>
            {match personal_id_masked {
                Some(masked) => {
                    view! {
                        <span class="person-id">
                            <span class="visually-hidden">{move || i18n.t(Key::PersonalId)} " "</span>
                            {masked}
                        </span>
                    }
                        .into_any()
                }
                None => view! { <span class="not-set">{move || i18n.t(Key::NoPersonalId)}</span> }.into_any(),
            }}
            {place.map(|place| view! { <span>{place}</span> })}
            {group.map(|(vi, en)| view! { <span>{move || i18n.pick(&vi, &en).to_string()}</span> })}
        </span>
    }
}
