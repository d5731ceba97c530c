//! The public pages' bundle: the login page, in the same frame as the whole application, for a
//! visitor who opens it first. A link to any other page loads the whole application. (The
//! certificate check a QR code opens, `/verify/{code}`, is a page the server renders.)

use crate::app::{AppContext, Frame};
use crate::pages::login::LoginPage;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

/// The root component of the public pages.
#[component]
pub fn PublicApp() -> impl IntoView {
    let app = AppContext::new();
    view! {
        <Router>
            <Frame app>
                <Routes fallback=|| view! { <WholeApplication /> }>
                    <Route path=path!("/login") view=move || view! { <LoginPage app /> } />
                </Routes>
            </Frame>
        </Router>
    }
}

/// Any other page belongs to the whole application: load it there, at the same address.
#[component]
fn WholeApplication() -> impl IntoView {
    let location = use_location();
    Effect::new(move |_| {
        let address = format!(
            "{}{}{}",
            location.pathname.get(),
            location.search.get(),
            location.hash.get()
        );
        if let Some(window) = web_sys::window()
            && let Err(error) = window.location().assign(&address)
        {
            leptos::logging::error!("cannot open {address}: {error:?}");
        }
    });
    view! { <p class="loading" role="status">"…"</p> }
}
