//! `/periods`: the assessment periods with their dates (registration, self-assessment, review),
//! who reviews and who recognises, and how long a recognition is valid. The central
//! administrator edits a period or opens a new year; everyone else reads.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::components::select_option::SelectOption;
use crate::dates::{DAY_PLACEHOLDER, day_text, read_day};
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::workflow::common::{ErrorLine, alert, invalid, use_title};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::Role;
use shared::error::FieldError;
use shared::workflow::{Period, PeriodInput};
use validator::Validate;

/// The periods page.
#[component]
pub fn PeriodsPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_title(i18n, WKey::PeriodsTitle);
    let version = RwSignal::new(0u32);
    let periods = LocalResource::new(move || {
        version.track();
        api::workflow::periods(session)
    });
    let changed = Callback::new(move |_: Period| version.update(|v| *v += 1));
    let list_view = move || {
        suspend_shown(i18n, async move {
            let mut list = periods.await?;
            let admin = me.await?.is_some_and(|u| u.role == Role::CentralAdmin);
            list.sort_by_key(|p| std::cmp::Reverse(p.year));
            let next_year = list.first().map_or_else(
                || crate::dates::today().format("%Y").to_string(),
                |p| (p.year + 1).to_string(),
            );
            let rows = if list.is_empty() {
                view! { <p class="empty">{move || i18n.w(WKey::NoPeriods)}</p> }.into_any()
            } else {
                view! {
                    <ul id="period-list" class="period-list">
                        {list
                            .into_iter()
                            .map(|period| view! { <PeriodItem app period admin changed /> })
                            .collect_view()}
                    </ul>
                }
                .into_any()
            };
            Ok::<_, ApiError>(view! {
                {rows}
                {admin.then(|| view! { <NewPeriod app next_year changed /> })}
            })
        })
    };
    view! {
        <h1>{move || i18n.w(WKey::PeriodsTitle)}</h1>
        <p>{move || i18n.w(WKey::PeriodsIntro)}</p>
        <section class="panel">
            <Transition fallback=move || view! { <Loading i18n /> }>{list_view}</Transition>
        </section>
    }
}

fn level_name(i18n: I18n, level: &str) -> &'static str {
    match level {
        "branch" => i18n.w(WKey::LevelBranch),
        "committee" => i18n.w(WKey::LevelCommittee),
        "province" => i18n.w(WKey::LevelProvince),
        _ => i18n.w(WKey::LevelCommune),
    }
}

/// One period: its facts and, for the central administrator, its edit form on demand.
#[component]
fn PeriodItem(
    app: AppContext,
    period: Period,
    admin: bool,
    changed: Callback<Period>,
) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let editing = RwSignal::new(false);
    let current = RwSignal::new(period);
    let window = |opens: chrono::NaiveDate, closes: chrono::NaiveDate| {
        format!("{} – {}", day_text(opens), day_text(closes))
    };
    let facts = move || {
        let p = current.get();
        let reviewer = p.reviewer_level.clone();
        let recogniser = p.recogniser_level.clone();
        view! {
            <dl class="facts" id=format!("period-facts-{}", p.year)>
                <dt>{move || i18n.w(WKey::RegistrationWindow)}</dt>
                <dd>{window(p.registration_opens, p.registration_closes)}</dd>
                <dt>{move || i18n.w(WKey::SelfAssessmentWindow)}</dt>
                <dd>{window(p.self_assessment_opens, p.self_assessment_closes)}</dd>
                <dt>{move || i18n.w(WKey::ReviewWindow)}</dt>
                <dd>{window(p.review_opens, p.review_closes)}</dd>
                <dt>{move || i18n.w(WKey::ReviewerLevelLabel)}</dt>
                <dd>{move || level_name(i18n, &reviewer)}</dd>
                <dt>{move || i18n.w(WKey::RecogniserLevelLabel)}</dt>
                <dd>{move || level_name(i18n, &recogniser)}</dd>
                <dt>{move || i18n.w(WKey::ValidityMonths)}</dt>
                <dd>{p.validity_months}</dd>
            </dl>
        }
    };
    let saved = Callback::new(move |updated: Period| {
        current.set(updated.clone());
        editing.set(false);
        changed.run(updated);
    });
    view! {
        <li class="period-row">
            <h2>{move || current.with(|p| p.name.clone())}</h2>
            {facts}
            {admin
                .then(|| {
                    view! {
                        <Show
                            when=move || editing.get()
                            fallback=move || {
                                let year = current.with_untracked(|p| p.year);
                                view! {
                                    <button
                                        id=format!("period-edit-{year}")
                                        type="button"
                                        class="button-secondary"
                                        on:click=move |_| editing.set(true)
                                    >
                                        {move || i18n.w(WKey::EditPeriod)}
                                    </button>
                                }
                            }
                        >
                            <PeriodForm app period=current.get_untracked() saved cancel=editing />
                        </Show>
                    }
                })}
        </li>
    }
}

/// The fields of a period as typed.
#[derive(Clone, Copy)]
struct Fields {
    name: RwSignal<String>,
    dates: [RwSignal<String>; 6],
    reviewer: RwSignal<String>,
    recogniser: RwSignal<String>,
    validity: RwSignal<String>,
}

const DATE_FIELDS: [(&str, WKey); 6] = [
    ("registration_opens", WKey::RegistrationOpens),
    ("registration_closes", WKey::RegistrationCloses),
    ("self_assessment_opens", WKey::SelfAssessmentOpens),
    ("self_assessment_closes", WKey::SelfAssessmentCloses),
    ("review_opens", WKey::ReviewOpens),
    ("review_closes", WKey::ReviewCloses),
];

impl Fields {
    fn of(p: &Period) -> Self {
        let dates = [
            p.registration_opens,
            p.registration_closes,
            p.self_assessment_opens,
            p.self_assessment_closes,
            p.review_opens,
            p.review_closes,
        ]
        .map(|d| RwSignal::new(day_text(d)));
        Fields {
            name: RwSignal::new(p.name.clone()),
            dates,
            reviewer: RwSignal::new(p.reviewer_level.clone()),
            recogniser: RwSignal::new(p.recogniser_level.clone()),
            validity: RwSignal::new(p.validity_months.to_string()),
        }
    }

    /// The body to send, or the field errors found before sending.
    fn read(self, year: i32) -> Result<PeriodInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut days = [None; 6];
        for (i, (field, _)) in DATE_FIELDS.iter().enumerate() {
            match read_day(field, &self.dates[i].get_untracked()) {
                Ok(day) => days[i] = day,
                Err(e) => errors.push(e),
            }
        }
        let validity = self.validity.with_untracked(|t| {
            let t = t.trim();
            if t.is_empty() {
                Ok(None)
            } else {
                t.parse::<i32>().map(Some)
            }
        });
        let validity = validity.unwrap_or_else(|_| {
            errors.push(FieldError {
                field: "validity_months".into(),
                code: "not_a_number".into(),
                message: "must be a whole number".into(),
            });
            None
        });
        let input = PeriodInput {
            year,
            name: crate::pages::workflow::common::non_empty(&self.name.get_untracked()),
            registration_opens: days[0],
            registration_closes: days[1],
            self_assessment_opens: days[2],
            self_assessment_closes: days[3],
            review_opens: days[4],
            review_closes: days[5],
            reviewer_level: Some(self.reviewer.get_untracked()),
            recogniser_level: Some(self.recogniser.get_untracked()),
            validity_months: validity,
        };
        if let Err(invalid) = input.validate() {
            errors.extend(shared::error::field_errors(&invalid));
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

/// Edits one period's dates and configuration (`PUT /periods/{id}`).
#[component]
fn PeriodForm(
    app: AppContext,
    period: Period,
    saved: Callback<Period>,
    cancel: RwSignal<bool>,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = period.id;
    let year = period.year;
    let fields = Fields::of(&period);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let prefix = format!("period-{year}");
    crate::hooks::focus_soon(format!("{prefix}-name"));
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        let input = match fields.read(year) {
            Ok(input) => input,
            Err(found) => {
                field_errors.set(found);
                return;
            }
        };
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::workflow::update_period(session, id, &input).await;
            pending.try_set(false);
            match outcome {
                Ok(period) => saved.run(period),
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let text = {
        let prefix = prefix.clone();
        move |field: &'static str, label: WKey, value: RwSignal<String>, day: bool| {
            let id = format!("{prefix}-{}", field.replace('_', "-"));
            view! {
                <div class="field">
                    <label for=id.clone()>{move || i18n.w(label)}</label>
                    <input
                        id=id.clone()
                        type="text"
                        inputmode=if day { "numeric" } else { "text" }
                        autocomplete="off"
                        placeholder=if day { DAY_PLACEHOLDER } else { "" }
                        aria-invalid=move || errors.with(|e| invalid(e, field))
                        aria-describedby=format!("{id}-error")
                        bind:value=value
                    />
                    <ErrorLine i18n errors field=field id=format!("{id}-error") />
                </div>
            }
        }
    };
    let date_fields = DATE_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (field, label))| text(field, *label, fields.dates[i], true))
        .collect_view();
    let reviewer_id = format!("{prefix}-reviewer-level");
    let recogniser_id = format!("{prefix}-recogniser-level");
    let level_option = move |value: &'static str, selected: RwSignal<String>| {
        view! {
            <SelectOption value=value selected>
                {move || level_name(i18n, value)}
            </SelectOption>
        }
    };
    view! {
        <form id=format!("{prefix}-form") class="form" on:submit=submit novalidate>
            {text("name", WKey::PeriodName, fields.name, false)}
            <div class="form-grid">{date_fields}</div>
            <div class="form-grid">
                <div class="field">
                    <label for=reviewer_id.clone()>{move || i18n.w(WKey::ReviewerLevelLabel)}</label>
                    <select id=reviewer_id.clone() bind:value=fields.reviewer>
                        {level_option("branch", fields.reviewer)}
                        {level_option("committee", fields.reviewer)}
                        {level_option("commune", fields.reviewer)}
                    </select>
                    <ErrorLine i18n errors field="reviewer_level" id=format!("{reviewer_id}-error") />
                </div>
                <div class="field">
                    <label for=recogniser_id.clone()>{move || i18n.w(WKey::RecogniserLevelLabel)}</label>
                    <select id=recogniser_id.clone() bind:value=fields.recogniser>
                        {level_option("commune", fields.recogniser)}
                        {level_option("province", fields.recogniser)}
                    </select>
                    <ErrorLine i18n errors field="recogniser_level" id=format!("{recogniser_id}-error") />
                </div>
                {text("validity_months", WKey::ValidityMonths, fields.validity, false)}
            </div>
            {alert(i18n, error)}
            <div class="form-actions">
                <button id=format!("{prefix}-save") type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t(Key::Saving) } else { i18n.w(WKey::SavePeriod) }}
                </button>
                <button type="button" class="button-secondary" on:click=move |_| cancel.set(false)>
                    {move || i18n.t(Key::Cancel)}
                </button>
            </div>
        </form>
    }
}

/// Opens a new year (`POST /periods`); its dates default to the whole year and can be edited
/// once it exists.
#[component]
fn NewPeriod(app: AppContext, next_year: String, changed: Callback<Period>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let year = RwSignal::new(next_year);
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        let Ok(value) = year.with_untracked(|y| y.trim().parse::<i32>()) else {
            field_errors.set(vec![FieldError {
                field: "year".into(),
                code: "not_a_number".into(),
                message: "must be a whole number".into(),
            }]);
            return;
        };
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::workflow::create_period(session, value).await;
            pending.try_set(false);
            match outcome {
                Ok(period) => changed.run(period),
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <form id="new-period-form" class="form" on:submit=submit novalidate>
            <h2>{move || i18n.w(WKey::NewPeriodTitle)}</h2>
            <div class="field">
                <label for="new-period-year">{move || i18n.w(WKey::PeriodYear)}</label>
                <input
                    id="new-period-year"
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    aria-invalid=move || errors.with(|e| invalid(e, "year"))
                    aria-describedby="new-period-year-error"
                    bind:value=year
                />
                <ErrorLine i18n errors field="year" id="new-period-year-error" />
            </div>
            {alert(i18n, error)}
            <div class="form-actions">
                <button id="new-period-submit" type="submit" disabled=move || pending.get()>
                    {move || i18n.w(WKey::CreatePeriodButton)}
                </button>
            </div>
        </form>
    }
}
