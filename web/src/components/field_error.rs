//! The error messages of one form field, shown beside it.

use crate::i18n::{I18n, field_message};
use leptos::prelude::*;
use shared::error::FieldError;

/// The messages in `errors` that concern `field`, in an element with `id` so that the input can
/// point at it with `aria-describedby`. Renders nothing when the field has no error.
///
/// `describe` words an error better than the catalogue can when the form knows more than the
/// error carries (the values a personal ID number encodes, say); it returns `None` to leave an
/// error to the catalogue.
#[component]
pub fn FieldErrorText(
    i18n: I18n,
    errors: Signal<Vec<FieldError>>,
    field: &'static str,
    id: &'static str,
    #[prop(optional)] describe: Option<Callback<FieldError, Option<String>>>,
) -> impl IntoView {
    let messages = move || {
        let cat = i18n.cat();
        errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.field == field)
                .map(|error| {
                    describe
                        .and_then(|describe| describe.run(error.clone()))
                        .unwrap_or_else(|| field_message(cat, error))
                })
                .collect::<Vec<_>>()
        })
    };
    move || {
        let messages = messages();
        (!messages.is_empty()).then(|| {
            view! {
                <p class="field-error" id=id>
                    {messages.join(" ")}
                </p>
            }
        })
    }
}

/// Whether `field` has an error in `errors`, for `aria-invalid`.
pub fn has_error(errors: Signal<Vec<FieldError>>, field: &'static str) -> bool {
    errors.with(|errors| errors.iter().any(|error| error.field == field))
}
