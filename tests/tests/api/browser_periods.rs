//! The periods page in a headless Chromium: the central administrator opens a new year, edits
//! its registration window, name and reviewing level, sees a date that does not exist refused
//! naming the field before anything is sent, and a commune officer sees the periods without the
//! edit buttons. SQLite only.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use chrono::{Datelike, Utc};
use fantoccini::Locator;
use serde_json::Value;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(15);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_central_administrator_opens_a_year_and_edits_its_dates_in_the_browser() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        app.create_account("trunguong", "central_admin", "VN", PASSWORD)
            .await;
        app.create_account("xa.badinh", "commune_officer", "00004", PASSWORD)
            .await;
        scenario(app, browser).await
    })
    .await;
}

/// Empties the field matching `css` and types `text` into it.
async fn fill(browser: &Browser, css: &str, text: &str) -> anyhow::Result<()> {
    let field = browser.wait_for(css, WAIT).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

/// The periods as the API lists them.
async fn periods(app: &TestApp, token: &str) -> anyhow::Result<Vec<Value>> {
    let r = app.get_json("/api/v1/periods", Some(token)).await;
    anyhow::ensure!(r.status == 200, "listing periods: {}", r.body);
    Ok(r.body.as_array().cloned().unwrap_or_default())
}

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let year = Utc::now().year() + 1;
    let token = app.login("trunguong", PASSWORD).await.access_token;
    browser
        .sign_in(&app.url("/login"), "trunguong", PASSWORD, WAIT)
        .await?;
    browser.client().goto(&app.url("/periods")).await?;

    // A new year: its dates default to the whole year.
    fill(browser, "input#new-period-year", &year.to_string()).await?;
    browser
        .wait_for("button#new-period-submit", WAIT)
        .await?
        .click()
        .await?;
    let facts = format!("#period-facts-{year}");
    browser
        .wait_for_text(&facts, &format!("01/01/{year}"), WAIT)
        .await?;
    let listed = periods(app, &token).await?;
    anyhow::ensure!(
        listed.iter().any(|p| p["year"] == year),
        "the new year is stored: {listed:?}"
    );

    // A date that does not exist is refused before anything is sent, naming the field.
    browser
        .wait_for(&format!("button#period-edit-{year}"), WAIT)
        .await?
        .click()
        .await?;
    let prefix = format!("period-{year}");
    fill(
        browser,
        &format!("input#{prefix}-registration-closes"),
        &format!("31/02/{year}"),
    )
    .await?;
    browser
        .wait_for(&format!("button#{prefix}-save"), WAIT)
        .await?
        .click()
        .await?;
    let invalid = browser
        .wait_for(
            &format!("input#{prefix}-registration-closes[aria-invalid=\"true\"]"),
            WAIT,
        )
        .await;
    anyhow::ensure!(
        invalid.is_ok(),
        "the impossible date is marked invalid; {}",
        browser.page().await
    );
    let error = browser
        .client()
        .find(Locator::Css(&format!(
            "#{prefix}-registration-closes-error"
        )))
        .await?
        .text()
        .await?;
    anyhow::ensure!(!error.trim().is_empty(), "the field says what is wrong");
    let stored = periods(app, &token).await?;
    let stored = stored
        .iter()
        .find(|p| p["year"] == year)
        .cloned()
        .unwrap_or_default();
    anyhow::ensure!(
        stored["registration_closes"] == format!("{year}-12-31"),
        "nothing was sent: {stored}"
    );

    // A real change: name, registration window and reviewing level.
    fill(
        browser,
        &format!("input#{prefix}-name"),
        &format!("Kỳ {year}"),
    )
    .await?;
    fill(
        browser,
        &format!("input#{prefix}-registration-closes"),
        &format!("31/03/{year}"),
    )
    .await?;
    browser
        .wait_for(&format!("select#{prefix}-reviewer-level"), WAIT)
        .await?
        .select_by_value("commune")
        .await?;
    browser
        .wait_for(&format!("button#{prefix}-save"), WAIT)
        .await?
        .click()
        .await?;
    browser
        .wait_for_text(&facts, &format!("31/03/{year}"), WAIT)
        .await?;
    let started = Instant::now();
    let saved = loop {
        let all = periods(app, &token).await?;
        let p = all
            .iter()
            .find(|p| p["year"] == year)
            .cloned()
            .unwrap_or_default();
        if p["registration_closes"] == format!("{year}-03-31") || started.elapsed() > WAIT {
            break p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    anyhow::ensure!(
        saved["registration_closes"] == format!("{year}-03-31"),
        "the new window is stored: {saved}"
    );
    anyhow::ensure!(saved["reviewer_level"] == "commune", "{saved}");
    anyhow::ensure!(saved["name"] == format!("Kỳ {year}"), "{saved}");
    anyhow::ensure!(saved["version"] == 2, "one edit, one version: {saved}");

    // A commune officer reads the periods but has no edit button.
    browser
        .wait_for("button#logout", WAIT)
        .await?
        .click()
        .await?;
    browser.wait_for("a.button[href=\"/login\"]", WAIT).await?;
    browser
        .sign_in(&app.url("/login"), "xa.badinh", PASSWORD, WAIT)
        .await?;
    browser.client().goto(&app.url("/periods")).await?;
    browser
        .wait_for_text(&facts, &format!("31/03/{year}"), WAIT)
        .await?;
    let buttons = browser
        .client()
        .find_all(Locator::Css(&format!("button#period-edit-{year}")))
        .await?;
    anyhow::ensure!(buttons.is_empty(), "a commune officer cannot edit periods");
    Ok(())
}
