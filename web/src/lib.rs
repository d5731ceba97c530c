//! The CDHT single-page application: mounts [`app::App`] on the page's `<body>`.

mod api;
mod app;
mod components;
mod dates;
mod download;
mod hooks;
mod i18n;
mod pages;
mod scope;
mod session;
mod storage;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
