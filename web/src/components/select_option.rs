//! An option of a `<select>` whose choice lives in a signal.

use leptos::prelude::*;

/// An `<option>` that is selected while `selected` holds its `value`. Setting the property
/// rather than binding the `<select>` keeps the choice when the options arrive after the value.
#[component]
pub fn SelectOption(
    #[prop(into)] value: String,
    selected: RwSignal<String>,
    children: Children,
) -> impl IntoView {
    let mine = value.clone();
    view! {
        <option value=value prop:selected=move || selected.with(|v| *v == mine)>
            {children()}
        </option>
    }
}
