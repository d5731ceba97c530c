//! `/reports/baselines?unit=…&period=…`: the denominators of the rates. Communes of a province
//! (or the officer's commune) get their population and adult population, a commune's learning
//! committees their staff; a CSV file sets many at once (all rows or none).

use super::common::{href, use_title};
use super::{PeriodSelect, use_unit_and_period};
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::i18n::reports::RKey;
use crate::i18n::workflow::field_text;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::{Role, User};
use shared::report::{CommitteeBaselineInput, CommuneBaselineInput, UnitReport};
use uuid::Uuid;

/// The baselines page.
#[component]
pub fn BaselinesPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, RKey::BaselinesTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Baselines app user /> }))
        })
    };
    view! {
        <h1>{move || i18n.r(RKey::BaselinesTitle)}</h1>
        <p>{move || i18n.r(RKey::BaselinesIntro)}</p>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

#[component]
fn Baselines(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (unit, periods, period) = use_unit_and_period(app, &user);
    let can_edit = user.role >= Role::CommuneOfficer;
    let report = LocalResource::new(move || {
        let (unit, period) = (unit.get(), period.get());
        async move {
            match period {
                Some(period) => api::reports::summary(session, period, &unit)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let body = move || {
        suspend_shown(i18n, async move {
            let Some(report) = report.await? else {
                return Ok::<_, ApiError>(().into_any());
            };
            Ok(view! { <BaselineRows app report can_edit /> }.into_any())
        })
    };
    let import = move || {
        period.get().filter(|_| can_edit).map(|period_id| {
            view! { <ImportForm app period_id on_done=Callback::new(move |()| report.refetch()) /> }
        })
    };
    view! {
        <p class="no-print">
            <a id="back-to-report" href=move || href("/reports", Some(&unit.get()), period.get())>
                {move || i18n.r(RKey::BackToReport)}
            </a>
        </p>
        <PeriodSelect app page="/reports/baselines" periods unit period />
        {(!can_edit).then(|| view! { <p class="notice">{move || i18n.r(RKey::ViewerReadOnly)}</p> })}
        <Transition fallback=move || view! { <Loading i18n /> }>{body}</Transition>
        {import}
    }
}

/// What a row of the baselines edits.
#[derive(Debug, Clone, PartialEq)]
enum Target {
    Commune(String),
    Committee(Uuid),
}

/// The rows of the unit: provinces to choose from (nation), communes (province), or the
/// commune and its committees (commune).
#[component]
fn BaselineRows(app: AppContext, report: UnitReport, can_edit: bool) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let period = report.period_id;
    match report.unit.level.as_str() {
        "nation" => {
            let links = report
                .children
                .into_iter()
                .map(|c| {
                    view! {
                        <li>
                            <a id=format!("baselines-{}", c.code) href=href("/reports/baselines", Some(&c.code), Some(period))>
                                {c.name}
                            </a>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="panel">
                    <p>{move || i18n.r(RKey::BaselinesChooseProvince)}</p>
                    <ul class="unit-links">{links}</ul>
                </section>
            }
            .into_any()
        }
        "province" => {
            let rows = report
                .children
                .into_iter()
                .map(|c| {
                    view! {
                        <BaselineRow
                            app
                            period
                            target=Target::Commune(c.code.clone())
                            name=c.name
                            first=c.baseline.population
                            second=c.baseline.adult_population
                            can_edit
                        />
                    }
                })
                .collect_view();
            view! {
                <section class="panel" aria-labelledby="communes-heading">
                    <h2 id="communes-heading">{move || i18n.r(RKey::CommunesTitle)}</h2>
                    <ul id="commune-baselines" class="baseline-list">{rows}</ul>
                </section>
            }
            .into_any()
        }
        _ => {
            let committees = report
                .children
                .iter()
                .filter(|c| c.level == "committee")
                .filter_map(|c| Uuid::parse_str(&c.code).ok().map(|id| (id, c.clone())))
                .map(|(id, c)| {
                    view! {
                        <BaselineRow
                            app
                            period
                            target=Target::Committee(id)
                            name=c.name
                            first=c.baseline.staff
                            second=None
                            can_edit
                        />
                    }
                })
                .collect::<Vec<_>>();
            let empty = committees.is_empty();
            view! {
                <section class="panel" aria-labelledby="communes-heading">
                    <h2 id="communes-heading">{move || i18n.r(RKey::CommunesTitle)}</h2>
                    <ul id="commune-baselines" class="baseline-list">
                        <BaselineRow
                            app
                            period
                            target=Target::Commune(report.unit.code.clone())
                            name=report.unit.name.clone()
                            first=report.baseline.population
                            second=report.baseline.adult_population
                            can_edit
                        />
                    </ul>
                </section>
                <section class="panel" aria-labelledby="committees-heading">
                    <h2 id="committees-heading">{move || i18n.r(RKey::CommitteesTitle)}</h2>
                    {if empty {
                        view! { <p class="empty">{move || i18n.r(RKey::CommitteesEmpty)}</p> }.into_any()
                    } else {
                        view! { <ul id="committee-baselines" class="baseline-list">{committees}</ul> }.into_any()
                    }}
                </section>
            }
            .into_any()
        }
    }
}

/// One unit's baseline: population and adult population of a commune, or a committee's staff,
/// saved with one button.
#[component]
fn BaselineRow(
    app: AppContext,
    period: Uuid,
    target: Target,
    name: String,
    first: Option<i64>,
    second: Option<i64>,
    can_edit: bool,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let key = match &target {
        Target::Commune(code) => code.clone(),
        Target::Committee(id) => id.to_string(),
    };
    let is_commune = matches!(target, Target::Commune(_));
    let first_text = RwSignal::new(first.map(|n| n.to_string()).unwrap_or_default());
    let second_text = RwSignal::new(second.map(|n| n.to_string()).unwrap_or_default());
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let field_error = RwSignal::new(None::<String>);
    let row_name = name.clone();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        saved.set(false);
        error.set(None);
        field_error.set(None);
        let parse = |text: String| text.trim().replace(['.', ',', ' '], "").parse::<i64>();
        let Ok(a) = parse(first_text.get_untracked()) else {
            field_error.set(Some(
                if is_commune { "population" } else { "staff" }.to_string(),
            ));
            return;
        };
        let b = if is_commune {
            match parse(second_text.get_untracked()) {
                Ok(b) => b,
                Err(_) => {
                    field_error.set(Some("adult_population".to_string()));
                    return;
                }
            }
        } else {
            0
        };
        pending.set(true);
        let target = target.clone();
        spawn_local(async move {
            let outcome = match target {
                Target::Commune(code) => {
                    let input = CommuneBaselineInput {
                        population: a,
                        adult_population: b,
                    };
                    api::reports::set_commune_baseline(session, period, &code, &input).await
                }
                Target::Committee(id) => {
                    let input = CommitteeBaselineInput { staff: a };
                    api::reports::set_committee_baseline(session, period, id, &input).await
                }
            };
            pending.try_set(false);
            match outcome {
                Ok(_) => {
                    saved.try_set(true);
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let first_id = format!("baseline-{key}-first");
    let second_id = format!("baseline-{key}-second");
    let invalid = move |field: &'static str| {
        move || {
            field_error.with(|f| f.as_deref() == Some(field))
                || error.with(|e| {
                    e.as_ref()
                        .is_some_and(|e| e.field_errors().iter().any(|f| f.field == field))
                })
        }
    };
    let first_field = if is_commune { "population" } else { "staff" };
    view! {
        <li class="baseline-row" id=format!("baseline-{key}")>
            <form class="baseline-form" on:submit=save novalidate>
                <span class="baseline-name">{name}</span>
                <label for=first_id.clone()>
                    {move || i18n.r(if is_commune { RKey::Population } else { RKey::Staff })}
                </label>
                <input
                    id=first_id
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    readonly=!can_edit
                    aria-invalid=move || invalid(first_field)().to_string()
                    bind:value=first_text
                />
                {is_commune
                    .then(|| {
                        view! {
                            <label for=second_id.clone()>{move || i18n.r(RKey::AdultPopulation)}</label>
                            <input
                                id=second_id.clone()
                                type="text"
                                inputmode="numeric"
                                autocomplete="off"
                                readonly=!can_edit
                                aria-invalid=move || invalid("adult_population")().to_string()
                                bind:value=second_text
                            />
                        }
                    })}
                {can_edit
                    .then(|| {
                        view! {
                            <button type="submit" id=format!("save-{key}") disabled=move || pending.get()>
                                {move || i18n.r(if pending.get() { RKey::Saving } else { RKey::Save })}
                            </button>
                        }
                    })}
                <span class="save-status" role="status">
                    {move || saved.get().then(|| i18n.rcat().saved_for(&row_name))}
                </span>
            </form>
            {move || {
                error
                    .get()
                    .map(|error| {
                        let lines = error
                            .field_errors()
                            .into_iter()
                            .map(|f| view! { <li>{field_text(i18n, &f)}</li> })
                            .collect_view();
                        view! {
                            <ProblemAlert i18n error />
                            <ul class="field-errors">{lines}</ul>
                        }
                    })
            }}
        </li>
    }
}

/// The CSV import: a file picker and a button; per-row errors listed as the API sends them.
#[component]
fn ImportForm(app: AppContext, period_id: Uuid, on_done: Callback<()>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let file_input: NodeRef<html::Input> = NodeRef::new();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let missing = RwSignal::new(false);
    let result = RwSignal::new(None::<(u64, u64)>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        result.set(None);
        let file = file_input
            .get_untracked()
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            missing.set(true);
            return;
        };
        missing.set(false);
        pending.set(true);
        spawn_local(async move {
            let outcome = api::reports::import_baselines(session, period_id, &file).await;
            pending.try_set(false);
            match outcome {
                Ok(done) => {
                    result.try_set(Some((done.communes, done.committees)));
                    on_done.run(());
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <section class="panel no-print" aria-labelledby="import-heading">
            <h2 id="import-heading">{move || i18n.r(RKey::ImportTitle)}</h2>
            <p class="hint" id="import-hint">{move || i18n.r(RKey::ImportHint)}</p>
            <form id="baseline-import" class="form" on:submit=submit novalidate>
                <div class="field">
                    <label for="baseline-file">{move || i18n.r(RKey::ImportFile)}</label>
                    <input
                        id="baseline-file"
                        type="file"
                        accept=".csv,text/csv"
                        aria-describedby="import-hint"
                        node_ref=file_input
                    />
                </div>
                <button type="submit" id="baseline-import-submit" disabled=move || pending.get()>
                    {move || i18n.r(if pending.get() { RKey::Importing } else { RKey::ImportSubmit })}
                </button>
                <p id="import-status" role="status">
                    {move || missing.get().then(|| i18n.r(RKey::ImportChooseFile))}
                    {move || result.get().map(|(c, k)| i18n.rcat().imported(c, k))}
                </p>
            </form>
            {move || {
                error
                    .get()
                    .map(|error| {
                        let lines = error
                            .field_errors()
                            .into_iter()
                            .map(|f| view! { <li>{format!("{}: {}", f.field, field_text(i18n, &f))}</li> })
                            .collect_view();
                        view! {
                            <ProblemAlert i18n error />
                            <ul id="import-errors" class="field-errors">{lines}</ul>
                        }
                    })
            }}
        </section>
    }
}
