//! The people pages in a headless Chromium the size of a phone: a commune officer enters a
//! person from the keyboard, sees the shared rules refuse a personal ID number that encodes the
//! other gender before anything is sent, saves with "save and new", and finds the person again
//! by a search without diacritics. SQLite only.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use fantoccini::Locator;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_officer_enters_a_person_by_keyboard_and_finds_them_without_diacritics() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        app.create_account("xa.badinh", "commune_officer", "00004", PASSWORD)
            .await;
        scenario(app, browser).await
    })
    .await;
}

/// Presses the keys of `text` one after the other, into whatever has the focus.
async fn type_keys(browser: &Browser, text: &str) -> anyhow::Result<()> {
    let mut keys = KeyActions::new("keyboard".to_string());
    for key in text.chars() {
        keys = keys
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
    }
    browser.client().perform_actions(keys).await?;
    Ok(())
}

/// The id of the element that has the focus.
async fn focused(browser: &Browser) -> anyhow::Result<String> {
    let element = browser.client().active_element().await?;
    Ok(element.attr("id").await?.unwrap_or_default())
}

/// Waits until the element with `id` has the focus (pages move it once their data is in).
async fn wait_for_focus(browser: &Browser, id: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let now = focused(browser).await?;
        if now == id {
            return Ok(());
        }
        if started.elapsed() > WAIT {
            anyhow::bail!(
                "#{id} did not get the focus (#{now} has it); {}",
                browser.page().await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The number of people the officer's unit holds, asked of the API directly.
async fn people_on_record(app: &TestApp, token: &str) -> anyhow::Result<u64> {
    let response = app.get_json("/api/v1/people", Some(token)).await;
    anyhow::ensure!(response.status == 200, "GET /people: {}", response.body);
    response.body["total"]
        .as_u64()
        .ok_or_else(|| anyhow::anyhow!("GET /people has no total: {}", response.body))
}

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let client = browser.client();
    let tab = char::from(Key::Tab).to_string();
    let token = app.login("xa.badinh", PASSWORD).await.access_token;

    browser
        .sign_in(&app.url("/login"), "xa.badinh", PASSWORD, WAIT)
        .await?;

    // The navigation leads to the list, and the list to the form, whose name field takes the
    // focus.
    browser.follow("a[href=\"/people\"]", WAIT).await?;
    browser
        .wait_for("a#person-new", WAIT)
        .await?
        .click()
        .await?;
    browser.wait_for("input#person-full-name", WAIT).await?;
    wait_for_focus(browser, "person-full-name").await?;

    // Name, gender, (no day of birth), year of birth and a personal ID number whose 4th digit
    // (1) says "female, born in the 1900s": Tab moves through the fields in this order.
    type_keys(browser, &format!("Nguyễn Văn An{tab}")).await?;
    wait_for_focus(browser, "person-gender").await?;
    type_keys(browser, &format!("Nam{tab}")).await?;
    wait_for_focus(browser, "person-birth-date").await?;
    type_keys(browser, &tab).await?;
    wait_for_focus(browser, "person-birth-year").await?;
    type_keys(browser, &format!("1985{tab}")).await?;
    wait_for_focus(browser, "person-personal-id").await?;
    type_keys(browser, &format!("001185012345{tab}")).await?;
    wait_for_focus(browser, "person-phone").await?;

    // Leaving the field runs the shared rule: the error shows, and nothing has been sent.
    let error = browser
        .wait_for_text("#person-personal-id-error", "1985", WAIT)
        .await?;
    anyhow::ensure!(
        people_on_record(app, &token).await? == 0,
        "no record is sent while the form shows {error:?}"
    );

    // The right number clears the error.
    let number = client
        .find(Locator::Css("input#person-personal-id"))
        .await?;
    number.clear().await?;
    number.click().await?;
    type_keys(browser, &format!("001085012345{tab}")).await?;
    wait_for_focus(browser, "person-phone").await?;
    anyhow::ensure!(
        client
            .find_all(Locator::Css("#person-personal-id-error"))
            .await?
            .is_empty(),
        "the error is gone once the number matches; {}",
        browser.page().await
    );
    type_keys(browser, "0912 345 678").await?;

    client
        .find(Locator::Css("button#person-save-new"))
        .await?
        .click()
        .await?;
    browser
        .wait_for_text("#person-added", "Nguyễn Văn An", WAIT)
        .await?;
    wait_for_focus(browser, "person-full-name").await?;
    let name = client
        .find(Locator::Css("input#person-full-name"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    anyhow::ensure!(
        name.is_empty(),
        "the name field is emptied for the next person, not {name:?}"
    );
    anyhow::ensure!(
        client.current_url().await?.path() == "/people/new",
        "save and new stays on the form; {}",
        browser.page().await
    );

    // The record holds what was typed, in its stored forms.
    let list = app.get_json("/api/v1/people", Some(&token)).await;
    anyhow::ensure!(list.status == 200, "GET /people: {}", list.body);
    let person = &list.body["items"][0];
    anyhow::ensure!(
        list.body["total"] == 1
            && person["full_name"] == "Nguyễn Văn An"
            && person["gender"] == "male"
            && person["birth_year"] == 1985
            && person["personal_id_masked"] == "001******345"
            && person["phone"] == "+84912345678"
            && person["commune_code"] == "00004",
        "the saved record is the one typed: {}",
        list.body
    );

    // A search without diacritics finds the name with them, and only it.
    let other = app
        .post_json(
            "/api/v1/people",
            Some(&token),
            &serde_json::json!({
                "full_name": "Trần Thị Bình",
                "gender": "female",
                "birth_year": 1990,
                "commune_code": "00004",
            }),
        )
        .await;
    anyhow::ensure!(other.status == 201, "POST /people: {}", other.body);
    browser.follow("a[href=\"/people\"]", WAIT).await?;
    browser
        .wait_for_text("ul#people-list li", "Trần Thị Bình", WAIT)
        .await?;
    browser
        .wait_for("input#people-search", WAIT)
        .await?
        .send_keys("nguyen van an")
        .await?;
    let started = Instant::now();
    loop {
        // The list is replaced while it is read: a vanished item counts as "not yet".
        let mut names = Vec::new();
        for item in client
            .find_all(Locator::Css("ul#people-list li"))
            .await
            .unwrap_or_default()
        {
            match item.text().await {
                Ok(text) => names.push(text),
                Err(_) => names.push(String::new()),
            }
        }
        if let [only] = names.as_slice()
            && only.contains("Nguyễn Văn An")
        {
            break;
        }
        if started.elapsed() > WAIT {
            anyhow::bail!(
                "the search did not narrow the list to Nguyễn Văn An: {names:?}; {}",
                browser.page().await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::ensure!(
        client.current_url().await?.query() == Some("q=nguyen%20van%20an"),
        "the search is kept in the address; {}",
        browser.page().await
    );
    Ok(())
}
