//! The pager under every paged list: previous, "page n of m", next, and optionally a choice of
//! page size.
//!
//! The page numbers are plain values of the list that was fetched; whether a button is disabled
//! is computed here, once, rather than written inline in each page's `view!` (where an
//! expression with `>` ends the tag and renders the rest as text).

use crate::i18n::{I18n, Key};
use leptos::prelude::*;

/// The page sizes an officer can choose where a list offers the choice.
pub const PAGE_SIZES: [u64; 4] = [20, 50, 100, 200];

/// Whether `page` is the first page.
pub fn is_first(page: u64) -> bool {
    page <= 1
}

/// Whether `page` is the last of `pages` (or past it).
pub fn is_last(page: u64, pages: u64) -> bool {
    page >= pages
}

/// The number of pages of `total` items at `per_page` a page (at least one).
pub fn page_count(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// `nav.pager#{id}-pager` with `button#{id}-prev`, `#{id}-page` and `button#{id}-next`. Shown
/// only when there is more than one page, or when a page size can be chosen. `go` receives the
/// page asked for; `per_page`, when given, is offered as a `select#{id}-per-page`.
#[component]
pub fn Pager(
    i18n: I18n,
    /// The prefix of the elements' ids.
    id: &'static str,
    /// The name of the list, for the navigation's label.
    #[prop(into)]
    label: Signal<String>,
    /// The page shown (from 1).
    page: u64,
    /// The number of pages.
    pages: u64,
    /// Asks for another page.
    go: Callback<u64>,
    /// The page size and its choice, where the list offers one.
    #[prop(optional)]
    per_page: Option<(u64, Callback<u64>)>,
) -> impl IntoView {
    if pages <= 1 && per_page.is_none() {
        return ().into_any();
    }
    let first = is_first(page);
    let last = is_last(page, pages);
    let size_choice = per_page.map(|(current, choose)| {
        let select_id = format!("{id}-per-page");
        view! {
            <span class="pager-size">
                <label for=select_id.clone()>{move || i18n.t(Key::PerPage)}</label>
                <select
                    id=select_id
                    on:change=move |event| {
                        if let Ok(size) = event_target_value(&event).parse::<u64>() {
                            choose.run(size);
                        }
                    }
                >
                    {PAGE_SIZES
                        .into_iter()
                        .map(|size| {
                            view! {
                                <option value=size.to_string() selected={size == current}>
                                    {size}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </span>
        }
    });
    let arrows = (pages > 1).then(|| {
        view! {
            <button
                id=format!("{id}-prev")
                type="button"
                class="button-quiet"
                disabled=first
                on:click=move |_| go.run(page.saturating_sub(1).max(1))
            >
                {move || i18n.t(Key::PrevPage)}
            </button>
            <span id=format!("{id}-page") class="pager-status">
                {move || i18n.cat().page_of(page, pages)}
            </span>
            <button
                id=format!("{id}-next")
                type="button"
                class="button-quiet"
                disabled=last
                on:click=move |_| go.run(page.saturating_add(1).min(pages))
            >
                {move || i18n.t(Key::NextPage)}
            </button>
        }
    });
    view! {
        <nav id=format!("{id}-pager") class="pager" aria-label=move || label.get()>
            {arrows}
            {size_choice}
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_buttons_are_enabled_only_where_there_is_a_page_to_go_to() {
        assert_eq!(page_count(0, 50), 1);
        assert_eq!(page_count(50, 50), 1);
        assert_eq!(page_count(51, 50), 2);
        assert!(is_first(1) && !is_first(2));
        assert!(!is_last(1, 2) && is_last(2, 2) && is_last(3, 2));
    }
}
