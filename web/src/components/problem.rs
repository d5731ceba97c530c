//! How a failed API call is told to the user.

use crate::api::ApiError;
use crate::i18n::{Catalogue, I18n, Key};
use leptos::prelude::*;

/// The headline for `error` in the current language.
fn headline(cat: &dyn Catalogue, error: &ApiError) -> String {
    let key = match error {
        ApiError::Problem {
            problem,
            retry_after,
        } => match problem.code.as_str() {
            "too_many_requests" => {
                return match retry_after {
                    Some(seconds) => cat.retry_after(*seconds),
                    None => cat.text(Key::ErrTooManyRequests).to_string(),
                };
            }
            "invalid_credentials" => Key::ErrInvalidCredentials,
            "unauthorized" | "invalid_token" => Key::ErrUnauthorized,
            "forbidden" => Key::ErrForbidden,
            "not_found" => Key::ErrNotFound,
            "conflict" => Key::ErrConflict,
            "bad_request" | "malformed_json" => Key::ErrBadRequest,
            "validation_failed" => Key::ErrValidation,
            "payload_too_large" => Key::ErrPayloadTooLarge,
            "internal_error" => Key::ErrInternal,
            "unavailable" => Key::ErrUnavailable,
            _ => return problem.title.clone(),
        },
        ApiError::Status(status) => return cat.http_status(*status),
        ApiError::Network(_) => Key::ErrNetwork,
        ApiError::Decode(_) => Key::ErrDecode,
        ApiError::SessionExpired => Key::ErrSessionExpired,
    };
    cat.text(key).to_string()
}

/// The server's own explanation, when it adds something to the headline.
fn detail(error: &ApiError) -> Option<String> {
    let problem = error.problem()?;
    match problem.code.as_str() {
        "invalid_credentials" | "validation_failed" | "too_many_requests" => None,
        _ => problem.detail.clone(),
    }
}

/// The request id of a server failure, to quote when reporting it.
fn request_id(error: &ApiError) -> Option<String> {
    let problem = error.problem()?;
    (problem.status >= 500)
        .then(|| problem.request_id.clone())
        .flatten()
}

/// One failed call: a headline in the current language, the server's detail, and the request id
/// of a server failure.
#[component]
pub fn ProblemMessage(i18n: I18n, error: ApiError) -> impl IntoView {
    let detail = detail(&error);
    let request_id = request_id(&error);
    view! {
        <p class="problem-title">{move || headline(i18n.cat(), &error)}</p>
        {detail.map(|detail| view! { <p class="problem-detail">{detail}</p> })}
        {request_id
            .map(|id| {
                view! {
                    <p class="problem-request-id">
                        {move || i18n.t(Key::RequestId)}
                        ": "
                        <code>{id}</code>
                    </p>
                }
            })}
    }
}

/// Fallback of an `<ErrorBoundary>`: every error it caught.
#[component]
pub fn ErrorList(i18n: I18n, errors: ArcRwSignal<Errors>) -> impl IntoView {
    view! {
        <div class="error" role="alert">
            {move || {
                errors
                    .get()
                    .into_iter()
                    .map(|(_, error)| match error.downcast_ref::<ApiError>() {
                        Some(error) => {
                            view! { <ProblemMessage i18n error=error.clone() /> }.into_any()
                        }
                        None => {
                            leptos::logging::error!("{error}");
                            view! { <p class="problem-title">{move || i18n.t(Key::ErrUnknown)}</p> }
                                .into_any()
                        }
                    })
                    .collect_view()
            }}
        </div>
    }
}
