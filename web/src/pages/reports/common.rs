//! Pieces shared by the reports pages: addresses, the period choice kept in the address, the
//! page title, export buttons and the count table.

use crate::api::reports::{ExportFormat, ReportKind};
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::problem::ProblemAlert;
use crate::i18n::reports::RKey;
use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::report::StatusCounts;
use shared::workflow::Period;
use uuid::Uuid;

/// The address of a page of the reports (`/reports`, `/reports/baselines`, …) for `unit` and
/// `period`.
pub fn href(page: &str, unit: Option<&str>, period: Option<Uuid>) -> String {
    let mut params = Vec::new();
    if let Some(unit) = unit {
        params.push(format!("unit={unit}"));
    }
    if let Some(period) = period {
        params.push(format!("period={period}"));
    }
    if params.is_empty() {
        page.to_string()
    } else {
        format!("{page}?{}", params.join("&"))
    }
}

/// Keeps the document title on a reports page's name followed by the application's name.
pub fn use_title(i18n: I18n, page: RKey) {
    Effect::new(move |_| {
        let title = format!("{} · {}", i18n.r(page), i18n.t(Key::AppName));
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
}

/// The period a page shows when the address names none: this year's, else the newest.
pub fn default_period(periods: &[Period]) -> Option<&Period> {
    let year = chrono::Datelike::year(&crate::dates::today());
    periods
        .iter()
        .find(|period| period.year == year)
        .or_else(|| periods.first())
}

pub use crate::download::save_bytes;

/// A pair of buttons that download `report` as CSV and as XLSX, named `stem.csv`/`stem.xlsx`.
/// After a download its file name is announced in `#{id}-status` (`data-bytes` holds its size).
#[component]
pub fn ExportButtons(
    app: AppContext,
    /// Prefix of the buttons' ids: `{id}-csv`, `{id}-xlsx`.
    id: &'static str,
    label: RKey,
    report: ReportKind,
    stem: String,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<(String, usize)>);
    let fetch = move |format: ExportFormat| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        done.set(None);
        let report = report.clone();
        let file_name = format!("{stem}.{}", format.param());
        // The file speaks the language the officer reads the page in.
        let lang = i18n.lang().tag();
        spawn_local(async move {
            let outcome = api::reports::export(session, &report, format, lang).await;
            busy.try_set(false);
            match outcome {
                Ok(bytes) => {
                    if save_bytes(&file_name, format.mime(), &bytes).is_err() {
                        leptos::logging::warn!("the browser refused the download of {file_name}");
                    }
                    done.try_set(Some((file_name, bytes.len())));
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let fetch_xlsx = fetch.clone();
    view! {
        <div class="export-row">
            <span class="export-label">{move || i18n.r(label)}</span>
            <button
                id=format!("{id}-csv")
                type="button"
                disabled=move || busy.get()
                on:click=move |_| fetch(ExportFormat::Csv)
            >
                {move || i18n.r(RKey::Csv)}
            </button>
            <button
                id=format!("{id}-xlsx")
                type="button"
                disabled=move || busy.get()
                on:click=move |_| fetch_xlsx(ExportFormat::Xlsx)
            >
                {move || i18n.r(RKey::Xlsx)}
            </button>
            <span
                id=format!("{id}-status")
                class="export-status"
                role="status"
                data-bytes=move || done.with(|d| d.as_ref().map(|(_, n)| n.to_string()))
            >
                {move || {
                    if busy.get() {
                        i18n.r(RKey::Exporting).to_string()
                    } else {
                        done.get().map(|(name, _)| name).unwrap_or_default()
                    }
                }}
            </span>
            {move || error.get().map(|error| view! { <ProblemAlert i18n error /> })}
        </div>
    }
}

/// The header cells of the counts, in the order of [`StatusCounts::COLUMNS`].
pub fn count_headers(i18n: I18n) -> impl IntoView {
    StatusCounts::COLUMNS
        .iter()
        .map(|column| {
            let column = *column;
            view! { <th scope="col" class=format!("num col-{column}")>{move || i18n.rcat().count(column)}</th> }
        })
        .collect_view()
}

/// The cells of `counts`, in the order of [`StatusCounts::COLUMNS`].
pub fn count_cells(i18n: I18n, counts: StatusCounts) -> impl IntoView {
    StatusCounts::COLUMNS
        .iter()
        .zip(counts.values())
        .map(|(column, n)| {
            let column = *column;
            view! { <td class=format!("num col-{column}")>{move || i18n.rcat().number(n)}</td> }
        })
        .collect_view()
}

/// The value of `column` in `counts`.
pub fn count_of(counts: &StatusCounts, column: &str) -> i64 {
    StatusCounts::COLUMNS
        .iter()
        .position(|c| *c == column)
        .map_or(0, |i| counts.values()[i])
}
