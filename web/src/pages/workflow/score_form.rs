//! The scoring form generated from a criteria set: competencies → criteria → indicators, one
//! number field per indicator, the running total and the pass verdict recomputed as one types
//! (with the same rules the server applies), and optional evidence per indicator.
//!
//! The same generator draws the self-assessment and the review: the review's fields have other
//! ids, start from the self scores when no review score is saved, and show each self score
//! beside the field. Entry is made for the keyboard: Tab goes from one indicator to the next
//! (evidence fields only join the tab order once asked for), Enter saves.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::hooks::focus_soon;
use crate::i18n::workflow::WKey;
use crate::pages::workflow::common::{ErrorLine, alert, invalid, non_empty};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::criteria::{
    CriteriaStructure, EvidencePolicy, Indicator, PassRule, Scores, partial_total, score,
};
use shared::error::FieldError;
use shared::workflow::{CriteriaSet, Evidence, Registration, ScoresInput};
use std::collections::BTreeMap;
use uuid::Uuid;

/// Whose scores a form holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scorer {
    /// The self-assessment (entered by an officer for the person).
    Own,
    /// The reviewer's scores, kept apart.
    Review,
}

impl Scorer {
    /// Prefix of the ids of the form's elements: `score-1-1-1`, `review-1-1-1`, …
    fn prefix(self) -> &'static str {
        match self {
            Scorer::Own => "score",
            Scorer::Review => "review",
        }
    }

    fn total_id(self) -> &'static str {
        match self {
            Scorer::Own => "running-total",
            Scorer::Review => "review-running-total",
        }
    }

    fn verdict_id(self) -> &'static str {
        match self {
            Scorer::Own => "pass-verdict",
            Scorer::Review => "review-pass-verdict",
        }
    }

    fn save_id(self) -> &'static str {
        match self {
            Scorer::Own => "save-self-scores",
            Scorer::Review => "save-review-scores",
        }
    }

    fn title(self) -> WKey {
        match self {
            Scorer::Own => WKey::SelfFormTitle,
            Scorer::Review => WKey::ReviewFormTitle,
        }
    }
}

/// The id of the element for indicator `code` under `prefix`: dots become dashes.
pub fn field_id(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('.', "-"))
}

/// What an officer has typed for one indicator.
#[derive(Clone, Copy)]
struct Entry {
    points: RwSignal<String>,
    note: RwSignal<String>,
    confirmed: RwSignal<bool>,
}

/// A typed score: `None` when the field is empty, `Some(Err(()))` when it is not a whole number.
fn parse_points(text: &str) -> Option<Result<u32, ()>> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.parse::<u32>().map_err(|_| ()))
}

/// The scores typed so far that are whole numbers.
fn typed_scores(entries: &[(Indicator, Entry)]) -> Scores {
    entries
        .iter()
        .filter_map(|(indicator, entry)| {
            entry
                .points
                .with(|text| parse_points(text))
                .and_then(Result::ok)
                .map(|points| (indicator.code.clone(), points))
        })
        .collect()
}

/// The scores ready to send, or the field errors that stop them.
fn checked_scores(
    entries: &[(Indicator, Entry)],
    structure: &CriteriaStructure,
    rule: &PassRule,
) -> Result<Scores, Vec<FieldError>> {
    let not_numbers: Vec<FieldError> = entries
        .iter()
        .filter(|(_, entry)| matches!(entry.points.with(|t| parse_points(t)), Some(Err(()))))
        .map(|(indicator, _)| FieldError {
            field: format!("scores.{}", indicator.code),
            code: "not_a_number".to_string(),
            message: "must be a whole number".to_string(),
        })
        .collect();
    let scores = typed_scores(entries);
    let mut errors = not_numbers;
    if let Err(problems) = score(structure, rule, &scores) {
        for problem in &problems {
            let error = FieldError::from(problem);
            // A field that is not a number is also missing; one message says it.
            if !errors.iter().any(|e| e.field == error.field) {
                errors.push(error);
            }
        }
    }
    if errors.is_empty() {
        Ok(scores)
    } else {
        Err(errors)
    }
}

/// The form of one scorer over `set`.
///
/// `registration` is the assessment scored; `initial` the scores the fields start with,
/// `compare` the self scores shown beside the review's fields. Read-only forms show the scores
/// as text. `saved` receives the registration the server returns.
#[component]
pub fn ScoreForm(
    app: AppContext,
    scorer: Scorer,
    set: CriteriaSet,
    registration: Uuid,
    initial: Option<Scores>,
    #[prop(default = None)] compare: Option<Scores>,
    evidence: BTreeMap<String, Evidence>,
    editable: bool,
    /// The fields start from the self scores because no review score is saved yet.
    #[prop(optional)]
    prefilled: bool,
    /// The first field takes the focus once drawn.
    #[prop(optional)]
    focus_first: bool,
    saved: Callback<Registration>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let prefix = scorer.prefix();
    if focus_first
        && editable
        && let Some(first) = set.structure.indicators().next()
    {
        focus_soon(field_id(prefix, &first.code));
    }
    let CriteriaSet {
        structure,
        pass_rule,
        total_max,
        ..
    } = set;
    let initial = initial.unwrap_or_default();
    let entries: Vec<(Indicator, Entry)> = structure
        .indicators()
        .map(|indicator| {
            let stored = evidence.get(&indicator.code);
            let entry = Entry {
                points: RwSignal::new(
                    initial
                        .get(&indicator.code)
                        .map(u32::to_string)
                        .unwrap_or_default(),
                ),
                note: RwSignal::new(stored.and_then(|e| e.note.clone()).unwrap_or_default()),
                confirmed: RwSignal::new(stored.is_some_and(|e| e.confirmed_by_reviewer)),
            };
            (indicator.clone(), entry)
        })
        .collect();
    let had_evidence: Vec<String> = evidence.keys().cloned().collect();
    let show_evidence = RwSignal::new(
        evidence
            .values()
            .any(|e| e.note.as_deref().is_some_and(|n| !n.is_empty()) || e.confirmed_by_reviewer),
    );
    let entries = StoredValue::new(entries);
    let structure = StoredValue::new(structure);

    let total = Memo::new(move |_| {
        let scores = entries.with_value(|entries| typed_scores(entries));
        structure.with_value(|structure| partial_total(structure, &scores))
    });
    // (passed, indicators without a score, indicators below the minimum)
    let verdict = Memo::new(move |_| {
        let scores = entries.with_value(|entries| typed_scores(entries));
        let missing = entries.with_value(|entries| {
            entries
                .iter()
                .filter(|(indicator, _)| !scores.contains_key(&indicator.code))
                .count()
        });
        let outcome = structure.with_value(|structure| score(structure, &pass_rule, &scores));
        match outcome {
            Ok(result) => (result.passed, missing, result.failing_indicators),
            Err(_) => {
                let failing = entries.with_value(|entries| {
                    entries
                        .iter()
                        .filter(|(indicator, _)| {
                            scores
                                .get(&indicator.code)
                                .is_some_and(|&points| points < pass_rule.min_per_indicator)
                        })
                        .map(|(indicator, _)| indicator.code.clone())
                        .collect()
                });
                (false, missing, failing)
            }
        }
    });

    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let done = RwSignal::new(false);

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() || !editable {
            return;
        }
        error.set(None);
        done.set(false);
        let checked = entries.with_value(|entries| {
            structure.with_value(|structure| checked_scores(entries, structure, &pass_rule))
        });
        let scores = match checked {
            Ok(scores) => scores,
            Err(errors) => {
                if let Some(first) = errors.first()
                    && let Some(code) = first.field.strip_prefix("scores.")
                {
                    focus_soon(field_id(prefix, code));
                }
                field_errors.set(errors);
                return;
            }
        };
        field_errors.set(Vec::new());
        let evidence: BTreeMap<String, Evidence> = entries.with_value(|entries| {
            entries
                .iter()
                .filter_map(|(indicator, entry)| {
                    let note = entry.note.with_untracked(|n| non_empty(n));
                    let confirmed = entry.confirmed.get_untracked();
                    let keep =
                        note.is_some() || confirmed || had_evidence.contains(&indicator.code);
                    keep.then(|| {
                        (
                            indicator.code.clone(),
                            Evidence {
                                note,
                                confirmed_by_reviewer: confirmed,
                            },
                        )
                    })
                })
                .collect()
        });
        let input = ScoresInput { scores, evidence };
        pending.set(true);
        spawn_local(async move {
            let outcome = match scorer {
                Scorer::Own => api::workflow::save_self_scores(session, registration, &input).await,
                Scorer::Review => {
                    api::workflow::save_review_scores(session, registration, &input).await
                }
            };
            pending.try_set(false);
            match outcome {
                Ok(updated) => {
                    done.try_set(true);
                    saved.run(updated);
                }
                Err(failure) => {
                    let errors = failure.field_errors();
                    if let Some(code) = errors
                        .first()
                        .and_then(|error| error.field.strip_prefix("scores."))
                    {
                        focus_soon(field_id(prefix, code));
                    }
                    field_errors.try_set(errors);
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let errors: Signal<Vec<FieldError>> = field_errors.into();
    let compare = StoredValue::new(compare);
    let indicator_row = move |indicator: Indicator| {
        let Some(entry) = entries.with_value(|entries| {
            entries
                .iter()
                .find(|(i, _)| i.code == indicator.code)
                .map(|(_, entry)| *entry)
        }) else {
            return ().into_any();
        };
        let code = indicator.code.clone();
        let id = field_id(prefix, &code);
        let field = format!("scores.{code}");
        let error_id = format!("{id}-error");
        let note_id = field_id(&format!("{prefix}-evidence"), &code);
        let confirm_id = field_id(&format!("{prefix}-confirm"), &code);
        let max = indicator.max_points;
        let required = indicator.evidence == EvidencePolicy::Required;
        let self_points = compare.with_value(|c| c.as_ref().and_then(|c| c.get(&code).copied()));
        let field_for_invalid = field.clone();
        let points = if editable {
            view! {
                <input
                    id=id.clone()
                    class="score-input"
                    type="number"
                    inputmode="numeric"
                    min="0"
                    max=max.to_string()
                    step="1"
                    autocomplete="off"
                    aria-invalid=move || errors.with(|e| invalid(e, &field_for_invalid))
                    aria-describedby=format!("{id}-max {error_id}")
                    bind:value=entry.points
                />
            }
            .into_any()
        } else {
            view! {
                <output id=id.clone() class="score-readonly">
                    {move || {
                        entry.points.with(|p| if p.is_empty() { "–".to_string() } else { p.clone() })
                    }}
                </output>
            }
            .into_any()
        };
        let evidence_view = move || {
            show_evidence.get().then(|| {
                if editable {
                    let confirm = (scorer == Scorer::Review).then(|| {
                        view! {
                            <label class="check">
                                <input
                                    id=confirm_id.clone()
                                    type="checkbox"
                                    bind:checked=entry.confirmed
                                />
                                {move || i18n.w(WKey::EvidenceConfirmed)}
                            </label>
                        }
                    });
                    view! {
                        <div class="evidence">
                            <label for=note_id.clone()>{move || i18n.w(WKey::EvidenceNote)}</label>
                            <input
                                id=note_id.clone()
                                type="text"
                                autocomplete="off"
                                bind:value=entry.note
                            />
                            {confirm}
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="evidence">
                            {move || {
                                entry
                                    .note
                                    .with(|n| (!n.is_empty()).then(|| format!("{}: {n}", i18n.w(WKey::EvidenceNote))))
                            }}
                            {move || {
                                entry
                                    .confirmed
                                    .get()
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="tag tag-ok">
                                                {move || i18n.w(WKey::EvidenceConfirmed)}
                                            </span>
                                        }
                                    })
                            }}
                        </p>
                    }
                    .into_any()
                }
            })
        };
        view! {
            <div class="indicator">
                <label for=id.clone() class="indicator-label">
                    <span class="indicator-code">{code.clone()}</span>
                    " "
                    {indicator.name.clone()}
                </label>
                <div class="indicator-entry">
                    {points}
                    <span id=format!("{id}-max") class="hint">
                        {move || i18n.wcat().max_points(max)}
                        {required
                            .then(|| {
                                view! {
                                    " · "
                                    <span class="tag">{move || i18n.w(WKey::EvidenceRequired)}</span>
                                }
                            })}
                    </span>
                    {self_points
                        .map(|points| {
                            view! {
                                <span class="self-score">
                                    {move || i18n.wcat().self_score_was(points)}
                                </span>
                            }
                        })}
                </div>
                <ErrorLine i18n errors field=field.clone() id=error_id.clone() />
                <ErrorLine
                    i18n
                    errors
                    field=format!("evidence.{code}")
                    id=format!("{id}-evidence-error")
                />
                {evidence_view}
            </div>
        }
        .into_any()
    };

    let tree = structure.with_value(|structure| {
        structure
            .competencies
            .iter()
            .map(|competency| {
                let criteria = competency
                    .criteria
                    .iter()
                    .map(|criterion| {
                        let rows = criterion
                            .indicators
                            .iter()
                            .cloned()
                            .map(indicator_row)
                            .collect_view();
                        view! {
                            <div class="criterion">
                                <h4>
                                    <span class="indicator-code">{criterion.code.clone()}</span>
                                    " "
                                    {criterion.name.clone()}
                                </h4>
                                {rows}
                            </div>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="competency">
                        <legend>
                            <span class="indicator-code">{competency.code.clone()}</span>
                            " "
                            {competency.name.clone()}
                        </legend>
                        {criteria}
                    </fieldset>
                }
            })
            .collect_view()
    });

    let heading_id = format!("{prefix}-heading");
    let labelled_by = heading_id.clone();
    let summary = view! {
        <div class="score-summary" aria-live="polite">
            <p>
                {move || i18n.w(WKey::RunningTotal)}
                ": "
                <strong id=scorer.total_id()>{move || total.get()}</strong>
                " / "
                {total_max}
            </p>
            <p>
                {move || i18n.w(WKey::Verdict)}
                ": "
                <strong
                    id=scorer.verdict_id()
                    class=move || if verdict.with(|v| v.0) { "verdict verdict-pass" } else { "verdict verdict-fail" }
                >
                    {move || {
                        if verdict.with(|v| v.0) { i18n.w(WKey::Passed) } else { i18n.w(WKey::NotPassed) }
                    }}
                </strong>
            </p>
            {move || {
                let (_, missing, failing) = verdict.get();
                view! {
                    {(missing > 0)
                        .then(|| view! { <p class="hint">{move || i18n.wcat().missing_count(missing)}</p> })}
                    {(!failing.is_empty())
                        .then(|| {
                            let codes = failing.join(", ");
                            view! { <p class="hint">{move || i18n.wcat().failing(&codes)}</p> }
                        })}
                }
            }}
        </div>
    };

    view! {
        <section class="panel score-form" aria-labelledby=labelled_by>
            <h2 id=heading_id>{move || i18n.w(scorer.title())}</h2>
            <p class="hint">
                {move || i18n.wcat().pass_rule(pass_rule.min_total, pass_rule.min_per_indicator)}
            </p>
            {(editable && prefilled)
                .then(|| view! { <p class="notice">{move || i18n.w(WKey::ReviewPrefillHint)}</p> })}
            <form id=format!("{prefix}-form") class="form" on:submit=submit novalidate>
                {editable
                    .then(|| {
                        view! {
                            <p class="hint">{move || i18n.w(WKey::EntryHint)}</p>
                            <label class="check">
                                <input
                                    id=format!("{prefix}-show-evidence")
                                    type="checkbox"
                                    bind:checked=show_evidence
                                />
                                {move || i18n.w(WKey::ShowEvidence)}
                            </label>
                        }
                    })}
                {tree}
                {summary}
                {editable
                    .then(|| {
                        view! {
                            <div class="form-actions">
                                <button
                                    id=scorer.save_id()
                                    type="submit"
                                    disabled=move || pending.get()
                                >
                                    {move || {
                                        if pending.get() {
                                            i18n.t(crate::i18n::Key::Saving)
                                        } else {
                                            match scorer {
                                                Scorer::Own => i18n.w(WKey::SaveSelfScores),
                                                Scorer::Review => i18n.w(WKey::SaveReviewScores),
                                            }
                                        }
                                    }}
                                </button>
                                <p class="success" role="status">
                                    {move || done.get().then(|| i18n.w(WKey::ScoresSaved))}
                                </p>
                            </div>
                        }
                    })}
                {alert(i18n, error)}
            </form>
        </section>
    }
}
