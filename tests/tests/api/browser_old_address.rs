//! The person form's old address in a headless Chromium: a province officer who only knows a
//! person's address before 2025-07-01 looks it up. A whole old commune fills the commune picker
//! and the record is saved there; a split one, left to the province, is sent with its old
//! address and waits in the legacy-address queue; the same split one, with a candidate picked
//! in the form, is saved on that commune. SQLite only.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use fantoccini::Locator;
use serde_json::Value;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_province_officer_enters_people_known_only_by_their_old_address() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        app.create_account("tinh.hanoi", "province_officer", "01", PASSWORD)
            .await;
        scenario(app, browser).await
    })
    .await;
}

async fn fill(browser: &Browser, css: &str, text: &str) -> anyhow::Result<()> {
    let field = browser.wait_for(css, WAIT).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    Ok(())
}

async fn click(browser: &Browser, css: &str) -> anyhow::Result<()> {
    browser.wait_for(css, WAIT).await?.click().await?;
    Ok(())
}

/// Name, gender and year of birth, then the old address looked up (with the button, or with
/// Enter in the old commune's field, which must not save the form).
async fn person_with_old_address(
    browser: &Browser,
    name: &str,
    old: [&str; 3],
    by_enter: bool,
) -> anyhow::Result<()> {
    fill(browser, "input#person-full-name", name).await?;
    browser
        .wait_for("select#person-gender", WAIT)
        .await?
        .select_by_value("male")
        .await?;
    fill(browser, "input#person-birth-year", "1985").await?;
    let open = browser
        .client()
        .find(Locator::Css("details#person-old-address"))
        .await?
        .attr("open")
        .await?;
    if open.is_none() {
        click(browser, "details#person-old-address > summary").await?;
    }
    fill(browser, "input#person-old-province", old[0]).await?;
    fill(browser, "input#person-old-district", old[1]).await?;
    if by_enter {
        let enter = char::from(fantoccini::key::Key::Enter);
        fill(
            browser,
            "input#person-old-commune",
            &format!("{}{enter}", old[2]),
        )
        .await
    } else {
        fill(browser, "input#person-old-commune", old[2]).await?;
        click(browser, "button#person-old-lookup").await
    }
}

/// Waits until the commune picker holds `code`.
async fn wait_for_commune(browser: &Browser, code: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let value = browser
            .client()
            .find(Locator::Css("select#person-commune"))
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        if value == code {
            return Ok(());
        }
        if started.elapsed() > WAIT {
            anyhow::bail!("the commune picker holds {value:?}, not {code}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The person of this name, asked of the API.
async fn find(app: &TestApp, token: &str, q: &str) -> anyhow::Result<Option<Value>> {
    let response = app
        .get_json(&format!("/api/v1/people?q={q}"), Some(token))
        .await;
    anyhow::ensure!(response.status == 200, "GET /people: {}", response.body);
    Ok(response.body["items"]
        .as_array()
        .and_then(|items| items.first().cloned()))
}

/// Polls the API until the person of this name exists.
async fn wait_for_person(app: &TestApp, token: &str, q: &str) -> anyhow::Result<Value> {
    let started = Instant::now();
    loop {
        if let Some(person) = find(app, token, q).await? {
            return Ok(person);
        }
        if started.elapsed() > WAIT {
            anyhow::bail!("no person {q} was saved");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let token = app.login("tinh.hanoi", PASSWORD).await.access_token;
    browser
        .sign_in(&app.url("/login"), "tinh.hanoi", PASSWORD, WAIT)
        .await?;
    browser.follow("a[href=\"/people\"]", WAIT).await?;
    click(browser, "a#person-new").await?;

    // Phường Phúc Xá went whole into Phường Hồng Hà (00097).
    person_with_old_address(
        browser,
        "Trần Văn Một",
        ["Hà Nội", "Ba Đình", "phuc xa"],
        false,
    )
    .await?;
    browser
        .wait_for_text("#person-old-result", "00097", WAIT)
        .await?;
    wait_for_commune(browser, "00097").await?;
    click(browser, "button#person-save-new").await?;
    let first = wait_for_person(app, &token, "tran%20van%20mot").await?;
    anyhow::ensure!(first["commune_code"] == "00097", "on Hồng Hà: {first}");

    // Phường Cống Vị was split: left to the province, the record waits in the queue.
    browser.wait_for("input#person-full-name", WAIT).await?;
    person_with_old_address(
        browser,
        "Trần Văn Hai",
        ["Hà Nội", "Ba Đình", "Cống Vị"],
        false,
    )
    .await?;
    browser
        .wait_for_text("#person-old-result", "Giảng Võ", WAIT)
        .await?;
    click(browser, "button#person-save-new").await?;
    browser.wait_for("a#person-held-link", WAIT).await?;
    anyhow::ensure!(
        find(app, &token, "tran%20van%20hai").await?.is_none(),
        "a held person has no record yet"
    );
    let queue = app.get_json("/api/v1/legacy-queue", Some(&token)).await;
    let items = queue.body["items"].as_array().cloned().unwrap_or_default();
    anyhow::ensure!(
        items.len() == 1 && items[0]["source"] == "api" && items[0]["full_name"] == "Trần Văn Hai",
        "one item, sent from the form: {}",
        queue.body
    );

    // The same old address, looked up with Enter, and a candidate picked: saved on that commune.
    person_with_old_address(
        browser,
        "Trần Văn Ba",
        ["Hà Nội", "Ba Đình", "Cống Vị"],
        true,
    )
    .await?;
    browser
        .wait_for("select#person-old-candidate", WAIT)
        .await?
        .select_by_value("00025")
        .await?;
    wait_for_commune(browser, "00025").await?;
    click(browser, "button#person-save-new").await?;
    let third = wait_for_person(app, &token, "tran%20van%20ba").await?;
    anyhow::ensure!(third["commune_code"] == "00025", "on Giảng Võ: {third}");
    Ok(())
}
