//! `/legacy-queue`: import rows and records whose old address maps to several current communes,
//! or to none, waiting for an officer of their province to pick the commune; one by one, or
//! several with the same candidates at once. An item is a person, or (after a restructuring) a
//! village or a branch or committee of a dissolved commune; each row says which.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::components::select_option::SelectOption;
use crate::i18n::imports::IKey;
use crate::pages::import::common::{alert, use_title};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::import::{CandidateCommune, QueueItem, QueueSource, ResolveOutcome};
use shared::page::MAX_PER_PAGE;
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;

/// The legacy-address queue page.
#[component]
pub fn LegacyQueuePage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    use_title(i18n, IKey::QueueTitle);
    let status = RwSignal::new(
        crate::hooks::query_param("status")
            .filter(|s| s == "pending" || s == "resolved")
            .unwrap_or_else(|| "pending".to_string()),
    );
    let reload = RwSignal::new(0_u32);
    let selected = RwSignal::new(BTreeSet::<Uuid>::new());
    // The candidates of every item listed, to find what the selected ones share.
    let candidates = RwSignal::new(HashMap::<Uuid, Vec<CandidateCommune>>::new());
    let names = RwSignal::new(HashMap::<Uuid, String>::new());
    let outcomes = RwSignal::new(None::<Vec<(ResolveOutcome, String)>>);
    let changed = Callback::new(move |results: Vec<ResolveOutcome>| {
        let known = names.get_untracked();
        outcomes.set(Some(
            results
                .into_iter()
                .map(|r| {
                    let name = known.get(&r.id).cloned().unwrap_or_default();
                    (r, name)
                })
                .collect(),
        ));
        reload.update(|n| *n += 1);
    });
    let items = LocalResource::new(move || {
        reload.track();
        let status = status.get();
        async move { api::imports::queue(session, &status, 1, MAX_PER_PAGE).await }
    });

    let list_view = move || {
        suspend_shown(i18n, async move {
            let page = items.await?;
            let pending = status.get_untracked() == "pending";
            let ids: Vec<Uuid> = page.items.iter().map(|i| i.id).collect();
            selected.update(|s| s.retain(|id| ids.contains(id)));
            candidates.set(
                page.items
                    .iter()
                    .map(|i| (i.id, i.candidates.clone()))
                    .collect(),
            );
            names.set(
                page.items
                    .iter()
                    .map(|i| (i.id, i.subject_name.clone()))
                    .collect(),
            );
            if page.items.is_empty() {
                return Ok::<_, ApiError>(
                    view! { <p class="empty" id="queue-empty">{move || i18n.im(IKey::QueueEmpty)}</p> }
                        .into_any(),
                );
            }
            let count = page.items.len();
            let total = page.total;
            let truncated = (u64::try_from(count).unwrap_or(u64::MAX) < total).then(
                || view! { <p class="warning">{move || i18n.icat().shown_of(count, total)}</p> },
            );
            let rows = page
                .items
                .into_iter()
                .map(|item| view! { <QueueRow app item selected pending changed /> })
                .collect_view();
            Ok(view! {
                {truncated}
                <ul id="queue-list" class="item-list queue-list">{rows}</ul>
            }
            .into_any())
        })
    };

    view! {
        <h1>{move || i18n.im(IKey::QueueTitle)}</h1>
        <p>{move || i18n.im(IKey::QueueIntro)}</p>
        <section class="panel" aria-labelledby="queue-heading">
            <h2 id="queue-heading">{move || i18n.im(IKey::QueueTitle)}</h2>
            <div class="field">
                <label for="queue-status">{move || i18n.im(IKey::QueueShow)}</label>
                <select
                    id="queue-status"
                    aria-controls="queue-list"
                    on:change=move |event| {
                        status.set(event_target_value(&event));
                        outcomes.set(None);
                    }
                >
                    <SelectOption value="pending" selected=status>
                        {move || i18n.im(IKey::QueuePending)}
                    </SelectOption>
                    <SelectOption value="resolved" selected=status>
                        {move || i18n.im(IKey::QueueResolved)}
                    </SelectOption>
                </select>
            </div>
            <Show when=move || status.get() == "pending">
                <BulkResolve app selected candidates changed />
            </Show>
            {move || outcomes.get().map(|list| view! { <Outcomes app list /> })}
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

/// The name of a candidate with its code.
fn candidate_label(c: &CandidateCommune) -> String {
    format!("{} ({})", c.name, c.code)
}

/// One queued record: who, the old address, why, and the commune to pick.
#[component]
fn QueueRow(
    app: AppContext,
    item: QueueItem,
    selected: RwSignal<BTreeSet<Uuid>>,
    pending: bool,
    changed: Callback<Vec<ResolveOutcome>>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = item.id;
    let reason = item.reason;
    // Nothing is chosen until the officer chooses: one tap must not place a record.
    let choice = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let resolve = move |_| {
        if busy.get_untracked() {
            return;
        }
        let code = choice.get_untracked().trim().to_string();
        if code.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = api::imports::resolve(session, id, code).await;
            busy.try_set(false);
            match outcome {
                Ok(result) => changed.run(vec![result]),
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let pick_id = format!("pick-{id}");
    let source = match (item.import_job_id, item.row) {
        (Some(job), Some(row)) => {
            let href = format!("/imports/{job}");
            view! {
                <a href=href>{move || i18n.icat().import_row(row)}</a>
            }
            .into_any()
        }
        _ => match (item.person_id, item.association_unit_id) {
            (Some(person), _) => view! {
                <a href=format!("/people/{person}")>{move || i18n.im(IKey::ExistingRecord)}</a>
            }
            .into_any(),
            (None, Some(unit)) => view! {
                <a href=format!("/association-units/{unit}")>{move || i18n.im(IKey::ExistingRecord)}</a>
            }
            .into_any(),
            (None, None) if item.source == QueueSource::Api => view! {
                <span class="queue-source">{move || i18n.im(IKey::SentThroughApi)}</span>
            }
            .into_any(),
            (None, None) => ().into_any(),
        },
    };
    let subject = item.subject_type;
    let level = item.association_level;
    let candidates_text = item
        .candidates
        .iter()
        .map(candidate_label)
        .collect::<Vec<_>>()
        .join(", ");
    let picker = if !pending {
        let resolved = item.resolved_commune_code.clone().unwrap_or_default();
        view! {
            <p>
                {move || i18n.im(IKey::ResolvedTo)}
                ": "
                <strong>{resolved}</strong>
            </p>
        }
        .into_any()
    } else if item.candidates.is_empty() {
        view! {
            <div class="field">
                <label for=pick_id.clone()>{move || i18n.im(IKey::CommuneCodeLabel)}</label>
                <input
                    id=pick_id.clone()
                    type="text"
                    inputmode="numeric"
                    maxlength="5"
                    autocomplete="off"
                    bind:value=choice
                />
            </div>
        }
        .into_any()
    } else {
        let options = item
            .candidates
            .clone()
            .into_iter()
            .map(|c| {
                view! {
                    <SelectOption value=c.code.clone() selected=choice>
                        {candidate_label(&c)}
                    </SelectOption>
                }
            })
            .collect_view();
        view! {
            <div class="field">
                <label for=pick_id.clone()>{move || i18n.im(IKey::PickCommune)}</label>
                <select id=pick_id.clone() on:change=move |event| choice.set(event_target_value(&event))>
                    <SelectOption value="" selected=choice>
                        {move || i18n.im(IKey::ChooseCommune)}
                    </SelectOption>
                    {options}
                </select>
            </div>
        }
        .into_any()
    };
    let check_label = format!("{} {}", i18n.im(IKey::Select), item.subject_name);
    view! {
        <li class="item-row queue-item row-check" id=format!("queue-{id}")>
            {pending
                .then(|| {
                    view! {
                        <input
                            type="checkbox"
                            id=format!("select-{id}")
                            aria-label=check_label
                            prop:checked=move || selected.with(|s| s.contains(&id))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                selected.update(|s| {
                                    if on {
                                        s.insert(id);
                                    } else {
                                        s.remove(&id);
                                    }
                                });
                            }
                        />
                    }
                })}
            <div class="row-body">
                <p>
                    <span class=format!("status-tag subject-{}", subject.as_str())>
                        {move || i18n.icat().subject(subject, level)}
                    </span>
                    " "
                    <strong class="queue-name">{item.subject_name.clone()}</strong>
                    " · "
                    <span class=format!("status-tag reason-{}", reason.as_str())>
                        {move || i18n.icat().reason(reason)}
                    </span>
                    " · "
                    {source}
                </p>
                <p>
                    <span class="label">{move || i18n.im(IKey::LegacyAddress)} ": "</span>
                    <span class="legacy-address" lang="vi">{item.legacy_address.clone()}</span>
                </p>
                <p class="hint">{move || i18n.icat().reason_hint(reason)}</p>
                {(!item.candidates.is_empty())
                    .then(|| {
                        view! {
                            <p class="hint">
                                {move || i18n.im(IKey::Candidates)}
                                ": "
                                {candidates_text.clone()}
                            </p>
                        }
                    })}
                {picker}
                {pending
                    .then(|| {
                        view! {
                            <div class="row-actions">
                                <button
                                    id=format!("resolve-{id}")
                                    type="button"
                                    disabled=move || busy.get() || choice.with(|c| c.trim().is_empty())
                                    on:click=resolve
                                >
                                    {move || i18n.im(IKey::Resolve)}
                                </button>
                            </div>
                        }
                    })}
                {alert(i18n, error)}
            </div>
        </li>
    }
}

/// One commune for all the selected records, offered when they share their candidates.
#[component]
fn BulkResolve(
    app: AppContext,
    selected: RwSignal<BTreeSet<Uuid>>,
    candidates: RwSignal<HashMap<Uuid, Vec<CandidateCommune>>>,
    changed: Callback<Vec<ResolveOutcome>>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let choice = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    // The candidates every selected record has (by code, as a set), `None` when they differ.
    let shared_candidates = Memo::new(move |_| {
        let chosen = selected.get();
        candidates.with(|all| {
            let mut sets = chosen.iter().filter_map(|id| all.get(id));
            let first = sets.next()?;
            let codes: BTreeSet<&str> = first.iter().map(|c| c.code.as_str()).collect();
            sets.all(|other| {
                other
                    .iter()
                    .map(|c| c.code.as_str())
                    .collect::<BTreeSet<_>>()
                    == codes
            })
            .then(|| first.clone())
        })
    });
    // A new selection starts without a commune chosen.
    Effect::new(move |_| {
        shared_candidates.track();
        choice.set(String::new());
    });
    let submit = move |_| {
        if busy.get_untracked() {
            return;
        }
        let code = choice.get_untracked().trim().to_string();
        let ids: Vec<Uuid> = selected.get_untracked().into_iter().collect();
        if ids.is_empty() || code.is_empty() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            let items = ids.into_iter().map(|id| (id, code.clone())).collect();
            let outcome = api::imports::resolve_many(session, items).await;
            busy.try_set(false);
            match outcome {
                Ok(results) => {
                    selected.try_set(BTreeSet::new());
                    changed.run(results);
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let body = move || {
        let count = selected.with(BTreeSet::len);
        if count == 0 {
            return view! { <p class="hint">{move || i18n.im(IKey::BulkHint)}</p> }.into_any();
        }
        match shared_candidates.get() {
            None => view! {
                <p class="warning" id="bulk-mixed">
                    {move || i18n.icat().selected_count(count)}
                    " · "
                    {move || i18n.im(IKey::BulkMixed)}
                </p>
            }
            .into_any(),
            Some(list) => {
                let field = if list.is_empty() {
                    view! {
                        <input
                            id="bulk-commune"
                            type="text"
                            inputmode="numeric"
                            maxlength="5"
                            autocomplete="off"
                            bind:value=choice
                        />
                    }
                    .into_any()
                } else {
                    view! {
                        <select id="bulk-commune" on:change=move |event| choice.set(event_target_value(&event))>
                            <SelectOption value="" selected=choice>
                                {move || i18n.im(IKey::ChooseCommune)}
                            </SelectOption>
                            {list
                                .into_iter()
                                .map(|c| {
                                    view! {
                                        <SelectOption value=c.code.clone() selected=choice>
                                            {candidate_label(&c)}
                                        </SelectOption>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                    .into_any()
                };
                view! {
                    <p>{move || i18n.icat().selected_count(count)}</p>
                    <div class="field">
                        <label for="bulk-commune">{move || i18n.im(IKey::PickCommune)}</label>
                        {field}
                    </div>
                    <button
                        id="bulk-resolve"
                        type="button"
                        disabled=move || busy.get() || choice.with(|c| c.trim().is_empty())
                        on:click=submit
                    >
                        {move || i18n.im(IKey::BulkResolve)}
                    </button>
                }
                .into_any()
            }
        }
    };
    view! {
        <div class="bulk-bar" id="queue-bulk" role="group" aria-label=move || i18n.im(IKey::BulkTitle)>
            {body}
            {alert(i18n, error)}
        </div>
    }
}

/// What resolving did to each record.
#[component]
fn Outcomes(app: AppContext, list: Vec<(ResolveOutcome, String)>) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let lines = list
        .into_iter()
        .map(|(outcome, name)| {
            let failed = outcome.result == "error";
            let result = outcome.result.clone();
            let messages = outcome
                .messages
                .iter()
                .map(|m| m.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            view! {
                <li class="bulk-result" class:refused=failed>
                    <strong>{name}</strong>
                    ": "
                    <span class="outcome">{move || i18n.icat().resolve_result(&result)}</span>
                    " "
                    <span lang="vi">{messages}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <div role="status">
            <h3>{move || i18n.im(IKey::ResolveResults)}</h3>
            <ul id="resolve-results" class="bulk-results">{lines}</ul>
        </div>
    }
}
