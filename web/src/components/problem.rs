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
            "conflict" | "duplicate" => Key::ErrConflict,
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

/// A failed call in an alert box, shown where its value would have been.
#[component]
pub fn ProblemAlert(
    i18n: I18n,
    error: ApiError,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <div id=id class="error" role="alert">
            <ProblemMessage i18n error />
        </div>
    }
}

/// The view of a remote value, or the alert of its failed call.
///
/// Every `Suspend` renders its error itself through this rather than returning it to an
/// `<ErrorBoundary>`: when two `Suspend`s wait at once during a full page load (the header's user
/// menu and the page), tachys 0.2 can lose the boundary an error was thrown to, and the page then
/// shows nothing at all.
pub fn shown<V: IntoView + 'static>(i18n: I18n, result: Result<V, ApiError>) -> AnyView {
    match result {
        Ok(view) => view.into_any(),
        Err(error) => view! { <ProblemAlert i18n error /> }.into_any(),
    }
}

/// A `Suspend` of a remote value that shows the view `future` builds, or the alert of its failed
/// call (see [`shown`]).
pub fn suspend_shown<V, F>(i18n: I18n, future: F) -> Suspend<AnyView>
where
    V: IntoView + 'static,
    F: Future<Output = Result<V, ApiError>> + Send + 'static,
{
    Suspend::new(async move { shown(i18n, future.await) })
}
