//! The evidence files of an assessment: listed by indicator with a download button each, and,
//! while the assessment is editable, an upload form (indicator, file by picker or drag and
//! drop) and a remove button per file.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::problem::suspend_shown;
use crate::i18n::workflow::WKey;
use crate::pages::workflow::common::alert;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::criteria::EvidencePolicy;
use shared::workflow::{CriteriaSet, EvidenceFile};
use uuid::Uuid;

/// Sizes as people read them: bytes, kB or MB.
fn human_size(bytes: u64) -> String {
    match bytes {
        b if b < 1024 => format!("{b} B"),
        b if b < 1024 * 1024 => format!("{:.0} kB", b as f64 / 1024.0),
        b => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
    }
}

/// The evidence files of `registration`; `editable` when the status and the officer's role let
/// files be added and removed.
#[component]
pub fn EvidenceFiles(
    app: AppContext,
    registration: Uuid,
    set: CriteriaSet,
    editable: bool,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let version = RwSignal::new(0u32);
    let files = LocalResource::new(move || {
        version.track();
        api::workflow::evidence_files(session, registration)
    });
    let indicators: Vec<(String, String, EvidencePolicy)> = set
        .structure
        .indicators()
        .filter(|i| i.evidence != EvidencePolicy::None)
        .map(|i| (i.code.clone(), i.name.clone(), i.evidence))
        .collect();
    if indicators.is_empty() {
        return ().into_any();
    }
    let first = indicators
        .first()
        .map(|(code, _, _)| code.clone())
        .unwrap_or_default();
    let chosen_indicator = RwSignal::new(first);
    let dropped = RwSignal::new_local(None::<web_sys::File>);
    let missing_file = RwSignal::new(false);
    let file_input: NodeRef<html::Input> = NodeRef::new();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(false);

    let chosen_file = move || -> Option<web_sys::File> {
        if let Some(file) = dropped.get_untracked() {
            return Some(file);
        }
        file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|list| list.get(0))
    };

    let upload = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        done.set(false);
        let Some(file) = chosen_file() else {
            missing_file.set(true);
            return;
        };
        missing_file.set(false);
        error.set(None);
        pending.set(true);
        let indicator = chosen_indicator.get_untracked();
        spawn_local(async move {
            let outcome =
                api::workflow::upload_evidence(session, registration, &indicator, &file).await;
            pending.try_set(false);
            match outcome {
                Ok(_) => {
                    done.try_set(true);
                    dropped.try_set(None);
                    if let Some(input) = file_input.get_untracked() {
                        input.set_value("");
                    }
                    version.try_update(|v| *v += 1);
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let download = move |file: EvidenceFile| {
        spawn_local(async move {
            match api::workflow::evidence_bytes(session, file.id).await {
                Ok(bytes) => {
                    if crate::download::save_bytes(&file.file_name, &file.content_type, &bytes)
                        .is_err()
                    {
                        leptos::logging::warn!("the browser refused to save the file");
                    }
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let remove = move |file_id: Uuid| {
        spawn_local(async move {
            match api::workflow::delete_evidence(session, file_id).await {
                Ok(()) => {
                    version.try_update(|v| *v += 1);
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let names = StoredValue::new(indicators.clone());
    let list = move || {
        suspend_shown(i18n, async move {
            let files = files.await?;
            if files.is_empty() {
                return Ok::<_, ApiError>(
                    view! { <p class="hint" id="evidence-empty">{move || i18n.w(WKey::EvidenceNoFiles)}</p> }
                        .into_any(),
                );
            }
            let rows = files
                .into_iter()
                .map(|file| {
                    let name = names.with_value(|names| {
                        names
                            .iter()
                            .find(|(code, _, _)| *code == file.indicator_code)
                            .map(|(_, name, _)| name.clone())
                            .unwrap_or_default()
                    });
                    let id = file.id;
                    let for_download = file.clone();
                    let label = file.file_name.clone();
                    view! {
                        <li class="evidence-file">
                            <span class="indicator-code">{file.indicator_code.clone()}</span>
                            " "
                            <span class="hint">{name}</span>
                            " · "
                            <strong class="evidence-file-name">{file.file_name.clone()}</strong>
                            " "
                            <span class="hint">{human_size(file.size_bytes)}</span>
                            " "
                            <button
                                type="button"
                                class="link"
                                aria-label=format!("{} {label}", i18n.w(WKey::EvidenceDownload))
                                on:click=move |_| download(for_download.clone())
                            >
                                {move || i18n.w(WKey::EvidenceDownload)}
                            </button>
                            {editable
                                .then(|| {
                                    view! {
                                        " "
                                        <button
                                            type="button"
                                            class="link danger"
                                            on:click=move |_| remove(id)
                                        >
                                            {move || i18n.w(WKey::Remove)}
                                        </button>
                                    }
                                })}
                        </li>
                    }
                })
                .collect_view();
            Ok(view! { <ul class="evidence-files" id="evidence-files">{rows}</ul> }.into_any())
        })
    };

    let form = editable.then(|| {
        let options = indicators
            .iter()
            .map(|(code, name, policy)| {
                let label = format!("{code} {name}");
                let required = *policy == EvidencePolicy::Required;
                view! {
                    <option value=code.clone()>
                        {label}
                        {move || required.then(|| format!(" ({})", i18n.w(WKey::EvidenceRequired)))}
                    </option>
                }
            })
            .collect_view();
        let on_drop = move |event: leptos::ev::DragEvent| {
            event.prevent_default();
            let file = event
                .data_transfer()
                .and_then(|transfer| transfer.files())
                .and_then(|list| list.get(0));
            if let Some(file) = file {
                dropped.set(Some(file));
                missing_file.set(false);
                done.set(false);
            }
        };
        view! {
            <form
                id="evidence-form"
                class="form evidence-upload"
                on:submit=upload
                on:dragover=|event: leptos::ev::DragEvent| event.prevent_default()
                on:drop=on_drop
                novalidate
            >
                <label for="evidence-indicator">{move || i18n.w(WKey::EvidenceIndicator)}</label>
                <select id="evidence-indicator" bind:value=chosen_indicator>
                    {options}
                </select>
                <label for="evidence-file">{move || i18n.w(WKey::EvidenceFileLabel)}</label>
                <input
                    id="evidence-file"
                    type="file"
                    accept="application/pdf,image/jpeg,image/png,image/webp"
                    node_ref=file_input
                    aria-describedby="evidence-file-error"
                    on:change=move |_| {
                        dropped.set(None);
                        missing_file.set(false);
                    }
                />
                {move || {
                    missing_file
                        .get()
                        .then(|| {
                            view! {
                                <p class="field-error" id="evidence-file-error">
                                    {move || i18n.w(WKey::EvidenceChooseFile)}
                                </p>
                            }
                        })
                }}
                <p class="hint">
                    {move || i18n.w(WKey::EvidenceDropHint)}
                    {move || {
                        dropped
                            .with(|d| d.as_ref().map(|f| f.name()))
                            .map(|name| format!(": {name}"))
                    }}
                </p>
                <div class="form-actions">
                    <button id="evidence-upload" type="submit" disabled=move || pending.get()>
                        {move || {
                            if pending.get() {
                                i18n.w(WKey::EvidenceUploading)
                            } else {
                                i18n.w(WKey::EvidenceUpload)
                            }
                        }}
                    </button>
                    <p class="success" role="status">
                        {move || done.get().then(|| i18n.w(WKey::EvidenceUploaded))}
                    </p>
                </div>
            </form>
        }
    });

    view! {
        <section class="panel" aria-labelledby="evidence-heading">
            <h2 id="evidence-heading">{move || i18n.w(WKey::EvidenceFilesTitle)}</h2>
            <p class="hint">{move || i18n.w(WKey::EvidenceFilesHint)}</p>
            <Transition fallback=|| ()>{list}</Transition>
            {form}
            {alert(i18n, error)}
        </section>
    }
    .into_any()
}
