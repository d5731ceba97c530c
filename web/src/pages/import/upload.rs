//! `/imports`: the template and its columns, uploading a CSV or XLSX (picker or drop), the
//! preview of its first rows with the column mapping the server suggested (changeable), a dry
//! run, the commit in the chosen mode with its progress and result, and the unit's past imports.

use crate::api::imports::SheetFormat;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemMessage, suspend_shown};
use crate::i18n::I18n;
use crate::i18n::imports::IKey;
use crate::pages::import::common::{
    JobStatusTag, alert, chosen_file, download_sheet, dropped_file, use_title,
};
use crate::pages::import::job::JobPanel;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::import::{
    AddressPreview, AddressPreviewStatus, COLUMNS, ColumnKey, ImportMode, ImportOptions,
    ImportUpload,
};
use std::collections::HashMap;
use std::rc::Rc;
use uuid::Uuid;

/// Past imports shown on the page.
const JOBS_PER_PAGE: u64 = 20;

/// The import page.
#[component]
pub fn ImportPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    use_title(i18n, IKey::ImportTitle);
    let upload = RwSignal::new(None::<ImportUpload>);
    let job = RwSignal::new(None::<Uuid>);
    let jobs_version = RwSignal::new(0_u32);
    let job_changed = Callback::new(move |()| jobs_version.update(|v| *v += 1));
    view! {
        <h1>{move || i18n.im(IKey::ImportTitle)}</h1>
        <p>{move || i18n.im(IKey::ImportIntro)}</p>
        <Template app />
        <UploadForm app upload job />
        {move || upload.get().map(|file| view! { <Preview app file job job_changed /> })}
        {move || job.get().map(|id| view! { <JobPanel app id changed=job_changed /> })}
        <PastJobs app version=jobs_version />
    }
}

/// The template as XLSX or CSV, and what each of its columns takes.
#[component]
fn Template(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let error = RwSignal::new(None::<ApiError>);
    let fetch = move |format: SheetFormat| {
        let name = format!("mau-nhap-cong-dan.{}", format.extension());
        download_sheet(name, format, error, api::imports::template(session, format));
    };
    let rows = COLUMNS
        .iter()
        .map(|column| {
            let key = column.column;
            let required = column.required;
            view! {
                <tr>
                    <th scope="row">{column.header}</th>
                    <td>
                        {move || {
                            if required { i18n.im(IKey::Required) } else { i18n.im(IKey::Optional) }
                        }}
                    </td>
                    <td>{move || i18n.icat().column_description(key)}</td>
                    <td>
                        <code>{column.example}</code>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="template-heading">
            <h2 id="template-heading">{move || i18n.im(IKey::TemplateTitle)}</h2>
            <p class="hint">{move || i18n.im(IKey::TemplateHint)}</p>
            <div class="action-buttons">
                <button id="template-xlsx" type="button" on:click=move |_| fetch(SheetFormat::Xlsx)>
                    {move || i18n.im(IKey::TemplateXlsx)}
                </button>
                <button
                    id="template-csv"
                    type="button"
                    class="button-secondary"
                    on:click=move |_| fetch(SheetFormat::Csv)
                >
                    {move || i18n.im(IKey::TemplateCsv)}
                </button>
            </div>
            <details class="template-columns">
                <summary>{move || i18n.im(IKey::TemplateColumns)}</summary>
                <div class="table-scroll">
                    <table id="template-columns" class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.im(IKey::ColumnHeader)}</th>
                                <th scope="col">{move || i18n.im(IKey::ColumnRequired)}</th>
                                <th scope="col">{move || i18n.im(IKey::ColumnDescription)}</th>
                                <th scope="col">{move || i18n.im(IKey::ColumnExample)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
            {alert(i18n, error)}
        </section>
    }
}

/// Choosing a file by picker or drop and sending it, with a bar of the bytes sent; the answer
/// (headers, suggested mapping, first rows) goes to `upload`. A failure says whether the file
/// did not reach the server (send it again: the chosen file is kept) or the server refused it.
#[component]
fn UploadForm(
    app: AppContext,
    upload: RwSignal<Option<ImportUpload>>,
    job: RwSignal<Option<Uuid>>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let dropped = RwSignal::new_local(None::<web_sys::File>);
    let file_input: NodeRef<html::Input> = NodeRef::new();
    let missing_file = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let dragging = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // Bytes sent and the file's size, from the first send until another file is chosen.
    let sent = RwSignal::new(None::<(f64, f64)>);

    let send = move || {
        if pending.get_untracked() {
            return;
        }
        let Some(file) = chosen_file(dropped, file_input) else {
            missing_file.set(true);
            return;
        };
        missing_file.set(false);
        error.set(None);
        pending.set(true);
        sent.set(Some((0.0, file.size())));
        let progress: api::Progress = Rc::new(move |done, total| {
            sent.try_set(Some((done, total)));
        });
        spawn_local(async move {
            let outcome = api::imports::upload(session, &file, progress).await;
            pending.try_set(false);
            match outcome {
                Ok(read) => {
                    job.try_set(None);
                    upload.try_set(Some(read));
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };
    let chose_another = move || {
        missing_file.set(false);
        sent.set(None);
        error.set(None);
    };
    let on_drop = move |event: leptos::ev::DragEvent| {
        event.prevent_default();
        dragging.set(false);
        if let Some(file) = dropped_file(&event) {
            dropped.set(Some(file));
            chose_another();
        }
    };
    let progress_view = move || {
        sent.get().map(|(done, total)| {
            let reading = pending.get() && done >= total;
            let finished = !pending.get() && error.with(Option::is_none);
            view! {
                <div class="progress-line upload-progress">
                    <span class="visually-hidden" id="upload-progress-label">
                        {move || i18n.im(IKey::UploadProgressLabel)}
                    </span>
                    <progress
                        id="upload-progress"
                        max=total.max(1.0).to_string()
                        value=done.min(total).to_string()
                        aria-labelledby="upload-progress-label"
                        aria-describedby="upload-progress-text"
                    ></progress>
                    <span id="upload-progress-text">
                        {move || i18n.icat().bytes_sent(done, total)}
                        {reading.then(|| view! { " · " {move || i18n.im(IKey::UploadReading)} })}
                    </span>
                </div>
                // Announced once per state, not at every step of the bar.
                <p class="visually-hidden" role="status">
                    {move || {
                        if finished {
                            i18n.im(IKey::UploadDone)
                        } else if pending.get() {
                            i18n.im(IKey::Uploading)
                        } else {
                            ""
                        }
                    }}
                </p>
            }
        })
    };
    let failure_view = move || {
        error
            .get()
            .map(|failure| view! { <UploadFailure i18n failure retry=Callback::new(move |()| send()) /> })
    };
    view! {
        <section class="panel" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{move || i18n.im(IKey::UploadTitle)}</h2>
            <form
                id="import-upload-form"
                class="form drop-zone"
                class:dragging=move || dragging.get()
                on:submit=submit
                on:dragover=move |event: leptos::ev::DragEvent| {
                    event.prevent_default();
                    dragging.set(true);
                }
                on:dragleave=move |_| dragging.set(false)
                on:drop=on_drop
                novalidate
            >
                <label for="import-file">{move || i18n.im(IKey::FileLabel)}</label>
                <input
                    id="import-file"
                    type="file"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    node_ref=file_input
                    aria-describedby="import-file-hint"
                    on:change=move |_| {
                        dropped.set(None);
                        chose_another();
                    }
                />
                {move || {
                    missing_file
                        .get()
                        .then(|| {
                            view! {
                                <p class="field-error" id="import-file-error">
                                    {move || i18n.im(IKey::ChooseFile)}
                                </p>
                            }
                        })
                }}
                <p class="hint" id="import-file-hint">
                    {move || i18n.im(IKey::DropHint)}
                    {move || {
                        dropped
                            .with(|d| d.as_ref().map(|f| f.name()))
                            .map(|name| format!(": {name}"))
                    }}
                </p>
                <div class="form-actions">
                    <button id="import-upload" type="submit" disabled=move || pending.get()>
                        {move || {
                            if pending.get() { i18n.im(IKey::Uploading) } else { i18n.im(IKey::Upload) }
                        }}
                    </button>
                </div>
                {progress_view}
            </form>
            {failure_view}
        </section>
    }
}

/// What a failed upload means for the officer: the file did not arrive (send it again), the
/// server is busy (send it again later), or the server refused the file (change it), with the
/// server's own words.
#[component]
fn UploadFailure(i18n: I18n, failure: ApiError, retry: Callback<()>) -> impl IntoView {
    let status = match &failure {
        ApiError::Problem { problem, .. } => Some(problem.status),
        ApiError::Status(status) => Some(*status),
        _ => None,
    };
    let (kind, retryable, refused) = match (&failure, status) {
        (ApiError::Network(_), _) => ("network", true, false),
        (_, Some(413)) => ("too-large", false, true),
        (_, Some(400 | 415 | 422)) => ("unreadable", false, true),
        (_, Some(429 | 500..)) => ("server-busy", true, false),
        _ => ("refused", false, true),
    };
    let explanation = match kind {
        "network" => IKey::UploadNetworkFailed,
        "too-large" => IKey::UploadTooLarge,
        "unreadable" => IKey::UploadUnreadable,
        "server-busy" => IKey::UploadServerBusy,
        _ => IKey::UploadRefused,
    };
    // What the server said about the file itself, in the officer's language where known.
    let file_messages: Vec<(String, String)> = failure
        .field_errors()
        .into_iter()
        .map(|e| (e.code, e.message))
        .collect();
    let file_messages = (!file_messages.is_empty()).then(|| {
        let items = file_messages
            .into_iter()
            .map(|(code, message)| {
                view! {
                    <li>
                        {move || {
                            i18n.icat()
                                .file_problem(&code)
                                .map(str::to_string)
                                .unwrap_or_else(|| message.clone())
                        }}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="upload-file-problems">{items}</ul> }
    });
    let server_words = (refused && file_messages.is_none())
        .then(|| view! { <ProblemMessage i18n error=failure.clone() /> });
    view! {
        <div class=format!("error upload-failure upload-failure-{kind}") id="upload-error" role="alert">
            <p class="upload-failure-kind">{move || i18n.im(explanation)}</p>
            {file_messages}
            {server_words}
            {retryable
                .then(|| {
                    view! {
                        <div class="action-buttons">
                            <button id="import-upload-retry" type="button" on:click=move |_| retry.run(())>
                                {move || i18n.im(IKey::UploadRetry)}
                            </button>
                        </div>
                    }
                })}
        </div>
    }
}

/// The value of a mapping `<select>`: the column key, or empty for an ignored header.
fn mapping_value(column: Option<ColumnKey>) -> String {
    column.map(|c| c.as_str().to_string()).unwrap_or_default()
}

/// The value of a mapping `<select>` whose header must be chosen (old or current address):
/// never sent, and no import starts while one is left.
const TO_CHOOSE: &str = "?";

/// The uploaded file's first rows under its headers, each with the template column it goes to;
/// the mode; the dry run and the commit.
#[component]
fn Preview(
    app: AppContext,
    file: ImportUpload,
    job: RwSignal<Option<Uuid>>,
    job_changed: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let upload_id = file.id;
    let headers = file.headers.clone();
    let mapping: Vec<RwSignal<String>> = file
        .headers
        .iter()
        .enumerate()
        .map(|(i, _)| {
            if file.ambiguous_headers.iter().any(|a| a.index == i) {
                RwSignal::new(TO_CHOOSE.to_string())
            } else {
                RwSignal::new(mapping_value(
                    file.suggested_mapping.get(i).copied().flatten(),
                ))
            }
        })
        .collect();
    let ambiguous = StoredValue::new(file.ambiguous_headers.clone());
    let mapping = StoredValue::new(mapping);
    let mode = RwSignal::new(ImportMode::ValidOnly);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let create_villages = RwSignal::new(
        app.me
            .get_untracked()
            .and_then(Result::ok)
            .flatten()
            .is_none_or(|u| {
                matches!(
                    u.role,
                    shared::auth::Role::CommuneOfficer
                        | shared::auth::Role::ProvinceOfficer
                        | shared::auth::Role::CentralAdmin
                )
            }),
    );
    let addresses = RwSignal::new(file.address_preview.clone());
    let to_choose = Memo::new(move |_| {
        mapping.with_value(|signals| signals.iter().filter(|s| s.get() == TO_CHOOSE).count())
    });

    let chosen_mapping = move || -> HashMap<String, String> {
        mapping.with_value(|signals| {
            headers
                .iter()
                .zip(signals.iter())
                .map(|(header, key)| (header.clone(), key.get_untracked()))
                .filter(|(_, key)| key != TO_CHOOSE)
                .collect()
        })
    };
    let chosen_mapping = StoredValue::new(chosen_mapping);
    // The required columns no header goes to.
    let missing = Memo::new(move |_| {
        let taken: Vec<String> =
            mapping.with_value(|signals| signals.iter().map(|s| s.get()).collect());
        COLUMNS
            .iter()
            .filter(|c| c.required && !taken.iter().any(|t| t == c.key))
            .map(|c| c.column)
            .collect::<Vec<_>>()
    });

    // The addresses of the first rows, read again whenever the mapping changes.
    Effect::new(move |first: Option<()>| {
        mapping.with_value(|signals| signals.iter().for_each(|s| s.track()));
        if first.is_none() || to_choose.get_untracked() > 0 {
            if to_choose.get_untracked() > 0 {
                addresses.set(Vec::new());
            }
            return;
        }
        let overrides = chosen_mapping.with_value(|f| f());
        spawn_local(async move {
            if let Ok(preview) = api::imports::preview(session, upload_id, overrides).await {
                addresses.try_set(preview.address_preview);
            }
        });
    });

    let run = move |run_mode: ImportMode| {
        if pending.get_untracked()
            || !missing.get_untracked().is_empty()
            || to_choose.get_untracked() > 0
        {
            return;
        }
        error.set(None);
        pending.set(true);
        let overrides = chosen_mapping.with_value(|f| f());
        let options = ImportOptions {
            create_villages: Some(create_villages.get_untracked()),
            default_target_group: None,
        };
        spawn_local(async move {
            let outcome =
                api::imports::start(session, upload_id, run_mode, overrides, options).await;
            pending.try_set(false);
            match outcome {
                Ok(started) => {
                    job.try_set(Some(started.id));
                    job_changed.run(());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let header_cells = file
        .headers
        .iter()
        .enumerate()
        .map(|(i, header)| {
            let chosen = mapping.with_value(|signals| signals[i]);
            let select_id = format!("map-{i}");
            let choices: Vec<ColumnKey> = ambiguous.with_value(|a| {
                a.iter()
                    .find(|a| a.index == i)
                    .map(|a| a.choices.clone())
                    .unwrap_or_default()
            });
            let ask = (!choices.is_empty()).then(|| {
                view! {
                    <option value=TO_CHOOSE prop:selected=move || chosen.with(|v| v == TO_CHOOSE)>
                        {move || i18n.im(IKey::ChooseOldOrNew)}
                    </option>
                }
            });
            let options = COLUMNS
                .iter()
                .map(|column| {
                    let key = column.column;
                    let value = column.key;
                    view! {
                        <option value=value prop:selected=move || chosen.with(|v| v == value)>
                            {move || i18n.icat().column_name(key)}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <th scope="col">
                    <span class="file-header">{header.clone()}</span>
                    <label class="visually-hidden" for=select_id.clone()>
                        {move || i18n.im(IKey::MapTo)}
                        " "
                        {header.clone()}
                    </label>
                    <select
                        id=select_id
                        class="mapping-select"
                        class:needs-choice=move || chosen.with(|v| v == TO_CHOOSE)
                        on:change=move |event| chosen.set(event_target_value(&event))
                    >
                        {ask}
                        <option value="" prop:selected=move || chosen.with(String::is_empty)>
                            {move || i18n.im(IKey::Ignored)}
                        </option>
                        {options}
                    </select>
                </th>
            }
        })
        .collect_view();
    let width = file.headers.len();
    let body_rows = file
        .preview
        .iter()
        .map(|cells| {
            let mut cells = cells.clone();
            cells.resize(width, String::new());
            view! {
                <tr>{cells.into_iter().map(|cell| view! { <td>{cell}</td> }).collect_view()}</tr>
            }
        })
        .collect_view();
    let total = file.rows_total;
    let file_name = file.file_name.clone();

    view! {
        <section class="panel" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{move || i18n.im(IKey::PreviewTitle)}</h2>
            <p id="preview-summary">
                <strong>{file_name}</strong>
                " · "
                {move || i18n.icat().rows_in_file(total)}
            </p>
            <p class="hint">{move || i18n.im(IKey::PreviewHint)}</p>
            <div class="table-scroll">
                <table id="import-preview" class="data-table preview-table">
                    <thead>
                        <tr>{header_cells}</tr>
                    </thead>
                    <tbody>{body_rows}</tbody>
                </table>
            </div>
            {move || {
                let missing = missing.get();
                (!missing.is_empty())
                    .then(|| {
                        let names = missing
                            .iter()
                            .map(|c| i18n.icat().column_name(*c))
                            .collect::<Vec<_>>()
                            .join(", ");
                        view! {
                            <p class="warning" id="mapping-missing" role="alert">
                                {move || i18n.im(IKey::MissingColumns)}
                                ": "
                                {names}
                            </p>
                        }
                    })
            }}
            {move || {
                let count = to_choose.get();
                (count > 0)
                    .then(|| {
                        view! {
                            <p class="warning" id="mapping-ambiguous" role="alert">
                                {move || i18n.im(IKey::AmbiguousHeaders)}
                            </p>
                        }
                    })
            }}
            <AddressTable i18n addresses />
            <label class="check" for="create-villages">
                <input
                    id="create-villages"
                    type="checkbox"
                    prop:checked=move || create_villages.get()
                    on:change=move |event| create_villages.set(event_target_checked(&event))
                />
                <span>
                    <strong>{move || i18n.im(IKey::CreateVillages)}</strong>
                    <span class="hint mode-hint">{move || i18n.im(IKey::CreateVillagesHint)}</span>
                </span>
            </label>
            <fieldset class="mode-choice">
                <legend>{move || i18n.im(IKey::ModeLabel)}</legend>
                <ModeOption i18n mode value=ImportMode::ValidOnly id="mode-valid-only" />
                <ModeOption i18n mode value=ImportMode::AllOrNothing id="mode-all-or-nothing" />
            </fieldset>
            <div class="action-buttons">
                <button
                    id="import-dry-run"
                    type="button"
                    class="button-secondary"
                    disabled=move || {
                        pending.get() || !missing.get().is_empty() || to_choose.get() > 0
                    }
                    on:click=move |_| run(ImportMode::DryRun)
                >
                    {move || i18n.im(IKey::DryRun)}
                </button>
                <button
                    id="import-commit"
                    type="button"
                    disabled=move || {
                        pending.get() || !missing.get().is_empty() || to_choose.get() > 0
                    }
                    on:click=move |_| run(mode.get_untracked())
                >
                    {move || i18n.im(IKey::Commit)}
                </button>
            </div>
            <p class="hint">{move || i18n.im(IKey::DryRunHint)}</p>
            {move || {
                error
                    .with(|e| matches!(e, Some(ApiError::Network(_))))
                    .then(|| {
                        view! {
                            <p class="warning" id="import-start-network">
                                {move || i18n.im(IKey::StartNetworkFailed)}
                            </p>
                        }
                    })
            }}
            {alert(i18n, error)}
        </section>
    }
}

/// Where the first rows' addresses lead under the mapping: the commune, the conversion, the
/// queue or the reason, so a wrong mapping shows before any dry run.
#[component]
fn AddressTable(i18n: I18n, addresses: RwSignal<Vec<AddressPreview>>) -> impl IntoView {
    let rows = move || {
        addresses
            .get()
            .into_iter()
            .map(|a| {
                let status = a.status;
                let result = match status {
                    AddressPreviewStatus::Current | AddressPreviewStatus::Converted => format!(
                        "{} ({})",
                        a.commune_name.clone().unwrap_or_default(),
                        a.commune_code.clone().unwrap_or_default()
                    ),
                    AddressPreviewStatus::Queued => a.candidate_names.join(", "),
                    AddressPreviewStatus::Error => a
                        .messages
                        .iter()
                        .map(|m| m.message.clone())
                        .collect::<Vec<_>>()
                        .join("; "),
                };
                view! {
                    <tr class=format!("address-{}", status_class(status))>
                        <td class="number">{a.row}</td>
                        <td lang="vi">{a.written.clone()}</td>
                        <td>{move || i18n.icat().address_status(status)}</td>
                        <td lang="vi">{result}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || addresses.with(|a| !a.is_empty())>
            <h3 id="address-preview-heading">{move || i18n.im(IKey::AddressPreviewTitle)}</h3>
            <div class="table-scroll">
                <table id="address-preview" class="data-table" aria-labelledby="address-preview-heading">
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.im(IKey::RowNumber)}</th>
                            <th scope="col">{move || i18n.im(IKey::AddressWritten)}</th>
                            <th scope="col">{move || i18n.im(IKey::JobStatus)}</th>
                            <th scope="col">{move || i18n.im(IKey::AddressResult)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </Show>
    }
}

fn status_class(status: AddressPreviewStatus) -> &'static str {
    match status {
        AddressPreviewStatus::Current => "current",
        AddressPreviewStatus::Converted => "converted",
        AddressPreviewStatus::Queued => "queued",
        AddressPreviewStatus::Error => "error",
    }
}

/// One radio button of the commit mode, with its explanation.
#[component]
fn ModeOption(
    i18n: I18n,
    mode: RwSignal<ImportMode>,
    value: ImportMode,
    id: &'static str,
) -> impl IntoView {
    view! {
        <label class="check" for=id>
            <input
                id=id
                type="radio"
                name="import-mode"
                value=value.as_str()
                prop:checked=move || mode.get() == value
                on:change=move |_| mode.set(value)
            />
            <span>
                <strong>{move || i18n.icat().mode(value)}</strong>
                <span class="hint mode-hint">{move || i18n.icat().mode_hint(value)}</span>
            </span>
        </label>
    }
}

/// The imports of the officer's unit, newest first.
#[component]
fn PastJobs(app: AppContext, version: RwSignal<u32>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let jobs = LocalResource::new(move || {
        version.track();
        api::imports::jobs(session, 1, JOBS_PER_PAGE)
    });
    let list = move || {
        suspend_shown(i18n, async move {
            let page = jobs.await?;
            if page.items.is_empty() {
                return Ok::<_, ApiError>(
                    view! { <p class="empty" id="import-jobs-empty">{move || i18n.im(IKey::JobsEmpty)}</p> }
                        .into_any(),
                );
            }
            let rows = page
                .items
                .into_iter()
                .map(|job| {
                    let href = format!("/imports/{}", job.id);
                    let mode = job.mode;
                    let created = job.created_at;
                    view! {
                        <tr>
                            <td>{move || i18n.cat().date_time(created)}</td>
                            <td>
                                <a href=href>{job.file_name.clone()}</a>
                            </td>
                            <td>{move || i18n.icat().mode(mode)}</td>
                            <td>
                                <JobStatusTag i18n status=job.status />
                            </td>
                            <td class="number">{format!("{} / {}", job.rows_done, job.rows_total)}</td>
                            <td class="number">{job.counts.created}</td>
                            <td class="number">{job.counts.updated}</td>
                            <td class="number">{job.counts.error}</td>
                            <td class="number">{job.counts.queued}</td>
                        </tr>
                    }
                })
                .collect_view();
            Ok(view! {
                <div class="table-scroll">
                    <table id="import-jobs" class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.im(IKey::CreatedAt)}</th>
                                <th scope="col">{move || i18n.im(IKey::FileName)}</th>
                                <th scope="col">{move || i18n.im(IKey::ModeLabel)}</th>
                                <th scope="col">{move || i18n.im(IKey::JobStatus)}</th>
                                <th scope="col">{move || i18n.im(IKey::Progress)}</th>
                                <th scope="col">{move || i18n.icat().row_status(shared::import::RowStatus::Created)}</th>
                                <th scope="col">{move || i18n.icat().row_status(shared::import::RowStatus::Updated)}</th>
                                <th scope="col">{move || i18n.icat().row_status(shared::import::RowStatus::Error)}</th>
                                <th scope="col">{move || i18n.icat().row_status(shared::import::RowStatus::Queued)}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
            .into_any())
        })
    };
    view! {
        <section class="panel" aria-labelledby="jobs-heading">
            <h2 id="jobs-heading">{move || i18n.im(IKey::JobsTitle)}</h2>
            <Transition fallback=move || view! { <Loading i18n /> }>{list}</Transition>
        </section>
    }
}
