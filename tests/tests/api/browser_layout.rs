//! The web application's layout in a headless Chromium: on a 360 × 740 phone no page scrolls
//! sideways, the navigation folds behind a menu button, tables scroll inside their card and chart
//! labels are at least 11 px; on the phone and on a 1366 px desktop every button's text has a
//! contrast of at least 4.5:1 (WCAG AA) against the background it is drawn on, on every main page
//! and for every button style of the stylesheet. SQLite only.
//!
//! With `CDHT_SCREENSHOT_DIR` set, a screenshot of each page at each width is written there.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use crate::reports::fixture;
use crate::workflow::{BADINH, PEOPLE};
use fantoccini::Locator;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(15);

/// WCAG 2 AA for normal text.
const AA: f64 = 4.5;

/// The smallest chart text, in CSS pixels as drawn.
const SMALLEST_CHART_TEXT: f64 = 11.0;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn at_360_px_no_page_scrolls_sideways_and_the_menu_folds() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        let person = set_up(app).await?;
        phone(app, browser, &person).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_button_has_text_contrast_of_at_least_aa_on_a_phone_and_a_desktop() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        let person = set_up(app).await?;
        contrast(app, browser, &person).await
    })
    .await;
}

/// The reports fixture (a period with registrations in Ba Đình), and the id of one person.
async fn set_up(app: &TestApp) -> anyhow::Result<String> {
    let f = fixture(app).await;
    let people = app
        .get_json(&format!("{PEOPLE}?unit={BADINH}"), f.office.commune.token())
        .await;
    people.body["items"][0]["id"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no person in {}", people.body))
}

/// The main pages of a commune officer.
fn pages(person: &str) -> Vec<String> {
    [
        "/",
        "/units",
        "/units/legacy",
        "/association-units",
        "/villages",
        "/people",
        "/people/new",
        "/assessments",
        "/review",
        "/decisions",
        "/periods",
        "/reports",
        "/reports/baselines",
        "/imports",
        "/legacy-queue",
    ]
    .into_iter()
    .map(str::to_string)
    .chain([format!("/people/{person}")])
    .collect()
}

/// Sets the window so that the page is `width` × `height` CSS pixels, and checks it is.
async fn resize(browser: &Browser, width: u32, height: u32) -> anyhow::Result<()> {
    browser.client().set_window_size(width, height).await?;
    let inner = browser
        .client()
        .execute("return window.innerWidth;", vec![])
        .await?;
    anyhow::ensure!(
        inner.as_u64() == Some(u64::from(width)),
        "the page is {inner} px wide, not {width}"
    );
    Ok(())
}

/// Opens `path` and waits until its heading is there and nothing is loading any more.
async fn open(app: &TestApp, browser: &Browser, path: &str) -> anyhow::Result<()> {
    browser.client().goto(&app.url(path)).await?;
    browser.wait_for("main h1", WAIT).await?;
    let started = Instant::now();
    loop {
        let loading = browser
            .client()
            .find_all(Locator::Css("main .loading"))
            .await?;
        if loading.is_empty() {
            break;
        }
        if started.elapsed() > WAIT {
            anyhow::bail!("{path} was still loading after {WAIT:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Let what arrived be laid out.
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

/// Writes a screenshot of the window when `CDHT_SCREENSHOT_DIR` asks for them.
async fn screenshot(browser: &Browser, path: &str, width: u32) -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("CDHT_SCREENSHOT_DIR") else {
        return Ok(());
    };
    let name: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let name = if name.is_empty() { "home".into() } else { name };
    let png = browser.client().screenshot().await?;
    std::fs::create_dir_all(&dir)?;
    std::fs::write(
        std::path::Path::new(&dir).join(format!("{width}-{name}.png")),
        png,
    )?;
    Ok(())
}

async fn phone(app: &TestApp, browser: &Browser, person: &str) -> anyhow::Result<()> {
    resize(browser, 360, 740).await?;
    browser
        .sign_in(&app.url("/login"), "hn.badinh", PASSWORD, WAIT)
        .await?;

    // The header is small with the menu folded; the button opens and closes it.
    let folded = header_height(browser).await?;
    anyhow::ensure!(
        folded <= 200.0,
        "the folded header takes {folded} of 740 px"
    );
    let toggle = browser.wait_for("button#menu-toggle", WAIT).await?;
    anyhow::ensure!(toggle.attr("aria-expanded").await?.as_deref() == Some("false"));
    anyhow::ensure!(
        !browser
            .wait_for("nav.main-nav a[href=\"/people\"]", WAIT)
            .await?
            .is_displayed()
            .await?,
        "the navigation is folded"
    );
    toggle.click().await?;
    let link = browser
        .wait_for("nav.main-nav a[href=\"/people\"]", WAIT)
        .await?;
    anyhow::ensure!(link.is_displayed().await?, "the open menu shows the links");
    anyhow::ensure!(
        browser
            .wait_for("button#menu-toggle", WAIT)
            .await?
            .attr("aria-expanded")
            .await?
            .as_deref()
            == Some("true")
    );
    screenshot(browser, "menu-open", 360).await?;
    // Following a link folds the menu again.
    link.click().await?;
    browser.wait_for("input#people-search", WAIT).await?;
    let started = Instant::now();
    while header_height(browser).await? > folded + 1.0 {
        if started.elapsed() > WAIT {
            anyhow::bail!("the menu stayed open after following a link");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let mut wide = Vec::new();
    for path in pages(person) {
        open(app, browser, &path).await?;
        screenshot(browser, &path, 360).await?;
        let widths = browser
            .client()
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await?;
        let scroll = widths[0].as_f64().unwrap_or(f64::MAX);
        let inner = widths[1].as_f64().unwrap_or(0.0);
        if scroll > inner {
            let culprits = browser.client().execute(WIDEST, vec![]).await?;
            wide.push(format!("{path}: {scroll} > {inner} px ({culprits})"));
        }
    }
    anyhow::ensure!(
        wide.is_empty(),
        "pages scroll sideways at 360 px:\n{}",
        wide.join("\n")
    );

    // The import preview of a file with every template column stays inside the phone: its
    // table scrolls in its card.
    let template = app
        .request(reqwest::Method::GET, "/api/v1/imports/template.csv", None)
        .send()
        .await?
        .text()
        .await?;
    let header = template
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    let columns = header.split(',').count();
    let row = vec!["Nguyễn Thị Phương Thảo Hoàng Lan"; columns].join(",");
    let file = std::env::temp_dir().join(format!(
        "cdht-danh-sach-nguoi-dan-phuong-ba-dinh-thanh-pho-ha-noi-{}.csv",
        uuid::Uuid::new_v4()
    ));
    std::fs::write(&file, format!("{header}\n{row}\n"))?;
    let uploaded = upload_preview(app, browser, &file).await;
    let _ = std::fs::remove_file(&file);
    uploaded?;
    screenshot(browser, "import-preview", 360).await?;
    let scroll = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await?;
    if scroll.as_f64().unwrap_or(f64::MAX) > 0.0 {
        let culprits = browser.client().execute(WIDEST, vec![]).await?;
        anyhow::bail!("the import preview scrolls sideways by {scroll} px ({culprits})");
    }

    // The report's charts: their smallest text is readable as drawn.
    open(app, browser, "/reports").await?;
    browser.wait_for("svg.chart text", WAIT).await?;
    let smallest = browser.client().execute(SMALLEST_TEXT, vec![]).await?;
    let size = smallest["size"].as_f64().unwrap_or(0.0);
    anyhow::ensure!(
        size >= SMALLEST_CHART_TEXT,
        "chart text is drawn at {size:.1} px ({smallest})"
    );
    browser
        .client()
        .execute(
            "document.querySelector('svg.chart').scrollIntoView(); return true;",
            vec![],
        )
        .await?;
    screenshot(browser, "reports-chart", 360).await?;
    // A report table wider than the phone scrolls inside its card.
    let tables = browser
        .client()
        .execute(
            "return [...document.querySelectorAll('main table')].map(t => {
               const box = t.parentElement;
               return getComputedStyle(box).overflowX;
             });",
            vec![],
        )
        .await?;
    for overflow in tables.as_array().into_iter().flatten() {
        anyhow::ensure!(
            overflow.as_str() == Some("auto"),
            "every table sits in a box that scrolls sideways: {tables}"
        );
    }
    Ok(())
}

/// Uploads `file` on the import page and waits for its preview.
async fn upload_preview(
    app: &TestApp,
    browser: &Browser,
    file: &std::path::Path,
) -> anyhow::Result<()> {
    open(app, browser, "/imports").await?;
    let path = file
        .to_str()
        .ok_or_else(|| anyhow::anyhow!("the temporary path is not UTF-8"))?;
    browser
        .wait_for("input#import-file", WAIT)
        .await?
        .send_keys(path)
        .await?;
    browser
        .wait_for("button#import-upload", WAIT)
        .await?
        .click()
        .await?;
    browser.wait_for("table#import-preview", WAIT).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    Ok(())
}

/// The header's height in CSS pixels.
async fn header_height(browser: &Browser) -> anyhow::Result<f64> {
    let height = browser
        .client()
        .execute(
            "return document.querySelector('header.site-header').getBoundingClientRect().height;",
            vec![],
        )
        .await?;
    height
        .as_f64()
        .ok_or_else(|| anyhow::anyhow!("no header height: {height}"))
}

/// The elements whose right edge is past the window, for a failure message.
const WIDEST: &str = "
  const limit = window.innerWidth;
  return [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > limit + 0.5)
    .filter(e => !e.parentElement || e.parentElement.getBoundingClientRect().right <= limit + 0.5)
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}#${e.id}.${[...e.classList].join('.')} ${Math.round(e.getBoundingClientRect().right)}`)
    .join(', ');
";

/// The smallest chart text as drawn: its font size times the scale of its SVG.
const SMALLEST_TEXT: &str = "
  let smallest = { size: Infinity, text: '' };
  for (const text of document.querySelectorAll('svg.chart text')) {
    const svg = text.ownerSVGElement;
    const box = svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    const size = parseFloat(getComputedStyle(text).fontSize) * scale;
    if (size < smallest.size) smallest = { size, text: text.textContent };
  }
  return smallest;
";

async fn contrast(app: &TestApp, browser: &Browser, person: &str) -> anyhow::Result<()> {
    let mut failures = Vec::new();
    for (width, height) in [(360, 740), (1366, 900)] {
        resize(browser, width, height).await?;
        browser
            .sign_in(&app.url("/login"), "hn.badinh", PASSWORD, WAIT)
            .await?;
        for path in pages(person) {
            open(app, browser, &path).await?;
            if width > 360 {
                screenshot(browser, &path, width).await?;
            }
            let low = browser.client().execute(LOW_CONTRAST, vec![]).await?;
            for found in low.as_array().into_iter().flatten() {
                failures.push(format!("{width} px {path}: {found}"));
            }
        }
        // Every button style, in a card and in the header, whether or not a page above shows it.
        open(app, browser, "/people").await?;
        let probes = browser.client().execute(PROBES, vec![]).await?;
        let checked = probes.as_u64().unwrap_or(0);
        anyhow::ensure!(checked >= 8, "the style probes were not placed: {probes}");
        let low = browser.client().execute(LOW_CONTRAST, vec![]).await?;
        for found in low.as_array().into_iter().flatten() {
            failures.push(format!("{width} px, style probe: {found}"));
        }
        let count = browser
            .client()
            .execute(
                "return document.querySelectorAll('.contrast-probe').length;",
                vec![],
            )
            .await?;
        anyhow::ensure!(count.as_u64() == Some(checked), "{count} probes");
        browser.forget_session().await?;
    }
    anyhow::ensure!(
        failures.is_empty(),
        "buttons below {AA}:1:\n{}",
        failures.join("\n")
    );
    Ok(())
}

/// Adds one button of every style to a card of the page and to the header; returns how many.
const PROBES: &str = "
  const card = document.querySelector('main .panel') || document.querySelector('main');
  const header = document.querySelector('header.site-header');
  const styles = ['', 'button-quiet', 'button-secondary', 'button-secondary danger',
                  'button-danger', 'button-small', 'button-quiet button-small'];
  let placed = 0;
  for (const style of styles) {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = (style + ' contrast-probe').trim();
    b.textContent = 'Kiểm tra ' + (style || 'button');
    card.appendChild(b);
    placed++;
  }
  for (const style of ['button-secondary', 'button']) {
    const a = document.createElement('a');
    a.href = '#';
    a.className = style + ' contrast-probe';
    a.textContent = 'Kiểm tra ' + style;
    (style === 'button' ? card : header).appendChild(a);
    placed++;
  }
  const h = document.createElement('button');
  h.type = 'button';
  h.className = 'button-secondary contrast-probe';
  h.textContent = 'Kiểm tra header';
  header.appendChild(h);
  placed++;
  return placed;
";

/// Every visible, enabled button (and link styled as one) whose text has a contrast below AA
/// against the first non-transparent background behind it: `text (id): ratio fg on bg`.
const LOW_CONTRAST: &str = "
  const rgba = s => {
    const m = s.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const luminance = ([r, g, b]) => {
    const c = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const over = (top, below) => {
    const a = top[3];
    return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]);
  };
  const background = e => {
    const layers = [];
    for (let n = e; n; n = n.parentElement) {
      const c = rgba(getComputedStyle(n).backgroundColor);
      if (c[3] > 0) layers.push(c);
      if (c[3] >= 1) break;
    }
    let colour = [255, 255, 255, 1];
    for (const layer of layers.reverse()) colour = over(layer, colour);
    return colour;
  };
  const out = [];
  for (const e of document.querySelectorAll('button, a.button, .button, [role=button]')) {
    if (e.disabled || !e.getClientRects().length) continue;
    const style = getComputedStyle(e);
    if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    if (!e.textContent.trim()) continue;
    const bg = background(e);
    const fg = over(rgba(style.color), bg);
    const [l1, l2] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < 4.5) {
      out.push(`${e.textContent.trim().slice(0, 40)} (#${e.id} .${e.className}): ` +
               `${ratio.toFixed(2)} ${style.color} on rgb(${bg.slice(0, 3).join(',')})`);
    }
  }
  return out;
";
