//! `/assessments/{id}`: one person's assessment: who and where, the status with the actions it
//! allows, the scoring forms generated from the criteria set (the self-assessment, and the review
//! beside it once submitted), the certificate once recognised, and the history.

use crate::api::workflow::Step;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::hooks::focus_soon;
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::workflow::common::{
    ErrorLine, GroupsResource, StatusTag, group_name, group_names, invalid, non_empty, use_title,
};
use crate::pages::workflow::criteria_tree::{CriteriaSetHeading, CriteriaTree};
use crate::pages::workflow::evidence::EvidenceFiles;
use crate::pages::workflow::pdf::{PdfButton, PdfSource};
use crate::pages::workflow::score_form::{ScoreForm, Scorer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use shared::assessment::{AssessmentStatus, EffectiveStatus};
use shared::auth::Role;
use shared::error::FieldError;
use shared::workflow::{
    AssessmentEvent, CriteriaSet, CriteriaSetStatus, Registration, RevokeInput,
};
use uuid::Uuid;
use validator::Validate;

/// The address of an assessment's page.
pub fn assessment_href(id: Uuid) -> String {
    format!("/assessments/{id}")
}

/// The criteria set an assessment is scored against: the one it is pinned to, or before it
/// starts the one in force for its target group (`None` when there is none).
type SetResource = LocalResource<Result<Option<CriteriaSet>, ApiError>>;

/// The published set of `sets` that is in force: the most recently published.
pub fn in_force(sets: Vec<CriteriaSet>) -> Option<CriteriaSet> {
    sets.into_iter()
        .filter(|set| set.status == CriteriaSetStatus::Published)
        .max_by_key(|set| (set.published_at, set.set_version))
}

/// The assessment page.
#[component]
pub fn AssessmentPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_title(i18n, WKey::AssessmentTitle);
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    });
    let registration = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::workflow::registration(session, id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let page_view = move || {
        suspend_shown(i18n, async move {
            let found = registration.await?;
            let role = me.await?.map(|user| user.role);
            Ok::<_, ApiError>(match (found, role) {
                (Some(registration), Some(role)) => {
                    view! { <Assessment app registration role /> }.into_any()
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
        <nav class="breadcrumb" aria-label=move || i18n.w(WKey::NavAssessments)>
            <a href="/assessments">{move || i18n.w(WKey::BackToAssessments)}</a>
        </nav>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// Which forms an assessment shows; they are drawn again only when it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The criteria set in force, before the self-assessment starts.
    Registered,
    /// The self-assessment form.
    SelfAssessment,
    /// The self scores beside the review form (submitted or under review).
    Review,
    /// Both, read-only.
    Done,
}

impl Phase {
    fn of(status: AssessmentStatus) -> Self {
        match status {
            AssessmentStatus::Registered => Phase::Registered,
            AssessmentStatus::Draft => Phase::SelfAssessment,
            AssessmentStatus::Submitted | AssessmentStatus::UnderReview => Phase::Review,
            _ => Phase::Done,
        }
    }
}

/// The whole assessment for an officer with `role`.
#[component]
fn Assessment(app: AppContext, registration: Registration, role: Role) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = registration.id;
    let current = RwSignal::new(registration);
    let groups: GroupsResource = LocalResource::new(move || api::people::target_groups(session));
    let events = LocalResource::new(move || {
        current.with(|r| r.version);
        api::workflow::events(session, id)
    });
    // The forms are drawn again only when the phase or the criteria set changes, so that
    // saving scores keeps the fields (and the focus) as they are.
    let set_key = Memo::new(move |_| current.with(|r| (r.criteria_set_id, r.target_group.clone())));
    let phase = Memo::new(move |_| Phase::of(current.with(|r| r.status)));
    let set: SetResource = LocalResource::new(move || {
        let (pinned, group) = set_key.get();
        async move {
            match pinned {
                Some(set_id) => api::workflow::criteria_set(session, set_id).await.map(Some),
                None => api::workflow::criteria_sets(session, Some(&group))
                    .await
                    .map(in_force),
            }
        }
    });
    let saved = Callback::new(move |updated: Registration| current.set(updated));
    // Set when the self-assessment has just been started: its form then takes the focus.
    let focus_scores = StoredValue::new(false);

    let facts = move || {
        let r = current.get();
        let group = r.target_group.clone();
        let group_view = move || {
            let group = group.clone();
            Suspend::new(async move {
                // A failure leaves the code shown; the page does not depend on the names.
                let names = group_names(groups.await.unwrap_or_default());
                move || group_name(i18n, &names, &group)
            })
        };
        view! {
            <dl class="facts">
                <dt>{move || i18n.w(WKey::Status)}</dt>
                <dd>
                    <StatusTag i18n status=r.effective_status id="assessment-status" />
                </dd>
                <dt>{move || i18n.w(WKey::Period)}</dt>
                <dd>{r.period_year}</dd>
                <dt>{move || i18n.t(Key::TargetGroup)}</dt>
                <dd>
                    <Transition fallback=|| ()>{group_view}</Transition>
                </dd>
                <dt>{move || i18n.w(WKey::BirthYear)}</dt>
                <dd>{r.person_birth_year}</dd>
                <dt>{move || i18n.w(WKey::ReviewingUnit)}</dt>
                <dd>{r.reviewing_unit_name.clone()}</dd>
                {r
                    .self_result
                    .clone()
                    .map(|result| {
                        view! {
                            <dt>{move || i18n.w(WKey::SelfFormTitle)}</dt>
                            <dd id="self-result">
                                {move || i18n.wcat().total_of(result.total, result.max)}
                                " · "
                                {move || {
                                    if result.passed { i18n.w(WKey::Passed) } else { i18n.w(WKey::NotPassed) }
                                }}
                            </dd>
                        }
                    })}
                {r
                    .review_result
                    .clone()
                    .map(|result| {
                        view! {
                            <dt>{move || i18n.w(WKey::ReviewFormTitle)}</dt>
                            <dd id="review-result">
                                {move || i18n.wcat().total_of(result.total, result.max)}
                                " · "
                                {move || {
                                    if result.passed { i18n.w(WKey::Passed) } else { i18n.w(WKey::NotPassed) }
                                }}
                            </dd>
                        }
                    })}
                {r
                    .last_note
                    .clone()
                    .map(|note| {
                        view! {
                            <dt>{move || i18n.w(WKey::LastNote)}</dt>
                            <dd id="last-note">{note}</dd>
                        }
                    })}
            </dl>
        }
    };

    let forms = move || {
        let phase = phase.get();
        set_key.track();
        let can_score = role >= Role::BranchOfficer;
        suspend_shown(i18n, async move {
            let found = set.await?;
            let r = current.get_untracked();
            let Some(set) = found else {
                return Ok::<_, ApiError>(
                    view! { <p class="warning">{move || i18n.w(WKey::NoCriteriaInForce)}</p> }
                        .into_any(),
                );
            };
            let evidence = r.evidence.clone().unwrap_or_default();
            let view = match phase {
                Phase::Registered => view! {
                    <section class="panel" aria-labelledby="criteria-heading">
                        <h2 id="criteria-heading">{move || i18n.w(WKey::CriteriaInForce)}</h2>
                        <CriteriaSetHeading i18n set=set.clone() />
                        <p class="notice">{move || i18n.w(WKey::StartHint)}</p>
                        <CriteriaTree i18n set />
                    </section>
                }
                .into_any(),
                Phase::SelfAssessment => {
                    let focus_first = focus_scores
                        .try_update_value(std::mem::take)
                        .unwrap_or(false);
                    view! {
                        <SetLine i18n set=set.clone() />
                        <ScoreForm
                            app
                            scorer=Scorer::Own
                            set=set.clone()
                            registration=id
                            initial=r.self_scores.clone()
                            evidence
                            editable=can_score
                            focus_first
                            saved
                        />
                        <EvidenceFiles app registration=id set editable=can_score />
                    }
                    .into_any()
                }
                Phase::Review => {
                    let prefilled = r.review_scores.is_none();
                    let review_initial = r.review_scores.clone().or(r.self_scores.clone());
                    view! {
                        <SetLine i18n set=set.clone() />
                        <div class="score-columns">
                            <ScoreForm
                                app
                                scorer=Scorer::Own
                                set=set.clone()
                                registration=id
                                initial=r.self_scores.clone()
                                evidence=evidence.clone()
                                editable=false
                                saved
                            />
                            <ScoreForm
                                app
                                scorer=Scorer::Review
                                set=set.clone()
                                registration=id
                                initial=review_initial
                                compare=r.self_scores.clone()
                                evidence
                                editable=can_score
                                prefilled
                                saved
                            />
                        </div>
                        <EvidenceFiles
                            app
                            registration=id
                            set
                            editable=can_score && r.status == AssessmentStatus::UnderReview
                        />
                    }
                    .into_any()
                }
                Phase::Done => {
                    let review = r.review_scores.clone().map(|scores| {
                        view! {
                            <ScoreForm
                                app
                                scorer=Scorer::Review
                                set=set.clone()
                                registration=id
                                initial=Some(scores)
                                evidence=evidence.clone()
                                editable=false
                                saved
                            />
                        }
                    });
                    view! {
                        <SetLine i18n set=set.clone() />
                        <div class="score-columns">
                            <ScoreForm
                                app
                                scorer=Scorer::Own
                                set=set.clone()
                                registration=id
                                initial=r.self_scores.clone()
                                evidence
                                editable=false
                                saved
                            />
                            {review}
                        </div>
                        <EvidenceFiles app registration=id set editable=false />
                    }
                    .into_any()
                }
            };
            Ok(view)
        })
    };

    let certificate = move || {
        let r = current.get();
        r.certificate_number.clone().map(|number| {
            let downloadable = r.status == AssessmentStatus::Recognised;
            let verify_href = r
                .verification_code
                .clone()
                .map(|code| format!("/verify/{code}"));
            let name = number.clone();
            view! {
                <section class="panel" aria-labelledby="certificate-heading">
                    <h2 id="certificate-heading">{move || i18n.w(WKey::CertificateTitle)}</h2>
                    <dl class="facts">
                        <dt>{move || i18n.w(WKey::CertificateNumber)}</dt>
                        <dd id="certificate-number">{number}</dd>
                        {r
                            .recognised_at
                            .map(|at| {
                                view! {
                                    <dt>{move || i18n.w(WKey::RecognisedAt)}</dt>
                                    <dd>{move || i18n.cat().date_time(at)}</dd>
                                }
                            })}
                        {r
                            .expires_on
                            .map(|day| {
                                view! {
                                    <dt>{move || i18n.w(WKey::ValidUntil)}</dt>
                                    <dd>{move || i18n.cat().date(day)}</dd>
                                }
                            })}
                        {r
                            .revoked_at
                            .map(|at| {
                                view! {
                                    <dt>{move || i18n.w(WKey::RevokedAt)}</dt>
                                    <dd>{move || i18n.cat().date_time(at)}</dd>
                                }
                            })}
                        {r
                            .revoke_reason
                            .clone()
                            .map(|reason| {
                                view! {
                                    <dt>{move || i18n.w(WKey::RevokeReasonShown)}</dt>
                                    <dd>{reason}</dd>
                                }
                            })}
                    </dl>
                    <div class="form-actions">
                        {downloadable
                            .then(|| {
                                view! {
                                    <PdfButton
                                        app
                                        id="certificate-pdf"
                                        label=WKey::CertificatePdf
                                        source=PdfSource::Certificate(id)
                                        name
                                    />
                                }
                            })}
                        {verify_href
                            .map(|href| {
                                view! {
                                    <a id="verify-link" href=href rel="external">
                                        {move || i18n.w(WKey::VerifyPage)}
                                    </a>
                                }
                            })}
                    </div>
                </section>
            }
        })
    };

    let history = move || {
        suspend_shown(i18n, async move {
            events.await.map(|events| {
                if events.is_empty() {
                    return view! { <p class="empty">{move || i18n.w(WKey::HistoryEmpty)}</p> }
                        .into_any();
                }
                view! {
                    <ol id="assessment-history" class="history">
                        {events.into_iter().map(|event| view! { <HistoryEntry i18n event /> }).collect_view()}
                    </ol>
                }
                .into_any()
            })
        })
    };

    view! {
        <h1 id="assessment-heading" tabindex="-1">
            {move || current.with(|r| r.person_name.clone())}
        </h1>
        <p>
            <a
                id="assessment-person"
                href=move || crate::components::person_item::person_href(current.with(|r| r.person_id))
            >
                {move || i18n.t(Key::OpenRecord)}
            </a>
        </p>
        {facts}
        <Actions app current role focus_scores />
        {certificate}
        <Transition fallback=move || view! { <Loading i18n /> }>{forms}</Transition>
        <section class="panel" aria-labelledby="history-heading">
            <h2 id="history-heading">{move || i18n.w(WKey::HistoryTitle)}</h2>
            <Transition fallback=move || view! { <Loading i18n /> }>{history}</Transition>
        </section>
    }
}

/// The set an assessment is pinned to, in one line.
#[component]
fn SetLine(i18n: I18n, set: CriteriaSet) -> impl IntoView {
    view! {
        <div class="set-line">
            <span class="label">{move || i18n.w(WKey::CriteriaPinned)}</span>
            <CriteriaSetHeading i18n set />
        </div>
    }
}

/// One step of the history: when, what, who, from which status to which, and the note.
#[component]
fn HistoryEntry(i18n: I18n, event: AssessmentEvent) -> impl IntoView {
    let AssessmentEvent {
        at,
        actor_username,
        action,
        from_status,
        to_status,
        note,
    } = event;
    view! {
        <li class="history-entry">
            <time datetime=at.to_rfc3339()>{move || i18n.cat().date_time(at)}</time>
            " "
            <strong class="history-action">
                {move || i18n.wcat().action(&action).map_or_else(|| action.clone(), str::to_string)}
            </strong>
            {actor_username.map(|name| view! { " · " <span class="history-actor">{name}</span> })}
            <span class="history-move">
                {from_status
                    .map(|from| {
                        view! {
                            <StatusTag i18n status=EffectiveStatus::from(from) />
                            " → "
                        }
                    })}
                <StatusTag i18n status=EffectiveStatus::from(to_status) />
            </span>
            {note.map(|note| view! { <p class="history-note">{note}</p> })}
        </li>
    }
}

/// A step waiting for a second click before it is taken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asking {
    Nothing,
    Fail,
    Withdraw,
}

/// The buttons of the steps the status allows, the note a return needs, and revoking a
/// recognition (with a reason).
#[component]
fn Actions(
    app: AppContext,
    current: RwSignal<Registration>,
    role: Role,
    focus_scores: StoredValue<bool>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = current.with_untracked(|r| r.id);
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<AssessmentStatus>);
    let asking = RwSignal::new(Asking::Nothing);
    let return_note = RwSignal::new(String::new());
    let revoke_reason = RwSignal::new(String::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();

    let finish = move |outcome: Result<Registration, ApiError>, step: Option<Step>| {
        pending.try_set(false);
        match outcome {
            Ok(updated) => {
                notice.try_set(Some(updated.status));
                asking.try_set(Asking::Nothing);
                return_note.try_set(String::new());
                revoke_reason.try_set(String::new());
                if step == Some(Step::Start) {
                    focus_scores.try_set_value(true);
                } else {
                    focus_soon("actions-heading".to_string());
                }
                current.try_set(updated);
            }
            Err(failure) => {
                field_errors.try_set(failure.field_errors());
                error.try_set(Some(failure));
            }
        }
    };
    let run = move |step: Step, note: Option<String>| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        notice.set(None);
        field_errors.set(Vec::new());
        spawn_local(async move {
            finish(
                api::workflow::act(session, id, step, note).await,
                Some(step),
            )
        });
    };
    let return_to_draft = move || {
        let Some(note) = non_empty(&return_note.get_untracked()) else {
            field_errors.set(vec![FieldError {
                field: "note".to_string(),
                code: "required".to_string(),
                message: "is required".to_string(),
            }]);
            focus_soon("return-note".to_string());
            return;
        };
        run(Step::Return, Some(note));
    };
    let revoke = move || {
        if pending.get_untracked() {
            return;
        }
        let input = RevokeInput {
            reason: revoke_reason.get_untracked().trim().to_string(),
        };
        if let Err(invalid) = input.validate() {
            field_errors.set(shared::error::field_errors(&invalid));
            focus_soon("revoke-reason".to_string());
            return;
        }
        pending.set(true);
        error.set(None);
        notice.set(None);
        field_errors.set(Vec::new());
        spawn_local(async move { finish(api::workflow::revoke(session, id, &input).await, None) });
    };

    let buttons = move || {
        let allowed = current.with(|r| r.allowed_actions.clone());
        if role < Role::BranchOfficer {
            return ().into_any();
        }
        let steps: Vec<Step> = Step::ALL
            .into_iter()
            .filter(|step| allowed.iter().any(|a| a == step.action()))
            .collect();
        let can_revoke = role >= Role::CommuneOfficer && allowed.iter().any(|a| a == "revoke");
        if steps.is_empty() && !can_revoke {
            return view! { <p class="empty">{move || i18n.w(WKey::NoActions)}</p> }.into_any();
        }
        let simple = steps
            .iter()
            .copied()
            .filter(|step| *step != Step::Return)
            .map(|step| {
                let danger = matches!(step, Step::Fail | Step::Withdraw);
                let label = move || i18n.wcat().action(step.action()).unwrap_or(step.segment());
                let click = move |_| match step {
                    Step::Fail => {
                        asking.set(Asking::Fail);
                        focus_soon("action-fail-confirm".to_string());
                    }
                    Step::Withdraw => {
                        asking.set(Asking::Withdraw);
                        focus_soon("action-withdraw-confirm".to_string());
                    }
                    _ => run(step, None),
                };
                view! {
                    <button
                        id=format!("action-{}", step.segment())
                        type="button"
                        class=if danger { "button-danger" } else { "" }
                        disabled=move || pending.get()
                        on:click=click
                    >
                        {label}
                    </button>
                }
            })
            .collect_view();
        let confirm = move || {
            let (question, step) = match asking.get() {
                Asking::Nothing => return None,
                Asking::Fail => (WKey::ConfirmFail, Step::Fail),
                Asking::Withdraw => (WKey::ConfirmWithdraw, Step::Withdraw),
            };
            let cancel_target = format!("action-{}", step.segment());
            Some(view! {
                <div class="confirm">
                    <p id="action-question" class="warning">{move || i18n.w(question)}</p>
                    <div class="form-actions">
                        <button
                            id=format!("action-{}-confirm", step.segment())
                            type="button"
                            class="button-danger"
                            aria-describedby="action-question"
                            disabled=move || pending.get()
                            on:click=move |_| run(step, None)
                        >
                            {move || i18n.w(WKey::Confirm)}
                        </button>
                        <button
                            type="button"
                            class="button-quiet"
                            on:click=move |_| {
                                asking.set(Asking::Nothing);
                                focus_soon(cancel_target.clone());
                            }
                        >
                            {move || i18n.t(Key::Cancel)}
                        </button>
                    </div>
                </div>
            })
        };
        let can_return = steps.contains(&Step::Return);
        let return_form = can_return.then(|| {
            view! {
                <form
                    class="form return-form"
                    on:submit=move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        return_to_draft();
                    }
                    novalidate
                >
                    <div class="field">
                        <label for="return-note">{move || i18n.w(WKey::ReturnNoteLabel)}</label>
                        <textarea
                            id="return-note"
                            rows="2"
                            required
                            aria-invalid=move || errors.with(|e| invalid(e, "note"))
                            aria-describedby="return-note-hint return-note-error"
                            bind:value=return_note
                        ></textarea>
                        <p id="return-note-hint" class="hint">
                            {move || i18n.w(WKey::ReturnNoteHint)}
                        </p>
                        <ErrorLine i18n errors field="note" id="return-note-error" />
                    </div>
                    <button id="action-return" type="submit" disabled=move || pending.get()>
                        {move || i18n.wcat().action("return").unwrap_or("return")}
                    </button>
                </form>
            }
        });
        let revoke_form = can_revoke.then(|| {
            view! {
                <form
                    class="form revoke-form"
                    on:submit=move |event: leptos::ev::SubmitEvent| {
                        event.prevent_default();
                        revoke();
                    }
                    novalidate
                >
                    <h3>{move || i18n.w(WKey::RevokeTitle)}</h3>
                    <div class="field">
                        <label for="revoke-reason">{move || i18n.w(WKey::RevokeReason)}</label>
                        <textarea
                            id="revoke-reason"
                            rows="2"
                            required
                            aria-invalid=move || errors.with(|e| invalid(e, "reason"))
                            aria-describedby="revoke-reason-hint revoke-reason-error"
                            bind:value=revoke_reason
                        ></textarea>
                        <p id="revoke-reason-hint" class="hint">
                            {move || i18n.w(WKey::RevokeReasonHint)}
                        </p>
                        <ErrorLine i18n errors field="reason" id="revoke-reason-error" />
                    </div>
                    <button
                        id="action-revoke"
                        type="submit"
                        class="button-danger"
                        disabled=move || pending.get()
                    >
                        {move || i18n.w(WKey::Revoke)}
                    </button>
                </form>
            }
        });
        view! {
            <div class="action-buttons">{simple}</div>
            {confirm}
            {return_form}
            {revoke_form}
        }
        .into_any()
    };

    view! {
        <section id="actions" class="panel" aria-labelledby="actions-heading">
            <h2 id="actions-heading" tabindex="-1">{move || i18n.w(WKey::ActionsTitle)}</h2>
            <p id="action-status" class="success" role="status">
                {move || {
                    notice.get().map(|status| i18n.wcat().status_now(i18n.wcat().status(status)))
                }}
            </p>
            {buttons}
            {move || error.get().map(|error| view! { <ProblemAlert i18n error id="action-error" /> })}
        </section>
    }
}
