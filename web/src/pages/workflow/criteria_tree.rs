//! A criteria set shown read-only: its facts, pass rule and tree of competencies, criteria and
//! indicators with their points.

use crate::i18n::I18n;
use crate::i18n::workflow::WKey;
use leptos::prelude::*;
use shared::workflow::CriteriaSet;

/// The set's title with its version, status and template badge.
#[component]
pub fn CriteriaSetHeading(i18n: I18n, set: CriteriaSet) -> impl IntoView {
    let CriteriaSet {
        title,
        code,
        set_version,
        status,
        is_template,
        ..
    } = set;
    view! {
        <p class="set-heading">
            <strong class="set-title">{title}</strong>
            " "
            <span class="unit-meta">
                {code}
                " · "
                {move || i18n.wcat().set_version(set_version)}
            </span>
            " "
            <span class=format!("tag set-status set-{}", status.as_str())>
                {move || i18n.wcat().set_status(status)}
            </span>
            {is_template
                .then(|| {
                    view! {
                        " "
                        <span class="tag tag-template">{move || i18n.w(WKey::TemplateBadge)}</span>
                    }
                })}
        </p>
        {is_template.then(|| view! { <p class="warning">{move || i18n.w(WKey::TemplateNote)}</p> })}
    }
}

/// The pass rule and the tree of the set.
#[component]
pub fn CriteriaTree(i18n: I18n, set: CriteriaSet) -> impl IntoView {
    let rule = set.pass_rule;
    let total_max = set.total_max;
    let competencies = set
        .structure
        .competencies
        .into_iter()
        .map(|competency| {
            let criteria = competency
                .criteria
                .into_iter()
                .map(|criterion| {
                    let indicators = criterion
                        .indicators
                        .into_iter()
                        .map(|indicator| {
                            let max = indicator.max_points;
                            view! {
                                <li>
                                    <span class="indicator-code">{indicator.code}</span>
                                    " "
                                    {indicator.name}
                                    " "
                                    <span class="hint">{move || i18n.wcat().max_points(max)}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <li>
                            <span class="indicator-code">{criterion.code}</span>
                            " "
                            {criterion.name}
                            <ul>{indicators}</ul>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <li>
                    <strong>
                        <span class="indicator-code">{competency.code}</span>
                        " "
                        {competency.name}
                    </strong>
                    <ul>{criteria}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="hint">{move || i18n.wcat().pass_rule(rule.min_total, rule.min_per_indicator)}</p>
        <p class="hint">{move || i18n.w(WKey::TotalMax)} ": " {total_max}</p>
        <ul class="criteria-tree">{competencies}</ul>
    }
}
