//! Small reactive helpers shared by pages.

use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use std::time::Duration;
use wasm_bindgen::JsCast;

/// How long typing must pause before a search is sent.
pub const SEARCH_DELAY: Duration = Duration::from_millis(250);

/// A copy of `source` that follows it once it has stopped changing for `delay`.
pub fn use_debounced(source: Signal<String>, delay: Duration) -> Signal<String> {
    let output = RwSignal::new(source.get_untracked());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |_| {
        let value = source.get();
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
        let apply = move || {
            if output
                .try_get_untracked()
                .is_some_and(|current| current != value)
            {
                output.try_set(value);
            }
        };
        match set_timeout_with_handle(apply, delay) {
            Ok(handle) => {
                pending.try_set_value(Some(handle));
            }
            Err(_) => leptos::logging::warn!("the browser refused a timer"),
        }
    });
    on_cleanup(move || {
        if let Some(handle) = pending.try_get_value().flatten() {
            handle.clear();
        }
    });
    output.into()
}

/// Keeps the document title on the page's name followed by the application's name, in the
/// current language.
pub fn use_page_title(i18n: I18n, page: Key) {
    Effect::new(move |_| {
        let title = format!("{} · {}", i18n.t(page), i18n.t(Key::AppName));
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
}

/// Frames to wait for an element that is not in the document yet (a view inside a
/// `<Transition>` is added once its data has arrived).
const FOCUS_FRAMES: u32 = 60;

/// Moves keyboard focus to the element with `id` before the next frame is drawn, once the view
/// that has just been built is in the document.
pub fn focus_soon(id: String) {
    focus_within(id, FOCUS_FRAMES);
}

fn focus_within(id: String, frames: u32) {
    request_animation_frame(move || {
        let element = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id(&id))
            .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
        match element {
            Some(element) => {
                if element.focus().is_err() {
                    leptos::logging::warn!("cannot move the focus to #{id}");
                }
            }
            None if frames > 0 => focus_within(id, frames - 1),
            None => leptos::logging::warn!("#{id} never appeared to take the focus"),
        }
    });
}

/// Lets Enter on a `<select>` submit its form as it does on a text field, so that a form can be
/// sent from any of its fields. For a form's `keydown`.
pub fn enter_submits(event: &leptos::ev::KeyboardEvent) {
    if event.key() != "Enter" || event.is_composing() {
        return;
    }
    let Some(select) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
    else {
        return;
    };
    if let Some(form) = select.form() {
        event.prevent_default();
        if form.request_submit().is_err() {
            leptos::logging::warn!("the browser refused to submit the form");
        }
    }
}

/// The query parameter `name` of the address the page was opened with (links such as the home
/// page's work list open a list with its filter set).
pub fn query_param(name: &str) -> Option<String> {
    leptos_router::hooks::use_query_map()
        .with_untracked(|query| query.get(name))
        .filter(|value| !value.is_empty())
}

/// The page of the page's list, kept in the address (`?page=n`, left out for the first page)
/// so that a reload, a link sent to a colleague or coming back shows the same page. Setting the
/// signal (the pager, a filter starting again from page 1) rewrites the address in place; the
/// other parameters stay as they are.
pub fn use_page_in_url() -> RwSignal<u64> {
    let first = query_param("page")
        .and_then(|page| page.parse::<u64>().ok())
        .filter(|page| *page >= 1)
        .unwrap_or(1);
    let page = RwSignal::new(first);
    let query = leptos_router::hooks::use_query_map();
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |previous: Option<u64>| {
        let now = page.get();
        if previous.is_some_and(|before| before != now) {
            let mut params = query.get_untracked();
            if now > 1 {
                params.replace("page", now.to_string());
            } else {
                params.remove("page");
            }
            let address = format!(
                "{}{}",
                location.pathname.get_untracked(),
                params.to_query_string()
            );
            navigate(
                &address,
                leptos_router::NavigateOptions {
                    replace: true,
                    scroll: false,
                    ..Default::default()
                },
            );
        }
        now
    });
    page
}
