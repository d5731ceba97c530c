//! Pieces shared by the workflow pages: the period picker, status tags, field error lines, the
//! target groups' names and the page title.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::i18n::workflow::{WKey, field_text};
use crate::i18n::{I18n, Key};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::assessment::EffectiveStatus;
use shared::auth::Role;
use shared::error::FieldError;
use shared::registry::TargetGroup;
use shared::workflow::Period;
use std::collections::HashMap;
use uuid::Uuid;

/// The periods, newest first.
pub type PeriodsResource = LocalResource<Result<Vec<Period>, ApiError>>;

/// The target groups.
pub type GroupsResource = LocalResource<Result<Vec<TargetGroup>, ApiError>>;

/// Keeps the document title on a workflow page's name followed by the application's name.
pub fn use_title(i18n: I18n, page: WKey) {
    Effect::new(move |_| {
        let title = format!("{} · {}", i18n.w(page), i18n.t(Key::AppName));
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            document.set_title(&title);
        }
    });
}

/// The period a page starts with: this year's, else the newest.
fn default_period(periods: &[Period]) -> Option<Uuid> {
    let year = chrono::Datelike::year(&crate::dates::today());
    periods
        .iter()
        .find(|period| period.year == year)
        .or_else(|| periods.first())
        .map(|period| period.id)
}

/// The periods and the chosen one (its id as text, empty until the periods arrive); the choice
/// starts on the period of the address's `?period=`, else this year's.
pub fn use_periods(app: AppContext) -> (PeriodsResource, RwSignal<String>, Memo<Option<Uuid>>) {
    let AppContext { session, .. } = app;
    let periods: PeriodsResource = LocalResource::new(move || api::workflow::periods(session));
    let chosen = RwSignal::new(crate::hooks::query_param("period").unwrap_or_default());
    Effect::new(move |_| {
        if let Some(Ok(list)) = periods.get()
            && !chosen.with_untracked(|id| list.iter().any(|p| p.id.to_string() == *id))
            && let Some(id) = default_period(&list)
        {
            chosen.set(id.to_string());
        }
    });
    let period_id = Memo::new(move |_| chosen.with(|id| Uuid::parse_str(id).ok()));
    (periods, chosen, period_id)
}

/// `select#period-select` over the periods; when there is none, says so and offers central
/// administrators to create this year's.
#[component]
pub fn PeriodPicker(
    app: AppContext,
    periods: PeriodsResource,
    chosen: RwSignal<String>,
    role: Role,
) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let creating = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let year = chrono::Datelike::year(&crate::dates::today());
    let create = move |_| {
        if creating.get_untracked() {
            return;
        }
        creating.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = api::workflow::create_period(session, year).await;
            creating.try_set(false);
            match outcome {
                Ok(period) => {
                    chosen.try_set(period.id.to_string());
                    periods.refetch();
                }
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    let picker = move || {
        suspend_shown(i18n, async move {
            periods.await.map(|list| {
                if list.is_empty() {
                    let admin = role == Role::CentralAdmin;
                    view! {
                        <div class="notice">
                            <p>{move || i18n.w(WKey::NoPeriods)}</p>
                            <p>{move || i18n.w(WKey::NoPeriodsHint)}</p>
                            {admin
                                .then(|| {
                                    view! {
                                        <button
                                            id="create-period"
                                            type="button"
                                            disabled=move || creating.get()
                                            on:click=create
                                        >
                                            {move || i18n.wcat().create_period(year)}
                                        </button>
                                    }
                                })}
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <select
                            id="period-select"
                            on:change=move |event| chosen.set(event_target_value(&event))
                        >
                            {list
                                .into_iter()
                                .map(|period| {
                                    view! {
                                        <SelectOption value=period.id.to_string() selected=chosen>
                                            {period.name}
                                        </SelectOption>
                                    }
                                })
                                .collect_view()}
                        </select>
                    }
                    .into_any()
                }
            })
        })
    };
    view! {
        <div class="field period-field">
            <label for="period-select">{move || i18n.w(WKey::Period)}</label>
            <Transition fallback=move || view! { <Loading i18n /> }>{picker}</Transition>
            {move || error.get().map(|error| view! { <ProblemAlert i18n error /> })}
        </div>
    }
}

/// A status as a coloured tag.
#[component]
pub fn StatusTag(
    i18n: I18n,
    status: EffectiveStatus,
    #[prop(optional)] id: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span id=id class=format!("status-tag status-{}", status.as_str())>
            {move || i18n.wcat().effective_status(status)}
        </span>
    }
}

/// The messages in `errors` for `field`, in an element with `id`; nothing when there is none.
#[component]
pub fn ErrorLine(
    i18n: I18n,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(into)] field: Signal<String>,
    #[prop(into)] id: String,
) -> impl IntoView {
    move || {
        let field = field.get();
        let messages: Vec<String> = errors.with(|errors| {
            errors
                .iter()
                .filter(|error| error.field == field)
                .map(|error| field_text(i18n, error))
                .collect()
        });
        (!messages.is_empty()).then(|| {
            view! {
                <p class="field-error" id=id.clone()>
                    {messages.join(" ")}
                </p>
            }
        })
    }
}

/// Whether `errors` has one for `field`, as the text `aria-invalid` takes.
pub fn invalid(errors: &[FieldError], field: &str) -> &'static str {
    if errors.iter().any(|error| error.field == field) {
        "true"
    } else {
        "false"
    }
}

/// The target groups' names by code, in both languages.
pub fn group_names(groups: Vec<TargetGroup>) -> HashMap<String, (String, String)> {
    groups
        .into_iter()
        .map(|group| (group.code, (group.name_vi, group.name_en)))
        .collect()
}

/// The name of the target group `code` in the current language; the code when it is unknown.
pub fn group_name(i18n: I18n, names: &HashMap<String, (String, String)>, code: &str) -> String {
    names.get(code).map_or_else(
        || code.to_string(),
        |(vi, en)| i18n.pick(vi, en).to_string(),
    )
}

/// `Some(text)` unless the trimmed text is empty.
pub fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// An error that concerns the whole form, shown as an alert.
pub fn alert(i18n: I18n, error: RwSignal<Option<ApiError>>) -> impl IntoView {
    move || {
        error
            .get()
            .map(|error| view! { <ProblemAlert i18n error /> })
    }
}
