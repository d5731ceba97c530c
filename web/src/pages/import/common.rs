//! Pieces shared by the import pages: the page title, a file chosen by picker or drop, reading
//! a file as text, saving a downloaded sheet, and the outcome tags.

use crate::api::ApiError;
use crate::api::imports::SheetFormat;
use crate::i18n::imports::IKey;
use crate::i18n::{I18n, Key};
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::import::{JobStatus, RowStatus};

/// Keeps the document title on an import page's name followed by the application's name.
pub fn use_title(i18n: I18n, page: IKey) {
    Effect::new(move |_| {
        let title = format!("{} · {}", i18n.im(page), i18n.t(Key::AppName));
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
}

/// The file of a picker (`input`) unless one was dropped since (`dropped`).
pub fn chosen_file(
    dropped: RwSignal<Option<web_sys::File>, LocalStorage>,
    input: NodeRef<html::Input>,
) -> Option<web_sys::File> {
    if let Some(file) = dropped.get_untracked() {
        return Some(file);
    }
    input
        .get_untracked()
        .and_then(|input| input.files())
        .and_then(|list| list.get(0))
}

/// The first file of a drop, if any.
pub fn dropped_file(event: &leptos::ev::DragEvent) -> Option<web_sys::File> {
    event
        .data_transfer()
        .and_then(|transfer| transfer.files())
        .and_then(|list| list.get(0))
}

/// The text of `file` (UTF-8).
pub async fn file_text(file: &web_sys::File) -> Result<String, ApiError> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|error| ApiError::Decode(format!("{error:?}")))?;
    text.as_string()
        .ok_or_else(|| ApiError::Decode("the file is not text".to_string()))
}

/// Fetches a sheet with `fetch` and hands it to the browser as `file_name`; a failure goes to
/// `error`.
pub fn download_sheet<F>(
    file_name: String,
    format: SheetFormat,
    error: RwSignal<Option<ApiError>>,
    fetch: F,
) where
    F: Future<Output = Result<Vec<u8>, ApiError>> + 'static,
{
    spawn_local(async move {
        match fetch.await {
            Ok(bytes) => {
                if crate::download::save_bytes(&file_name, format.content_type(), &bytes).is_err() {
                    error.try_set(Some(ApiError::Decode(
                        "the browser refused to save the file".to_string(),
                    )));
                }
            }
            Err(failure) => {
                error.try_set(Some(failure));
            }
        }
    });
}

/// A row outcome as a coloured tag.
#[component]
pub fn RowStatusTag(i18n: I18n, status: RowStatus) -> impl IntoView {
    view! {
        <span class=format!("status-tag row-status-{}", status.as_str())>
            {move || i18n.icat().row_status(status)}
        </span>
    }
}

/// A job's status as a coloured tag.
#[component]
pub fn JobStatusTag(
    i18n: I18n,
    status: JobStatus,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span id=id class=format!("status-tag job-status-{}", status.as_str())>
            {move || i18n.icat().job_status(status)}
        </span>
    }
}

/// Whether a job is still being worked on.
pub fn is_active(status: JobStatus) -> bool {
    matches!(status, JobStatus::Queued | JobStatus::Running)
}

pub use crate::pages::workflow::common::alert;
