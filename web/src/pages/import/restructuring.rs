//! `/restructurings` (central administrators): a newer official list of communes, of provinces,
//! or of both, compared with the current one (the province changes, then the commune changes:
//! added, renamed, moved, merged, dissolved, each in a table), applied with an effective date and
//! a legal basis after a confirmation, and the restructurings applied so far, each of which can
//! be undone after a confirmation.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::hooks::focus_soon;
use crate::i18n::I18n;
use crate::i18n::imports::IKey;
use crate::pages::import::common::{alert, chosen_file, file_text, use_title};
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::{Role, User};
use shared::import::{
    ApplyRestructuringRequest, ChangeKind, ChangeLevel, Restructuring, UnitChange,
};
use uuid::Uuid;

/// The levels of change, in the order their tables are shown.
const LEVELS: [ChangeLevel; 2] = [ChangeLevel::Province, ChangeLevel::Commune];

/// The kinds of change, in the order their tables are shown (provinces are never `moved`).
const KINDS: [ChangeKind; 5] = [
    ChangeKind::Added,
    ChangeKind::Renamed,
    ChangeKind::Moved,
    ChangeKind::Merged,
    ChangeKind::Dissolved,
];

/// The restructuring page.
#[component]
pub fn RestructuringPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, IKey::RestructuringTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await.map(|user| {
                user.map(|user: User| {
                    if user.role == Role::CentralAdmin {
                        view! { <Restructurings app /> }.into_any()
                    } else {
                        view! { <p class="notice" id="restructuring-admin-only">{move || i18n.im(IKey::AdminOnly)}</p> }
                            .into_any()
                    }
                })
            })
        })
    };
    view! {
        <h1>{move || i18n.im(IKey::RestructuringTitle)}</h1>
        <p>{move || i18n.im(IKey::RestructuringIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

#[component]
fn Restructurings(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let draft = RwSignal::new(None::<Restructuring>);
    let version = RwSignal::new(0_u32);
    let list = LocalResource::new(move || {
        version.track();
        api::imports::restructurings(session)
    });
    let changed = Callback::new(move |()| version.update(|v| *v += 1));
    let list_view = move || {
        suspend_shown(i18n, async move {
            let all = list.await?;
            let applied: Vec<Restructuring> =
                all.into_iter().filter(|r| r.status != "draft").collect();
            if applied.is_empty() {
                return Ok::<_, ApiError>(
                    view! { <p class="empty" id="restructurings-empty">{move || i18n.im(IKey::RestructuringsEmpty)}</p> }
                        .into_any(),
                );
            }
            let rows = applied
                .into_iter()
                .map(|r| view! { <AppliedRow app restructuring=r changed /> })
                .collect_view();
            Ok(view! { <ul id="restructurings" class="item-list">{rows}</ul> }.into_any())
        })
    };
    view! {
        <CompareForm app draft />
        {move || draft.get().map(|r| view! { <Diff app restructuring=r draft changed /> })}
        <section class="panel" aria-labelledby="applied-heading">
            <h2 id="applied-heading">{move || i18n.im(IKey::RestructuringsTitle)}</h2>
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

/// The newer lists (communes, provinces or both, and optionally the lineage), read in the
/// browser and sent for comparison.
#[component]
fn CompareForm(app: AppContext, draft: RwSignal<Option<Restructuring>>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let communes_input: NodeRef<html::Input> = NodeRef::new();
    let provinces_input: NodeRef<html::Input> = NodeRef::new();
    let lineage_input: NodeRef<html::Input> = NodeRef::new();
    let dropped = RwSignal::new_local(None::<web_sys::File>);
    let dropped_provinces = RwSignal::new_local(None::<web_sys::File>);
    let no_lineage = RwSignal::new_local(None::<web_sys::File>);
    let missing = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let communes = chosen_file(dropped, communes_input);
        let provinces = chosen_file(dropped_provinces, provinces_input);
        if communes.is_none() && provinces.is_none() {
            missing.set(true);
            return;
        }
        let lineage = chosen_file(no_lineage, lineage_input);
        missing.set(false);
        error.set(None);
        pending.set(true);
        spawn_local(async move {
            let outcome = async {
                let communes = match communes {
                    Some(file) => Some(file_text(&file).await?),
                    None => None,
                };
                let provinces = match provinces {
                    Some(file) => Some(file_text(&file).await?),
                    None => None,
                };
                let lineage = match lineage {
                    Some(file) => Some(file_text(&file).await?),
                    None => None,
                };
                api::imports::compare(session, communes, provinces, lineage).await
            }
            .await;
            pending.try_set(false);
            match outcome {
                Ok(found) => {
                    draft.try_set(Some(found));
                    focus_soon("diff-heading".to_string());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{move || i18n.im(IKey::CompareTitle)}</h2>
            <form
                id="restructuring-form"
                class="form drop-zone"
                on:submit=submit
                on:dragover=|event: leptos::ev::DragEvent| event.prevent_default()
                on:drop=move |event: leptos::ev::DragEvent| {
                    event.prevent_default();
                    if let Some(file) = crate::pages::import::common::dropped_file(&event) {
                        dropped.set(Some(file));
                        missing.set(false);
                    }
                }
                novalidate
            >
                <label for="restructuring-communes">{move || i18n.im(IKey::CommunesFile)}</label>
                <input
                    id="restructuring-communes"
                    type="file"
                    accept=".csv,text/csv"
                    node_ref=communes_input
                    on:change=move |_| {
                        dropped.set(None);
                        missing.set(false);
                    }
                />
                <p class="hint">
                    {move || i18n.im(IKey::CommunesFileHint)}
                    {move || dropped.with(|d| d.as_ref().map(|f| format!(": {}", f.name())))}
                </p>
                <div
                    id="restructuring-provinces-zone"
                    class="drop-zone"
                    on:dragover=|event: leptos::ev::DragEvent| event.prevent_default()
                    on:drop=move |event: leptos::ev::DragEvent| {
                        event.prevent_default();
                        event.stop_propagation();
                        if let Some(file) = crate::pages::import::common::dropped_file(&event) {
                            dropped_provinces.set(Some(file));
                            missing.set(false);
                        }
                    }
                >
                    <label for="restructuring-provinces">{move || i18n.im(IKey::ProvincesFile)}</label>
                    <input
                        id="restructuring-provinces"
                        type="file"
                        accept=".csv,text/csv"
                        node_ref=provinces_input
                        on:change=move |_| {
                            dropped_provinces.set(None);
                            missing.set(false);
                        }
                    />
                    <p class="hint">
                        {move || i18n.im(IKey::ProvincesFileHint)}
                        {move || dropped_provinces.with(|d| d.as_ref().map(|f| format!(": {}", f.name())))}
                    </p>
                </div>
                {move || {
                    missing
                        .get()
                        .then(|| view! { <p class="field-error" id="restructuring-missing">{move || i18n.im(IKey::ChooseListFile)}</p> })
                }}
                <label for="restructuring-lineage">{move || i18n.im(IKey::LineageFile)}</label>
                <input id="restructuring-lineage" type="file" accept=".csv,text/csv" node_ref=lineage_input />
                <p class="hint">{move || i18n.im(IKey::LineageFileHint)}</p>
                <div class="form-actions">
                    <button id="restructuring-compare" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { i18n.im(IKey::Comparing) } else { i18n.im(IKey::Compare) }}
                    </button>
                </div>
            </form>
            {alert(i18n, error)}
        </section>
    }
}

/// The successors of a merged or dissolved unit.
fn successors_text(i18n: I18n, change: &UnitChange) -> String {
    change
        .successors
        .iter()
        .map(|link| {
            let part = if link.whole {
                i18n.im(IKey::Whole)
            } else {
                i18n.im(IKey::Part)
            };
            format!("{} ({part})", link.new_code)
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The prefix of the element ids of a level's tables (communes keep the ids they always had).
fn level_prefix(level: ChangeLevel) -> &'static str {
    match level {
        ChangeLevel::Province => "changes-province-",
        ChangeLevel::Commune => "changes-",
    }
}

/// The table of the changes of one kind at one level.
#[component]
fn ChangeTable(
    i18n: I18n,
    level: ChangeLevel,
    kind: ChangeKind,
    changes: Vec<UnitChange>,
) -> impl IntoView {
    let count = changes.len();
    let prefix = level_prefix(level);
    let heading_id = format!("{prefix}{}-heading", kind.as_str());
    let rows = changes
        .into_iter()
        .map(|change| {
            let links = change.clone();
            let successors = move || successors_text(i18n, &links);
            view! {
                <tr>
                    <th scope="row">{change.code.clone()}</th>
                    <td>{change.old_name.clone()}</td>
                    <td>{change.new_name.clone()}</td>
                    <td>{change.old_province_code.clone()}</td>
                    <td>{change.new_province_code.clone()}</td>
                    <td>{successors}</td>
                    <td class="number">{change.records}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <h4 id=heading_id.clone()>
            {move || i18n.icat().change_kind(kind)}
            {format!(" ({count})")}
        </h4>
        {(count > 0)
            .then(|| {
                view! {
                    <div class="table-scroll">
                        <table
                            id=format!("{prefix}{}", kind.as_str())
                            class="data-table"
                            aria-labelledby=heading_id.clone()
                        >
                            <thead>
                                <tr>
                                    <th scope="col">{move || i18n.im(IKey::Code)}</th>
                                    <th scope="col">{move || i18n.im(IKey::OldName)}</th>
                                    <th scope="col">{move || i18n.im(IKey::NewName)}</th>
                                    <th scope="col">{move || i18n.im(IKey::OldProvince)}</th>
                                    <th scope="col">{move || i18n.im(IKey::NewProvince)}</th>
                                    <th scope="col">{move || i18n.im(IKey::Successors)}</th>
                                    <th scope="col">{move || i18n.im(IKey::Records)}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
            })}
    }
}

/// A compared list: its changes by kind, and applying it.
#[component]
fn Diff(
    app: AppContext,
    restructuring: Restructuring,
    draft: RwSignal<Option<Restructuring>>,
    changed: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = restructuring.id;
    let empty = restructuring.changes.is_empty();
    let tables = LEVELS
        .into_iter()
        .filter(|level| restructuring.changes.iter().any(|c| c.level == *level))
        .map(|level| {
            let kinds = KINDS
                .into_iter()
                .filter(|kind| level == ChangeLevel::Commune || *kind != ChangeKind::Moved)
                .map(|kind| {
                    let changes: Vec<UnitChange> = restructuring
                        .changes
                        .iter()
                        .filter(|c| c.level == level && c.kind == kind)
                        .cloned()
                        .collect();
                    view! { <ChangeTable i18n level kind changes /> }
                })
                .collect_view();
            let label = match level {
                ChangeLevel::Province => IKey::ProvinceChanges,
                ChangeLevel::Commune => IKey::CommuneChanges,
            };
            view! {
                <section id=format!("{}level", level_prefix(level)) class="change-level">
                    <h3>{move || i18n.im(label)}</h3>
                    {kinds}
                </section>
            }
        })
        .collect_view();
    let date = RwSignal::new(crate::dates::today().format("%Y-%m-%d").to_string());
    let basis = RwSignal::new(String::new());
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let invalid = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let request = move || -> Option<ApplyRestructuringRequest> {
        let effective_date =
            chrono::NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d").ok()?;
        let legal_basis = basis.get_untracked().trim().to_string();
        let chars = legal_basis.chars().count();
        (3..=300)
            .contains(&chars)
            .then_some(ApplyRestructuringRequest {
                effective_date,
                legal_basis,
            })
    };
    let ask = move |event: SubmitEvent| {
        event.prevent_default();
        if request().is_none() {
            invalid.set(true);
            return;
        }
        invalid.set(false);
        confirming.set(true);
        focus_soon("apply-confirm".to_string());
    };
    let apply = move |_| {
        if pending.get_untracked() {
            return;
        }
        let Some(body) = request() else {
            invalid.set(true);
            confirming.set(false);
            return;
        };
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = api::imports::apply(session, id, &body).await;
            pending.try_set(false);
            confirming.try_set(false);
            match outcome {
                Ok(_) => {
                    draft.try_set(None);
                    changed.run(());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="diff-heading" id="restructuring-diff">
            <h2 id="diff-heading" tabindex="-1">{move || i18n.im(IKey::DiffTitle)}</h2>
            {empty.then(|| view! { <p class="empty" id="diff-empty">{move || i18n.im(IKey::NoChanges)}</p> })}
            {(!empty).then_some(tables)}
            <form id="apply-form" class="form" on:submit=ask novalidate>
                <h3>{move || i18n.im(IKey::ApplyTitle)}</h3>
                <label for="apply-date">{move || i18n.im(IKey::EffectiveDate)}</label>
                <input id="apply-date" type="date" required bind:value=date />
                <label for="apply-basis">{move || i18n.im(IKey::LegalBasis)}</label>
                <input
                    id="apply-basis"
                    type="text"
                    required
                    maxlength="300"
                    placeholder="Nghị quyết 1656/NQ-UBTVQH15"
                    aria-invalid=move || if invalid.get() { "true" } else { "false" }
                    bind:value=basis
                />
                {move || invalid.get().then(|| view! { <p class="field-error" id="apply-invalid">{move || i18n.im(IKey::ApplyInvalid)}</p> })}
                <div class="form-actions">
                    <button id="apply" type="submit" disabled=move || pending.get() || confirming.get()>
                        {move || i18n.im(IKey::Apply)}
                    </button>
                </div>
            </form>
            <Show when=move || confirming.get()>
                <div class="notice" role="alertdialog" aria-labelledby="apply-question">
                    <p id="apply-question">{move || i18n.im(IKey::ApplyConfirm)}</p>
                    <div class="action-buttons">
                        <button id="apply-confirm" type="button" disabled=move || pending.get() on:click=apply>
                            {move || i18n.im(IKey::ConfirmApply)}
                        </button>
                        <button id="apply-cancel" type="button" class="button-secondary" on:click=move |_| confirming.set(false)>
                            {move || i18n.im(IKey::Cancel)}
                        </button>
                    </div>
                </div>
            </Show>
            // The apply is one transaction with no steps to count: a bar without a value says
            // it is under way.
            <Show when=move || pending.get()>
                <div class="progress-line" id="apply-progress">
                    <progress aria-labelledby="apply-progress-text"></progress>
                    <span id="apply-progress-text" role="status">{move || i18n.im(IKey::Applying)}</span>
                </div>
            </Show>
            {alert(i18n, error)}
        </section>
    }
}

/// An applied (or undone) restructuring, with its undo.
#[component]
fn AppliedRow(
    app: AppContext,
    restructuring: Restructuring,
    changed: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id: Uuid = restructuring.id;
    let confirming = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let undo = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = api::imports::undo(session, id).await;
            pending.try_set(false);
            confirming.try_set(false);
            match outcome {
                Ok(_) => changed.run(()),
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let status = restructuring.status.clone();
    let applied = status == "applied";
    let effective = restructuring.effective_date;
    let applied_at = restructuring.applied_at;
    let undone_at = restructuring.undone_at;
    let counts: Vec<(ChangeLevel, ChangeKind, usize)> = LEVELS
        .into_iter()
        .flat_map(|level| KINDS.into_iter().map(move |kind| (level, kind)))
        .map(|(level, kind)| {
            let n = restructuring
                .changes
                .iter()
                .filter(|c| c.level == level && c.kind == kind)
                .count();
            (level, kind, n)
        })
        .filter(|(_, _, n)| *n > 0)
        .collect();
    let moved = restructuring.moved_records;
    let queued = restructuring.queued_records;
    let status_class = format!("status-tag restructuring-{status}");
    view! {
        <li class="item-row" id=format!("restructuring-{id}")>
            <p>
                <span class=status_class>{move || i18n.icat().restructuring_status(&status)}</span>
                " "
                <strong lang="vi">{restructuring.legal_basis.clone()}</strong>
                " · "
                {move || i18n.im(IKey::EffectiveDate)}
                ": "
                {move || effective.map(|d| i18n.cat().date(d))}
            </p>
            <p class="hint">
                {move || {
                    counts
                        .iter()
                        .map(|(level, kind, n)| {
                            let label = match level {
                                ChangeLevel::Province => IKey::ProvinceChanges,
                                ChangeLevel::Commune => IKey::CommuneChanges,
                            };
                            format!("{} – {}: {n}", i18n.im(label), i18n.icat().change_kind(*kind))
                        })
                        .collect::<Vec<_>>()
                        .join(" · ")
                }}
            </p>
            <p class="hint">
                {move || i18n.icat().moved_queued(moved, queued)}
                {move || applied_at.map(|at| format!(" · {} {}", i18n.im(IKey::AppliedAt), i18n.cat().date_time(at)))}
                {move || undone_at.map(|at| format!(" · {} {}", i18n.im(IKey::UndoneAt), i18n.cat().date_time(at)))}
            </p>
            {applied
                .then(|| {
                    view! {
                        <div class="row-actions">
                            <button
                                id=format!("undo-{id}")
                                type="button"
                                class="button-secondary danger"
                                disabled=move || confirming.get() || pending.get()
                                on:click=move |_| {
                                    confirming.set(true);
                                    focus_soon(format!("undo-confirm-{id}"));
                                }
                            >
                                {move || i18n.im(IKey::Undo)}
                            </button>
                        </div>
                        <Show when=move || confirming.get()>
                            <div class="notice" role="alertdialog" aria-labelledby=format!("undo-question-{id}")>
                                <p id=format!("undo-question-{id}")>{move || i18n.im(IKey::UndoConfirm)}</p>
                                <div class="action-buttons">
                                    <button id=format!("undo-confirm-{id}") type="button" disabled=move || pending.get() on:click=undo>
                                        {move || i18n.im(IKey::ConfirmUndo)}
                                    </button>
                                    <button type="button" class="button-secondary" on:click=move |_| confirming.set(false)>
                                        {move || i18n.im(IKey::Cancel)}
                                    </button>
                                </div>
                            </div>
                        </Show>
                    }
                })}
            {alert(i18n, error)}
        </li>
    }
}
