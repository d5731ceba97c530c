//! Charts drawn as inline SVG, without any script library: horizontal bars (one per unit, with
//! room for long names), grouped columns over periods, and a progress bar with its target.
//!
//! Every chart scales with its container through its `viewBox`, has a `<title>` and `<desc>`
//! linked by `aria-labelledby`/`aria-describedby`, and is meant to sit next to a table of the
//! same numbers. The bar chart is a `group` (its bars may be links, which an `img` would hide);
//! the other charts are images.

use leptos::prelude::*;

/// Width of a chart's coordinate system on a wide screen; the chart is drawn at the container's
/// width.
const WIDE: f64 = 600.0;

/// Width of the coordinate system on a phone: about the container's width in CSS pixels, so
/// that text keeps the size the stylesheet gives it (at 600 a 360 px phone halves it).
const NARROW: f64 = 320.0;

/// Screens narrower than this (CSS pixels, 40rem) draw charts in the [`NARROW`] system.
const NARROW_BELOW: f64 = 640.0;

/// The width of the coordinate system for the screen the chart is drawn on.
fn chart_width() -> f64 {
    let screen = web_sys::window()
        .and_then(|window| window.inner_width().ok())
        .and_then(|width| width.as_f64())
        .unwrap_or(WIDE);
    narrow_or_wide(screen)
}

/// [`NARROW`] below [`NARROW_BELOW`], else [`WIDE`].
fn narrow_or_wide(screen: f64) -> f64 {
    if screen < NARROW_BELOW { NARROW } else { WIDE }
}

/// Names longer than this are shortened with an ellipsis (the full name is the bar's title):
/// about the characters of the label size that fit across the chart.
fn label_chars(width: f64) -> usize {
    if width < WIDE { 34 } else { 60 }
}

/// One bar of a [`BarChart`].
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    /// Used in the bar's element id.
    pub key: String,
    pub label: String,
    pub value: i64,
    /// The value as shown (formatted for the language).
    pub value_text: String,
    /// Where choosing the bar leads, if anywhere.
    pub href: Option<String>,
}

/// `label` cut to `chars` characters.
fn short(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_string()
    } else {
        let cut: String = label.chars().take(chars.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// The length of a bar of `value` on a scale whose longest bar is `max`, out of `room`.
fn scaled(value: i64, max: i64, room: f64) -> f64 {
    if max <= 0 || value <= 0 {
        0.0
    } else {
        value as f64 / max as f64 * room
    }
}

/// Horizontal bars, one row per unit: the name on its own line above the bar (so long names
/// never collide with each other on a phone), the value at the bar's end. A bar with an
/// `href` is a link (mouse, Enter or Space) through `on_open`.
#[component]
pub fn BarChart(
    /// Prefix of the ids of the chart's title, description and bars.
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] desc: Signal<String>,
    bars: Vec<Bar>,
    on_open: Callback<String>,
) -> impl IntoView {
    const ROW: f64 = 46.0;
    const BAR: f64 = 18.0;
    let width_units = chart_width();
    let chars = label_chars(width_units);
    let max = bars.iter().map(|b| b.value).max().unwrap_or(0);
    let height = (bars.len().max(1) as f64) * ROW + 8.0;
    let room = width_units - 90.0;
    let rows = bars
        .into_iter()
        .enumerate()
        .map(|(i, bar)| {
            let y = i as f64 * ROW + 4.0;
            let width = scaled(bar.value, max, room);
            let Bar {
                key,
                label,
                value_text,
                href,
                ..
            } = bar;
            let full = format!("{label}: {value_text}");
            let body = view! {
                <title>{full}</title>
                <text x="0" y=y + 15.0 class="chart-label">{short(&label, chars)}</text>
                <rect
                    x="0"
                    y=y + 21.0
                    width=format!("{:.1}", width.max(1.0))
                    height=BAR
                    rx="2"
                    class="chart-bar"
                />
                <text x=format!("{:.1}", width + 6.0) y=y + 21.0 + BAR - 4.0 class="chart-value">
                    {value_text}
                </text>
            };
            match href {
                Some(href) => {
                    let open = href.clone();
                    let open_key = href;
                    view! {
                        <g
                            id=format!("{id}-bar-{key}")
                            class="chart-row chart-link"
                            role="link"
                            tabindex="0"
                            on:click=move |_| on_open.run(open.clone())
                            on:keydown=move |event: web_sys::KeyboardEvent| {
                                if event.key() == "Enter" || event.key() == " " {
                                    event.prevent_default();
                                    on_open.run(open_key.clone());
                                }
                            }
                        >
                            {body}
                        </g>
                    }
                    .into_any()
                }
                None => view! {
                    <g id=format!("{id}-bar-{key}") class="chart-row">
                        {body}
                    </g>
                }
                .into_any(),
            }
        })
        .collect_view();
    view! {
        <svg
            id=id
            class="chart chart-bars"
            viewBox=format!("0 0 {width_units} {height}")
            preserveAspectRatio="xMinYMin meet"
            role="group"
            aria-labelledby=format!("{id}-title")
            aria-describedby=format!("{id}-desc")
        >
            <title id=format!("{id}-title")>{move || title.get()}</title>
            <desc id=format!("{id}-desc")>{move || desc.get()}</desc>
            {rows}
        </svg>
    }
}

/// One group of columns of a [`ColumnChart`] (a period).
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnGroup {
    pub label: String,
    /// One value per series, in the order of the chart's `series` names.
    pub values: Vec<i64>,
    pub value_texts: Vec<String>,
}

/// Grouped columns, one group per period (oldest first), one column per series, with a legend.
#[component]
pub fn ColumnChart(
    id: &'static str,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] desc: Signal<String>,
    /// The names of the series, shown in the legend.
    #[prop(into)]
    series: Signal<Vec<String>>,
    groups: Vec<ColumnGroup>,
) -> impl IntoView {
    const TOP: f64 = 34.0;
    const PLOT: f64 = 180.0;
    const BOTTOM: f64 = 28.0;
    let height = TOP + PLOT + BOTTOM;
    let width_units = chart_width();
    let max = groups
        .iter()
        .flat_map(|g| g.values.iter().copied())
        .max()
        .unwrap_or(0);
    let slot = width_units / groups.len().max(1) as f64;
    let per_series = groups.first().map_or(1, |g| g.values.len().max(1));
    let column = (slot * 0.7 / per_series as f64).min(48.0);
    let columns = groups
        .into_iter()
        .enumerate()
        .map(|(i, group)| {
            let left = i as f64 * slot + (slot - column * per_series as f64) / 2.0;
            let ColumnGroup {
                label,
                values,
                value_texts,
            } = group;
            let bars = values
                .into_iter()
                .zip(value_texts)
                .enumerate()
                .map(|(s, (value, text))| {
                    let h = scaled(value, max, PLOT - 16.0);
                    let x = left + s as f64 * column;
                    view! {
                        <rect
                            x=format!("{x:.1}")
                            y=format!("{:.1}", TOP + PLOT - h)
                            width=format!("{:.1}", column - 2.0)
                            height=format!("{:.1}", h)
                            class=format!("chart-bar chart-series-{s}")
                        >
                            <title>{text.clone()}</title>
                        </rect>
                        <text
                            x=format!("{:.1}", x + (column - 2.0) / 2.0)
                            y=format!("{:.1}", TOP + PLOT - h - 4.0)
                            text-anchor="middle"
                            class="chart-value chart-small"
                        >
                            {text}
                        </text>
                    }
                })
                .collect_view();
            view! {
                <g class="chart-group">
                    {bars}
                    <text
                        x=format!("{:.1}", i as f64 * slot + slot / 2.0)
                        y=TOP + PLOT + 20.0
                        text-anchor="middle"
                        class="chart-label"
                    >
                        {label}
                    </text>
                </g>
            }
        })
        .collect_view();
    let legend = move || {
        let names = series.get();
        let step = (width_units / names.len().max(1) as f64).min(220.0);
        names
            .into_iter()
            .enumerate()
            .map(|(s, name)| {
                let x = s as f64 * step;
                view! {
                    <rect x=x y="4" width="14" height="14" class=format!("chart-bar chart-series-{s}") />
                    <text x=x + 20.0 y="16" class="chart-label">{name}</text>
                }
            })
            .collect_view()
    };
    view! {
        <svg
            id=id
            class="chart chart-columns"
            viewBox=format!("0 0 {width_units} {height}")
            preserveAspectRatio="xMinYMin meet"
            role="img"
            aria-labelledby=format!("{id}-title")
            aria-describedby=format!("{id}-desc")
        >
            <title id=format!("{id}-title")>{move || title.get()}</title>
            <desc id=format!("{id}-desc")>{move || desc.get()}</desc>
            <g class="chart-legend">{legend}</g>
            <line x1="0" x2=width_units y1=TOP + PLOT y2=TOP + PLOT class="chart-axis" />
            {columns}
        </svg>
    }
}

/// A progress bar from 0 to 100 %: the rate reached, and a mark at the target.
#[component]
pub fn ProgressBar(
    id: String,
    /// The text alternative (what is reached and what is aimed at).
    #[prop(into)]
    label: Signal<String>,
    rate: Option<f64>,
    target: Option<f64>,
) -> impl IntoView {
    const H: f64 = 28.0;
    const WIDTH: f64 = WIDE;
    let reached = rate.unwrap_or(0.0).clamp(0.0, 1.0) * WIDTH;
    let mark = target.map(|t| t.clamp(0.0, 1.0) * WIDTH);
    let met = matches!((rate, target), (Some(r), Some(t)) if r >= t);
    view! {
        <svg
            id=id
            class="chart chart-progress"
            viewBox=format!("0 0 {WIDTH} {H}")
            preserveAspectRatio="none"
            role="img"
            aria-label=move || label.get()
        >
            <title>{move || label.get()}</title>
            <rect x="0" y="4" width=WIDTH height=H - 8.0 rx="3" class="chart-track" />
            <rect
                x="0"
                y="4"
                width=format!("{reached:.1}")
                height=H - 8.0
                rx="3"
                class="chart-bar"
                class:chart-met=met
            />
            {mark
                .map(|x| {
                    view! {
                        <line x1=format!("{x:.1}") x2=format!("{x:.1}") y1="0" y2=H class="chart-target" />
                    }
                })}
        </svg>
    }
}
