//! `/reports/legacy?period=…[&province=…[&district=…]]`: a period before 2025-07-01 on the
//! legacy units, the nation by former province, a former province by district, a district by
//! commune, with the same drill-down, table and exports as the dashboard.

use super::common::{ExportButtons, count_cells, count_headers, use_title};
use super::{LEGACY_UNTIL_YEAR, PeriodSelect, use_unit_and_period};
use crate::api::reports::ReportKind;
use crate::api::{self, ApiError};
use crate::app::AppContext;
use crate::components::loading::Loading;
use crate::components::problem::suspend_shown;
use crate::i18n::reports::RKey;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::auth::User;
use shared::report::LegacyReport;
use uuid::Uuid;

/// The address of the legacy report of a period, optionally of a former province or district.
fn legacy_href(period: Uuid, province: Option<&str>, district: Option<&str>) -> String {
    let mut out = format!("/reports/legacy?period={period}");
    if let Some(p) = province {
        out.push_str(&format!("&province={p}"));
    }
    if let Some(d) = district {
        out.push_str(&format!("&district={d}"));
    }
    out
}

/// The legacy report page.
#[component]
pub fn LegacyReportPage(app: AppContext) -> impl IntoView {
    let AppContext { i18n, me, .. } = app;
    use_title(i18n, RKey::LegacyTitle);
    let page_view = move || {
        suspend_shown(i18n, async move {
            me.await
                .map(|user| user.map(|user| view! { <Legacy app user /> }))
        })
    };
    view! {
        <div class="report-page">
            <h1>{move || i18n.r(RKey::LegacyTitle)}</h1>
            <p>{move || i18n.r(RKey::LegacyIntro)}</p>
            <p class="no-print">
                <a href="/reports">{move || i18n.r(RKey::BackToReport)}</a>
            </p>
            <Transition fallback=move || view! { <Loading i18n /> }>{page_view}</Transition>
        </div>
    }
}

#[component]
fn Legacy(app: AppContext, user: User) -> impl IntoView {
    let AppContext { session, i18n, .. } = app;
    let (unit, periods, period) = use_unit_and_period(app, &user);
    let query = use_query_map();
    let province = Memo::new(move |_| query.with(|q| q.get("province")));
    let district = Memo::new(move |_| query.with(|q| q.get("district")));
    let report = LocalResource::new(move || {
        let (period, province, district) = (period.get(), province.get(), district.get());
        let legacy = periods.get().and_then(Result::ok).map(|list| {
            list.iter()
                .any(|p| Some(p.id) == period && p.year <= LEGACY_UNTIL_YEAR)
        });
        async move {
            match (period, legacy) {
                (Some(period), Some(true)) => {
                    let district_only = district.clone();
                    api::reports::legacy(
                        session,
                        period,
                        province.filter(|_| district_only.is_none()),
                        district,
                    )
                    .await
                    .map(Some)
                }
                _ => Ok(None),
            }
        }
    });
    let body = move || {
        suspend_shown(i18n, async move {
            let Some(report) = report.await? else {
                return Ok::<_, ApiError>(
                    view! { <p class="notice">{move || i18n.r(RKey::LegacyNoPeriods)}</p> }
                        .into_any(),
                );
            };
            let province = province.get_untracked();
            Ok(view! { <LegacyBody app report province /> }.into_any())
        })
    };
    view! {
        <PeriodSelect app page="/reports/legacy" periods unit period />
        <Transition fallback=move || view! { <Loading i18n /> }>{body}</Transition>
    }
}

#[component]
fn LegacyBody(app: AppContext, report: LegacyReport, province: Option<String>) -> impl IntoView {
    let AppContext { i18n, .. } = app;
    let period = report.period_id;
    let level = report.unit.level.clone();
    let mut trail = vec![
        view! {
            <li>
                <a id="crumb-legacy-nation" href=legacy_href(period, None, None)>
                    {move || i18n.r(RKey::LegacyNation)}
                </a>
            </li>
        }
        .into_any(),
    ];
    if level == "legacy_district"
        && let Some(p) = province.clone()
    {
        trail.push(
            view! {
                <li>
                    <a id="crumb-legacy-province" href=legacy_href(period, Some(&p), None)>{p.clone()}</a>
                </li>
            }
            .into_any(),
        );
    }
    if level != "legacy_nation" {
        trail.push(
            view! { <li><span aria-current="page">{report.unit.name.clone()}</span></li> }
                .into_any(),
        );
    }
    let province_code = match level.as_str() {
        "legacy_province" => Some(report.unit.code.clone()),
        _ => province,
    };
    let rows = report
        .children
        .into_iter()
        .map(|c| {
            let link = match c.level.as_str() {
                "legacy_province" => Some(legacy_href(period, Some(&c.code), None)),
                "legacy_district" => {
                    Some(legacy_href(period, province_code.as_deref(), Some(&c.code)))
                }
                _ => None,
            };
            let name = c.name.clone();
            let cell = match link {
                Some(to) => {
                    view! { <a id=format!("open-{}", c.code) href=to>{name}</a> }.into_any()
                }
                None => view! { <span>{name}</span> }.into_any(),
            };
            let child_level = c.level.clone();
            view! {
                <tr id=format!("child-{}", c.code)>
                    <th scope="row">{cell}</th>
                    <td>{move || i18n.rcat().level(&child_level)}</td>
                    {count_cells(i18n, c.counts)}
                </tr>
            }
        })
        .collect_view();
    let export = ReportKind::Legacy {
        period_id: period,
        province: (level == "legacy_province").then(|| report.unit.code.clone()),
        district: (level == "legacy_district").then(|| report.unit.code.clone()),
    };
    let stem = format!(
        "bao-cao-don-vi-cu-{}-{}",
        report.period_year, report.unit.code
    );
    let totals = report.totals;
    view! {
        <nav class="report-crumbs" aria-label=move || i18n.r(RKey::Breadcrumb)>
            <ol id="report-breadcrumb">{trail}</ol>
        </nav>
        <section class="panel">
            <div class="table-scroll" tabindex="0" role="region" aria-labelledby="legacy-table-caption">
                <table id="legacy-table" class="report-table">
                    <caption id="legacy-table-caption">{move || i18n.r(RKey::TableTitle)}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{move || i18n.r(RKey::Unit)}</th>
                            <th scope="col">{move || i18n.r(RKey::Level)}</th>
                            {count_headers(i18n)}
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                    <tfoot>
                        <tr id="legacy-total">
                            <th scope="row">{move || i18n.r(RKey::Total)}</th>
                            <td></td>
                            {count_cells(i18n, totals)}
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
        <section class="panel no-print">
            <ExportButtons app id="export-legacy" label=RKey::ExportReport report=export stem />
        </section>
    }
}
