//! `/`: the signed-in officer's work list: what waits for them in their unit (registrations to
//! review, self-assessments not submitted, old addresses to place, imports running) with the
//! period's deadlines, each a link to the page where they act on it; then the sections of the
//! application.

use crate::api;
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::hooks::use_page_title;
use crate::i18n::home::HKey;
use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use shared::auth::{Role, User};
use shared::worklist::{PhaseDeadline, RunningImport, Worklist, WorklistPeriod};
use std::time::Duration;

/// How often the work list is read again while an import runs.
const POLL: Duration = Duration::from_secs(2);

/// The home page (signed-in visitors only).
#[component]
pub fn HomePage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_page_title(i18n, Key::HomeTitle);

    let welcome = move || {
        suspend_shown(i18n, async move {
            me.await.map(|user| {
                user.map(|user| {
                    let name = user
                        .full_name
                        .clone()
                        .unwrap_or_else(|| user.username.clone());
                    let role = user.role;
                    let unit = user.unit.clone();
                    let unit_view = if unit.level == "nation" {
                        view! { <span>{unit.name}</span> }.into_any()
                    } else {
                        let href = format!("/units/{}", unit.code);
                        view! { <a href=href>{unit.name}</a> }.into_any()
                    };
                    let work = if role >= Role::BranchOfficer {
                        view! { <WorkList app user /> }.into_any()
                    } else {
                        view! { <p class="notice" id="worklist-viewer">{move || i18n.h(HKey::ViewerNote)}</p> }
                            .into_any()
                    };
                    view! {
                        <h1>{move || i18n.cat().welcome(&name)}</h1>
                        <dl class="facts">
                            <dt>{move || i18n.t(Key::YourUnit)}</dt>
                            <dd class="home-unit">{unit_view}</dd>
                            <dt>{move || i18n.t(Key::YourRole)}</dt>
                            <dd>{move || i18n.cat().role(role)}</dd>
                        </dl>
                        {work}
                    }
                })
            })
        })
    };

    view! {
        <section class="welcome">
            <Transition fallback=move || view! { <Loading i18n /> }>
                {welcome}
            </Transition>
        </section>
        <section aria-labelledby="sections-heading">
            <h2 id="sections-heading">{move || i18n.t(Key::SectionsTitle)}</h2>
            <ul class="cards">
                <li class="card">
                    <a href="/units">{move || i18n.t(Key::NavUnits)}</a>
                    <p>{move || i18n.t(Key::SectionUnitsText)}</p>
                </li>
                <li class="card">
                    <a href="/units/legacy">{move || i18n.t(Key::NavLegacy)}</a>
                    <p>{move || i18n.t(Key::SectionLegacyText)}</p>
                </li>
            </ul>
        </section>
    }
}

/// The officer's work list, read in one request; read again every few seconds while an import
/// runs, so its progress moves.
#[component]
fn WorkList(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let reload = RwSignal::new(0_u32);
    let work = LocalResource::new(move || {
        reload.track();
        api::worklist::worklist(session)
    });
    Effect::new(move |_| {
        let running = work
            .get()
            .and_then(Result::ok)
            .is_some_and(|w| w.imports_running.unwrap_or(0) > 0);
        if running {
            set_timeout(
                move || {
                    reload.try_update(|n| *n += 1);
                },
                POLL,
            );
        }
    });
    let unit_name = user.unit.name.clone();
    let content = move || {
        let unit_name = unit_name.clone();
        suspend_shown(i18n, async move {
            work.await
                .map(|work| view! { <WorkItems i18n work unit_name /> })
        })
    };
    view! {
        <section class="panel worklist-panel" aria-labelledby="worklist-heading" id="worklist">
            <h2 id="worklist-heading">{move || i18n.h(HKey::WorkTitle)}</h2>
            <Transition fallback=move || view! { <Loading i18n /> }>{content}</Transition>
        </section>
    }
}

/// One entry of the list: its count and the link to where the officer acts on it.
struct Entry {
    id: &'static str,
    label: HKey,
    count: u64,
    href: String,
}

/// The entries of `work` with their links, the running imports and the deadlines.
#[component]
fn WorkItems(i18n: I18n, work: Worklist, unit_name: String) -> impl IntoView {
    let period_query = work
        .period
        .as_ref()
        .map(|p| format!("period={}&", p.id))
        .unwrap_or_default();
    let mut entries = vec![
        Entry {
            id: "work-awaiting-review",
            label: HKey::AwaitingReview,
            count: work.awaiting_review,
            href: format!("/review?{period_query}status=submitted"),
        },
        Entry {
            id: "work-under-review",
            label: HKey::UnderReview,
            count: work.under_review,
            href: format!("/review?{period_query}status=under_review"),
        },
        Entry {
            id: "work-not-started",
            label: HKey::NotStarted,
            count: work.not_started,
            href: format!("/assessments?{period_query}status=registered"),
        },
        Entry {
            id: "work-in-draft",
            label: HKey::InDraft,
            count: work.in_draft,
            href: format!("/assessments?{period_query}status=draft"),
        },
    ];
    if let Some(count) = work.legacy_queue_pending {
        entries.push(Entry {
            id: "work-legacy-queue",
            label: HKey::LegacyQueue,
            count,
            href: "/legacy-queue?status=pending".to_string(),
        });
    }
    if let Some(count) = work.imports_running {
        entries.push(Entry {
            id: "work-imports",
            label: HKey::ImportsRunning,
            count,
            href: "/imports".to_string(),
        });
    }
    let idle = entries.iter().all(|e| e.count == 0);
    let items = entries
        .into_iter()
        .map(|entry| {
            let Entry {
                id,
                label,
                count,
                href,
            } = entry;
            view! {
                <li id=id class="work-item" class:work-item-zero=count == 0>
                    <a href=href>
                        <span class="work-count">{count}</span>
                        <span class="work-label">{move || i18n.h(label)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    let period_name = work.period.as_ref().map(|p| p.name.clone());
    let imports = work
        .running_imports
        .into_iter()
        .map(|job| view! { <RunningImportLine i18n job /> })
        .collect_view();
    view! {
        <p class="hint" id="worklist-scope">
            {move || i18n.hcat().work_intro(&unit_name, period_name.as_deref())}
        </p>
        {idle.then(|| view! { <p class="empty" id="worklist-idle">{move || i18n.h(HKey::NothingToDo)}</p> })}
        <ul class="worklist" id="worklist-items">{items}</ul>
        <ul class="running-imports" id="running-imports">{imports}</ul>
        <Deadlines i18n period=work.period />
    }
}

/// An import still running: its file, a progress bar with its text, and its page.
#[component]
fn RunningImportLine(i18n: I18n, job: RunningImport) -> impl IntoView {
    let total = job.rows_total;
    let done = job.rows_done.min(total);
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    let text_id = format!("running-import-text-{}", job.id);
    view! {
        <li class="running-import" id=format!("running-import-{}", job.id)>
            <a href=format!("/imports/{}", job.id)>{job.file_name.clone()}</a>
            <div class="progress-line">
                <progress
                    max=total.max(1).to_string()
                    value=done.to_string()
                    aria-labelledby=text_id.clone()
                ></progress>
                <span id=text_id>
                    {move || i18n.icat().progress(done, total)}
                    {format!(" ({percent}\u{a0}%)")}
                    " · "
                    {move || i18n.icat().job_status(job.status)}
                </span>
            </div>
        </li>
    }
}

/// The windows of the period not closed yet, the soonest first, with a link to the periods.
#[component]
fn Deadlines(i18n: I18n, period: Option<WorklistPeriod>) -> impl IntoView {
    let body = match period {
        None => view! { <p id="deadline-none">{move || i18n.h(HKey::NoPeriod)}</p> }.into_any(),
        Some(period) if period.deadlines.is_empty() => {
            view! { <p id="deadline-none">{move || i18n.h(HKey::PeriodOver)}</p> }.into_any()
        }
        Some(period) => period
            .deadlines
            .into_iter()
            .enumerate()
            .map(|(i, deadline)| {
                let PhaseDeadline {
                    phase,
                    opens,
                    closes,
                    days_left,
                    open,
                } = deadline;
                let class = if i == 0 && open { "deadline deadline-next" } else { "deadline" };
                view! {
                    <p class=class id=format!("deadline-{}", phase.as_str())>
                        <strong>{move || i18n.hcat().phase(phase)}</strong>
                        ": "
                        {move || {
                            let cat = i18n.cat();
                            i18n.hcat().deadline(&cat.date(closes), days_left, &cat.date(opens), open)
                        }}
                    </p>
                }
            })
            .collect_view()
            .into_any(),
    };
    view! {
        <div class="deadlines" id="worklist-deadlines">
            <h3>{move || i18n.h(HKey::DeadlinesTitle)}</h3>
            {body}
            <p>
                <a href="/periods" id="work-periods">{move || i18n.h(HKey::OpenPeriods)}</a>
            </p>
        </div>
    }
}
