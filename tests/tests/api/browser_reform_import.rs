//! The import page with a spreadsheet of the 2-level reform, in a headless Chromium the size of a
//! phone: a province officer uploads a file whose commune column does not say whether it holds
//! the old or the current address. The page asks (nothing runs until the column is chosen),
//! then shows where the first rows' addresses lead under the choice, before any dry run; a file
//! with "(cũ)" headers shows its old addresses converted. SQLite only.
//!
//! With `CDHT_SCREENSHOTS=<dir>` the test leaves screenshots of the page there.

use fantoccini::Locator;
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(20);
/// An upload read and its addresses previewed on a loaded CI machine.
const SLOW: Duration = Duration::from_secs(60);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_import_of_a_reform_spreadsheet_asks_which_address_and_shows_where_rows_land() {
    tests::webdriver::in_browser(Backend::Sqlite, scenario).await;
}

async fn screenshot(browser: &Browser, name: &str, at: &str) -> anyhow::Result<()> {
    let Some(dir) = std::env::var_os("CDHT_SCREENSHOTS") else {
        return Ok(());
    };
    browser
        .client()
        .execute(
            "document.querySelector(arguments[0])?.scrollIntoView({block: 'start'})",
            vec![serde_json::json!(at)],
        )
        .await?;
    let png = browser.client().screenshot().await?;
    std::fs::create_dir_all(&dir)?;
    std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png)?;
    Ok(())
}

async fn enabled(browser: &Browser, css: &str) -> anyhow::Result<bool> {
    Ok(browser.wait_for(css, WAIT).await?.is_enabled().await?)
}

async fn upload(browser: &Browser, text: &str) -> anyhow::Result<()> {
    let file = std::env::temp_dir().join(format!("cdht-reform-{}.csv", uuid::Uuid::new_v4()));
    std::fs::write(&file, text)?;
    let path = file.to_string_lossy().to_string();
    browser
        .wait_for("input#import-file", WAIT)
        .await?
        .send_keys(&path)
        .await?;
    browser
        .wait_for("button#import-upload", WAIT)
        .await?
        .click()
        .await?;
    let _ = std::fs::remove_file(&file);
    Ok(())
}

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let client = browser.client();
    app.sign_in("hanoi", "province_officer", "01").await;
    browser
        .sign_in(&app.url("/login"), "hanoi", PASSWORD, WAIT)
        .await?;
    client.goto(&app.url("/imports")).await?;
    browser.wait_for("#import-jobs-empty", WAIT).await?;

    upload(
        browser,
        "Họ và tên,Giới tính,Năm sinh,Xã/Phường\nĐinh Văn Hỏi,Nam,1975,Ngọc Hà\n",
    )
    .await?;
    // The commune column is asked about, and nothing runs until it is chosen.
    browser.wait_for("#mapping-ambiguous", SLOW).await?;
    let column = browser.wait_for("select#map-3", WAIT).await?;
    anyhow::ensure!(
        column.prop("value").await?.as_deref() == Some("?"),
        "the ambiguous column is not suggested; {}",
        browser.page().await
    );
    anyhow::ensure!(
        !enabled(browser, "button#import-dry-run").await?,
        "no dry run while a column must be chosen"
    );
    anyhow::ensure!(!enabled(browser, "button#import-commit").await?);
    screenshot(browser, "reform-ask-phone", "#preview-heading").await?;

    column.select_by_value("commune_code").await?;
    // Under the choice, the first row lands on Phường Ngọc Hà of Hà Nội.
    browser
        .wait_for_text("table#address-preview tbody tr", "Ngọc Hà", SLOW)
        .await?;
    let started = Instant::now();
    while !enabled(browser, "button#import-dry-run").await? {
        anyhow::ensure!(started.elapsed() < WAIT, "the dry run becomes possible");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::ensure!(
        client
            .find_all(Locator::Css("#mapping-ambiguous"))
            .await?
            .is_empty(),
        "the warning goes once chosen"
    );
    screenshot(browser, "reform-chosen-phone", "#address-preview-heading").await?;

    // A file with the reform's own headers: the old addresses are shown converted.
    client.goto(&app.url("/imports")).await?;
    browser
        .wait_for("table#import-jobs, #import-jobs-empty", WAIT)
        .await?;
    upload(
        browser,
        "Họ và tên,Giới tính,Năm sinh,Tỉnh/Thành phố (cũ),Quận/Huyện (cũ),Xã/Phường (cũ)\n\
         Lê Văn Một,Nam,1980,Ha Noi,Ba Dinh,Quan Thanh\n\
         Lê Văn Hai,Nam,1980,Hà Nội,Ba Đình,Cống Vị\n",
    )
    .await?;
    browser.wait_for_text("#preview-summary", "2", SLOW).await?;
    browser
        .wait_for_text(
            "table#address-preview tbody tr.address-converted",
            "00004",
            SLOW,
        )
        .await?;
    browser
        .wait_for_text(
            "table#address-preview tbody tr.address-queued",
            "00008",
            WAIT,
        )
        .await?;
    anyhow::ensure!(
        client
            .find_all(Locator::Css("#mapping-ambiguous"))
            .await?
            .is_empty(),
        "the (cũ) headers need no choice"
    );
    screenshot(
        browser,
        "reform-converted-phone",
        "#address-preview-heading",
    )
    .await?;
    client.set_window_size(1366, 900).await?;
    screenshot(browser, "reform-converted-desktop", "#preview-heading").await?;
    Ok(())
}
