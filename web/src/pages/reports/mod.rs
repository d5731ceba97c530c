//! The reports (DOMAIN.md §8): the dashboard of a unit and period with drill-down from the
//! nation to provinces, communes and a commune's branches and committees; the legacy-unit view
//! of periods before 2025-07-01; the baselines the rates are computed against.

pub mod baselines;
mod common;
pub mod legacy;

use crate::api::reports::ReportKind;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::chart::{Bar, BarChart, ColumnChart, ColumnGroup, ProgressBar};
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::components::select_option::SelectOption;
use crate::i18n::I18n;
use crate::i18n::reports::RKey;
use common::{
    ExportButtons, count_cells, count_headers, count_of, default_period, href, use_title,
};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::admin_unit::AdminUnit;
use shared::auth::User;
use shared::registry::TargetGroup;
use shared::report::{
    BreakdownRow, ChildRow, Progress, SensitiveRow, Series, StatusCounts, UnitReport,
};
use shared::workflow::Period;
use uuid::Uuid;

/// The most bars the chart of child units draws.
const CHART_BARS: usize = 20;

/// Periods of this year or earlier may be shown on the legacy units.
const LEGACY_UNTIL_YEAR: i32 = 2025;

/// The periods, newest first.
pub(crate) type PeriodsResource = LocalResource<Result<Vec<Period>, ApiError>>;

/// The dashboard page, `/reports?unit=…&period=…` (the officer's own unit and this year's
/// period by default).
#[component]
pub fn ReportsPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, RKey::ReportsTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Dashboard app user /> }))
        })
    };
    view! {
        <div class="report-page">
            <h1>{move || i18n.r(RKey::ReportsTitle)}</h1>
            <p class="no-print">{move || i18n.r(RKey::ReportsIntro)}</p>
            <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
        </div>
    }
}

/// The unit and period named by the address, with the officer's unit and the default period
/// in their absence.
pub(crate) fn use_unit_and_period(
    app: AppContext,
    user: &User,
) -> (Memo<String>, PeriodsResource, Memo<Option<Uuid>>) {
    let AppContext { session, .. } = app;
    let query = use_query_map();
    let own = user.unit.code.clone();
    let unit = Memo::new(move |_| {
        query
            .with(|q| q.get("unit"))
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| own.clone())
    });
    let periods = LocalResource::new(move || api::workflow::periods(session));
    let period = Memo::new(move |_| {
        let asked = query.with(|q| q.get("period").and_then(|p| Uuid::parse_str(&p).ok()));
        asked.or_else(|| {
            periods
                .get()
                .and_then(Result::ok)
                .and_then(|list| default_period(&list).map(|p| p.id))
        })
    });
    (unit, periods, period)
}

/// `select#report-period`: choosing a period opens the same page of the same unit for it.
#[component]
pub(crate) fn PeriodSelect(
    app: AppContext,
    page: &'static str,
    periods: PeriodsResource,
    unit: Memo<String>,
    period: Memo<Option<Uuid>>,
) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let navigate = use_navigate();
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| {
        chosen.set(period.get().map(|p| p.to_string()).unwrap_or_default());
    });
    let on_change = move |event: web_sys::Event| {
        let value = event_target_value(&event);
        if let Ok(id) = Uuid::parse_str(&value) {
            navigate(
                &href(page, Some(&unit.get_untracked()), Some(id)),
                Default::default(),
            );
        }
    };
    let options = move || {
        let on_change = on_change.clone();
        suspend_shown(i18n, async move {
            periods.await.map(|list| {
                if list.is_empty() {
                    return view! { <p class="notice">{move || i18n.r(RKey::NoPeriods)}</p> }
                        .into_any();
                }
                let options = list
                    .into_iter()
                    .map(|p| {
                        view! { <SelectOption value=p.id.to_string() selected=chosen>{p.name}</SelectOption> }
                    })
                    .collect_view();
                view! {
                    <div class="field period-field no-print">
                        <label for="report-period">{move || i18n.r(RKey::Period)}</label>
                        <select id="report-period" on:change=on_change>
                            {options}
                        </select>
                    </div>
                }
                .into_any()
            })
        })
    };
    view! { <Transition fallback=move || view! { <Loading i18n /> }>{options}</Transition> }
}

/// The dashboard of the unit and period in the address.
#[component]
fn Dashboard(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (unit, periods, period) = use_unit_and_period(app, &user);
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
    let progress = LocalResource::new(move || {
        let (unit, period) = (unit.get(), period.get());
        async move {
            match period {
                Some(period) => api::reports::progress(session, period, &unit)
                    .await
                    .map(Some),
                None => Ok(None),
            }
        }
    });
    let series = LocalResource::new(move || {
        let unit = unit.get();
        async move { api::reports::series(session, &unit).await }
    });
    let groups = LocalResource::new(move || api::people::target_groups(session));
    // The province above a commune, for the breadcrumb.
    let parent = LocalResource::new(move || {
        let unit = unit.get();
        async move {
            if unit.len() == 5 {
                api::admin_units::unit(session, &unit)
                    .await
                    .map(|detail| detail.parent)
            } else {
                Ok(None)
            }
        }
    });
    let own_level = user.unit.level.clone();

    let report_view = move || {
        let own_level = own_level.clone();
        suspend_shown(i18n, async move {
            let Some(report) = report.await? else {
                return Ok::<_, ApiError>(().into_any());
            };
            let groups = groups.await.unwrap_or_default();
            let parent = parent.await?;
            let crumbs = crumbs(&own_level, &report, parent);
            Ok(view! { <ReportBody app report crumbs groups /> }.into_any())
        })
    };
    let progress_view = move || {
        suspend_shown(i18n, async move {
            progress
                .await
                .map(|p| p.map(|progress| view! { <ProgressSection app progress /> }))
        })
    };
    let series_view = move || {
        suspend_shown(i18n, async move {
            series
                .await
                .map(|series| view! { <TrendSection app series /> })
        })
    };
    let links = move || {
        let (unit, period_id) = (unit.get(), period.get());
        let legacy = periods
            .get()
            .and_then(Result::ok)
            .and_then(|list| list.into_iter().find(|p| Some(p.id) == period_id))
            .is_some_and(|p| p.year <= LEGACY_UNTIL_YEAR);
        view! {
            <p class="report-links no-print">
                <a id="baselines-link" href=href("/reports/baselines", Some(&unit), period_id)>
                    {move || i18n.r(RKey::Baselines)}
                </a>
                {legacy
                    .then(|| {
                        view! {
                            " · "
                            <a id="legacy-link" href=href("/reports/legacy", None, period_id)>
                                {move || i18n.r(RKey::LegacyLink)}
                            </a>
                        }
                    })}
                " · "
                <button id="print-report" type="button" on:click=|_| print()>
                    {move || i18n.r(RKey::Print)}
                </button>
            </p>
        }
    };
    view! {
        <PeriodSelect app page="/reports" periods unit period />
        {links}
        <Transition fallback=move || view! { <Loading i18n /> }>{report_view}</Transition>
        <Transition fallback=move || view! { <Loading i18n /> }>{progress_view}</Transition>
        <Transition fallback=move || view! { <Loading i18n /> }>{series_view}</Transition>
        <p class="print-only">{move || i18n.r(RKey::PrintedOn)}</p>
    }
}

/// Opens the browser's print dialog (the print stylesheet hides the controls).
fn print() {
    if let Some(window) = web_sys::window()
        && window.print().is_err()
    {
        leptos::logging::warn!("the browser refused to print");
    }
}

/// One step of the breadcrumb: a unit code and its name.
#[derive(Debug, Clone, PartialEq)]
struct Crumb {
    code: String,
    name: String,
}

/// The units from the officer's own down to the report's: nation, province, commune.
fn crumbs(own_level: &str, report: &UnitReport, province: Option<AdminUnit>) -> Vec<Crumb> {
    let mut trail = Vec::new();
    let level = report.unit.level.as_str();
    if own_level == "nation" && level != "nation" {
        trail.push(Crumb {
            code: "VN".into(),
            name: String::new(),
        });
    }
    if level == "commune"
        && own_level != "commune"
        && let Some(province) = province
    {
        trail.push(Crumb {
            code: province.code,
            name: province.name,
        });
    }
    trail.push(Crumb {
        code: report.unit.code.clone(),
        name: report.unit.name.clone(),
    });
    trail
}

/// The figures of one report: breadcrumb, headline, child units (chart and table), breakdowns,
/// sensitive breakdowns and the export buttons.
#[component]
fn ReportBody(
    app: AppContext,
    report: UnitReport,
    crumbs: Vec<Crumb>,
    groups: Vec<TargetGroup>,
) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let period = report.period_id;
    let last = crumbs.len().saturating_sub(1);
    let trail = crumbs
        .into_iter()
        .enumerate()
        .map(|(i, crumb)| {
            let Crumb { code, name } = crumb;
            let is_nation = code == "VN";
            let text = move || {
                if is_nation {
                    i18n.r(RKey::Nation).to_string()
                } else {
                    name.clone()
                }
            };
            if i == last {
                view! { <li><span id="crumb-current" aria-current="page">{text}</span></li> }
                    .into_any()
            } else {
                view! {
                    <li>
                        <a id=format!("crumb-{code}") href=href("/reports", Some(&code), Some(period))>
                            {text}
                        </a>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();

    let headline = std::iter::once(("members", report.members))
        .chain(
            StatusCounts::COLUMNS
                .iter()
                .filter(|c| **c != "withdrawn")
                .map(|c| (*c, count_of(&report.totals, c))),
        )
        .map(|(column, n)| {
            view! {
                <div class="figure" id=format!("figure-{column}")>
                    <dt>
                        {move || {
                            if column == "members" {
                                i18n.r(RKey::Members)
                            } else {
                                i18n.rcat().count(column)
                            }
                        }}
                    </dt>
                    <dd class="figure-value">{move || i18n.rcat().number(n)}</dd>
                </div>
            }
        })
        .collect_view();

    let unit_code = report.unit.code.clone();
    let stem = format!("bao-cao-{}-{}", report.period_year, report.unit.code);
    let export = ReportKind::Summary {
        period_id: period,
        unit: unit_code.clone(),
    };
    let progress_export = ReportKind::Progress {
        period_id: period,
        unit: unit_code.clone(),
    };
    let series_export = ReportKind::Series {
        unit: unit_code.clone(),
    };
    let people_export =
        (report.unit.level == "commune").then_some(ReportKind::People { unit: unit_code });
    let people_stem = format!("danh-sach-{}", report.unit.code);
    let progress_stem = format!("tien-do-{}-{}", report.period_year, report.unit.code);
    let series_stem = format!("dien-bien-{}", report.unit.code);
    let heading_name = report.unit.name.clone();
    let heading_level = report.unit.level.clone();
    let year = report.period_year;

    let by_group: Vec<BreakdownRow> = report
        .by_target_group
        .iter()
        .cloned()
        .map(|mut row| {
            if let Some(group) = groups.iter().find(|g| g.code == row.key) {
                row.label = format!("{}\u{1f}{}", group.name_vi, group.name_en);
            }
            row
        })
        .collect();

    view! {
        <nav class="report-crumbs" aria-label=move || i18n.r(RKey::Breadcrumb)>
            <ol id="report-breadcrumb">{trail}</ol>
        </nav>
        <h2 id="report-heading">
            {move || {
                if heading_level == "nation" {
                    i18n.r(RKey::Nation).to_string()
                } else {
                    heading_name.clone()
                }
            }}
            " — "
            {year}
        </h2>
        <section class="panel" aria-labelledby="headline-heading">
            <h3 id="headline-heading">{move || i18n.r(RKey::HeadlineTitle)}</h3>
            <dl id="headline" class="figures">{headline}</dl>
        </section>
        <ChildrenSection app period here=report.unit.level.clone() children=report.children />
        <section class="panel" aria-labelledby="breakdowns-heading">
            <h3 id="breakdowns-heading" class="visually-hidden">
                {move || i18n.r(RKey::ByTargetGroup)}
            </h3>
            <BreakdownTable i18n id="by-target-group" title=RKey::ByTargetGroup rows=by_group kind=Breakdown::Group />
            <BreakdownTable i18n id="by-gender" title=RKey::ByGender rows=report.by_gender kind=Breakdown::Gender />
            <BreakdownTable i18n id="by-age-band" title=RKey::ByAgeBand rows=report.by_age_band kind=Breakdown::AgeBand />
            <SensitiveTable i18n id="by-ethnicity" title=RKey::ByEthnicity rows=report.by_ethnicity />
            <SensitiveTable i18n id="by-religion" title=RKey::ByReligion rows=report.by_religion />
        </section>
        <section class="panel no-print" aria-labelledby="export-heading">
            <h3 id="export-heading">{move || i18n.r(RKey::ExportTitle)}</h3>
            <ExportButtons app id="export-summary" label=RKey::ExportReport report=export stem />
            <ExportButtons
                app
                id="export-progress"
                label=RKey::ExportProgress
                report=progress_export
                stem=progress_stem
            />
            <ExportButtons
                app
                id="export-series"
                label=RKey::ExportSeries
                report=series_export
                stem=series_stem
            />
            // The list of people of a whole province or the nation is not a download.
            {people_export
                .map(|report| {
                    view! {
                        <ExportButtons
                            app
                            id="export-people"
                            label=RKey::ExportPeople
                            report
                            stem=people_stem
                        />
                        <p class="hint">{move || i18n.r(RKey::ExportPeopleHint)}</p>
                    }
                })}
        </section>
    }
}

/// Whether a child row opens a report of its own: the provinces of the nation and the
/// communes of a province do; a commune's branches, committees and own Association do not.
fn drillable(child: &ChildRow, here_level: &str) -> bool {
    matches!(
        (here_level, child.level.as_str()),
        ("nation", "province") | ("province", "commune")
    )
}

/// The child units: a bar chart of the chosen figure and the table of every figure. A province
/// or commune opens its own report from its bar or its name.
#[component]
fn ChildrenSection(
    app: AppContext,
    period: Uuid,
    here: String,
    children: Vec<ChildRow>,
) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let navigate = use_navigate();
    let measure = RwSignal::new("registered".to_string());
    let on_open = Callback::new(move |to: String| navigate(&to, Default::default()));
    if children.is_empty() {
        return view! {
            <section class="panel" aria-labelledby="children-heading">
                <h3 id="children-heading">{move || i18n.r(RKey::ChildrenTitle)}</h3>
                <p class="empty">{move || i18n.r(RKey::ChildrenEmpty)}</p>
            </section>
        }
        .into_any();
    }
    let count = children.len();
    let chart_children = children.clone();
    let here_rows = here.clone();
    let chart = move || {
        let column = measure.get();
        let bars = chart_children
            .iter()
            .map(|c| {
                let value = if column == "members" {
                    c.members.unwrap_or(0)
                } else {
                    count_of(&c.counts, &column)
                };
                Bar {
                    key: c.code.clone(),
                    label: c.name.clone(),
                    value,
                    value_text: i18n.rcat().number(value),
                    href: drillable(c, &here)
                        .then(|| href("/reports", Some(&c.code), Some(period))),
                }
            })
            .collect::<Vec<_>>();
        let mut bars = bars;
        // The largest first; a long list is cut in the chart (the table has every unit).
        bars.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.label.cmp(&b.label)));
        bars.truncate(CHART_BARS);
        let shown = bars.len();
        let desc_column = column.clone();
        view! {
            <BarChart
                id="children-chart"
                title=Signal::derive(move || i18n.r(RKey::ChildrenTitle).to_string())
                desc=Signal::derive(move || {
                    let name = if desc_column == "members" {
                        i18n.r(RKey::Members)
                    } else {
                        i18n.rcat().count(&desc_column)
                    };
                    i18n.rcat().bars_desc(name, shown, count)
                })
                bars
                on_open
            />
        }
    };
    let options = std::iter::once("members")
        .chain(StatusCounts::COLUMNS.iter().copied())
        .map(|column| {
            view! {
                <SelectOption value=column selected=measure>
                    {move || {
                        if column == "members" { i18n.r(RKey::Members) } else { i18n.rcat().count(column) }
                    }}
                </SelectOption>
            }
        })
        .collect_view();
    let rows = children
        .into_iter()
        .map(|c| {
            let name = c.name.clone();
            let level = c.level.clone();
            let cell = if drillable(&c, &here_rows) {
                let label = name.clone();
                view! {
                    <a
                        id=format!("open-{}", c.code)
                        class="unit-link"
                        href=href("/reports", Some(&c.code), Some(period))
                        aria-label=move || i18n.rcat().open_unit(&label)
                    >
                        {name}
                    </a>
                }
                .into_any()
            } else {
                view! { <span>{name}</span> }.into_any()
            };
            let members = c.members;
            let adults = c.baseline.adult_population;
            let rate = c.rates.recognised_of_adults;
            view! {
                <tr id=format!("child-{}", c.code)>
                    <th scope="row">{cell}</th>
                    <td>{move || i18n.rcat().level(&level)}</td>
                    {count_cells(i18n, c.counts)}
                    <td class="num col-members">
                        {move || members.map(|m| i18n.rcat().number(m)).unwrap_or_default()}
                    </td>
                    <td class="num col-adults">
                        {move || adults.map(|m| i18n.rcat().number(m)).unwrap_or_default()}
                    </td>
                    <td class="num col-rate">
                        {move || rate.map(|r| i18n.rcat().percent(r)).unwrap_or_default()}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="children-heading">
            <h3 id="children-heading">{move || i18n.r(RKey::ChildrenTitle)}</h3>
            <p class="hint no-print">{move || i18n.r(RKey::ChildrenHint)}</p>
            <div class="field chart-measure no-print">
                <label for="chart-measure">{move || i18n.r(RKey::ChartMeasure)}</label>
                <select
                    id="chart-measure"
                    on:change=move |event| measure.set(event_target_value(&event))
                >
                    {options}
                </select>
            </div>
            <div class="chart-box">{chart}</div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="children-table-caption">
                <table id="children-table" class="report-table">
                    <caption id="children-table-caption">{move || i18n.r(RKey::TableTitle)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.r(RKey::Unit)}</th>
                            <th scope="col">{move || i18n.r(RKey::Level)}</th>
                            {count_headers(i18n)}
                            <th scope="col" class="num">{move || i18n.r(RKey::Members)}</th>
                            <th scope="col" class="num">{move || i18n.r(RKey::AdultPopulation)}</th>
                            <th scope="col" class="num">{move || i18n.r(RKey::Rate)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}

/// What the keys of a breakdown are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Breakdown {
    /// Target groups: the label holds the Vietnamese and English names split by U+001F, or
    /// the API's label.
    Group,
    Gender,
    AgeBand,
}

/// A breakdown by target group, gender or age band as a table.
#[component]
fn BreakdownTable(
    i18n: I18n,
    id: &'static str,
    title: RKey,
    rows: Vec<BreakdownRow>,
    kind: Breakdown,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|row| {
            let BreakdownRow { key, label, counts } = row;
            let row_key = key.clone();
            let name = move || match kind {
                Breakdown::Gender => i18n.rcat().gender(&key).to_string(),
                Breakdown::AgeBand => i18n.rcat().age_band(&key).to_string(),
                Breakdown::Group => match label.split_once('\u{1f}') {
                    Some((vi, en)) => i18n.pick(vi, en).to_string(),
                    None => label.clone(),
                },
            };
            view! {
                <tr id=format!("{id}-{row_key}")>
                    <th scope="row">{name}</th>
                    {count_cells(i18n, counts)}
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=format!("{id}-caption")>
            <table id=id class="report-table">
                <caption id=format!("{id}-caption")>{move || i18n.r(title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.r(RKey::Group)}</th>
                        {count_headers(i18n)}
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}

/// The name of a key of a sensitive breakdown: the recorded value, or "not stated".
fn sensitive_label(i18n: I18n, key: String) -> impl Fn() -> String {
    move || {
        if key == "not_stated" {
            i18n.r(RKey::NotStated).to_string()
        } else {
            key.clone()
        }
    }
}

/// A breakdown by ethnicity or religion, small cells withheld by the API.
#[component]
fn SensitiveTable(
    i18n: I18n,
    id: &'static str,
    title: RKey,
    rows: Vec<SensitiveRow>,
) -> impl IntoView {
    if rows.is_empty() {
        return ().into_any();
    }
    let cell = move |n: Option<i64>| {
        move || match n {
            Some(n) => i18n.rcat().number(n),
            None => i18n.r(RKey::Suppressed).to_string(),
        }
    };
    let body = rows
        .into_iter()
        .map(|row| {
            view! {
                <tr>
                    <th scope="row">{sensitive_label(i18n, row.key)}</th>
                    <td class="num" class:suppressed=row.registered.is_none()>{cell(row.registered)}</td>
                    <td class="num" class:suppressed=row.recognised.is_none()>{cell(row.recognised)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-labelledby=format!("{id}-caption")>
            <table id=id class="report-table">
                <caption id=format!("{id}-caption")>{move || i18n.r(title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{move || i18n.r(RKey::Group)}</th>
                        <th scope="col" class="num">{move || i18n.rcat().count("registered")}</th>
                        <th scope="col" class="num">{move || i18n.rcat().count("recognised")}</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
            <p class="hint">{move || i18n.r(RKey::SensitiveNote)}</p>
        </div>
    }
    .into_any()
}

/// Progress against the Decision 677 targets: a bar per measure with the target marked, and
/// the numbers (rate = sum over sum).
#[component]
fn ProgressSection(app: AppContext, progress: Progress) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let rows = progress
        .measures
        .into_iter()
        .map(|m| {
            let measure = m.measure.clone();
            let label_measure = measure.clone();
            let (rate, target) = (m.rate, m.target_rate);
            let label = Signal::derive(move || {
                let cat = i18n.rcat();
                let none = i18n.r(RKey::NoBaseline);
                cat.progress_desc(
                    cat.measure(&label_measure),
                    &rate.map_or(none.to_string(), |r| cat.percent(r)),
                    &target.map_or(i18n.r(RKey::NoTarget).to_string(), |t| cat.percent(t)),
                )
            });
            let numerator = m.numerator;
            let denominator = m.denominator;
            let achievement = m.achievement;
            let target_year = m.target_year;
            let name = measure.clone();
            view! {
                <div class="progress-measure" id=format!("progress-{measure}")>
                    <h4>{move || i18n.rcat().measure(&name)}</h4>
                    <ProgressBar id=format!("progress-bar-{measure}") label rate target />
                    <dl class="figures figures-small">
                        <div class="figure">
                            <dt>{move || i18n.r(RKey::Numerator)}</dt>
                            <dd class="progress-numerator">{move || i18n.rcat().number(numerator)}</dd>
                        </div>
                        <div class="figure">
                            <dt>{move || i18n.r(RKey::Denominator)}</dt>
                            <dd class="progress-denominator">
                                {move || {
                                    denominator
                                        .map_or(i18n.r(RKey::NoBaseline).to_string(), |d| i18n.rcat().number(d))
                                }}
                            </dd>
                        </div>
                        <div class="figure">
                            <dt>{move || i18n.r(RKey::Rate)}</dt>
                            <dd class="progress-rate">
                                {move || rate.map(|r| i18n.rcat().percent(r)).unwrap_or_else(|| "—".into())}
                            </dd>
                        </div>
                        <div class="figure">
                            <dt>{move || i18n.r(RKey::Target)}</dt>
                            <dd class="progress-target">
                                {move || match (target, target_year) {
                                    (Some(t), Some(y)) => format!("{} ({y})", i18n.rcat().percent(t)),
                                    (Some(t), None) => i18n.rcat().percent(t),
                                    _ => i18n.r(RKey::NoTarget).to_string(),
                                }}
                            </dd>
                        </div>
                        <div class="figure">
                            <dt>{move || i18n.r(RKey::Achievement)}</dt>
                            <dd class="progress-achievement">
                                {move || {
                                    achievement.map(|a| i18n.rcat().percent(a)).unwrap_or_else(|| "—".into())
                                }}
                            </dd>
                        </div>
                    </dl>
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="progress-heading">
            <h3 id="progress-heading">{move || i18n.r(RKey::ProgressTitle)}</h3>
            <p class="hint">{move || i18n.r(RKey::ProgressIntro)}</p>
            {rows}
        </section>
    }
}

/// The trend over periods: registered and recognised per period as columns, and the table.
#[component]
fn TrendSection(app: AppContext, series: Series) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    if series.points.is_empty() {
        return view! {
            <section class="panel" aria-labelledby="trend-heading">
                <h3 id="trend-heading">{move || i18n.r(RKey::TrendTitle)}</h3>
                <p class="empty">{move || i18n.r(RKey::TrendEmpty)}</p>
            </section>
        }
        .into_any();
    }
    let count = series.points.len();
    let points = series.points.clone();
    let chart = move || {
        let groups = points
            .iter()
            .map(|p| ColumnGroup {
                label: p.period_year.to_string(),
                values: vec![p.totals.registered, p.totals.recognised],
                value_texts: vec![
                    i18n.rcat().number(p.totals.registered),
                    i18n.rcat().number(p.totals.recognised),
                ],
            })
            .collect::<Vec<_>>();
        view! {
            <ColumnChart
                id="trend-chart"
                title=Signal::derive(move || i18n.r(RKey::TrendTitle).to_string())
                desc=Signal::derive(move || i18n.rcat().trend_desc(count))
                series=Signal::derive(move || {
                    vec![
                        i18n.rcat().count("registered").to_string(),
                        i18n.rcat().count("recognised").to_string(),
                    ]
                })
                groups
            />
        }
    };
    let rows = series
        .points
        .into_iter()
        .map(|p| {
            let adults = p
                .measures
                .iter()
                .find(|m| m.measure == "adults")
                .and_then(|m| m.rate);
            view! {
                <tr id=format!("series-{}", p.period_year)>
                    <th scope="row">{p.period_name}</th>
                    {count_cells(i18n, p.totals)}
                    <td class="num col-rate">
                        {move || adults.map(|r| i18n.rcat().percent(r)).unwrap_or_default()}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="panel" aria-labelledby="trend-heading">
            <h3 id="trend-heading">{move || i18n.r(RKey::TrendTitle)}</h3>
            <div class="chart-box">{chart}</div>
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="series-table-caption">
                <table id="series-table" class="report-table">
                    <caption id="series-table-caption">{move || i18n.r(RKey::TableTitle)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.r(RKey::Period)}</th>
                            {count_headers(i18n)}
                            <th scope="col" class="num">{move || i18n.r(RKey::Rate)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
    .into_any()
}
