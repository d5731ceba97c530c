//! The CDHT single-page application, in two bundles built from this library: `web`
//! (`src/main.rs`, the whole application, [`app::App`]) and `public` (`src/bin/public.rs`, only
//! the login page, [`public::PublicApp`]), so that a visitor who opens the login page first,
//! often on a phone, downloads only what it needs.

pub mod api;
pub mod app;
pub mod components;
pub mod dates;
pub mod download;
pub mod hooks;
pub mod i18n;
pub mod pages;
pub mod public;
pub mod scope;
pub mod session;
pub mod storage;

/// Replaces the page's loading screen (`#boot` in `index.html`) with `root`.
pub fn start<F, N>(root: F)
where
    F: FnOnce() -> N + 'static,
    N: leptos::IntoView,
{
    console_error_panic_hook::set_once();
    if let Some(boot) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("boot"))
    {
        boot.remove();
    }
    leptos::mount::mount_to_body(root);
}
