//! Every paged list of the web application pages, in a headless Chromium the size of a phone:
//! the people, the villages, an Association unit's members, the registrations of a period and a
//! person's audit trail each hold more than one page; the officer goes to the next page and back
//! with the pager's buttons, which say which page is shown and are disabled only at the ends.
//! The people list keeps its page and its page size in the address. SQLite only.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use crate::workflow::{BADINH, Office, PEOPLE, commune_unit_id, id_of, office, register};
use fantoccini::Locator;
use serde_json::json;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(15);

/// More than the 50 a page of the people, villages, members and registrations lists holds.
const MANY: usize = 53;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_officer_pages_through_every_paged_list_and_back() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        let office = office(app).await;
        let person = set_up(app, &office).await?;
        scenario(app, browser, &person).await
    })
    .await;
}

/// `MANY` distinct Vietnamese names.
fn names() -> Vec<String> {
    let mut names = Vec::new();
    for family in ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng"] {
        for middle in ["Văn", "Thị", "Minh"] {
            for given in ["An", "Bình", "Cường", "Dũng"] {
                names.push(format!("{family} {middle} {given}"));
            }
        }
    }
    names.truncate(MANY);
    names
}

/// `MANY` people of Ba Đình, each registered in the period and a member of the commune's
/// Association; `MANY` villages; a record read often enough for two pages of audit trail.
/// Returns the id of that record.
async fn set_up(app: &TestApp, office: &Office) -> anyhow::Result<String> {
    let commune = &office.commune;
    let mut first = None;
    for (i, name) in names().into_iter().enumerate() {
        let person = app
            .post_json(
                PEOPLE,
                commune.token(),
                &json!({
                    "full_name": name,
                    "gender": if i % 2 == 0 { "male" } else { "female" },
                    "birth_year": 1960 + (i % 40) as i32,
                    "commune_code": BADINH,
                    "target_group": "farmer",
                }),
            )
            .await;
        anyhow::ensure!(person.status == 201, "{name}: {}", person.body);
        let id = id_of(&person.body);
        let registration = register(app, &office.branch, &id, &office.period).await;
        anyhow::ensure!(registration.status == 201, "{}", registration.body);
        let membership = app
            .post_json(
                "/api/v1/memberships",
                commune.token(),
                &json!({
                    "person_id": id,
                    "association_unit_id": commune_unit_id(BADINH),
                    "role": "hoi_vien",
                }),
            )
            .await;
        anyhow::ensure!(membership.status == 201, "{}", membership.body);
        let village = app
            .post_json(
                "/api/v1/villages",
                commune.token(),
                &json!({
                    "commune_code": BADINH,
                    "name": format!("Tổ dân phố số {}", i + 1),
                    "kind": "to_dan_pho",
                }),
            )
            .await;
        anyhow::ensure!(village.status == 201, "{}", village.body);
        first.get_or_insert(id);
    }
    let person = first.ok_or_else(|| anyhow::anyhow!("no person was made"))?;
    // Each read of a record is audited: 25 reads make two pages of 20.
    for _ in 0..25 {
        let read = app
            .get_json(&format!("{PEOPLE}/{person}"), commune.token())
            .await;
        anyhow::ensure!(read.status == 200, "{}", read.body);
    }
    Ok(person)
}

async fn scenario(app: &TestApp, browser: &Browser, person: &str) -> anyhow::Result<()> {
    browser
        .sign_in(&app.url("/login"), "hn.badinh", PASSWORD, WAIT)
        .await?;

    let lists = [
        ("/people".to_string(), "people", 2),
        ("/villages".to_string(), "village", 2),
        (
            format!("/association-units/{}", commune_unit_id(BADINH)),
            "members",
            2,
        ),
        ("/assessments".to_string(), "registration", 2),
        (format!("/people/{person}"), "audit", 2),
    ];
    for (path, id, pages) in lists {
        browser.client().goto(&app.url(&path)).await?;
        page_forward_and_back(browser, id, pages)
            .await
            .map_err(|e| anyhow::anyhow!("{path}: {e:#}"))?;
    }

    // Every list offers a page size, kept in the address with the page.
    browser.client().goto(&app.url("/villages?page=2")).await?;
    wait_for_page(browser, "village", "Trang 2/2").await?;
    browser
        .wait_for("select#village-per-page", WAIT)
        .await?
        .select_by_value("20")
        .await?;
    wait_for_page(browser, "village", "Trang 1/3").await?;
    wait_for_address(browser, "per_page=20").await?;
    browser
        .client()
        .goto(&app.url("/villages?per_page=20&page=3"))
        .await?;
    wait_for_page(browser, "village", "Trang 3/3").await?;

    // The people list: the page is in the address, and so is another page size.
    browser.client().goto(&app.url("/people?page=2")).await?;
    wait_for_page(browser, "people", "Trang 2/2").await?;
    let size = browser.wait_for("select#people-per-page", WAIT).await?;
    size.select_by_value("20").await?;
    wait_for_page(browser, "people", "Trang 1/3").await?;
    wait_for_address(browser, "per_page=20").await?;
    click_when_enabled(browser, "people-next", "Trang 1/3").await?;
    wait_for_page(browser, "people", "Trang 2/3").await?;
    click_when_enabled(browser, "people-next", "Trang 2/3").await?;
    wait_for_page(browser, "people", "Trang 3/3").await?;
    wait_for_address(browser, "page=3").await?;
    let items = browser
        .client()
        .find_all(Locator::Css("#people-list > li"))
        .await?;
    anyhow::ensure!(
        items.len() == MANY - 40,
        "the third page of 20 holds the last {} people, not {}",
        MANY - 40,
        items.len()
    );
    // Coming back to the address shows the same page.
    browser
        .client()
        .goto(&app.url("/people?per_page=20&page=3"))
        .await?;
    wait_for_page(browser, "people", "Trang 3/3").await?;
    Ok(())
}

/// On the list whose pager is `{id}-…`: page 1 of `pages`, forward to the last page (kept in
/// the address, and shown again when the address is loaded anew), back to the first; the
/// buttons enabled exactly where there is a page to go to.
async fn page_forward_and_back(browser: &Browser, id: &str, pages: u64) -> anyhow::Result<()> {
    wait_for_page(browser, id, &format!("Trang 1/{pages}")).await?;
    let pager = browser.wait_for(&format!("nav#{id}-pager"), WAIT).await?;
    let text = pager.text().await?;
    anyhow::ensure!(
        !text.contains('=') && !text.contains("on:click") && !text.contains("move"),
        "the pager shows only its labels, not program text: {text:?}"
    );
    ensure_enabled(browser, &format!("{id}-prev"), false).await?;
    for page in 2..=pages {
        click_when_enabled(
            browser,
            &format!("{id}-next"),
            &format!("Trang {}", page - 1),
        )
        .await?;
        wait_for_page(browser, id, &format!("Trang {page}/{pages}")).await?;
    }
    ensure_enabled(browser, &format!("{id}-next"), false).await?;
    ensure_enabled(browser, &format!("{id}-prev"), true).await?;
    // The page is in the address: loading it again shows the same page.
    wait_for_address(browser, &format!("page={pages}")).await?;
    let here = browser.client().current_url().await?;
    browser.client().goto(here.as_str()).await?;
    wait_for_page(browser, id, &format!("Trang {pages}/{pages}")).await?;
    for page in (1..pages).rev() {
        click(browser, &format!("button#{id}-prev")).await?;
        wait_for_page(browser, id, &format!("Trang {page}/{pages}")).await?;
    }
    ensure_enabled(browser, &format!("{id}-next"), true).await?;
    Ok(())
}

/// Waits until `#{id}-page` says `text`.
async fn wait_for_page(browser: &Browser, id: &str, text: &str) -> anyhow::Result<()> {
    browser
        .wait_for_text(&format!("#{id}-page"), text, WAIT)
        .await
        .map(|_| ())
}

/// Checks that `button#{id}` is enabled (or disabled).
async fn ensure_enabled(browser: &Browser, id: &str, enabled: bool) -> anyhow::Result<()> {
    let button = browser.wait_for(&format!("button#{id}"), WAIT).await?;
    let is = button.is_enabled().await?;
    anyhow::ensure!(
        is == enabled,
        "#{id} is {} where it should be {}",
        if is { "enabled" } else { "disabled" },
        if enabled { "enabled" } else { "disabled" }
    );
    Ok(())
}

/// Clicks `button#{id}` once it is enabled, while the page says `showing`.
async fn click_when_enabled(browser: &Browser, id: &str, showing: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let button = browser.wait_for(&format!("button#{id}"), WAIT).await?;
        if button.is_enabled().await? {
            button.click().await?;
            return Ok(());
        }
        if started.elapsed() > WAIT {
            anyhow::bail!(
                "#{id} stayed disabled on {showing:?}; {}",
                browser.page().await
            );
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(browser: &Browser, css: &str) -> anyhow::Result<()> {
    browser.wait_for(css, WAIT).await?.click().await?;
    Ok(())
}

/// Waits until the address contains `part`.
async fn wait_for_address(browser: &Browser, part: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let url = browser.client().current_url().await?.to_string();
        if url.contains(part) {
            return Ok(());
        }
        if started.elapsed() > WAIT {
            anyhow::bail!("the address {url} never contained {part}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
