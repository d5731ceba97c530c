//! `/decisions/{id}`: one recognition decision. While it is a draft, the people of the period
//! who passed review are added to it or taken off, and it is issued after a confirmation; once
//! issued, its certificates are printed.

use crate::api::workflow::RegistrationQuery;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::hooks::focus_soon;
use crate::i18n::workflow::{WKey, field_text};
use crate::i18n::{I18n, Key};
use crate::pages::workflow::assessment::assessment_href;
use crate::pages::workflow::common::{StatusTag, use_title};
use crate::pages::workflow::pdf::{PdfButton, PdfSource};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::assessment::AssessmentStatus;
use shared::auth::Role;
use shared::page::MAX_PER_PAGE;
use shared::workflow::{Decision, Registration};
use std::collections::BTreeSet;
use uuid::Uuid;

/// The decision page.
#[component]
pub fn DecisionPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_title(i18n, WKey::DecisionsTitle);
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    });
    let decision = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::workflow::decision(session, id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let page_view = move || {
        suspend_shown(i18n, async move {
            let found = decision.await?;
            let role = me.await?.map(|user| user.role);
            Ok::<_, ApiError>(match (found, role) {
                (Some(decision), Some(role)) => {
                    view! { <DecisionDetail app decision role /> }.into_any()
                }
                (None, _) => view! {
                    <p class="error" role="alert">{move || i18n.t(Key::ErrNotFound)}</p>
                }
                .into_any(),
                (_, None) => ().into_any(),
            })
        })
    };
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.w(WKey::DecisionsTitle)>
            <a href="/decisions">{move || i18n.w(WKey::BackToDecisions)}</a>
        </nav>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// The registrations of `period` in `statuses` (up to the list cap of each).
async fn registrations_of(
    app: AppContext,
    period: Uuid,
    statuses: &[AssessmentStatus],
) -> Result<Vec<Registration>, ApiError> {
    let mut all = Vec::new();
    for status in statuses {
        let request = RegistrationQuery {
            period_id: Some(period),
            status: Some(*status),
            target_group: None,
            q: String::new(),
            page: 1,
            per_page: MAX_PER_PAGE,
        };
        all.extend(
            api::workflow::all_registrations(app.session, &request)
                .await?
                .0,
        );
    }
    all.sort_by_cached_key(|r| shared::text::fold(&r.person_name));
    Ok(all)
}

/// What can be done to the decision, waiting for its answer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Busy {
    Idle,
    Adding,
    Removing,
    Issuing,
}

/// The decision, the people it lists and, while a draft, those who can be added.
#[component]
fn DecisionDetail(app: AppContext, decision: Decision, role: Role) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = decision.id;
    let current = RwSignal::new(decision);
    let can_edit = role >= Role::CommuneOfficer;
    let issued = Memo::new(move |_| current.with(|d| d.status == "issued"));
    // Fetched again whenever the decision changes: its lists change with it.
    let registrations = LocalResource::new(move || {
        let period = current.with(|d| d.period_id);
        let issued = issued.get();
        async move {
            let statuses: &[AssessmentStatus] = if issued {
                &[AssessmentStatus::Recognised, AssessmentStatus::Revoked]
            } else {
                &[AssessmentStatus::ReviewPassed]
            };
            registrations_of(app, period, statuses).await
        }
    });
    let listed_chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let candidates_chosen = RwSignal::new(BTreeSet::<Uuid>::new());
    let busy = RwSignal::new(Busy::Idle);
    let error = RwSignal::new(None::<ApiError>);
    // Names of the registrations the last refusal is about, by the index the server gave.
    let refused_ids = RwSignal::new(Vec::<Uuid>::new());
    let confirming = RwSignal::new(false);

    let change = move |what: Busy, ids: Vec<Uuid>| {
        if busy.get_untracked() != Busy::Idle || ids.is_empty() {
            return;
        }
        busy.set(what);
        error.set(None);
        refused_ids.set(ids.clone());
        spawn_local(async move {
            let outcome = match what {
                Busy::Adding => api::workflow::add_to_decision(session, id, ids).await,
                Busy::Removing => api::workflow::remove_from_decision(session, id, ids).await,
                Busy::Issuing => api::workflow::issue_decision(session, id).await,
                Busy::Idle => return,
            };
            busy.try_set(Busy::Idle);
            match outcome {
                Ok(updated) => {
                    listed_chosen.try_set(BTreeSet::new());
                    candidates_chosen.try_set(BTreeSet::new());
                    confirming.try_set(false);
                    current.try_set(updated);
                    focus_soon(
                        if what == Busy::Issuing {
                            "decision-heading"
                        } else {
                            "listed-heading"
                        }
                        .to_string(),
                    );
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let facts = move || {
        let d = current.get();
        view! {
            <dl class="facts">
                <dt>{move || i18n.w(WKey::DecisionTitleLabel)}</dt>
                <dd>{d.title.clone()}</dd>
                <dt>{move || i18n.w(WKey::DecisionDate)}</dt>
                <dd>{move || i18n.cat().date(d.decision_date)}</dd>
                <dt>{move || i18n.w(WKey::Signer)}</dt>
                <dd>{format!("{} — {}", d.signer_title, d.signer)}</dd>
                <dt>{move || i18n.w(WKey::IssuingUnit)}</dt>
                <dd>{d.issuing_unit_name.clone()}</dd>
                <dt>{move || i18n.w(WKey::Status)}</dt>
                <dd id="decision-status">
                    {move || {
                        if issued.get() { i18n.w(WKey::DecisionIssued) } else { i18n.w(WKey::DecisionDraft) }
                    }}
                </dd>
                {d
                    .issued_at
                    .map(|at| {
                        view! {
                            <dt>{move || i18n.w(WKey::IssuedAt)}</dt>
                            <dd>{move || i18n.cat().date_time(at)}</dd>
                        }
                    })}
            </dl>
        }
    };

    let lists = move || {
        suspend_shown(i18n, async move {
            let all = registrations.await?;
            let (listed_ids, draft) =
                current.with_untracked(|d| (d.registration_ids.clone(), d.status != "issued"));
            let (listed, candidates): (Vec<Registration>, Vec<Registration>) =
                all.into_iter().partition(|r| listed_ids.contains(&r.id));
            let editable = draft && can_edit;
            let listed_view = if listed.is_empty() {
                view! { <p class="empty">{move || i18n.w(WKey::ListedEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ul id="decision-items" class="item-list">
                        {listed
                            .into_iter()
                            .map(|registration| {
                                view! {
                                    <ItemRow
                                        i18n
                                        registration
                                        chosen=listed_chosen
                                        prefix="item"
                                        selectable=editable
                                    />
                                }
                            })
                            .collect_view()}
                    </ul>
                    {editable
                        .then(|| {
                            view! {
                                <button
                                    id="remove-from-decision"
                                    type="button"
                                    class="button-secondary"
                                    disabled=move || {
                                        busy.get() != Busy::Idle
                                            || listed_chosen.with(BTreeSet::is_empty)
                                    }
                                    on:click=move |_| {
                                        change(
                                            Busy::Removing,
                                            listed_chosen.get_untracked().into_iter().collect(),
                                        )
                                    }
                                >
                                    {move || i18n.w(WKey::RemoveFromDecision)}
                                </button>
                            }
                        })}
                }
                .into_any()
            };
            let candidates_view = editable.then(|| {
                let body = if candidates.is_empty() {
                    view! { <p class="empty">{move || i18n.w(WKey::CandidatesEmpty)}</p> }
                        .into_any()
                } else {
                    view! {
                        <ul id="decision-candidates" class="item-list">
                            {candidates
                                .into_iter()
                                .map(|registration| {
                                    view! {
                                        <ItemRow
                                            i18n
                                            registration
                                            chosen=candidates_chosen
                                            prefix="candidate"
                                            selectable=true
                                        />
                                    }
                                })
                                .collect_view()}
                        </ul>
                        <button
                            id="add-to-decision"
                            type="button"
                            disabled=move || {
                                busy.get() != Busy::Idle
                                    || candidates_chosen.with(BTreeSet::is_empty)
                            }
                            on:click=move |_| {
                                change(
                                    Busy::Adding,
                                    candidates_chosen.get_untracked().into_iter().collect(),
                                )
                            }
                        >
                            {move || i18n.w(WKey::AddToDecision)}
                        </button>
                    }
                    .into_any()
                };
                view! {
                    <section class="panel" aria-labelledby="candidates-heading">
                        <h2 id="candidates-heading">{move || i18n.w(WKey::CandidatesTitle)}</h2>
                        {body}
                    </section>
                }
            });
            Ok::<_, ApiError>(view! {
                <section class="panel" aria-labelledby="listed-heading">
                    <h2 id="listed-heading" tabindex="-1">
                        {move || i18n.w(WKey::ListedTitle)}
                        " ("
                        {move || i18n.wcat().people_count(listed_ids.len())}
                        ")"
                    </h2>
                    {listed_view}
                </section>
                {candidates_view}
            })
        })
    };

    let refusal = move || {
        error.get().map(|failure| {
            let ids = refused_ids.get_untracked();
            let names = registrations.get().and_then(Result::ok).unwrap_or_default();
            let details: Vec<String> = failure
                .field_errors()
                .iter()
                .map(|field_error| {
                    let who = field_error
                        .field
                        .strip_prefix("registration_ids[")
                        .and_then(|rest| rest.strip_suffix(']'))
                        .and_then(|index| index.parse::<usize>().ok())
                        .and_then(|index| ids.get(index))
                        .and_then(|id| names.iter().find(|r| r.id == *id))
                        .map(|r| r.person_name.clone());
                    let message = field_text(i18n, field_error);
                    match who {
                        Some(name) => format!("{name}: {message}"),
                        None => message,
                    }
                })
                .collect();
            view! {
                <ProblemAlert i18n error=failure id="decision-error" />
                {(!details.is_empty())
                    .then(|| {
                        view! {
                            <ul class="field-error">
                                {details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                            </ul>
                        }
                    })}
            }
        })
    };

    let issue_section = move || {
        if !can_edit {
            return ().into_any();
        }
        if issued.get() {
            let number = current.with(|d| d.number.clone());
            return view! {
                <section class="panel" aria-labelledby="print-heading">
                    <h2 id="print-heading">{move || i18n.w(WKey::CertificateTitle)}</h2>
                    <PdfButton
                        app
                        id="decision-pdf"
                        label=WKey::DecisionPdf
                        source=PdfSource::Decision(id)
                        name=number
                    />
                </section>
            }
            .into_any();
        }
        let count = current.with(|d| d.registration_ids.len());
        let body = if count == 0 {
            view! { <p class="notice">{move || i18n.w(WKey::IssueEmpty)}</p> }.into_any()
        } else if confirming.get() {
            view! {
                <div class="confirm">
                    <p id="issue-question" class="warning">
                        {move || i18n.wcat().confirm_issue(count)}
                    </p>
                    <div class="form-actions">
                        <button
                            id="issue-confirm"
                            type="button"
                            class="button-danger"
                            aria-describedby="issue-question"
                            disabled=move || busy.get() != Busy::Idle
                            on:click=move |_| change(Busy::Issuing, vec![id])
                        >
                            {move || i18n.w(WKey::IssueConfirm)}
                        </button>
                        <button
                            id="issue-cancel"
                            type="button"
                            class="button-quiet"
                            on:click=move |_| {
                                confirming.set(false);
                                focus_soon("issue-decision".to_string());
                            }
                        >
                            {move || i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button
                    id="issue-decision"
                    type="button"
                    on:click=move |_| {
                        error.set(None);
                        confirming.set(true);
                        focus_soon("issue-confirm".to_string());
                    }
                >
                    {move || i18n.w(WKey::IssueDecision)}
                </button>
            }
            .into_any()
        };
        view! {
            <section class="panel" aria-labelledby="issue-heading">
                <h2 id="issue-heading">{move || i18n.w(WKey::IssueTitle)}</h2>
                {body}
            </section>
        }
        .into_any()
    };

    view! {
        <h1 id="decision-heading" tabindex="-1">
            {move || current.with(|d| i18n.wcat().decision_heading(&d.number))}
        </h1>
        {facts}
        {refusal}
        <Transition fallback=move || view! { <Loading i18n /> }>{lists}</Transition>
        {issue_section}
    }
}

/// One registration of a decision's lists, with a checkbox when it can be chosen.
#[component]
fn ItemRow(
    i18n: I18n,
    registration: Registration,
    chosen: RwSignal<BTreeSet<Uuid>>,
    prefix: &'static str,
    selectable: bool,
) -> impl IntoView {
    let Registration {
        id,
        person_name,
        person_birth_year,
        effective_status,
        certificate_number,
        review_result,
        ..
    } = registration;
    let label = person_name.clone();
    let checkbox = selectable.then(|| {
        view! {
            <input
                id=format!("{prefix}-{id}")
                type="checkbox"
                aria-label=move || i18n.wcat().select_person(&label)
                prop:checked=move || chosen.with(|c| c.contains(&id))
                on:change=move |event| {
                    let on = event_target_checked(&event);
                    chosen
                        .update(|c| {
                            if on {
                                c.insert(id);
                            } else {
                                c.remove(&id);
                            }
                        });
                }
            />
        }
    });
    view! {
        <li class="item-row">
            <div class="row-check">
                {checkbox}
                <div class="row-body">
                    <a href=assessment_href(id) class="person-name">{person_name}</a>
                    " "
                    <StatusTag i18n status=effective_status />
                    <span class="person-meta">
                        <span>{person_birth_year}</span>
                        {review_result
                            .map(|result| {
                                view! {
                                    <span>{move || i18n.wcat().total_of(result.total, result.max)}</span>
                                }
                            })}
                        {certificate_number
                            .map(|number| {
                                view! {
                                    <span>
                                        {move || i18n.w(WKey::CertificateNumber)}
                                        " "
                                        {number}
                                    </span>
                                }
                            })}
                    </span>
                </div>
            </div>
        </li>
    }
}
