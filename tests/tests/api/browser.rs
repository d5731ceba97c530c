//! The web application in a headless Chromium the size of a phone: logging in and searching the
//! administrative units. SQLite only; the browser adds nothing the database could change.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use fantoccini::Locator;
use std::time::Duration;
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_logs_in_on_a_phone_and_finds_ba_dinh() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        app.create_account("hn.officer", "province_officer", "01", PASSWORD)
            .await;
        scenario(app, browser).await
    })
    .await;
}

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let client = browser.client();
    client.goto(&app.url("/login")).await?;

    // A wrong password shows an error and keeps the officer on the login page.
    browser
        .wait_for("input#username", WAIT)
        .await?
        .send_keys("hn.officer")
        .await?;
    let password = browser.wait_for("input#password", WAIT).await?;
    password.send_keys("not the password").await?;
    client
        .find(Locator::Css("button#login-submit"))
        .await?
        .click()
        .await?;
    let error = browser.wait_for("#login-error", WAIT).await?;
    anyhow::ensure!(
        !error.text().await?.trim().is_empty(),
        "#login-error says something; {}",
        browser.page().await
    );
    anyhow::ensure!(
        client
            .find_all(Locator::Css("#current-user"))
            .await?
            .is_empty(),
        "nobody is logged in after a wrong password"
    );

    password.clear().await?;
    password.send_keys(PASSWORD).await?;
    client
        .find(Locator::Css("button#login-submit"))
        .await?
        .click()
        .await?;
    browser
        .wait_for_text("#current-user", "hn.officer", WAIT)
        .await?;

    browser.follow("a[href=\"/units\"]", WAIT).await?;
    let search = browser.wait_for("input#unit-search", WAIT).await?;
    anyhow::ensure!(
        client.current_url().await?.path() == "/units",
        "the link leads to /units; {}",
        browser.page().await
    );
    search.send_keys("ba dinh").await?;
    browser
        .wait_for_text("ul#unit-search-results li", "Phường Ba Đình", WAIT)
        .await?;
    Ok(())
}
