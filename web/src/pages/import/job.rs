//! One import job: its progress while it runs (polled), its counts per outcome, the row
//! outcomes with a filter on errors, the annotated file as XLSX or CSV, and resuming or running
//! again a job a server stop interrupted. Shown under the import page and at `/imports/:id`.

use crate::api::imports::SheetFormat;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::pager::{Pager, page_count};
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::i18n::imports::IKey;
use crate::pages::import::common::{
    JobStatusTag, RowStatusTag, alert, download_sheet, is_active, use_title,
};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::import::{ImportJob, ImportMode, JobStatus, RowStatus};
use std::time::Duration;
use uuid::Uuid;

/// How often a running job is asked for its progress.
const POLL: Duration = Duration::from_millis(600);

/// Row outcomes per page.
const ROWS_PER_PAGE: u64 = 100;

/// `/imports/:id`.
#[component]
pub fn ImportJobPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    use_title(i18n, IKey::JobTitle);
    let params = use_params_map();
    let id = move || params.with(|p| p.get("id").and_then(|id| Uuid::parse_str(&id).ok()));
    view! {
        <p>
            <a href="/imports">{move || i18n.im(IKey::BackToImports)}</a>
        </p>
        <h1>{move || i18n.im(IKey::JobTitle)}</h1>
        {move || match id() {
            Some(id) => view! { <JobPanel app id changed=Callback::new(|()| ()) /> }.into_any(),
            None => view! { <p class="error">{move || i18n.im(IKey::NoSuchJob)}</p> }.into_any(),
        }}
    }
}

/// The job `id`, polled while it is queued or running; `changed` is told when it ends.
#[component]
pub fn JobPanel(app: AppContext, id: Uuid, changed: Callback<()>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let job = RwSignal::new(None::<Result<ImportJob, ApiError>>);
    let fetch = move || {
        spawn_local(async move {
            let outcome = api::imports::job(session, id).await;
            let ended = matches!(&outcome, Ok(j) if !is_active(j.status));
            // Told once: when the job is first seen ended.
            let was_active = job.with_untracked(|j| match j {
                Some(Ok(j)) => is_active(j.status),
                _ => true,
            });
            if job.try_set(Some(outcome)).is_none() && ended && was_active {
                changed.run(());
            }
        });
    };
    fetch();
    // While the job runs, ask again a moment after each answer. Once the panel is gone the
    // signal is disposed and the chain stops.
    Effect::new(move |_| {
        let running = job.with(|j| matches!(j, Some(Ok(j)) if is_active(j.status)));
        if running {
            set_timeout(
                move || {
                    if !job.is_disposed() {
                        fetch();
                    }
                },
                POLL,
            );
        }
    });

    let status = Memo::new(move |_| {
        job.with(|j| j.as_ref().and_then(|j| j.as_ref().ok()).map(|j| j.status))
    });
    let done = Memo::new(move |_| {
        job.with(|j| {
            j.as_ref()
                .and_then(|j| j.as_ref().ok())
                .map(|j| j.rows_done)
        })
    });
    let errors_only = RwSignal::new(false);
    let paging = crate::hooks::use_paging_in_url(ROWS_PER_PAGE);
    let page = paging.page;
    let error = RwSignal::new(None::<ApiError>);
    let resuming = RwSignal::new(false);

    let resume = move |_| {
        if resuming.get_untracked() {
            return;
        }
        resuming.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = api::imports::resume(session, id).await;
            resuming.try_set(false);
            match outcome {
                Ok(again) => {
                    job.try_set(Some(Ok(again)));
                    changed.run(());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let report = move |format: SheetFormat| {
        let name = job
            .with_untracked(|j| {
                j.as_ref()
                    .and_then(|j| j.as_ref().ok())
                    .map(|j| j.file_name.clone())
            })
            .unwrap_or_default();
        let stem = name
            .rsplit_once('.')
            .map_or(name.as_str(), |(stem, _)| stem)
            .to_string();
        let file_name = format!("{stem}-ket-qua.{}", format.extension());
        download_sheet(
            file_name,
            format,
            error,
            api::imports::report(session, id, format),
        );
    };

    let summary = move || {
        job.get().map(|outcome| match outcome {
            Err(failure) => view! { <ProblemAlert i18n error=failure /> }.into_any(),
            Ok(job) => view! { <JobSummary app job /> }.into_any(),
        })
    };

    let rows = LocalResource::new(move || {
        let status = status.get();
        done.track();
        let filter = errors_only.get().then_some(RowStatus::Error);
        let page = page.get();
        let per_page = paging.per_page.get();
        async move {
            match status {
                Some(s) if s != JobStatus::Queued => {
                    api::imports::rows(session, id, filter, page, per_page)
                        .await
                        .map(Some)
                }
                _ => Ok(None),
            }
        }
    });
    let rows_view = move || {
        suspend_shown(i18n, async move {
            let dry_run =
                job.with_untracked(|j| matches!(j, Some(Ok(j)) if j.mode == ImportMode::DryRun));
            let Some(found) = rows.await? else {
                return Ok::<_, ApiError>(().into_any());
            };
            if found.items.is_empty() {
                return Ok(view! { <p class="empty" id="import-rows-empty">{move || i18n.im(IKey::NoRows)}</p> }.into_any());
            }
            let pages = page_count(found.total, paging.per_page.get());
            let current = found.page;
            let lines = found
                .items
                .into_iter()
                .map(|row| {
                    let messages = row
                        .messages
                        .iter()
                        .map(|m| {
                            let column = shared::import::ColumnKey::parse(&m.column);
                            let message = m.message.clone();
                            view! {
                                <li>
                                    {column.map(|c| view! { <span class="message-column">{move || i18n.icat().column_name(c)}</span> ": " })}
                                    <span lang="vi">{message}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    // A dry run writes nothing: its person ids are not records to open.
                    let person = row.person_id.filter(|_| !dry_run).map(|pid| {
                        view! { <a href=format!("/people/{pid}")>{move || i18n.im(IKey::OpenPerson)}</a> }
                    });
                    view! {
                        <tr id=format!("import-row-{}", row.row) class=format!("row-{}", row.status.as_str())>
                            <th scope="row" class="row-number">{row.row}</th>
                            <td>
                                <RowStatusTag i18n status=row.status />
                            </td>
                            <td>{row.commune_code.clone()}</td>
                            <td>
                                <ul class="row-messages">{messages}</ul>
                            </td>
                            <td>{person}</td>
                        </tr>
                    }
                })
                .collect_view();
            Ok(view! {
                <div class="table-scroll">
                    <table id="import-rows" class="data-table">
                        <thead>
                            <tr>
                                <th scope="col">{move || i18n.im(IKey::RowNumber)}</th>
                                <th scope="col">{move || i18n.im(IKey::RowOutcome)}</th>
                                <th scope="col">{move || i18n.im(IKey::Commune)}</th>
                                <th scope="col">{move || i18n.im(IKey::Messages)}</th>
                                <th scope="col">{move || i18n.im(IKey::Person)}</th>
                            </tr>
                        </thead>
                        <tbody>{lines}</tbody>
                    </table>
                </div>
                <Pager
                    i18n
                    id="rows"
                    per_page=(paging.per_page.get(), paging.choose_size())
                    label=Signal::derive(move || i18n.im(IKey::RowPages).to_string())
                    page=current
                    pages
                    go=Callback::new(move |to| page.set(to))
                />
            }
            .into_any())
        })
    };

    let resumable = move || {
        matches!(
            status.get(),
            Some(JobStatus::Interrupted | JobStatus::Failed)
        )
    };
    let valid_only =
        move || job.with(|j| matches!(j, Some(Ok(j)) if j.mode == ImportMode::ValidOnly));

    view! {
        <section class="panel import-job" aria-labelledby="job-heading" id="import-job">
            <h2 id="job-heading" tabindex="-1">{move || i18n.im(IKey::JobTitle)}</h2>
            {summary}
            <Show when=resumable>
                <div class="notice" id="import-interrupted">
                    <p>{move || i18n.im(IKey::InterruptedHint)}</p>
                    <button id="import-resume" type="button" disabled=move || resuming.get() on:click=resume>
                        {move || if valid_only() { i18n.im(IKey::Resume) } else { i18n.im(IKey::Rerun) }}
                    </button>
                </div>
            </Show>
            <Show when=move || status.get().is_some_and(|s| !is_active(s))>
                <div class="action-buttons">
                    <button id="report-xlsx" type="button" class="button-secondary" on:click=move |_| report(SheetFormat::Xlsx)>
                        {move || i18n.im(IKey::ReportXlsx)}
                    </button>
                    <button id="report-csv" type="button" class="button-secondary" on:click=move |_| report(SheetFormat::Csv)>
                        {move || i18n.im(IKey::ReportCsv)}
                    </button>
                </div>
            </Show>
            <h3>{move || i18n.im(IKey::RowsTitle)}</h3>
            <label class="check">
                <input
                    id="import-errors-only"
                    type="checkbox"
                    aria-controls="import-rows"
                    prop:checked=move || errors_only.get()
                    on:change=move |event| {
                        errors_only.set(event_target_checked(&event));
                        page.set(1);
                    }
                />
                {move || i18n.im(IKey::ErrorsOnly)}
            </label>
            <Transition fallback=move || view! { <Loading i18n /> }>{rows_view}</Transition>
            {alert(i18n, error)}
        </section>
    }
}

/// The job's mode, status, progress bar and counts per outcome.
#[component]
fn JobSummary(app: AppContext, job: ImportJob) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let mode = job.mode;
    let total = job.rows_total;
    let done = job.rows_done.min(total);
    let percent = (done * 100).checked_div(total).unwrap_or(100);
    let counts = [
        (RowStatus::Created, job.counts.created),
        (RowStatus::Updated, job.counts.updated),
        (RowStatus::Unchanged, job.counts.unchanged),
        (RowStatus::Queued, job.counts.queued),
        (RowStatus::Error, job.counts.error),
        (RowStatus::Skipped, job.counts.skipped),
    ]
    .into_iter()
    .map(|(status, count)| {
        view! {
            <li id=format!("count-{}", status.as_str()) class=format!("count row-{}", status.as_str())>
                <span class="count-label">{move || i18n.icat().row_status(status)}</span>
                " "
                <strong class="count-value">{count}</strong>
            </li>
        }
    })
    .collect_view();
    let registered = job.counts.registered;
    let registered = (registered > 0).then(|| {
        view! {
            <li id="count-registered" class="count">
                <span class="count-label">{move || i18n.im(IKey::RegisteredCount)}</span>
                " "
                <strong class="count-value">{registered}</strong>
            </li>
        }
    });
    let failure = job.error.clone();
    view! {
        <p class="job-line">
            <strong>{job.file_name.clone()}</strong>
            " · "
            {move || i18n.icat().mode(mode)}
            " · "
            <JobStatusTag i18n status=job.status id="import-status" />
        </p>
        <div class="progress-line">
            <progress
                id="import-progress"
                max=total.to_string()
                value=done.to_string()
                aria-labelledby="import-progress-text"
            ></progress>
            <span id="import-progress-text" role="status">
                {move || i18n.icat().progress(done, total)}
                {format!(" ({percent} %)")}
            </span>
        </div>
        <ul id="import-counts" class="counts">{counts} {registered}</ul>
        {failure.map(|message| view! { <p class="error" id="import-error" lang="vi">{message}</p> })}
    }
}
