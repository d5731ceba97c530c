//! `/decisions`: the recognition decisions of a period and the form that drafts a new one.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::dates::{DAY_PLACEHOLDER, day_text, read_day, today};
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::workflow::common::{
    ErrorLine, PeriodPicker, alert, invalid, use_periods, use_title,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::auth::{Role, User};
use shared::error::FieldError;
use shared::workflow::{Decision, DecisionInput, Period};
use uuid::Uuid;
use validator::Validate;

/// The address of a decision's page.
pub fn decision_href(id: Uuid) -> String {
    format!("/decisions/{id}")
}

/// The decisions page.
#[component]
pub fn DecisionsPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, WKey::DecisionsTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Decisions app user /> }))
        })
    };
    view! {
        <h1>{move || i18n.w(WKey::DecisionsTitle)}</h1>
        <p>{move || i18n.w(WKey::DecisionsIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// The decisions of the chosen period and, for recognising officers, the draft form.
#[component]
fn Decisions(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (periods, chosen, period_id) = use_periods(app);
    let decisions = LocalResource::new(move || {
        let period = period_id.get();
        async move {
            match period {
                Some(period) => api::workflow::decisions(session, Some(period))
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let can_draft = user.role >= Role::CommuneOfficer;

    let list_view = move || {
        suspend_shown(i18n, async move {
            let Some(decisions) = decisions.await? else {
                return Ok::<_, ApiError>(().into_any());
            };
            if decisions.is_empty() {
                return Ok(
                    view! { <p class="empty">{move || i18n.w(WKey::DecisionsEmpty)}</p> }
                        .into_any(),
                );
            }
            Ok(view! {
                <ul id="decision-list" class="decision-list">
                    {decisions
                        .into_iter()
                        .map(|decision| view! { <DecisionItem i18n decision /> })
                        .collect_view()}
                </ul>
            }
            .into_any())
        })
    };

    let form = move || {
        if !can_draft {
            return view! { <p class="notice">{move || i18n.w(WKey::OnlyRecognisers)}</p> }
                .into_any();
        }
        let Some(period) = period_id.get() else {
            return ().into_any();
        };
        let found = periods
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|p| p.id == period));
        match found {
            Some(period) => view! { <DecisionForm app period /> }.into_any(),
            None => ().into_any(),
        }
    };

    view! {
        <PeriodPicker app periods chosen role=user.role />
        <section class="panel" aria-labelledby="decisions-heading">
            <h2 id="decisions-heading">{move || i18n.w(WKey::DecisionsTableTitle)}</h2>
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
        {form}
    }
}

/// One decision: number and title linking to it, date, state and how many it lists.
#[component]
fn DecisionItem(i18n: I18n, decision: Decision) -> impl IntoView {
    let Decision {
        id,
        number,
        title,
        decision_date,
        status,
        registration_ids,
        issuing_unit_name,
        ..
    } = decision;
    let issued = status == "issued";
    let count = registration_ids.len();
    view! {
        <li class="decision-row">
            <a id=format!("decision-link-{id}") href=decision_href(id) class="person-name">
                {number}
            </a>
            " "
            <span class="tag" class:tag-ok=issued>
                {move || {
                    if issued { i18n.w(WKey::DecisionIssued) } else { i18n.w(WKey::DecisionDraft) }
                }}
            </span>
            <span class="person-meta">
                <span>{title}</span>
                <span>{move || i18n.cat().date(decision_date)}</span>
                <span>{issuing_unit_name}</span>
                <span>{move || i18n.wcat().people_count(count)}</span>
            </span>
        </li>
    }
}

/// The form that drafts a decision of the officer's unit in `period`; the new draft opens on
/// its own page.
#[component]
fn DecisionForm(app: AppContext, period: Period) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let navigate = use_navigate();
    let period_id = period.id;
    let number = RwSignal::new(String::new());
    let date = RwSignal::new(day_text(today()));
    let signer = RwSignal::new(String::new());
    let signer_title = RwSignal::new(
        i18n.wcat_untracked()
            .text(WKey::DefaultSignerTitle)
            .to_string(),
    );
    let title = RwSignal::new(i18n.wcat_untracked().default_decision_title(period.year));
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        let day = match read_day("decision_date", &date.get_untracked()) {
            Ok(Some(day)) => day,
            Ok(None) => {
                field_errors.set(vec![FieldError {
                    field: "decision_date".to_string(),
                    code: "required".to_string(),
                    message: "is required".to_string(),
                }]);
                return;
            }
            Err(invalid) => {
                field_errors.set(vec![invalid]);
                return;
            }
        };
        let input = DecisionInput {
            period_id,
            issuing_unit_id: None,
            number: number.get_untracked().trim().to_string(),
            decision_date: day,
            signer: signer.get_untracked().trim().to_string(),
            signer_title: signer_title.get_untracked().trim().to_string(),
            title: title.get_untracked().trim().to_string(),
        };
        if let Err(invalid) = input.validate() {
            field_errors.set(shared::error::field_errors(&invalid));
            return;
        }
        field_errors.set(Vec::new());
        pending.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = api::workflow::create_decision(session, &input).await;
            pending.try_set(false);
            match outcome {
                Ok(decision) => navigate(&decision_href(decision.id), Default::default()),
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let text_field =
        move |id: &'static str, field: &'static str, label: WKey, value: RwSignal<String>| {
            view! {
                <div class="field">
                    <label for=id>{move || i18n.w(label)}</label>
                    <input
                        id=id
                        type="text"
                        autocomplete="off"
                        required
                        aria-invalid=move || errors.with(|e| invalid(e, field))
                        aria-describedby=format!("{id}-error")
                        bind:value=value
                    />
                    <ErrorLine i18n errors field=field id=format!("{id}-error") />
                </div>
            }
        };

    view! {
        <section class="panel" aria-labelledby="decision-form-heading">
            <h2 id="decision-form-heading">{move || i18n.w(WKey::NewDecisionTitle)}</h2>
            <form id="decision-form" class="form" on:submit=submit novalidate>
                <div class="form-grid">
                    <div class="field">
                        <label for="decision-number">{move || i18n.w(WKey::DecisionNumber)}</label>
                        <input
                            id="decision-number"
                            type="text"
                            autocomplete="off"
                            required
                            aria-invalid=move || errors.with(|e| invalid(e, "number"))
                            aria-describedby="decision-number-hint decision-number-error"
                            bind:value=number
                        />
                        <p id="decision-number-hint" class="hint">
                            {move || i18n.w(WKey::DecisionNumberHint)}
                        </p>
                        <ErrorLine i18n errors field="number" id="decision-number-error" />
                    </div>
                    <div class="field">
                        <label for="decision-date">{move || i18n.w(WKey::DecisionDateLabel)}</label>
                        <input
                            id="decision-date"
                            type="text"
                            inputmode="numeric"
                            autocomplete="off"
                            placeholder=DAY_PLACEHOLDER
                            required
                            aria-invalid=move || errors.with(|e| invalid(e, "decision_date"))
                            aria-describedby="decision-date-error"
                            bind:value=date
                        />
                        <ErrorLine i18n errors field="decision_date" id="decision-date-error" />
                    </div>
                    {text_field("decision-signer", "signer", WKey::Signer, signer)}
                    {text_field("decision-signer-title", "signer_title", WKey::SignerTitle, signer_title)}
                </div>
                {text_field("decision-title", "title", WKey::DecisionTitleLabel, title)}
                <ErrorLine i18n errors field="issuing_unit_id" id="decision-unit-error" />
                {alert(i18n, error)}
                <div class="form-actions">
                    <button id="decision-submit" type="submit" disabled=move || pending.get()>
                        {move || {
                            if pending.get() { i18n.t(Key::Saving) } else { i18n.w(WKey::CreateDecision) }
                        }}
                    </button>
                </div>
            </form>
        </section>
    }
}
