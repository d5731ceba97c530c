//! Any path no route matches.

use crate::app::AppContext;
use crate::hooks::use_page_title;
use crate::i18n::Key;
use leptos::prelude::*;

/// "Page not found", with a way back.
#[component]
pub fn NotFoundPage(app: AppContext) -> impl IntoView {
    let i18n = app.i18n;
    use_page_title(i18n, Key::NotFoundTitle);
    view! {
        <h1>{move || i18n.t(Key::NotFoundTitle)}</h1>
        <p>{move || i18n.t(Key::NotFoundText)}</p>
        <p>
            <a href="/">{move || i18n.t(Key::BackHome)}</a>
        </p>
    }
}
