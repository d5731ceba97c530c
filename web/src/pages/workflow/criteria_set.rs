//! `/criteria-sets/{id}`: one criteria set. Published sets are shown read-only, with a button
//! for the central administrator that copies one into a new draft version; drafts open in the
//! editor (names, codes, points, evidence policy, rows added and removed, the pass rule), which
//! saves them and publishes them after a confirmation.

use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::{ProblemAlert, suspend_shown};
use crate::components::select_option::SelectOption;
use crate::hooks::focus_soon;
use crate::i18n::workflow::WKey;
use crate::i18n::{I18n, Key};
use crate::pages::workflow::common::{ErrorLine, GroupsResource, invalid, use_title};
use crate::pages::workflow::criteria_sets::criteria_set_href;
use crate::pages::workflow::criteria_tree::{CriteriaSetHeading, CriteriaTree};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::auth::Role;
use shared::criteria::{
    Competency, CriteriaStructure, Criterion, EvidencePolicy, Indicator, PassRule,
};
use shared::error::FieldError;
use shared::workflow::{CriteriaSet, CriteriaSetInput, CriteriaSetStatus};
use uuid::Uuid;
use validator::Validate;

/// Points a new indicator starts with.
const NEW_INDICATOR_POINTS: u32 = 10;

/// The criteria set page.
#[component]
pub fn CriteriaSetPage(app: AppContext) -> impl IntoView {
    let AppContext { session, i18n, me } = app;
    use_title(i18n, WKey::CriteriaSetsTitle);
    let params = use_params_map();
    let id = Memo::new(move |_| {
        params
            .with(|p| p.get("id"))
            .and_then(|raw| Uuid::parse_str(&raw).ok())
    });
    let set = LocalResource::new(move || {
        let id = id.get();
        async move {
            match id {
                Some(id) => api::workflow::criteria_set(session, id).await.map(Some),
                None => Ok(None),
            }
        }
    });
    let page_view = move || {
        suspend_shown(i18n, async move {
            let found = set.await?;
            let role = me.await?.map(|user| user.role);
            Ok::<_, ApiError>(match (found, role) {
                (Some(set), Some(role)) => view! { <SetDetail app set role /> }.into_any(),
                (None, _) => view! {
                    <p class="error" role="alert">{move || i18n.t(Key::ErrNotFound)}</p>
                }
                .into_any(),
                (_, None) => ().into_any(),
            })
        })
    };
    view! {
        <nav class="breadcrumb" aria-label=move || i18n.w(WKey::CriteriaSetsTitle)>
            <a href="/criteria-sets">{move || i18n.w(WKey::BackToCriteriaSets)}</a>
        </nav>
        <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
    }
}

/// The set, read-only or in the editor.
#[component]
fn SetDetail(app: AppContext, set: CriteriaSet, role: Role) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let admin = role == Role::CentralAdmin;
    let current = RwSignal::new(set);
    let draft = Memo::new(move |_| current.with(|s| s.status == CriteriaSetStatus::Draft));
    let body = move || {
        let set = current.get_untracked();
        if draft.get() && admin {
            view! { <Editor app set current /> }.into_any()
        } else {
            let published_at = set.published_at;
            view! {
                <CriteriaSetHeading i18n set=set.clone() />
                {published_at
                    .map(|at| {
                        view! {
                            <p class="hint">
                                {move || i18n.w(WKey::PublishedAt)}
                                ": "
                                {move || i18n.cat().date_time(at)}
                            </p>
                        }
                    })}
                {(set.status != CriteriaSetStatus::Draft)
                    .then(|| view! { <p class="notice">{move || i18n.w(WKey::ReadOnlyPublished)}</p> })}
                {admin.then(|| view! { <NewVersion app set=set.clone() /> })}
                <section class="panel" aria-labelledby="set-tree-heading">
                    <h2 id="set-tree-heading">{move || i18n.w(WKey::SetContents)}</h2>
                    <CriteriaTree i18n set />
                </section>
            }
            .into_any()
        }
    };
    view! {
        <h1 id="set-heading" tabindex="-1">{move || current.with(|s| s.title.clone())}</h1>
        {body}
    }
}

/// Copies a set into a new draft version of its family and opens the draft.
#[component]
fn NewVersion(app: AppContext, set: CriteriaSet) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let navigate = use_navigate();
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<ApiError>);
    let input = CriteriaSetInput {
        code: set.code,
        target_group: set.target_group,
        title: set.title,
        structure: set.structure,
        pass_rule: set.pass_rule,
    };
    // A code typed here starts a new family (version 1) from this set's contents.
    let new_code = RwSignal::new(String::new());
    let create = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let mut input = input.clone();
        let typed = new_code.get_untracked().trim().to_string();
        if !typed.is_empty() {
            input.code = typed;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = api::workflow::create_criteria_set(session, &input).await;
            pending.try_set(false);
            match outcome {
                Ok(draft) => navigate(&criteria_set_href(draft.id), Default::default()),
                Err(failure) => {
                    error.try_set(Some(failure));
                }
            }
        });
    };
    view! {
        <div class="form-actions">
            <div class="field">
                <label for="new-set-code">{move || i18n.w(WKey::NewSetCode)}</label>
                <input
                    id="new-set-code"
                    type="text"
                    autocomplete="off"
                    aria-describedby="new-set-code-hint"
                    bind:value=new_code
                />
                <p id="new-set-code-hint" class="hint">{move || i18n.w(WKey::NewSetCodeHint)}</p>
            </div>
            <button id="new-version" type="button" disabled=move || pending.get() on:click=create>
                {move || {
                    if new_code.with(|c| c.trim().is_empty()) {
                        i18n.w(WKey::NewVersion)
                    } else {
                        i18n.w(WKey::NewSetButton)
                    }
                }}
            </button>
        </div>
        {move || error.get().map(|error| view! { <ProblemAlert i18n error id="new-version-error" /> })}
    }
}

/// An indicator as edited.
#[derive(Clone, Copy)]
struct IndicatorRow {
    key: u64,
    code: RwSignal<String>,
    name: RwSignal<String>,
    max_points: RwSignal<String>,
    evidence: RwSignal<String>,
}

/// A criterion as edited.
#[derive(Clone, Copy)]
struct CriterionRow {
    key: u64,
    code: RwSignal<String>,
    name: RwSignal<String>,
    indicators: RwSignal<Vec<IndicatorRow>>,
}

/// A competency as edited.
#[derive(Clone, Copy)]
struct CompetencyRow {
    key: u64,
    code: RwSignal<String>,
    name: RwSignal<String>,
    criteria: RwSignal<Vec<CriterionRow>>,
}

/// Hands out the keys that tell rows apart while they are added and removed.
#[derive(Clone, Copy)]
struct Keys(StoredValue<u64>);

impl Keys {
    fn next(self) -> u64 {
        self.0.update_value(|n| *n += 1);
        self.0.get_value()
    }

    fn indicator(self, indicator: &Indicator) -> IndicatorRow {
        IndicatorRow {
            key: self.next(),
            code: RwSignal::new(indicator.code.clone()),
            name: RwSignal::new(indicator.name.clone()),
            max_points: RwSignal::new(indicator.max_points.to_string()),
            evidence: RwSignal::new(indicator.evidence.as_str().to_string()),
        }
    }

    fn criterion(self, criterion: &Criterion) -> CriterionRow {
        CriterionRow {
            key: self.next(),
            code: RwSignal::new(criterion.code.clone()),
            name: RwSignal::new(criterion.name.clone()),
            indicators: RwSignal::new(
                criterion
                    .indicators
                    .iter()
                    .map(|i| self.indicator(i))
                    .collect(),
            ),
        }
    }

    fn competency(self, competency: &Competency) -> CompetencyRow {
        CompetencyRow {
            key: self.next(),
            code: RwSignal::new(competency.code.clone()),
            name: RwSignal::new(competency.name.clone()),
            criteria: RwSignal::new(
                competency
                    .criteria
                    .iter()
                    .map(|c| self.criterion(c))
                    .collect(),
            ),
        }
    }

    /// An empty indicator coded `code`.
    fn new_indicator(self, code: String) -> IndicatorRow {
        self.indicator(&Indicator {
            code,
            name: String::new(),
            max_points: NEW_INDICATOR_POINTS,
            evidence: EvidencePolicy::Optional,
        })
    }

    /// An empty criterion coded `code`, with one indicator.
    fn new_criterion(self, code: String) -> CriterionRow {
        let indicator = self.new_indicator(format!("{code}.1"));
        CriterionRow {
            key: self.next(),
            code: RwSignal::new(code),
            name: RwSignal::new(String::new()),
            indicators: RwSignal::new(vec![indicator]),
        }
    }

    /// An empty competency coded `code`, with one criterion.
    fn new_competency(self, code: String) -> CompetencyRow {
        let criterion = self.new_criterion(format!("{code}.1"));
        CompetencyRow {
            key: self.next(),
            code: RwSignal::new(code),
            name: RwSignal::new(String::new()),
            criteria: RwSignal::new(vec![criterion]),
        }
    }
}

/// The field error for a number that is not one.
fn not_a_number(field: String) -> FieldError {
    FieldError {
        field,
        code: "not_a_number".to_string(),
        message: "must be a whole number".to_string(),
    }
}

/// The structure as typed, or the fields whose numbers are not numbers.
fn read_structure(competencies: &[CompetencyRow]) -> Result<CriteriaStructure, Vec<FieldError>> {
    let mut errors = Vec::new();
    let competencies = competencies
        .iter()
        .enumerate()
        .map(|(ci, competency)| Competency {
            code: competency.code.get_untracked(),
            name: competency.name.get_untracked(),
            criteria: competency
                .criteria
                .get_untracked()
                .iter()
                .enumerate()
                .map(|(ki, criterion)| Criterion {
                    code: criterion.code.get_untracked(),
                    name: criterion.name.get_untracked(),
                    indicators: criterion
                        .indicators
                        .get_untracked()
                        .iter()
                        .enumerate()
                        .map(|(ii, indicator)| {
                            let max_points = indicator
                                .max_points
                                .with_untracked(|text| text.trim().parse::<u32>())
                                .unwrap_or_else(|_| {
                                    errors.push(not_a_number(format!(
                                        "structure.competencies[{ci}].criteria[{ki}].indicators[{ii}].max_points"
                                    )));
                                    0
                                });
                            Indicator {
                                code: indicator.code.get_untracked(),
                                name: indicator.name.get_untracked(),
                                max_points,
                                evidence: indicator
                                    .evidence
                                    .with_untracked(|e| EvidencePolicy::parse(e))
                                    .unwrap_or_default(),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    if errors.is_empty() {
        Ok(CriteriaStructure { competencies })
    } else {
        Err(errors)
    }
}

/// The editor of a draft.
#[component]
fn Editor(app: AppContext, set: CriteriaSet, current: RwSignal<CriteriaSet>) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let id = set.id;
    let code = set.code.clone();
    let keys = Keys(StoredValue::new(0));
    let title = RwSignal::new(set.title.clone());
    let group = RwSignal::new(set.target_group.clone());
    let min_total = RwSignal::new(set.pass_rule.min_total.to_string());
    let min_per = RwSignal::new(set.pass_rule.min_per_indicator.to_string());
    let competencies = RwSignal::new(
        set.structure
            .competencies
            .iter()
            .map(|c| keys.competency(c))
            .collect::<Vec<_>>(),
    );
    let groups: GroupsResource = LocalResource::new(move || api::people::target_groups(session));
    let field_errors = RwSignal::new(Vec::<FieldError>::new());
    let errors: Signal<Vec<FieldError>> = field_errors.into();
    let error = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);
    let dirty = RwSignal::new(false);
    let confirming = RwSignal::new(false);

    let total_max = Memo::new(move |_| {
        competencies.with(|list| {
            list.iter()
                .flat_map(|c| c.criteria.get())
                .flat_map(|k| k.indicators.get())
                .filter_map(|i| i.max_points.with(|t| t.trim().parse::<u32>().ok()))
                .fold(0_u32, u32::saturating_add)
        })
    });

    let read = move || -> Result<CriteriaSetInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let structure = competencies.with_untracked(|list| read_structure(list));
        let min_total_value = min_total.with_untracked(|t| t.trim().parse::<u32>());
        let min_per_value = min_per.with_untracked(|t| t.trim().parse::<u32>());
        if min_total_value.is_err() {
            errors.push(not_a_number("pass_rule.min_total".to_string()));
        }
        if min_per_value.is_err() {
            errors.push(not_a_number("pass_rule.min_per_indicator".to_string()));
        }
        let structure = match structure {
            Ok(structure) => Some(structure),
            Err(found) => {
                errors.extend(found);
                None
            }
        };
        let (Some(structure), Ok(min_total), Ok(min_per_indicator)) =
            (structure, min_total_value, min_per_value)
        else {
            return Err(errors);
        };
        let input = CriteriaSetInput {
            code: code.clone(),
            target_group: group.get_untracked(),
            title: title.get_untracked().trim().to_string(),
            structure,
            pass_rule: PassRule {
                min_total,
                min_per_indicator,
            },
        };
        if let Err(invalid) = input.validate() {
            errors.extend(shared::error::field_errors(&invalid));
        }
        if let Err(problems) = input.structure.validate(&input.pass_rule) {
            errors.extend(problems.iter().map(|problem| {
                let mut error = FieldError::from(problem);
                if error.field.starts_with("competencies") {
                    error.field = format!("structure.{}", error.field);
                }
                error
            }));
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    };

    let save = move |event: SubmitEvent| {
        event.prevent_default();
        if pending.get_untracked() {
            return;
        }
        error.set(None);
        saved.set(false);
        let input = match read() {
            Ok(input) => input,
            Err(errors) => {
                field_errors.set(errors);
                focus_soon("editor-errors".to_string());
                return;
            }
        };
        field_errors.set(Vec::new());
        pending.set(true);
        spawn_local(async move {
            let outcome = api::workflow::update_criteria_set(session, id, &input).await;
            pending.try_set(false);
            match outcome {
                Ok(updated) => {
                    saved.try_set(true);
                    dirty.try_set(false);
                    current.try_set(updated);
                }
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                    focus_soon("editor-errors".to_string());
                }
            }
        });
    };

    let publish = move |_| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        spawn_local(async move {
            let outcome = api::workflow::publish_criteria_set(session, id).await;
            pending.try_set(false);
            match outcome {
                Ok(published) => {
                    confirming.try_set(false);
                    current.try_set(published);
                    focus_soon("set-heading".to_string());
                }
                Err(failure) => {
                    field_errors.try_set(failure.field_errors());
                    error.try_set(Some(failure));
                }
            }
        });
    };

    let add_competency = move |_| {
        let code = competencies.with(|list| (list.len() + 1).to_string());
        let row = keys.new_competency(code);
        competencies.update(|list| list.push(row));
        dirty.set(true);
        focus_soon(format!("comp-{}-name", row.key));
    };

    let group_picker = move || {
        suspend_shown(i18n, async move {
            groups.await.map(|groups| {
                view! {
                    <select
                        id="set-group"
                        aria-invalid=move || errors.with(|e| invalid(e, "target_group"))
                        aria-describedby="set-group-error"
                        on:change=move |event| group.set(event_target_value(&event))
                    >
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

    let error_summary = move || {
        let count = field_errors.with(Vec::len);
        let failure = error.get();
        (count > 0 || failure.is_some()).then(|| {
            view! {
                <div id="editor-errors" class="error" role="alert" tabindex="-1">
                    {match failure {
                        Some(failure) => view! { <ProblemAlert i18n error=failure /> }.into_any(),
                        None => view! {
                            <p class="problem-title">{move || i18n.t(Key::ErrValidation)}</p>
                        }
                        .into_any(),
                    }}
                </div>
            }
        })
    };

    let publish_view = move || {
        if confirming.get() {
            view! {
                <div class="confirm">
                    <p id="publish-question" class="warning">{move || i18n.w(WKey::PublishConfirm)}</p>
                    <div class="form-actions">
                        <button
                            id="publish-confirm"
                            type="button"
                            class="button-danger"
                            aria-describedby="publish-question"
                            disabled=move || pending.get()
                            on:click=publish
                        >
                            {move || i18n.w(WKey::Publish)}
                        </button>
                        <button
                            id="publish-cancel"
                            type="button"
                            class="button-quiet"
                            on:click=move |_| {
                                confirming.set(false);
                                focus_soon("publish-criteria-set".to_string());
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
                    id="publish-criteria-set"
                    type="button"
                    class="button-secondary"
                    disabled=move || pending.get() || dirty.get()
                    aria-describedby="publish-hint"
                    on:click=move |_| {
                        error.set(None);
                        confirming.set(true);
                        focus_soon("publish-confirm".to_string());
                    }
                >
                    {move || i18n.w(WKey::Publish)}
                </button>
            }
            .into_any()
        }
    };

    view! {
        <CriteriaSetHeading i18n set=current.get_untracked() />
        <form
            id="criteria-set-form"
            class="form criteria-editor"
            on:submit=save
            on:input=move |_| {
                dirty.set(true);
                saved.set(false);
            }
            novalidate
        >
            <div class="form-grid">
                <div class="field">
                    <label for="set-title">{move || i18n.w(WKey::SetTitle)}</label>
                    <input
                        id="set-title"
                        type="text"
                        autocomplete="off"
                        aria-invalid=move || errors.with(|e| invalid(e, "title"))
                        aria-describedby="set-title-error"
                        bind:value=title
                    />
                    <ErrorLine i18n errors field="title" id="set-title-error" />
                </div>
                <div class="field">
                    <label for="set-group">{move || i18n.t(Key::TargetGroup)}</label>
                    <Transition fallback=move || view! { <Loading i18n /> }>{group_picker}</Transition>
                    <ErrorLine i18n errors field="target_group" id="set-group-error" />
                </div>
            </div>
            <fieldset class="form-grid">
                <legend>{move || i18n.w(WKey::PassRuleTitle)}</legend>
                <NumberField
                    i18n
                    id="set-min-total"
                    label=WKey::MinTotal
                    field="pass_rule.min_total"
                    value=min_total
                    errors
                />
                <NumberField
                    i18n
                    id="set-min-per"
                    label=WKey::MinPerIndicator
                    field="pass_rule.min_per_indicator"
                    value=min_per
                    errors
                />
                <p class="hint">
                    {move || i18n.w(WKey::TotalMax)}
                    ": "
                    <strong id="set-total-max">{move || total_max.get()}</strong>
                </p>
            </fieldset>
            <ErrorLine i18n errors field="structure.competencies" id="set-competencies-error" />
            <For each=move || competencies.get() key=|row| row.key let:row>
                <CompetencyEditor i18n row competencies keys errors dirty />
            </For>
            <button
                id="add-competency"
                type="button"
                class="button-quiet editor-add"
                on:click=add_competency
            >
                {move || i18n.w(WKey::AddCompetency)}
            </button>
            {error_summary}
            <div class="form-actions">
                <button id="save-criteria-set" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { i18n.t(Key::Saving) } else { i18n.w(WKey::SaveDraft) }}
                </button>
                <p class="success" role="status">
                    {move || saved.get().then(|| i18n.w(WKey::DraftSaved))}
                </p>
            </div>
        </form>
        <section class="panel" aria-labelledby="publish-heading">
            <h2 id="publish-heading">{move || i18n.w(WKey::Publish)}</h2>
            <p id="publish-hint" class="hint">{move || i18n.w(WKey::EditorHint)}</p>
            {publish_view}
        </section>
    }
}

/// A whole-number field of the editor.
#[component]
fn NumberField(
    i18n: I18n,
    #[prop(into)] id: String,
    label: WKey,
    #[prop(into)] field: Signal<String>,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.w(label)}</label>
            <input
                id=id
                type="number"
                inputmode="numeric"
                min="0"
                step="1"
                autocomplete="off"
                aria-invalid=move || errors.with(|e| invalid(e, &field.get()))
                aria-describedby=error_id.clone()
                bind:value=value
            />
            <ErrorLine i18n errors field id=error_id />
        </div>
    }
}

/// A text field of the editor whose error path follows the row's position.
#[component]
fn TextField(
    i18n: I18n,
    id: String,
    label: WKey,
    field: Signal<String>,
    value: RwSignal<String>,
    errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label for=id.clone()>{move || i18n.w(label)}</label>
            <input
                id=id
                type="text"
                autocomplete="off"
                aria-invalid=move || errors.with(|e| invalid(e, &field.get()))
                aria-describedby=error_id.clone()
                bind:value=value
            />
            <ErrorLine i18n errors field id=error_id />
        </div>
    }
}

/// The position of the row with `key` in `rows`.
fn position<T>(rows: RwSignal<Vec<T>>, key: u64, key_of: fn(&T) -> u64) -> Memo<usize>
where
    T: Send + Sync + 'static,
{
    Memo::new(move |_| {
        rows.with(|list| list.iter().position(|row| key_of(row) == key))
            .unwrap_or_default()
    })
}

/// One competency with its criteria.
#[component]
fn CompetencyEditor(
    i18n: I18n,
    row: CompetencyRow,
    competencies: RwSignal<Vec<CompetencyRow>>,
    keys: Keys,
    errors: Signal<Vec<FieldError>>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let key = row.key;
    let index = position(competencies, key, |r| r.key);
    let path = move || format!("structure.competencies[{}]", index.get());
    let criteria = row.criteria;
    let remove = move |_| {
        competencies.update(|list| list.retain(|r| r.key != key));
        dirty.set(true);
        focus_soon("add-competency".to_string());
    };
    let add = move |_| {
        let code = format!(
            "{}.{}",
            row.code.get_untracked(),
            criteria.with(Vec::len) + 1
        );
        let new = keys.new_criterion(code);
        criteria.update(|list| list.push(new));
        dirty.set(true);
        focus_soon(format!("crit-{}-name", new.key));
    };
    view! {
        <div class="editor-competency">
            <div class="editor-row">
                <TextField
                    i18n
                    id=format!("comp-{key}-code")
                    label=WKey::Code
                    field=Signal::derive(move || format!("{}.code", path()))
                    value=row.code
                    errors
                />
                <TextField
                    i18n
                    id=format!("comp-{key}-name")
                    label=WKey::Competency
                    field=Signal::derive(move || format!("{}.name", path()))
                    value=row.name
                    errors
                />
                <button
                    id=format!("comp-{key}-remove")
                    type="button"
                    class="button-quiet button-small"
                    aria-label=move || row.code.with(|c| i18n.wcat().remove_row(i18n.w(WKey::Competency), c))
                    on:click=remove
                >
                    {move || i18n.w(WKey::Remove)}
                </button>
            </div>
            <ErrorLine
                i18n
                errors
                field=Signal::derive(move || format!("{}.criteria", path()))
                id=format!("comp-{key}-criteria-error")
            />
            <For each=move || criteria.get() key=|r| r.key let:criterion>
                <CriterionEditor i18n row=criterion criteria competency=index keys errors dirty />
            </For>
            <button
                id=format!("comp-{key}-add")
                type="button"
                class="button-quiet editor-add"
                on:click=add
            >
                {move || i18n.w(WKey::AddCriterion)}
            </button>
        </div>
    }
}

/// One criterion with its indicators.
#[component]
fn CriterionEditor(
    i18n: I18n,
    row: CriterionRow,
    criteria: RwSignal<Vec<CriterionRow>>,
    competency: Memo<usize>,
    keys: Keys,
    errors: Signal<Vec<FieldError>>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let key = row.key;
    let index = position(criteria, key, |r| r.key);
    let path = move || {
        format!(
            "structure.competencies[{}].criteria[{}]",
            competency.get(),
            index.get()
        )
    };
    let indicators = row.indicators;
    let remove = move |_| {
        criteria.update(|list| list.retain(|r| r.key != key));
        dirty.set(true);
        focus_soon("add-competency".to_string());
    };
    let add = move |_| {
        let code = format!(
            "{}.{}",
            row.code.get_untracked(),
            indicators.with(Vec::len) + 1
        );
        let new = keys.new_indicator(code);
        indicators.update(|list| list.push(new));
        dirty.set(true);
        focus_soon(format!("ind-{}-name", new.key));
    };
    view! {
        <div class="editor-criterion">
            <div class="editor-row">
                <TextField
                    i18n
                    id=format!("crit-{key}-code")
                    label=WKey::Code
                    field=Signal::derive(move || format!("{}.code", path()))
                    value=row.code
                    errors
                />
                <TextField
                    i18n
                    id=format!("crit-{key}-name")
                    label=WKey::Criterion
                    field=Signal::derive(move || format!("{}.name", path()))
                    value=row.name
                    errors
                />
                <button
                    id=format!("crit-{key}-remove")
                    type="button"
                    class="button-quiet button-small"
                    aria-label=move || row.code.with(|c| i18n.wcat().remove_row(i18n.w(WKey::Criterion), c))
                    on:click=remove
                >
                    {move || i18n.w(WKey::Remove)}
                </button>
            </div>
            <ErrorLine
                i18n
                errors
                field=Signal::derive(move || format!("{}.indicators", path()))
                id=format!("crit-{key}-indicators-error")
            />
            <For each=move || indicators.get() key=|r| r.key let:indicator>
                <IndicatorEditor i18n row=indicator indicators parent=Signal::derive(path) errors dirty />
            </For>
            <button
                id=format!("crit-{key}-add")
                type="button"
                class="button-quiet editor-add"
                on:click=add
            >
                {move || i18n.w(WKey::AddIndicator)}
            </button>
        </div>
    }
}

/// One indicator: code, name, maximum points and evidence policy.
#[component]
fn IndicatorEditor(
    i18n: I18n,
    row: IndicatorRow,
    indicators: RwSignal<Vec<IndicatorRow>>,
    /// The path of the criterion it belongs to.
    parent: Signal<String>,
    errors: Signal<Vec<FieldError>>,
    dirty: RwSignal<bool>,
) -> impl IntoView {
    let key = row.key;
    let index = position(indicators, key, |r| r.key);
    let path = move || format!("{}.indicators[{}]", parent.get(), index.get());
    let remove = move |_| {
        indicators.update(|list| list.retain(|r| r.key != key));
        dirty.set(true);
        focus_soon("add-competency".to_string());
    };
    let evidence_id = format!("ind-{key}-evidence");
    view! {
        <div class="editor-indicator">
            <div class="editor-row indicator-row">
                <TextField
                    i18n
                    id=format!("ind-{key}-code")
                    label=WKey::Code
                    field=Signal::derive(move || format!("{}.code", path()))
                    value=row.code
                    errors
                />
                <TextField
                    i18n
                    id=format!("ind-{key}-name")
                    label=WKey::Indicator
                    field=Signal::derive(move || format!("{}.name", path()))
                    value=row.name
                    errors
                />
                <NumberField
                    i18n
                    id=format!("ind-{key}-max")
                    label=WKey::MaxPoints
                    field=Signal::derive(move || format!("{}.max_points", path()))
                    value=row.max_points
                    errors
                />
                <div class="field">
                    <label for=evidence_id.clone()>{move || i18n.w(WKey::EvidencePolicy)}</label>
                    <select
                        id=evidence_id.clone()
                        on:change=move |event| {
                            row.evidence.set(event_target_value(&event));
                            dirty.set(true);
                        }
                    >
                        {EvidencePolicy::ALL
                            .into_iter()
                            .map(|policy| {
                                view! {
                                    <SelectOption value=policy.as_str() selected=row.evidence>
                                        {move || i18n.wcat().evidence_policy(policy)}
                                    </SelectOption>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <button
                    id=format!("ind-{key}-remove")
                    type="button"
                    class="button-quiet button-small"
                    aria-label=move || row.code.with(|c| i18n.wcat().remove_row(i18n.w(WKey::Indicator), c))
                    on:click=remove
                >
                    {move || i18n.w(WKey::Remove)}
                </button>
            </div>
        </div>
    }
}
