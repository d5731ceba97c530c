//! The home page's work list and the upload's progress in a headless Chromium, against the real
//! API. SQLite only.
//!
//! - A commune officer of Ba Đình finds on the home page the counts of their commune (another
//!   commune's work left out, an empty entry shown quietly), the period's deadlines, and each
//!   entry's link opens the page where they act on it with its filter set, listing exactly as
//!   many records as the count said.
//! - Uploading a file shows a bar of the bytes sent that reaches the whole file; with the upload
//!   throttled the bar is seen part-way. A lost connection says so and offers to send the same
//!   file again, which then works; a file the server cannot read says what is wrong with it.
//!
//! With `CDHT_SCREENSHOT_DIR` set, screenshots of the home and upload pages at 360 and 1366 px
//! are written there.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use crate::worklist::seed;
use fantoccini::Locator;

use serde_json::json;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_home_page_lists_a_commune_officers_work_and_each_link_opens_it() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        seed(app).await;
        home(app, browser).await
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upload_shows_the_bytes_sent_and_tells_a_lost_connection_from_a_refusal() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        app.sign_in("hn.badinh", "commune_officer", "00004").await;
        let dir = tests::ScratchDir::new("cdht-upload");
        let big = dir.path().join("danh-sach-lon.csv");
        std::fs::write(&big, people_csv(4000))?;
        let empty = dir.path().join("tep-trong.csv");
        std::fs::write(&empty, "")?;
        upload(app, browser, &big, &empty).await
    })
    .await;
}

/// `n` valid rows of Ba Đình: a file of about 60 bytes a row.
fn people_csv(n: u32) -> String {
    let mut text = String::from("Họ và tên,Giới tính,Năm sinh,Số định danh cá nhân,Mã xã\n");
    for i in 1..=n {
        let tag: String = format!("{i:05}")
            .bytes()
            .map(|b| char::from(b'a' + (b - b'0')))
            .collect();
        text.push_str(&format!("Người Thử {tag},Nữ,1980,00118{i:07},00004\n"));
    }
    text
}

/// Sets the window so that the page is `width` CSS pixels wide.
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

/// Writes a screenshot, with the element `css` scrolled into the middle of the window, when
/// `CDHT_SCREENSHOT_DIR` asks for them.
async fn screenshot(browser: &Browser, name: &str, css: &str) -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("CDHT_SCREENSHOT_DIR") else {
        return Ok(());
    };
    browser
        .client()
        .execute(
            "const e = document.querySelector(arguments[0]);
             if (e) e.scrollIntoView({block: 'center'});
             return true;",
            vec![json!(css)],
        )
        .await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let png = browser.client().screenshot().await?;
    std::fs::create_dir_all(&dir)?;
    std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png)?;
    Ok(())
}

/// Fails when the page scrolls sideways.
async fn fits(browser: &Browser, what: &str) -> anyhow::Result<()> {
    let overflow = browser
        .client()
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await?;
    anyhow::ensure!(
        overflow.as_f64().unwrap_or(f64::MAX) <= 0.0,
        "{what} scrolls sideways by {overflow} px"
    );
    Ok(())
}

/// Polls until `script` returns `true`; `what` names it in the failure.
async fn until(browser: &Browser, what: &str, script: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        if let Ok(value) = browser.client().execute(script, vec![]).await
            && value.as_bool() == Some(true)
        {
            return Ok(());
        }
        if started.elapsed() > WAIT {
            anyhow::bail!("{what} within {WAIT:?}; {}", browser.page().await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The count shown by the work-list entry `id`, once the list is there.
async fn count_of(browser: &Browser, id: &str) -> anyhow::Result<(String, bool)> {
    let item = browser.wait_for(&format!("li#{id}"), WAIT).await?;
    let count = item.find(Locator::Css(".work-count")).await?.text().await?;
    let quiet = item
        .attr("class")
        .await?
        .unwrap_or_default()
        .contains("work-item-zero");
    Ok((count, quiet))
}

async fn home(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    browser
        .sign_in(&app.url("/login"), "hn.badinh", PASSWORD, WAIT)
        .await?;
    browser.client().goto(&app.url("/")).await?;
    browser.wait_for("ul#worklist-items", WAIT).await?;

    // Ba Đình's counts; Ngọc Hà's registrations and its queued old address are not there.
    let expected = [
        ("work-awaiting-review", "2", false),
        ("work-under-review", "1", false),
        ("work-not-started", "1", false),
        ("work-in-draft", "1", false),
        ("work-legacy-queue", "0", true),
        ("work-imports", "0", true),
    ];
    for (id, count, quiet) in expected {
        let (shown, calm) = count_of(browser, id).await?;
        anyhow::ensure!(shown == count, "{id} shows {shown}, not {count}");
        anyhow::ensure!(
            calm == quiet,
            "{id} is shown quietly: {calm}, expected {quiet}"
        );
    }
    let label = browser
        .wait_for("li#work-awaiting-review .work-label", WAIT)
        .await?
        .text()
        .await?;
    anyhow::ensure!(label == "Hồ sơ đã nộp, chờ xét duyệt", "label {label:?}");
    let deadlines = browser
        .wait_for("#worklist-deadlines", WAIT)
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        deadlines.contains("Xét duyệt") && deadlines.contains("ngày"),
        "the deadlines: {deadlines:?}"
    );

    for (width, height) in [(360, 740), (1366, 900)] {
        resize(browser, width, height).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        fits(browser, &format!("the home page at {width} px")).await?;
        screenshot(browser, &format!("{width}-home-worklist"), "main h1").await?;
        screenshot(
            browser,
            &format!("{width}-home-deadlines"),
            "#worklist-deadlines",
        )
        .await?;
    }
    resize(browser, 390, 844).await?;

    // Each link opens the list where the officer acts, filtered, with as many records as counted.
    let lists = [
        (
            "work-awaiting-review",
            "/review",
            "#review-status",
            "submitted",
            "ul#review-list > li",
            2,
        ),
        (
            "work-under-review",
            "/review",
            "#review-status",
            "under_review",
            "ul#review-list > li",
            1,
        ),
        (
            "work-not-started",
            "/assessments",
            "#status-filter",
            "registered",
            "ul#registration-list > li",
            1,
        ),
        (
            "work-in-draft",
            "/assessments",
            "#status-filter",
            "draft",
            "ul#registration-list > li",
            1,
        ),
    ];
    for (id, path, select, status, rows, count) in lists {
        browser.client().goto(&app.url("/")).await?;
        browser
            .wait_for(&format!("li#{id} a"), WAIT)
            .await?
            .click()
            .await?;
        until(
            browser,
            &format!("{id} opens {path} filtered on {status}"),
            &format!(
                "const s = document.querySelector('{select}');
                 return location.pathname === '{path}'
                   && new URLSearchParams(location.search).get('status') === '{status}'
                   && !!s && s.value === '{status}'
                   && document.querySelectorAll('{rows}').length === {count}
                   && !document.querySelector('main .loading');"
            ),
        )
        .await?;
    }
    for (id, path) in [
        ("li#work-legacy-queue a", "/legacy-queue"),
        ("li#work-imports a", "/imports"),
        ("a#work-periods", "/periods"),
    ] {
        browser.client().goto(&app.url("/")).await?;
        browser.wait_for(id, WAIT).await?.click().await?;
        until(
            browser,
            &format!("{id} opens {path}"),
            &format!(
                "return location.pathname === '{path}' && !!document.querySelector('main h1');"
            ),
        )
        .await?;
    }
    Ok(())
}

/// Chromium's emulated network: offline, or a fast download and `upload` bytes per second up.
async fn network(browser: &Browser, offline: bool, upload: u64) -> anyhow::Result<()> {
    browser
        .emulate_network(json!({
            "offline": offline,
            "latency": 20,
            "download_throughput": 10_000_000,
            "upload_throughput": upload,
        }))
        .await
}

/// Chooses `file` in the upload form and presses the button.
async fn send(browser: &Browser, file: &std::path::Path) -> anyhow::Result<()> {
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
    Ok(())
}

/// Samples the upload bar every 20 ms into `window.cdhtSeen` as `[value, max]` pairs.
const SAMPLE: &str = "
  window.cdhtSeen = [];
  window.cdhtSampler = setInterval(() => {
    const bar = document.querySelector('progress#upload-progress');
    if (bar) window.cdhtSeen.push([bar.value, bar.max]);
  }, 20);
  return true;
";

async fn upload(
    app: &TestApp,
    browser: &Browser,
    big: &std::path::Path,
    empty: &std::path::Path,
) -> anyhow::Result<()> {
    let size = std::fs::metadata(big)?.len();
    browser
        .sign_in(&app.url("/login"), "hn.badinh", PASSWORD, WAIT)
        .await?;
    browser.client().goto(&app.url("/imports")).await?;
    browser.wait_for("input#import-file", WAIT).await?;

    // Throttled to a tenth of the file per second, the upload takes several seconds whatever
    // the machine's load, so the bar is seen part-way.
    network(browser, false, size / 10).await?;
    browser.client().execute(SAMPLE, vec![]).await?;
    send(browser, big).await?;
    until(
        browser,
        "the bar shows part of the file sent",
        "return window.cdhtSeen.some(([v, m]) => v > 0 && v < m);",
    )
    .await?;
    resize(browser, 360, 740).await?;
    fits(browser, "the upload page while sending, at 360 px").await?;
    screenshot(browser, "360-upload-sending", "#upload-progress").await?;
    browser.wait_for("table#import-preview", WAIT).await?;
    network(browser, false, 100_000_000).await?;
    let bar = browser
        .client()
        .execute(
            "clearInterval(window.cdhtSampler);
             const bar = document.querySelector('progress#upload-progress');
             return [bar.value, bar.max,
                     document.querySelector('#upload-progress-text').textContent,
                     bar.getAttribute('aria-labelledby')];",
            vec![],
        )
        .await?;
    anyhow::ensure!(
        bar[0].as_f64() == Some(size as f64) && bar[1].as_f64() == Some(size as f64),
        "the bar ends at the whole file ({size} bytes): {bar}"
    );
    let text = bar[2].as_str().unwrap_or_default();
    anyhow::ensure!(
        text.starts_with("Đã gửi") && text.contains("(100\u{a0}%)"),
        "the text of the bar: {text:?}"
    );
    anyhow::ensure!(bar[3].as_str() == Some("upload-progress-label"), "{bar}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    fits(browser, "the upload page at 360 px").await?;
    screenshot(browser, "360-upload-done", "#upload-progress").await?;
    resize(browser, 1366, 900).await?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    screenshot(browser, "1366-upload-done", "#upload-progress").await?;

    // Offline: the file did not reach the server; sending the same file again works once online.
    // The page is loaded online, then the network is cut.
    browser.client().goto(&app.url("/imports")).await?;
    browser.wait_for("input#import-file", WAIT).await?;
    network(browser, true, 0).await?;
    send(browser, big).await?;
    let failure = browser
        .wait_for("#upload-error.upload-failure-network", WAIT)
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        failure.contains("Mất kết nối") && failure.contains("vẫn được giữ"),
        "the network failure: {failure:?}"
    );
    resize(browser, 360, 740).await?;
    fits(browser, "the upload failure at 360 px").await?;
    screenshot(browser, "360-upload-offline", "#upload-error").await?;
    network(browser, false, 100_000_000).await?;
    browser
        .wait_for("button#import-upload-retry", WAIT)
        .await?
        .click()
        .await?;
    browser.wait_for("table#import-preview", WAIT).await?;
    until(
        browser,
        "the failure is gone after the retry",
        "return !document.querySelector('#upload-error');",
    )
    .await?;

    // A file the server cannot read is its refusal, with what is wrong, and no retry.
    browser.client().goto(&app.url("/imports")).await?;
    send(browser, empty).await?;
    let refusal = browser
        .wait_for("#upload-error.upload-failure-unreadable", WAIT)
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        refusal.contains("không đọc được") && refusal.contains("Tệp trống."),
        "the refusal: {refusal:?}"
    );
    anyhow::ensure!(
        browser
            .client()
            .find_all(Locator::Css("button#import-upload-retry"))
            .await?
            .is_empty(),
        "a refused file is not offered again"
    );
    Ok(())
}
