//! The first-load benchmark (`cargo xtask bench-web` runs it on the release build of the web
//! application): opens the pages a visitor opens first in a fresh headless Chromium on emulated
//! slow networks, and prints when each became usable and what it downloaded.
//!
//! - the login page, cold: until its button is on the page (the form works from then on);
//! - the whole application after signing in, cold: until the header names the user;
//! - the whole application on a repeat visit: the same, and how many wasm bytes came over the
//!   network (none, when the service worker and the browser's cache keep the shell);
//! - the certificate check a QR code opens, cold.
//!
//! Times are from the start of the navigation (`performance.now()` when a watcher installed
//! before the page's own scripts sees the element), so they include the network emulation's
//! latency but not the test driver's.

use anyhow::Context;
use std::path::PathBuf;
use std::time::Duration;
use tests::webdriver::{Browser, Network, SLOW_4G, THREE_G};
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(120);

/// Records, for each selector, when an element matching it first appeared.
const WATCHER: &str = r#"
window.__cdhtSeen = {};
const cdhtSelectors = ['button#login-submit', '#current-user', '#verify-status'];
const cdhtWatch = () => {
  for (const selector of cdhtSelectors) {
    if (!(selector in window.__cdhtSeen) && document.querySelector(selector)) {
      window.__cdhtSeen[selector] = performance.now();
    }
  }
};
new MutationObserver(cdhtWatch).observe(document, { childList: true, subtree: true });
"#;

/// When `selector` appeared, what the page downloaded, and how much of it was wasm.
const MEASURE: &str = r#"
const selector = arguments[0];
const navigation = performance.getEntriesByType('navigation')[0];
let bytes = navigation ? navigation.transferSize : 0;
let wasm = 0;
for (const entry of performance.getEntriesByType('resource')) {
  bytes += entry.transferSize;
  if (entry.name.endsWith('.wasm')) wasm += entry.transferSize;
}
return { ms: (window.__cdhtSeen || {})[selector], bytes, wasm };
"#;

struct Measure {
    ms: f64,
    bytes: u64,
    wasm: u64,
}

async fn measure(browser: &Browser, selector: &str) -> anyhow::Result<Measure> {
    browser.wait_for(selector, WAIT).await?;
    // The watcher may see the element a moment after the driver does.
    for _ in 0..50 {
        let value = browser
            .client()
            .execute(MEASURE, vec![serde_json::json!(selector)])
            .await?;
        if let Some(ms) = value["ms"].as_f64() {
            return Ok(Measure {
                ms,
                bytes: value["bytes"].as_u64().unwrap_or(0),
                wasm: value["wasm"].as_u64().unwrap_or(0),
            });
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    anyhow::bail!("the watcher never saw {selector}")
}

fn report(network: &Network, page: &str, m: &Measure) {
    println!(
        "{:<32} {:<44} {:>7.2} s {:>10} bytes  (wasm {:>9} bytes)",
        network.name,
        page,
        m.ms / 1000.0,
        m.bytes,
        m.wasm
    );
}

/// A fresh Chromium (empty cache, no service worker) on `network`, with the watcher installed.
async fn fresh_browser(network: Network) -> anyhow::Result<Browser> {
    let browser = Browser::start().await?;
    browser
        .cdp(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({ "source": WATCHER }),
        )
        .await?;
    browser.throttle(Some(network)).await?;
    Ok(browser)
}

async fn run(app: &TestApp, network: Network) -> anyhow::Result<()> {
    let browser = fresh_browser(network).await?;
    let outcome = async {
        browser.client().goto(&app.url("/login")).await?;
        let login = measure(&browser, "button#login-submit").await?;
        report(&network, "login page, first visit", &login);

        browser
            .wait_for("input#username", WAIT)
            .await?
            .send_keys("bench.officer")
            .await?;
        browser
            .wait_for("input#password", WAIT)
            .await?
            .send_keys(PASSWORD)
            .await?;
        browser
            .wait_for("button#login-submit", WAIT)
            .await?
            .click()
            .await?;
        browser
            .wait_for_text("#current-user", "bench.officer", WAIT)
            .await?;
        let app_first = measure(&browser, "#current-user").await?;
        report(&network, "whole application, first visit", &app_first);

        // Let the service worker finish keeping the shell, then come back.
        tokio::time::sleep(Duration::from_secs(3)).await;
        browser.client().goto(&app.url("/units")).await?;
        browser.client().goto(&app.url("/")).await?;
        browser
            .wait_for_text("#current-user", "bench.officer", WAIT)
            .await?;
        let again = measure(&browser, "#current-user").await?;
        report(&network, "whole application, repeat visit", &again);
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close().await;
    outcome?;

    let browser = fresh_browser(network).await?;
    let outcome = async {
        browser
            .client()
            .goto(&app.url("/verify/unknownCode0000000000000000"))
            .await?;
        let verify = measure(&browser, "#verify-status").await?;
        report(
            &network,
            "certificate check (/verify/…), first visit",
            &verify,
        );
        Ok::<_, anyhow::Error>(())
    }
    .await;
    browser.close().await;
    outcome
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dist = PathBuf::from(
        std::env::args()
            .nth(1)
            .context("usage: first-load <the built web application's directory>")?,
    );
    anyhow::ensure!(
        dist.join("index.html").is_file(),
        "{} holds no built web application",
        dist.display()
    );
    let app = TestApp::spawn_with(Backend::Sqlite, move |settings| settings.web_dir = dist).await;
    app.create_account("bench.officer", "central_admin", "VN", PASSWORD)
        .await;
    println!(
        "{:<32} {:<44} {:>9} {:>16}",
        "network", "page", "usable at", "downloaded"
    );
    let mut outcome = Ok(());
    for network in [THREE_G, SLOW_4G] {
        if let Err(error) = run(&app, network).await {
            outcome = Err(error);
            break;
        }
    }
    app.stop().await;
    outcome
}
