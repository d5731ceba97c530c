//! `/review`: the review queue: the unit's submitted assessments and those under review, with
//! filters; several can be passed at once (each outcome shown), one returned with a note.

use crate::api::workflow::{RegistrationQuery, Step};
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::hooks::{SEARCH_DELAY, focus_soon, use_debounced};
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::workflow::assessment::assessment_href;
use crate::pages::workflow::common::{
    ErrorLine, GroupsResource, PeriodPicker, StatusTag, alert, group_name, group_names, invalid,
    non_empty, use_periods, use_title,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::assessment::AssessmentStatus;
use shared::auth::{Role, User};
use shared::error::FieldError;
use shared::page::MAX_PER_PAGE;
use shared::workflow::{BulkInput, BulkOutcome, Registration};
use std::collections::{BTreeSet, HashMap};
use uuid::Uuid;
use validator::Validate;

/// The statuses of the queue.
const QUEUE: [AssessmentStatus; 2] = [AssessmentStatus::Submitted, AssessmentStatus::UnderReview];

/// The queue: the registrations shown and how many match in all.
#[derive(Clone)]
struct Queue {
    items: Vec<Registration>,
    total: u64,
}

/// The review page.
#[component]
pub fn ReviewPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, WKey::ReviewTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Review app user /> }))
        })
    };
    view! {
        <h1>{move || i18n.w(WKey::ReviewTitle)}</h1>
        <p>{move || i18n.w(WKey::ReviewIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// One page of the queue for each status asked for (the largest page the API gives), merged
/// and sorted by name.
async fn fetch_queue(
    app: AppContext,
    period_id: Uuid,
    status: Option<AssessmentStatus>,
    group: String,
    q: String,
) -> Result<Queue, ApiError> {
    let statuses: Vec<AssessmentStatus> = match status {
        Some(status) => vec![status],
        None => QUEUE.to_vec(),
    };
    let mut items = Vec::new();
    let mut total = 0;
    for status in statuses {
        let request = RegistrationQuery {
            period_id: Some(period_id),
            status: Some(status),
            target_group: Some(group.clone()).filter(|g| !g.is_empty()),
            q: q.clone(),
            page: 1,
            per_page: MAX_PER_PAGE,
        };
        let (found, matching) = api::workflow::all_registrations(app.session, &request).await?;
        items.extend(found);
        total += matching;
    }
    items.sort_by_cached_key(|r| shared::text::fold(&r.person_name));
    Ok(Queue { items, total })
}

/// The queue for `user`.
#[component]
fn Review(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (periods, chosen, period_id) = use_periods(app);
    let groups: GroupsResource = LocalResource::new(move || api::people::target_groups(session));
    // `?status=` of the address (the home page links here with it), when it is a queue status.
    let status = RwSignal::new(
        crate::hooks::query_param("status")
            .filter(|s| QUEUE.iter().any(|q| q.as_str() == s))
            .unwrap_or_default(),
    );
    let group = RwSignal::new(String::new());
    let filter = RwSignal::new(String::new());
    let query = use_debounced(filter.into(), SEARCH_DELAY);
    let reload = RwSignal::new(0_u32);
    let selected = RwSignal::new(BTreeSet::<Uuid>::new());
    let shown = RwSignal::new(Vec::<Uuid>::new());
    let names = RwSignal::new(HashMap::<Uuid, String>::new());
    let can_review = user.role >= Role::BranchOfficer;

    let queue = LocalResource::new(move || {
        reload.track();
        let period = period_id.get();
        let status = AssessmentStatus::parse(&status.get());
        let group = group.get();
        let q = query.get();
        async move {
            match period {
                Some(period) => fetch_queue(app, period, status, group, q).await.map(Some),
                None => Ok(None),
            }
        }
    });

    let changed = Callback::new(move |()| reload.update(|n| *n += 1));

    let list_view = move || {
        suspend_shown(i18n, async move {
            let Some(Queue { items, total }) = queue.await? else {
                return Ok::<_, ApiError>(().into_any());
            };
            // A failure leaves the groups unnamed; the queue does not depend on them.
            let group_names = group_names(groups.await.unwrap_or_default());
            let ids: Vec<Uuid> = items.iter().map(|r| r.id).collect();
            selected.update(|chosen| chosen.retain(|id| ids.contains(id)));
            shown.set(ids);
            names.set(
                items
                    .iter()
                    .map(|r| (r.id, r.person_name.clone()))
                    .collect(),
            );
            if items.is_empty() {
                return Ok(
                    view! { <p class="empty">{move || i18n.w(WKey::QueueEmpty)}</p> }.into_any(),
                );
            }
            let count = items.len();
            let truncated = (u64::try_from(count).unwrap_or(u64::MAX) < total).then(|| {
                view! { <p class="warning">{move || i18n.wcat().truncated(count, total)}</p> }
            });
            Ok(view! {
                {truncated}
                {can_review
                    .then(|| {
                        view! {
                            <label class="check select-all">
                                <input
                                    id="select-all"
                                    type="checkbox"
                                    aria-controls="review-list"
                                    prop:checked=move || {
                                        shown.with(|ids| {
                                            !ids.is_empty()
                                                && selected.with(|s| ids.iter().all(|id| s.contains(id)))
                                        })
                                    }
                                    on:change=move |event| {
                                        if event_target_checked(&event) {
                                            selected.set(shown.get_untracked().into_iter().collect());
                                        } else {
                                            selected.set(BTreeSet::new());
                                        }
                                    }
                                />
                                {move || i18n.w(WKey::SelectAll)}
                            </label>
                        }
                    })}
                <ul id="review-list" class="review-list">
                    {items
                        .into_iter()
                        .map(|registration| {
                            view! {
                                <ReviewRow
                                    app
                                    registration
                                    names=group_names.clone()
                                    selected
                                    can_review
                                    changed
                                />
                            }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any())
        })
    };

    view! {
        <PeriodPicker app periods chosen role=user.role />
        <section class="panel" aria-labelledby="queue-heading">
            <h2 id="queue-heading" tabindex="-1">{move || i18n.w(WKey::ReviewTitle)}</h2>
            <form
                class="form filter-grid"
                role="search"
                on:submit=|event: SubmitEvent| event.prevent_default()
            >
                <div class="field">
                    <label for="review-status">{move || i18n.w(WKey::Status)}</label>
                    <select
                        id="review-status"
                        aria-controls="review-list"
                        on:change=move |event| status.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=status>
                            {move || i18n.w(WKey::PendingAll)}
                        </SelectOption>
                        {QUEUE
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <SelectOption value=s.as_str() selected=status>
                                        {move || i18n.wcat().status(s)}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="review-group">{move || i18n.t(Key::TargetGroup)}</label>
                    <GroupFilter i18n groups group />
                </div>
                <div class="field">
                    <label for="review-filter">{move || i18n.t(Key::FilterByName)}</label>
                    <input
                        id="review-filter"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        aria-controls="review-list"
                        bind:value=filter
                    />
                </div>
            </form>
            {can_review.then(|| view! { <BulkPass app selected names changed /> })}
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

/// The target-group filter.
#[component]
fn GroupFilter(i18n: I18n, groups: GroupsResource, group: RwSignal<String>) -> impl IntoView {
    let picker = move || {
        suspend_shown(i18n, async move {
            groups.await.map(|groups| {
                view! {
                    <select
                        id="review-group"
                        aria-controls="review-list"
                        on:change=move |event| group.set(event_target_value(&event))
                    >
                        <SelectOption value="" selected=group>
                            {move || i18n.t(Key::AllOption)}
                        </SelectOption>
                        {groups
                            .into_iter()
                            .map(|g| {
                                view! {
                                    <SelectOption value=g.code selected=group>
                                        {move || i18n.pick(&g.name_vi, &g.name_en).to_string()}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                }
            })
        })
    };
    view! { <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition> }
}

/// Passing the selected assessments in one request, then the outcome of each.
#[component]
fn BulkPass(
    app: AppContext,
    selected: RwSignal<BTreeSet<Uuid>>,
    names: RwSignal<HashMap<Uuid, String>>,
    changed: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let nothing = RwSignal::new(false);
    // The outcomes with the names they concern, kept when the queue is fetched again.
    let outcomes = RwSignal::new(None::<Vec<(BulkOutcome, String)>>);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        let ids: Vec<Uuid> = selected.get_untracked().into_iter().collect();
        if ids.is_empty() {
            nothing.set(true);
            return;
        }
        nothing.set(false);
        let input = BulkInput {
            ids,
            note: non_empty(&note.get_untracked()),
        };
        if input.validate().is_err() {
            nothing.set(true);
            return;
        }
        let known = names.get_untracked();
        pending.set(true);
        spawn_local(async move {
            let outcome = api::workflow::bulk_pass(session, &input).await;
            pending.try_set(false);
            match outcome {
                Ok(results) => {
                    let named = results
                        .into_iter()
                        .map(|result| {
                            let name = known
                                .get(&result.id)
                                .cloned()
                                .unwrap_or_else(|| result.id.to_string());
                            (result, name)
                        })
                        .collect();
                    outcomes.try_set(Some(named));
                    note.try_set(String::new());
                    selected.try_set(BTreeSet::new());
                    changed.run(());
                    focus_soon("bulk-results-heading".to_string());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let results = move || {
        outcomes.get().map(|outcomes| {
            view! {
                <div class="bulk-outcome">
                    <h3 id="bulk-results-heading" tabindex="-1">
                        {move || i18n.w(WKey::BulkResultsTitle)}
                    </h3>
                    <ul id="bulk-results" class="bulk-results">
                        {outcomes
                            .into_iter()
                            .map(|(outcome, name)| {
                                let done = outcome.outcome == "done";
                                let id = outcome.id;
                                view! {
                                    <li class="bulk-result" class:refused=!done>
                                        <a href=assessment_href(id)>{name}</a>
                                        ": "
                                        <span class="outcome">
                                            {move || {
                                                if done {
                                                    i18n.w(WKey::OutcomeDone)
                                                } else {
                                                    i18n.w(WKey::OutcomeRefused)
                                                }
                                            }}
                                        </span>
                                        {outcome.problem.map(|problem| view! { " — " {problem} })}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    };

    view! {
        <form id="bulk-form" class="bulk-bar" on:submit=submit novalidate>
            <div class="field">
                <label for="bulk-note">{move || i18n.w(WKey::BulkNote)}</label>
                <input id="bulk-note" type="text" autocomplete="off" bind:value=note />
            </div>
            <p id="selected-count" class="hint" aria-live="polite">
                {move || i18n.wcat().selected_count(selected.with(BTreeSet::len))}
            </p>
            <button id="bulk-pass" type="submit" disabled=move || pending.get()>
                {move || i18n.w(WKey::BulkPass)}
            </button>
        </form>
        {move || {
            nothing
                .get()
                .then(|| view! { <p class="field-error" role="alert">{move || i18n.w(WKey::NothingSelected)}</p> })
        }}
        {move || error.get().map(|error| view! { <ProblemAlert i18n error id="bulk-error" /> })}
        {results}
    }
}

/// One assessment of the queue: a checkbox to select it, the name linking to it, its status and
/// self result, and returning it with a note.
#[component]
fn ReviewRow(
    app: AppContext,
    registration: Registration,
    names: HashMap<String, (String, String)>,
    selected: RwSignal<BTreeSet<Uuid>>,
    can_review: bool,
    changed: Callback<()>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let Registration {
        id,
        person_name,
        person_birth_year,
        target_group,
        reviewing_unit_name,
        effective_status,
        self_result,
        ..
    } = registration;
    let returning = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();
    let note_id = format!("return-note-{id}");
    let link_id = format!("review-link-{id}");

    let submit_return = {
        let note_id = note_id.clone();
        move |event: SubmitEvent| {
            event.prevent_default();
            if pending.get_untracked() {
                return;
            }
            let Some(text) = non_empty(&note.get_untracked()) else {
                field_errors.set(vec![FieldError {
                    field: "note".to_string(),
                    code: "required".to_string(),
                    message: "is required".to_string(),
                }]);
                focus_soon(note_id.clone());
                return;
            };
            field_errors.set(Vec::new());
            error.set(None);
            pending.set(true);
            spawn_local(async move {
                let outcome = api::workflow::act(session, id, Step::Return, Some(text)).await;
                pending.try_set(false);
                match outcome {
                    Ok(_) => {
                        changed.run(());
                        focus_soon("queue-heading".to_string());
                    }
                    Err(failure) => {
                        field_errors.try_set(failure.field_errors());
                        error.try_set(Some(failure));
                    }
                }
            });
        }
    };

    let checkbox = can_review.then(|| {
        let label = person_name.clone();
        view! {
            <input
                id=format!("select-{id}")
                class="select-row"
                type="checkbox"
                aria-label=move || i18n.wcat().select_person(&label)
                prop:checked=move || selected.with(|s| s.contains(&id))
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    selected
                        .update(|s| {
                            if on {
                                s.insert(id);
                            } else {
                                s.remove(&id);
                            }
                        });
                }
            />
        }
    });

    let return_view = move || {
        if !can_review {
            return ().into_any();
        }
        if returning.get() {
            let note_id = note_id.clone();
            let submit_return = submit_return.clone();
            view! {
                <form class="form return-form" on:submit=submit_return novalidate>
                    <div class="field">
                        <label for=note_id.clone()>{move || i18n.w(WKey::ReturnNoteLabel)}</label>
                        <textarea
                            id=note_id.clone()
                            rows="2"
                            required
                            aria-invalid=move || errors.with(|e| invalid(e, "note"))
                            aria-describedby=format!("{note_id}-error")
                            bind:value=note
                        ></textarea>
                        <ErrorLine i18n errors field="note" id=format!("{note_id}-error") />
                    </div>
                    <div class="form-actions">
                        <button
                            id=format!("return-submit-{id}")
                            type="submit"
                            disabled=move || pending.get()
                        >
                            {move || i18n.wcat().action("return").unwrap_or("return")}
                        </button>
                        <button
                            type="button"
                            class="button-quiet"
                            on:click=move |_| {
                                returning.set(false);
                                focus_soon(format!("return-{id}"));
                            }
                        >
                            {move || i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </form>
            }
            .into_any()
        } else {
            let note_id = note_id.clone();
            view! {
                <div class="row-actions">
                    <button
                        id=format!("return-{id}")
                        type="button"
                        class="button-quiet button-small"
                        aria-describedby=link_id.clone()
                        on:click=move |_| {
                            returning.set(true);
                            focus_soon(note_id.clone());
                        }
                    >
                        {move || i18n.w(WKey::ReturnRow)}
                    </button>
                </div>
            }
            .into_any()
        }
    };

    let group = move || group_name(i18n, &names, &target_group);
    view! {
        <li class="review-row">
            <div class="row-check">
                {checkbox}
                <div class="row-body">
                    <a id=format!("review-link-{id}") href=assessment_href(id) class="person-name">
                        {person_name.clone()}
                    </a>
                    " "
                    <StatusTag i18n status=effective_status />
                    <span class="person-meta">
                        <span>{person_birth_year}</span>
                        <span>{group}</span>
                        <span>{reviewing_unit_name}</span>
                        {self_result
                            .map(|result| {
                                view! {
                                    <span>
                                        {move || i18n.w(WKey::SelfTotal)}
                                        ": "
                                        {move || i18n.wcat().total_of(result.total, result.max)}
                                        " · "
                                        {move || {
                                            if result.passed {
                                                i18n.w(WKey::Passed)
                                            } else {
                                                i18n.w(WKey::NotPassed)
                                            }
                                        }}
                                    </span>
                                }
                            })}
                    </span>
                    {return_view}
                    {alert(i18n, error)}
                </div>
            </div>
        </li>
    }
}
