//! The placeholder shown while remote data loads.

use crate::i18n::{I18n, Key};
use leptos::prelude::*;

/// "Loading…", announced politely to screen readers.
#[component]
pub fn Loading(i18n: I18n) -> impl IntoView {
    view! { <p class="loading" role="status">{move || i18n.t(Key::Loading)}</p> }
}
