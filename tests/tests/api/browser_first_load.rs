//! The web application's first load and its session, in a headless Chromium: the loading screen
//! before the wasm, the Content-Security-Policy the application works under (and an injected
//! inline script does not), the session kept in an `HttpOnly` cookie with nothing in the page's
//! storage, the service worker keeping the shell so that a repeat visit downloads no wasm, and
//! logging out ending the session.

use fantoccini::Locator;
use std::time::Duration;
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, TestApp};

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_application_loads_under_its_policy_and_keeps_no_token_within_scripts_reach() {
    tests::webdriver::in_browser(Backend::Sqlite, async |app, browser| {
        app.create_account("hn.officer", "province_officer", "01", PASSWORD)
            .await;
        scenario(app, browser).await
    })
    .await;
}

/// What the page's scripts can reach of the session: every value in local and session storage,
/// and `document.cookie`.
const WITHIN_REACH: &str = "
  const values = [];
  for (const store of [localStorage, sessionStorage]) {
    for (let i = 0; i < store.length; i++) values.push(store.key(i) + '=' + store.getItem(store.key(i)));
  }
  return { storage: values, cookie: document.cookie };
";

/// Injects an inline script as an attacker's markup would, and reports whether it ran and
/// whether the browser reported the policy violation.
const INJECT: &str = "
  const done = arguments[0];
  window.__injected = false;
  let violated = false;
  document.addEventListener('securitypolicyviolation', () => { violated = true; });
  const script = document.createElement('script');
  script.textContent = 'window.__injected = true;';
  document.body.appendChild(script);
  setTimeout(() => done({ ran: window.__injected === true, violated }), 300);
";

/// What the last navigation downloaded of wasm, over the network.
const WASM_DOWNLOADED: &str = "
  let bytes = 0;
  for (const entry of performance.getEntriesByType('resource')) {
    if (entry.name.endsWith('.wasm')) bytes += entry.transferSize;
  }
  return bytes;
";

/// Whether a service worker controls the page, and whether its cache holds the wasm.
const SHELL_KEPT: &str = "
  const done = arguments[0];
  const controlled = navigator.serviceWorker.controller !== null;
  caches.keys().then(async (names) => {
    let wasm = false;
    for (const name of names.filter((n) => n.startsWith('cdht-shell-'))) {
      const cache = await caches.open(name);
      const requests = await cache.keys();
      wasm = wasm || requests.some((r) => r.url.endsWith('.wasm'));
    }
    done({ controlled, wasm });
  });
";

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let client = browser.client();

    // The page shows the application's frame and a loading state before any script runs.
    let page = app
        .client()
        .get(app.url("/people"))
        .send()
        .await?
        .text()
        .await?;
    anyhow::ensure!(
        page.contains("id=\"boot\"") && page.contains("Đang tải"),
        "the page has a loading screen: {page}"
    );
    anyhow::ensure!(!page.contains("<script>"), "no inline script: {page}");

    browser
        .sign_in(&app.url("/login"), "hn.officer", PASSWORD, WAIT)
        .await?;
    anyhow::ensure!(
        client.find_all(Locator::Css("#boot")).await?.is_empty(),
        "the loading screen is gone once the application runs"
    );

    // Nothing of the session is within scripts' reach.
    let reach = client.execute(WITHIN_REACH, vec![]).await?;
    let text = reach.to_string();
    anyhow::ensure!(
        !text.contains("eyJ") && !text.contains("cdht_refresh") && !text.contains("token"),
        "a token is within scripts' reach: {text}"
    );
    // The browser holds it, in a cookie scripts cannot read, sent only to the refresh path.
    let cookies = browser.all_cookies().await?;
    let refresh = cookies
        .iter()
        .find(|c| c["name"] == "cdht_refresh")
        .ok_or_else(|| anyhow::anyhow!("no session cookie: {cookies:?}"))?;
    anyhow::ensure!(
        refresh["httpOnly"] == true
            && refresh["secure"] == true
            && refresh["sameSite"] == "Strict"
            && refresh["path"] == "/api/v1/auth/refresh",
        "the session cookie: {refresh}"
    );

    // An injected inline script does not run.
    let injected = client.execute_async(INJECT, vec![]).await?;
    anyhow::ensure!(
        injected["ran"] == false && injected["violated"] == true,
        "the injected script: {injected}"
    );

    // A new page load resumes the session from the cookie; the service worker keeps the
    // shell, so that coming back downloads no wasm.
    client
        .execute_async(
            "navigator.serviceWorker.ready.then(() => arguments[0](true));",
            vec![],
        )
        .await?;
    client.goto(&app.url("/units")).await?;
    client.goto(&app.url("/people")).await?;
    browser
        .wait_for_text("#current-user", "hn.officer", WAIT)
        .await?;
    let wasm = client.execute(WASM_DOWNLOADED, vec![]).await?;
    anyhow::ensure!(
        wasm.as_u64() == Some(0),
        "a repeat visit downloaded {wasm} bytes of wasm"
    );
    // The service worker controls the page and keeps the shell, wasm included.
    let kept = client.execute_async(SHELL_KEPT, vec![]).await?;
    anyhow::ensure!(
        kept["controlled"] == true && kept["wasm"] == true,
        "the service worker keeps the shell: {kept}"
    );

    // Logging out ends the session: the cookie is gone and a new page load asks to log in.
    browser.follow("button#logout", WAIT).await?;
    browser.wait_for("input#username", WAIT).await?;
    let cookies = browser.all_cookies().await?;
    anyhow::ensure!(
        cookies.iter().all(|c| c["name"] != "cdht_refresh"),
        "the session cookie outlived the logout: {cookies:?}"
    );
    client.goto(&app.url("/people")).await?;
    browser.wait_for("input#username", WAIT).await?;
    anyhow::ensure!(
        client
            .find_all(Locator::Css("#current-user"))
            .await?
            .is_empty(),
        "nobody is signed in after logging out"
    );
    Ok(())
}
