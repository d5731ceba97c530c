//! Certificates as PDF: fetched with the session's token (a plain link would carry none) and
//! handed to the browser through a temporary object URL.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::problem::ProblemAlert;
use crate::i18n::Key;
use crate::i18n::workflow::WKey;
use leptos::prelude::*;
use leptos::task::spawn_local;
use uuid::Uuid;
use wasm_bindgen::JsValue;

/// Saves `bytes` as the PDF file `file_name`; the browser then offers to open it.
pub fn save_pdf(file_name: &str, bytes: &[u8]) -> Result<(), JsValue> {
    crate::download::save_bytes(file_name, "application/pdf", bytes)
}

/// Which PDF a [`PdfButton`] fetches.
#[derive(Debug, Clone, Copy)]
pub enum PdfSource {
    /// The certificate of one recognised registration.
    Certificate(Uuid),
    /// Every certificate of an issued decision.
    Decision(Uuid),
}

impl PdfSource {
    fn file_name(self, name: &str) -> String {
        let safe: String = name
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        match self {
            PdfSource::Certificate(_) => format!("giay-cong-nhan-{safe}.pdf"),
            PdfSource::Decision(_) => format!("quyet-dinh-{safe}.pdf"),
        }
    }
}

/// A button that fetches the PDF with the session's token and hands it to the browser; `name`
/// goes into the file name (a certificate or decision number).
#[component]
pub fn PdfButton(
    app: AppContext,
    id: &'static str,
    label: WKey,
    source: PdfSource,
    #[prop(into)] name: String,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let failed = RwSignal::new(false);
    let file_name = source.file_name(&name);
    let fetch = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        failed.set(false);
        let file_name = file_name.clone();
        spawn_local(async move {
            let outcome = match source {
                PdfSource::Certificate(id) => api::workflow::certificate_pdf(session, id).await,
                PdfSource::Decision(id) => api::workflow::decision_pdf(session, id).await,
            };
            pending.try_set(false);
            match outcome {
                Ok(bytes) => {
                    if save_pdf(&file_name, &bytes).is_err() {
                        failed.try_set(true);
                    }
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <button id=id type="button" class="button-secondary" disabled=move || pending.get() on:click=fetch>
            {move || if pending.get() { i18n.w(WKey::Downloading) } else { i18n.w(label) }}
        </button>
        {move || {
            failed
                .get()
                .then(|| view! { <p class="error" role="alert">{move || i18n.t(Key::ErrDecode)}</p> })
        }}
        {move || error.get().map(|error| view! { <ProblemAlert i18n error /> })}
    }
}
