//! `/login`: sign in with a username and password.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::field_error::{FieldErrorText, has_error};
use crate::components::problem::ProblemMessage;
use crate::hooks::use_page_title;
use crate::i18n::Key;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::use_navigate;
use shared::auth::{LoginRequest, SessionKeeping};
use shared::error::FieldError;
use validator::Validate;

/// The login form. Once signed in (now or earlier) the visitor goes to the home page.
#[component]
pub fn LoginPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_page_title(i18n, Key::LoginTitle);

    session.resume();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if session.is_logged_in() {
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate("/", options);
        }
    });

    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let request = LoginRequest {
            username: username.get_untracked().trim().to_string(),
            password: password.get_untracked(),
            keep: SessionKeeping::Cookie,
        };
        error.set(None);
        if let Err(errors) = request.validate() {
            field_errors.set(shared::error::field_errors(&errors));
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::auth::login(&request).await;
            pending.try_set(false);
            match outcome {
                Ok(tokens) => session.store(&tokens),
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let errors = Signal::from(field_errors);
    view! {
        <div class="narrow">
            <h1>{move || i18n.t(Key::LoginTitle)}</h1>
            <p>{move || i18n.t(Key::LoginIntro)}</p>
            <Show when=move || session.has_expired()>
                <p class="notice" role="status">
                    {move || i18n.t(Key::SessionExpiredNotice)}
                </p>
            </Show>
            <form class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="username">{move || i18n.t(Key::Username)}</label>
                    <input
                        id="username"
                        name="username"
                        type="text"
                        autocomplete="username"
                        autocapitalize="none"
                        spellcheck="false"
                        required
                        aria-invalid=move || has_error(errors, "username").to_string()
                        aria-describedby="username-error"
                        bind:value=username
                    />
                    <FieldErrorText i18n errors field="username" id="username-error" />
                </div>
                <div class="field">
                    <label for="password">{move || i18n.t(Key::Password)}</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        aria-invalid=move || has_error(errors, "password").to_string()
                        aria-describedby="password-error"
                        bind:value=password
                    />
                    <FieldErrorText i18n errors field="password" id="password-error" />
                </div>
                {move || {
                    error
                        .get()
                        .map(|error| {
                            view! {
                                <div id="login-error" class="error" role="alert">
                                    <ProblemMessage i18n error />
                                </div>
                            }
                        })
                }}
                <button id="login-submit" type="submit" disabled=move || pending.get()>
                    {move || {
                        if pending.get() { i18n.t(Key::LoggingIn) } else { i18n.t(Key::LoginSubmit) }
                    }}
                </button>
            </form>
        </div>
    }
}
