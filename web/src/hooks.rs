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

/// A paged list's page and page size, kept in the address (`?page=n&per_page=m`, each left
/// out when it is the first page or the list's usual size) so that a reload, a link sent to a
/// colleague or coming back shows the same page. Setting either signal (the pager, a filter
/// starting again from page 1) rewrites the address in place; other parameters stay as they are.
#[derive(Debug, Clone, Copy)]
pub struct Paging {
    pub page: RwSignal<u64>,
    pub per_page: RwSignal<u64>,
}

impl Paging {
    /// What the pager calls when the officer chooses another page size: that size, from the
    /// first page.
    pub fn choose_size(&self) -> Callback<u64> {
        let paging = *self;
        Callback::new(move |size| {
            paging.per_page.set(size);
            paging.page.set(1);
        })
    }
}

/// The [`Paging`] of the page's list, whose usual page size is `usual_per_page`.
pub fn use_paging_in_url(usual_per_page: u64) -> Paging {
    let number = |name: &str| query_param(name).and_then(|value| value.parse::<u64>().ok());
    let page = RwSignal::new(number("page").filter(|page| *page >= 1).unwrap_or(1));
    let per_page = RwSignal::new(
        number("per_page")
            .filter(|size| crate::components::pager::PAGE_SIZES.contains(size))
            .unwrap_or(usual_per_page),
    );
    let query = leptos_router::hooks::use_query_map();
    let location = leptos_router::hooks::use_location();
    let navigate = leptos_router::hooks::use_navigate();
    Effect::new(move |previous: Option<(u64, u64)>| {
        let now = (page.get(), per_page.get());
        if previous.is_some_and(|before| before != now) {
            let mut params = query.get_untracked();
            let (shown, size) = now;
            if shown > 1 {
                params.replace("page", shown.to_string());
            } else {
                params.remove("page");
            }
            if size != usual_per_page {
                params.replace("per_page", size.to_string());
            } else {
                params.remove("per_page");
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
    Paging { page, per_page }
}
