//! A headless Chromium driven through `chromedriver`, for the browser tests.
//!
//! The driver is started on a free port as a child process and killed when the [`Browser`] is
//! dropped; each browser gets a fresh profile directory. The window is the size of a phone.

use crate::scratch::ScratchDir;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Debian's `chromium` package puts the browser.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Finds `chromedriver`: Debian's `chromium-driver` path, else the `PATH`.
pub fn chromedriver_path() -> Option<PathBuf> {
    let debian = PathBuf::from("/usr/bin/chromedriver");
    if debian.is_file() {
        return Some(debian);
    }
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join("chromedriver"))
            .find(|candidate| candidate.is_file())
    })
}

/// The built SPA's directory (`dist/`) when a browser test can run. When something it needs is
/// missing, the test is skipped with a loud line (`None`), or fails when `CI=true` or
/// `CDHT_REQUIRE_BROWSER=1`.
pub fn spa_or_skip() -> Option<PathBuf> {
    let spa = crate::workspace_root().join("dist");
    let missing = missing_prerequisites(&spa);
    if missing.is_empty() {
        return Some(spa);
    }
    let what = missing.join(", ");
    if crate::required_by_env("CDHT_REQUIRE_BROWSER") {
        panic!("the browser test is required (CI or CDHT_REQUIRE_BROWSER) but needs {what}");
    }
    crate::shout(&format!(
        "*** SKIPPED: browser test: missing {what}. Set CDHT_REQUIRE_BROWSER=1 to make \
         this a failure. ***"
    ));
    None
}

/// Runs a browser test: a fresh application on `backend` serving the built SPA, a new
/// Chromium, then `scenario`; closes both and fails with the scenario's error. Skips (or fails)
/// as [`spa_or_skip`] says when something the test needs is missing.
pub async fn in_browser(
    backend: crate::Backend,
    scenario: impl AsyncFnOnce(&crate::TestApp, &Browser) -> anyhow::Result<()>,
) {
    let Some(spa) = spa_or_skip() else {
        return;
    };
    let app = crate::TestApp::spawn_with(backend, |settings| settings.web_dir = spa).await;
    let browser = Browser::start().await.expect("Chromium starts");
    let outcome = scenario(&app, &browser).await;
    browser.close().await;
    app.stop().await;
    if let Err(e) = outcome {
        panic!("{e:#}");
    }
}

/// What a browser test needs and does not find: the built SPA, Chromium, chromedriver.
pub fn missing_prerequisites(spa_dir: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    if !spa_dir.join("index.html").is_file() {
        missing.push(format!(
            "the built web application ({}/index.html; build it with `cargo xtask`)",
            spa_dir.display()
        ));
    }
    if !Path::new(CHROMIUM).is_file() {
        missing.push(format!("{CHROMIUM} (apt-get install chromium)"));
    }
    if chromedriver_path().is_none() {
        missing.push("chromedriver (apt-get install chromium-driver)".to_string());
    }
    missing
}

/// A WebDriver session with its own chromedriver process.
pub struct Browser {
    client: Option<Client>,
    driver: Child,
    profile: ScratchDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a phone-sized window.
    pub async fn start() -> anyhow::Result<Browser> {
        let chromedriver =
            chromedriver_path().ok_or_else(|| anyhow::anyhow!("chromedriver is not installed"))?;
        let port = free_port()?;
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| anyhow::anyhow!("starting {}: {e}", chromedriver.display()))?;
        let profile = ScratchDir::new("cdht-chromium");
        // From here the driver is killed on every early return.
        let mut browser = Browser {
            client: None,
            driver,
            profile,
        };
        wait_for_port(port, Duration::from_secs(15)).await?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".to_string(),
            json!({
                "binary": CHROMIUM,
                "args": [
                    "--headless",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--disable-quic",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--no-proxy-server",
                    format!("--user-data-dir={}", browser.profile.path().display()),
                    "--window-size=390,844",
                ],
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .map_err(|e| anyhow::anyhow!("opening a WebDriver session: {e}"))?;
        browser.client = Some(client);
        Ok(browser)
    }

    /// The WebDriver client.
    pub fn client(&self) -> &Client {
        #[expect(
            clippy::expect_used,
            reason = "set by start() before the browser is returned"
        )]
        self.client.as_ref().expect("the session is open")
    }

    /// Waits until an element matching `css` is present.
    pub async fn wait_for(
        &self,
        css: &str,
        timeout: Duration,
    ) -> anyhow::Result<fantoccini::elements::Element> {
        match self
            .client()
            .wait()
            .at_most(timeout)
            .every(Duration::from_millis(100))
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => Ok(element),
            Err(e) => anyhow::bail!(
                "{css} did not appear within {timeout:?} ({e}); {}",
                self.page().await
            ),
        }
    }

    /// Follows the link `css`, first unfolding the menu when the link is in the main navigation
    /// and the screen is narrow enough to fold it behind `button#menu-toggle`.
    pub async fn follow(&self, css: &str, timeout: Duration) -> anyhow::Result<()> {
        let link = self.wait_for(css, timeout).await?;
        if !link.is_displayed().await? {
            let toggles = self
                .client()
                .find_all(Locator::Css("button#menu-toggle[aria-expanded=\"false\"]"))
                .await?;
            for toggle in toggles {
                if toggle.is_displayed().await? {
                    toggle.click().await?;
                }
            }
        }
        self.wait_for(css, timeout).await?.click().await?;
        Ok(())
    }

    /// Signs in through the login page at `login_url` and waits until the page names the user.
    pub async fn sign_in(
        &self,
        login_url: &str,
        username: &str,
        password: &str,
        timeout: Duration,
    ) -> anyhow::Result<()> {
        self.client().goto(login_url).await?;
        self.wait_for("input#username", timeout)
            .await?
            .send_keys(username)
            .await?;
        self.wait_for("input#password", timeout)
            .await?
            .send_keys(password)
            .await?;
        self.wait_for("button#login-submit", timeout)
            .await?
            .click()
            .await?;
        self.wait_for_text("#current-user", username, timeout)
            .await?;
        Ok(())
    }

    /// Polls until some element matching `css` has a text containing `needle`; returns that
    /// text.
    pub async fn wait_for_text(
        &self,
        css: &str,
        needle: &str,
        timeout: Duration,
    ) -> anyhow::Result<String> {
        let started = Instant::now();
        let mut seen = Vec::new();
        while started.elapsed() < timeout {
            seen.clear();
            if let Ok(elements) = self.client().find_all(Locator::Css(css)).await {
                for element in elements {
                    if let Ok(text) = element.text().await {
                        if text.contains(needle) {
                            return Ok(text);
                        }
                        seen.push(text);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        anyhow::bail!(
            "no {css} contained {needle:?} within {timeout:?}; last seen: {seen:?}; {}",
            self.page().await
        )
    }

    /// The address and the start of the page source, for failure messages.
    pub async fn page(&self) -> String {
        let url = self
            .client()
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let source = self.client().source().await.unwrap_or_default();
        let cut: String = source.chars().take(3000).collect();
        format!("page {url}: {cut}")
    }

    /// Emulates a network (Chromium's network conditions): `latency` added to each round trip,
    /// `down` and `up` in kilobits per second. `None` lifts the emulation.
    pub async fn throttle(&self, network: Option<Network>) -> anyhow::Result<()> {
        let conditions = match network {
            Some(n) => serde_json::json!({
                "offline": false,
                "latency": n.latency_ms,
                "download_throughput": n.down_kbit * 1000 / 8,
                "upload_throughput": n.up_kbit * 1000 / 8,
            }),
            None => serde_json::json!({
                "offline": false,
                "latency": 0,
                "download_throughput": -1,
                "upload_throughput": -1,
            }),
        };
        self.emulate_network(conditions).await
    }

    /// Sets chromedriver's network conditions as they are (`offline`, `latency` in ms,
    /// `download_throughput` and `upload_throughput` in bytes per second).
    pub async fn emulate_network(&self, conditions: serde_json::Value) -> anyhow::Result<()> {
        self.client()
            .issue_cmd(Extension {
                path: "chromium/network_conditions",
                body: serde_json::json!({ "network_conditions": conditions }),
            })
            .await
            .map_err(|e| anyhow::anyhow!("setting the network conditions: {e}"))?;
        Ok(())
    }

    /// Ends the session (closing Chromium); the driver is killed on drop.
    pub async fn close(mut self) {
        if let Some(client) = self.client.take() {
            let _ = client.close().await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

async fn wait_for_port(port: u16, timeout: Duration) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let address = std::net::SocketAddr::from(([127, 0, 0, 1], port));
        if std::net::TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if started.elapsed() > timeout {
            anyhow::bail!("chromedriver did not listen on port {port} within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A network to emulate.
#[derive(Debug, Clone, Copy)]
pub struct Network {
    pub name: &'static str,
    pub latency_ms: u64,
    pub down_kbit: u64,
    pub up_kbit: u64,
}

/// 3G as rural phones see it: 750 kbit/s down, 250 up, 100 ms round trips.
pub const THREE_G: Network = Network {
    name: "3G (750 kbit/s, 100 ms)",
    latency_ms: 100,
    down_kbit: 750,
    up_kbit: 250,
};

/// Slow 4G: 1.6 Mbit/s down, 750 kbit/s up, 150 ms round trips.
pub const SLOW_4G: Network = Network {
    name: "slow 4G (1.6 Mbit/s, 150 ms)",
    latency_ms: 150,
    down_kbit: 1600,
    up_kbit: 750,
};

/// A chromedriver extension command: `POST /session/{id}/<path>` with a JSON body.
#[derive(Debug)]
struct Extension {
    path: &'static str,
    body: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Extension {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/{}",
            session_id.unwrap_or_default(),
            self.path
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

impl Browser {
    /// Runs a Chrome DevTools Protocol command (`Page.addScriptToEvaluateOnNewDocument`, …).
    pub async fn cdp(
        &self,
        command: &str,
        params: serde_json::Value,
    ) -> anyhow::Result<serde_json::Value> {
        self.client()
            .issue_cmd(Extension {
                path: "goog/cdp/execute",
                body: serde_json::json!({ "cmd": command, "params": params }),
            })
            .await
            .map_err(|e| anyhow::anyhow!("{command}: {e}"))
    }
}

impl Browser {
    /// Every cookie the browser holds, whatever its path (`Network.getAllCookies`); WebDriver's
    /// own cookie commands see only the cookies sent to the current page.
    pub async fn all_cookies(&self) -> anyhow::Result<Vec<serde_json::Value>> {
        let answer = self
            .cdp("Network.getAllCookies", serde_json::json!({}))
            .await?;
        Ok(answer["cookies"].as_array().cloned().unwrap_or_default())
    }

    /// Forgets the session as a new browser would not have it: every cookie (the refresh
    /// cookie is sent only to its path, out of WebDriver's reach) and the page's storage.
    pub async fn forget_session(&self) -> anyhow::Result<()> {
        self.cdp("Network.clearBrowserCookies", serde_json::json!({}))
            .await?;
        self.client()
            .execute(
                "localStorage.clear(); sessionStorage.clear(); return true;",
                vec![],
            )
            .await?;
        Ok(())
    }
}
