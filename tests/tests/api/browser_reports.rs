//! The reports dashboard in a headless Chromium the size of a phone: a province officer opens
//! the dashboard from the navigation, sees the headline figures of the province for this year's
//! period, drills down from the bar chart's table to a commune, reads the commune's figures and
//! breakdowns, downloads the report as CSV, enters the commune's population and sees the
//! rate against the target, goes back up by the breadcrumb, and opens a 2024 period on the former
//! units and exports it as XLSX. On SQLite and on PostgreSQL.
//!
//! The fixture is built through the API before the browser starts: in Phường Ba Đình two people
//! registered, one submitted, one passed at review, one failed, one recognised and one who
//! withdrew; in Phường Ngọc Hà (same province) one registered; in a commune of Hồ Chí Minh City
//! one registered, outside the officer's province.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use crate::workflow::{NGOCHA, PEOPLE, PERIODS, id_of, in_state, office, register};
use fantoccini::Locator;
use serde_json::json;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(15);

/// A commune of Hồ Chí Minh City, outside the province officer's area.
const SAIGON_COMMUNE: &str = "25747";

/// "Ba Đình", written with escapes so that the source's own normalisation does not matter.
const BA_DINH: &str = "Ba \u{0110}\u{00ec}nh";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_province_officer_reads_the_dashboard_drills_down_to_a_commune_and_exports_it() {
    run(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_shows_the_same_on_postgres() {
    // Skipped (or failing under CDHT_REQUIRE_POSTGRES) like every postgres:: test.
    let Some(probe) = TestApp::spawn_if_available(Backend::Postgres).await else {
        return;
    };
    probe.stop().await;
    run(Backend::Postgres).await;
}

async fn run(backend: Backend) {
    tests::webdriver::in_browser(backend, async |app, browser| {
        let legacy_period = set_up(app).await;
        scenario(app, browser, &legacy_period).await
    })
    .await;
}

/// Registers someone living in `commune` through `officer` of that commune.
async fn registered_elsewhere(app: &TestApp, username: &str, commune: &str, period: &str) {
    let officer = app.sign_in(username, "commune_officer", commune).await;
    let person = app
        .post_json(
            PEOPLE,
            officer.token(),
            &json!({
                "full_name": "Tr\u{1ea7}n Th\u{1ecb} B\u{00ec}nh",
                "gender": "female",
                "birth_year": 2010,
                "commune_code": commune,
                "target_group": "farmer",
            }),
        )
        .await;
    person.assert_status(201);
    register(app, &officer, &id_of(&person.body), period)
        .await
        .assert_status(201);
}

/// The fixture of the module documentation, and the province officer of Hà Nội.
async fn set_up(app: &TestApp) -> String {
    let office = office(app).await;
    let before = app
        .post_json(PERIODS, office.admin.token(), &json!({"year": 2024}))
        .await;
    before.assert_status(201);
    for (i, state) in [
        "registered",
        "registered",
        "submitted",
        "review_passed",
        "review_failed",
        "recognised",
        "withdrawn",
    ]
    .into_iter()
    .enumerate()
    {
        in_state(
            app,
            &office,
            &format!(
                "Nguy\u{1ec5}n V\u{0103}n {}",
                [
                    "An",
                    "B\u{1ea3}o",
                    "C\u{01b0}\u{1edd}ng",
                    "D\u{0169}ng",
                    "Giang",
                    "H\u{1ea3}i",
                    "Khoa"
                ][i]
            ),
            state,
        )
        .await;
    }
    registered_elsewhere(app, "hn.ngocha", NGOCHA, &office.period).await;
    registered_elsewhere(app, "hcm.officer", SAIGON_COMMUNE, &office.period).await;
    app.sign_in("tinh.hanoi", "province_officer", "01").await;
    id_of(&before.body)
}

/// Clicks the element matching `css` once it is there and enabled.
async fn click(browser: &Browser, css: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < WAIT {
        match browser.client().find(Locator::Css(css)).await {
            Ok(element) => match element.click().await {
                Ok(()) => return Ok(()),
                Err(e) => last = e.to_string(),
            },
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!(
        "could not click {css} within {WAIT:?} ({last}); {}",
        browser.page().await
    )
}

/// Waits until the first element matching `css` has exactly the text `expected` (trimmed).
async fn wait_for_exact(browser: &Browser, css: &str, expected: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut seen = None;
    while started.elapsed() < WAIT {
        if let Ok(element) = browser.client().find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if text.trim() == expected {
                return Ok(());
            }
            seen = Some(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!(
        "{css} did not say {expected:?} within {WAIT:?} (last seen: {seen:?}); {}",
        browser.page().await
    )
}

/// Empties the field matching `css` and types `text` into it.
async fn fill(browser: &Browser, css: &str, text: &str) -> anyhow::Result<()> {
    let field = browser.wait_for(css, WAIT).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// Checks the headline figures: each `(count, value)` pair.
async fn headline(browser: &Browser, figures: &[(&str, &str)]) -> anyhow::Result<()> {
    for (count, value) in figures {
        wait_for_exact(browser, &format!("#figure-{count} dd"), value).await?;
    }
    Ok(())
}

async fn scenario(app: &TestApp, browser: &Browser, legacy_period: &str) -> anyhow::Result<()> {
    let client = browser.client();

    // Logging in and opening the dashboard from the navigation.
    browser
        .sign_in(&app.url("/login"), "tinh.hanoi", PASSWORD, WAIT)
        .await?;
    browser
        .follow("nav.main-nav a[href=\"/reports\"]", WAIT)
        .await?;

    // The province: Ba Đình's seven registrations (one withdrawn) and Ngọc Hà's one; the
    // registration in Hồ Chí Minh City is not counted.
    headline(
        browser,
        &[
            ("registered", "7"),
            ("self_assessed", "4"),
            ("under_review", "1"),
            ("review_passed", "2"),
            ("review_failed", "1"),
            ("recognised", "1"),
            ("not_recognised", "0"),
            ("revoked", "0"),
        ],
    )
    .await?;
    // The chart draws a bar per commune with a text alternative, and the table has its row.
    browser.wait_for("svg#children-chart title", WAIT).await?;
    browser
        .wait_for("svg#children-chart g#children-chart-bar-00004", WAIT)
        .await?;
    wait_for_exact(browser, "#child-00004 .col-registered", "6").await?;
    wait_for_exact(browser, &format!("#child-{NGOCHA} .col-registered"), "1").await?;
    let outside = client
        .find_all(Locator::Css(&format!("#child-{SAIGON_COMMUNE}")))
        .await?;
    anyhow::ensure!(
        outside.is_empty(),
        "a commune of another province is listed; {}",
        browser.page().await
    );
    wait_for_exact(browser, "#by-gender-female .col-registered", "1").await?;

    // Drilling down to Ba Đình from its row of the table.
    click(browser, "#children-table a#open-00004").await?;
    browser
        .wait_for_text("#crumb-current", BA_DINH, WAIT)
        .await?;
    let url = client.current_url().await?;
    anyhow::ensure!(
        url.path() == "/reports" && url.query().is_some_and(|q| q.contains("unit=00004")),
        "the address names the commune: {url}"
    );
    headline(
        browser,
        &[
            ("registered", "6"),
            ("self_assessed", "4"),
            ("review_passed", "2"),
            ("recognised", "1"),
        ],
    )
    .await?;
    wait_for_exact(browser, "#by-gender-male .col-registered", "6").await?;
    wait_for_exact(browser, "#by-gender-male .col-withdrawn", "1").await?;
    wait_for_exact(browser, "#by-age-band-36_60 .col-registered", "6").await?;
    // The commune's table lists its reviewing units (branches, committees or itself); the
    // counts of its rows add up to the commune's.
    let cells = client
        .find_all(Locator::Css("#children-table tbody .col-registered"))
        .await?;
    let mut sum = 0;
    for cell in cells {
        sum += cell.text().await?.trim().parse::<i64>()?;
    }
    anyhow::ensure!(
        sum == 6,
        "the commune's rows add up to {sum}; {}",
        browser.page().await
    );

    // Exporting the commune's report as CSV: the file the browser is handed is in Vietnamese.
    browser.client().execute(KEEP_DOWNLOADS, vec![]).await?;
    click(browser, "button#export-summary-csv").await?;
    let status = browser
        .wait_for_text("#export-summary-status", ".csv", WAIT)
        .await?;
    anyhow::ensure!(
        status.contains("00004"),
        "the file is named after the commune: {status}"
    );
    let bytes = browser
        .wait_for("#export-summary-status[data-bytes]", WAIT)
        .await?
        .attr("data-bytes")
        .await?
        .unwrap_or_default()
        .parse::<usize>()?;
    anyhow::ensure!(bytes > 100, "the CSV has {bytes} bytes");
    let csv = browser
        .client()
        .execute_async(FIRST_DOWNLOAD_START, vec![])
        .await?;
    anyhow::ensure!(
        csv["bom"] == true,
        "the CSV starts with a BOM, so that Excel reads it as UTF-8: {csv}"
    );
    let csv = csv["text"].as_str().unwrap_or_default();
    for header in ["Bảng", "Mã", "Đăng ký", "Được công nhận"] {
        anyhow::ensure!(
            csv.contains(header),
            "the CSV has the column {header}: {csv:?}"
        );
    }
    anyhow::ensure!(
        !csv.contains("registered") && !csv.contains("self_assessed"),
        "no English column names in the CSV: {csv:?}"
    );
    // And its list of people as XLSX.
    click(browser, "button#export-people-xlsx").await?;
    browser
        .wait_for_text("#export-people-status", "danh-sach-00004.xlsx", WAIT)
        .await?;

    // Entering Ba Đình's baselines: one recognised of 10 adults is 10 %.
    click(browser, "a#baselines-link").await?;
    fill(browser, "input#baseline-00004-first", "20").await?;
    fill(browser, "input#baseline-00004-second", "10").await?;
    click(browser, "button#save-00004").await?;
    browser
        .wait_for_text("#baseline-00004 [role=status]", BA_DINH, WAIT)
        .await?;
    click(browser, "a#back-to-report").await?;
    wait_for_exact(browser, "#progress-adults .progress-numerator", "1").await?;
    wait_for_exact(browser, "#progress-adults .progress-denominator", "10").await?;
    wait_for_exact(browser, "#progress-adults .progress-rate", "10,0 %").await?;

    // Back up to the province by the breadcrumb.
    click(browser, "#report-breadcrumb a#crumb-01").await?;
    headline(browser, &[("registered", "7")]).await?;

    // The 2024 period on the former units: the table and its total (nobody registered then).
    client
        .goto(&app.url(&format!("/reports/legacy?period={legacy_period}")))
        .await?;
    browser.wait_for("table#legacy-table", WAIT).await?;
    wait_for_exact(browser, "#legacy-total .col-registered", "0").await?;
    browser
        .wait_for("button#export-legacy-xlsx", WAIT)
        .await?
        .click()
        .await?;
    browser
        .wait_for_text("#export-legacy-status", ".xlsx", WAIT)
        .await?;
    Ok(())
}

/// Keeps every file the page hands to the browser (through an object URL) in
/// `window.__downloads`.
const KEEP_DOWNLOADS: &str = "
  window.__downloads = [];
  const original = URL.createObjectURL;
  URL.createObjectURL = function (blob) {
    window.__downloads.push(blob);
    return original.call(URL, blob);
  };
  return true;
";

/// The start of the first file kept by [`KEEP_DOWNLOADS`]: whether it begins with a UTF-8
/// byte order mark, and its first characters.
const FIRST_DOWNLOAD_START: &str = "
  const done = arguments[0];
  const blob = (window.__downloads || [])[0];
  if (!blob) { done({ bom: false, text: '' }); return; }
  blob.arrayBuffer().then((buffer) => {
    const bytes = new Uint8Array(buffer);
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    done({ bom, text: new TextDecoder().decode(bytes.slice(0, 4000)) });
  });
";
