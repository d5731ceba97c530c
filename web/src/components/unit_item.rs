//! One administrative unit in a list.

use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use shared::admin_unit::AdminUnit;

/// The unit's name as a link to `href` (plain text without one), its type and code, then
/// `context` (e.g. the province it lies in).
#[component]
pub fn UnitItem(
    i18n: I18n,
    unit: AdminUnit,
    #[prop(default = None, into)] href: Option<String>,
    #[prop(default = None, into)] context: Option<String>,
) -> impl IntoView {
    let AdminUnit {
        code,
        name,
        unit_type,
        ..
    } = unit;
    let name = match href {
        Some(href) => view! { <a href=href class="unit-name">{name}</a> }.into_any(),
        None => view! { <span class="unit-name">{name}</span> }.into_any(),
    };
    view! {
        {name}
        " "
        <span class="unit-meta">
            {unit_type}
            " · "
            {move || i18n.t(Key::UnitCode)}
            " "
            <span class="unit-code">{code}</span>
        </span>
        {context.map(|context| view! { " " <span class="unit-context">{context}</span> })}
    }
}
