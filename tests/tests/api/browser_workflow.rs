//! The Learning Citizen workflow in a headless Chromium the size of a phone: a commune officer
//! registers a person for this year's period, enters the self-assessment from the keyboard and
//! sees the running total and the verdict, attaches an evidence file, submits it, passes the review, drafts a decision,
//! lists the person on it and issues it; then anyone, logged out, opens the certificate's
//! verification page and sees it valid under the masked name only. SQLite only.
//!
//! The period, the officer and the person are set up through the API: they are not the point.
//!
//! Needs the built SPA (`dist/index.html`), Chromium and chromedriver. Without them the test is
//! skipped with a loud line, or fails when `CI=true` or `CDHT_REQUIRE_BROWSER=1`.

use chrono::{Datelike, Utc};
use fantoccini::Locator;
use fantoccini::key::Key;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tests::webdriver::Browser;
use tests::{Backend, PASSWORD, Session, TestApp};

const WAIT: Duration = Duration::from_secs(15);

/// Phường Ba Đình, Hà Nội.
const BADINH: &str = "00004";

/// The person, written with escapes so that the source's own normalisation does not matter.
const AN: &str = "Nguy\u{1ec5}n V\u{0103}n An";

/// His name as the public verification shows it.
const AN_MASKED: &str = "Nguy\u{1ec5}n V. A.";

/// The ids of the ten indicator fields of the shipped template.
const INDICATOR_FIELDS: [&str; 10] = [
    "score-1-1-1",
    "score-1-2-1",
    "score-1-3-1",
    "score-1-4-1",
    "score-2-1-1",
    "score-2-2-1",
    "score-2-3-1",
    "score-2-4-1",
    "score-3-1-1",
    "score-3-2-1",
];

/// "Pass", the verdict of the score form.
const PASSED: &str = "\u{0110}\u{1ea1}t";

/// "Submitted", "Passed review" and "Issued", as the pages show them.
const SUBMITTED: &str = "\u{0110}\u{00e3} n\u{1ed9}p";
const REVIEW_PASSED: &str = "Th\u{1ea9}m \u{0111}\u{1ecb}nh \u{0111}\u{1ea1}t";
const ISSUED: &str = "\u{0110}\u{00e3} ban h\u{00e0}nh";

/// "Valid", the badge of the verification page.
const VALID: &str = "C\u{00f2}n hi\u{1ec7}u l\u{1ef1}c";

/// The decision's number.
const DECISION_NUMBER: &str = "12/Q\u{0110}-KH";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_commune_officer_takes_a_person_from_registration_to_a_certificate_anyone_can_verify() {
    tests::webdriver::in_browser(Backend::Sqlite, scenario).await;
}

/// This year's period, the commune officer and the person, through the API.
struct Setup {
    officer: Session,
    period_id: String,
    person_id: String,
}

async fn set_up(app: &TestApp) -> anyhow::Result<Setup> {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let year = Utc::now().date_naive().year();
    let period = app
        .post_json("/api/v1/periods", admin.token(), &json!({"year": year}))
        .await;
    anyhow::ensure!(period.status == 201, "POST /periods: {}", period.body);
    let officer = app.sign_in("xa.badinh", "commune_officer", BADINH).await;
    let person = app
        .post_json(
            "/api/v1/people",
            officer.token(),
            &json!({
                "full_name": AN,
                "gender": "male",
                "birth_year": 1985,
                "commune_code": BADINH,
                "target_group": "farmer",
            }),
        )
        .await;
    anyhow::ensure!(person.status == 201, "POST /people: {}", person.body);
    Ok(Setup {
        officer,
        period_id: string(&period.body, "id")?,
        person_id: string(&person.body, "id")?,
    })
}

/// The string `key` of a JSON object.
fn string(body: &Value, key: &str) -> anyhow::Result<String> {
    body[key]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("no string {key} in {body}"))
}

/// The registration as the API gives it to `officer`.
async fn registration(app: &TestApp, officer: &Session, id: &str) -> anyhow::Result<Value> {
    let response = app
        .get_json(&format!("/api/v1/registrations/{id}"), officer.token())
        .await;
    anyhow::ensure!(
        response.status == 200,
        "GET /registrations/{id}: {}",
        response.body
    );
    Ok(response.body)
}

/// Clicks the element matching `css` once it is there and enabled; an element drawn again
/// between finding and clicking is found again.
async fn click(browser: &Browser, css: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut last = String::new();
    while started.elapsed() < WAIT {
        match browser.client().find(Locator::Css(css)).await {
            Ok(element) => match element.is_enabled().await {
                Ok(true) => match element.click().await {
                    Ok(()) => return Ok(()),
                    Err(e) => last = e.to_string(),
                },
                Ok(false) => last = "disabled".to_string(),
                Err(e) => last = e.to_string(),
            },
            Err(e) => last = e.to_string(),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!(
        "could not click {css} within {WAIT:?} ({last}); {}",
        browser.page().await
    )
}

/// Waits until the first element matching `css` has exactly the text `expected` (trimmed).
async fn wait_for_exact(browser: &Browser, css: &str, expected: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    let mut seen = None;
    while started.elapsed() < WAIT {
        if let Ok(element) = browser.client().find(Locator::Css(css)).await
            && let Ok(text) = element.text().await
        {
            if text.trim() == expected {
                return Ok(());
            }
            seen = Some(text);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    anyhow::bail!(
        "{css} did not say {expected:?} within {WAIT:?} (last seen: {seen:?}); {}",
        browser.page().await
    )
}

/// Waits until the address's path satisfies `wanted`; returns the path.
async fn wait_for_path(
    browser: &Browser,
    what: &str,
    wanted: impl Fn(&str) -> bool,
) -> anyhow::Result<String> {
    let started = Instant::now();
    loop {
        let path = browser.client().current_url().await?.path().to_string();
        if wanted(&path) {
            return Ok(path);
        }
        if started.elapsed() > WAIT {
            anyhow::bail!("the address is not {what}; {}", browser.page().await);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the element with `id` has the focus.
async fn wait_for_focus(browser: &Browser, id: &str) -> anyhow::Result<()> {
    let started = Instant::now();
    loop {
        let element = browser.client().active_element().await?;
        let now = element.attr("id").await?.unwrap_or_default();
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

/// Empties the field matching `css` and types `text` into it.
async fn fill(browser: &Browser, css: &str, text: &str) -> anyhow::Result<()> {
    let field = browser.wait_for(css, WAIT).await?;
    field.clear().await?;
    field.send_keys(text).await?;
    let value = field.prop("value").await?.unwrap_or_default();
    anyhow::ensure!(
        value == text,
        "{css} holds {value:?} after typing {text:?}; {}",
        browser.page().await
    );
    Ok(())
}

async fn scenario(app: &TestApp, browser: &Browser) -> anyhow::Result<()> {
    let client = browser.client();
    let tab = char::from(Key::Tab);
    let Setup {
        officer,
        period_id,
        person_id,
    } = set_up(app).await?;

    // Logging in.
    browser
        .sign_in(&app.url("/login"), "xa.badinh", PASSWORD, WAIT)
        .await?;

    // Registering him for this year's period.
    browser.follow("a[href=\"/assessments\"]", WAIT).await?;
    let period = browser.wait_for("select#period-select", WAIT).await?;
    if period.prop("value").await?.as_deref() != Some(period_id.as_str()) {
        period.select_by_value(&period_id).await?;
    }
    browser
        .wait_for("input#register-search", WAIT)
        .await?
        .send_keys("nguyen van an")
        .await?;
    browser
        .wait_for_text("ul#register-results li", AN, WAIT)
        .await?;
    let rows = client
        .find_all(Locator::Css("ul#register-results li"))
        .await?;
    anyhow::ensure!(
        rows.len() == 1,
        "the search finds him alone, not {} people; {}",
        rows.len(),
        browser.page().await
    );
    click(
        browser,
        &format!("ul#register-results button.register-person#register-{person_id}"),
    )
    .await?;
    browser.wait_for_text("#register-status", AN, WAIT).await?;

    // His assessment.
    click(browser, "a#registered-link").await?;
    let path = wait_for_path(browser, "an assessment's page", |path| {
        path.starts_with("/assessments/")
    })
    .await?;
    let id = path.trim_start_matches("/assessments/").to_string();
    browser
        .wait_for_text("#assessment-heading", AN, WAIT)
        .await?;
    let registered = registration(app, &officer, &id).await?;
    anyhow::ensure!(
        registered["status"] == "registered"
            && registered["period_id"] == period_id.as_str()
            && registered["person_id"] == person_id.as_str(),
        "the page is his new registration for the period: {registered}"
    );

    // The self-assessment, typed: a 9 in each indicator, Tab to the next.
    click(browser, "button#action-start").await?;
    browser
        .wait_for(&format!("input#{}", INDICATOR_FIELDS[0]), WAIT)
        .await?;
    wait_for_exact(browser, "#running-total", "0").await?;
    for (index, field) in INDICATOR_FIELDS.iter().enumerate() {
        browser
            .wait_for(&format!("input#{field}"), WAIT)
            .await?
            .send_keys(&format!("9{tab}"))
            .await?;
        if let Some(next) = INDICATOR_FIELDS.get(index + 1) {
            wait_for_focus(browser, next).await?;
        }
    }
    wait_for_exact(browser, "#running-total", "90").await?;
    wait_for_exact(browser, "#pass-verdict", PASSED).await?;
    click(browser, "button#save-self-scores").await?;
    browser.wait_for_text("#self-result", "90", WAIT).await?;
    let saved = registration(app, &officer, &id).await?;
    let typed: serde_json::Map<String, Value> = INDICATOR_FIELDS
        .iter()
        .map(|field| {
            (
                field.trim_start_matches("score-").replace('-', "."),
                json!(9),
            )
        })
        .collect();
    anyhow::ensure!(
        saved["status"] == "draft"
            && saved["self_scores"] == Value::Object(typed)
            && saved["self_result"]["total"] == 90
            && saved["self_result"]["passed"] == true,
        "the server holds the typed scores: {saved}"
    );

    // Evidence: a PDF picked with the file field, listed once uploaded, held by the server.
    let scratch = tests::ScratchDir::new("evidence");
    let file = scratch.path().join("giay-khen.pdf");
    std::fs::write(&file, b"%PDF-1.4\n%%EOF\n")?;
    browser
        .wait_for("input#evidence-file", WAIT)
        .await?
        .send_keys(&file.display().to_string())
        .await?;
    click(browser, "button#evidence-upload").await?;
    browser
        .wait_for_text("#evidence-files", "giay-khen.pdf", WAIT)
        .await?;
    let files = app
        .get_json(
            &format!("/api/v1/registrations/{id}/evidence"),
            officer.token(),
        )
        .await;
    anyhow::ensure!(
        files.status == 200 && files.body[0]["file_name"] == "giay-khen.pdf",
        "the server holds the evidence file: {}",
        files.body
    );

    // Submitted, then passed.
    click(browser, "button#action-submit").await?;
    wait_for_exact(browser, "#assessment-status", SUBMITTED).await?;
    click(browser, "button#action-pass").await?;
    wait_for_exact(browser, "#assessment-status", REVIEW_PASSED).await?;
    let passed = registration(app, &officer, &id).await?;
    anyhow::ensure!(
        passed["status"] == "review_passed",
        "the review passed: {passed}"
    );

    // A decision, drafted in the form.
    browser.follow("a[href=\"/decisions\"]", WAIT).await?;
    browser.wait_for("form#decision-form", WAIT).await?;
    let today = Utc::now().date_naive();
    fill(browser, "input#decision-number", DECISION_NUMBER).await?;
    fill(
        browser,
        "input#decision-date",
        &today.format("%d/%m/%Y").to_string(),
    )
    .await?;
    fill(
        browser,
        "input#decision-signer",
        "Tr\u{1ea7}n V\u{0103}n B\u{00ec}nh",
    )
    .await?;
    fill(
        browser,
        "input#decision-signer-title",
        "Ch\u{1ee7} t\u{1ecb}ch",
    )
    .await?;
    fill(
        browser,
        "input#decision-title",
        &format!(
            "Quy\u{1ebf}t \u{0111}\u{1ecb}nh c\u{00f4}ng nh\u{1ead}n danh hi\u{1ec7}u \
             C\u{00f4}ng d\u{00e2}n h\u{1ecd}c t\u{1ead}p n\u{0103}m {}",
            today.year()
        ),
    )
    .await?;
    click(browser, "form#decision-form button#decision-submit").await?;
    let path = wait_for_path(browser, "a decision's page", |path| {
        path.starts_with("/decisions/")
    })
    .await?;
    let decision_id = path.trim_start_matches("/decisions/").to_string();
    browser
        .wait_for_text("#decision-heading", DECISION_NUMBER, WAIT)
        .await?;

    // He is listed on it, and it is issued after the confirmation.
    click(
        browser,
        &format!("ul#decision-candidates input#candidate-{id}[type=\"checkbox\"]"),
    )
    .await?;
    click(browser, "button#add-to-decision").await?;
    browser
        .wait_for_text("ul#decision-items li", AN, WAIT)
        .await?;
    click(browser, "button#issue-decision").await?;
    click(browser, "button#issue-confirm").await?;
    wait_for_exact(browser, "#decision-status", ISSUED).await?;
    let decision = app
        .get_json(&format!("/api/v1/decisions/{decision_id}"), officer.token())
        .await;
    anyhow::ensure!(
        decision.status == 200
            && decision.body["status"] == "issued"
            && decision.body["number"] == DECISION_NUMBER
            && decision.body["decision_date"] == today.to_string()
            && decision.body["registration_ids"] == json!([id]),
        "the decision is issued as typed, listing him: {}",
        decision.body
    );
    let recognised = registration(app, &officer, &id).await?;
    anyhow::ensure!(
        recognised["status"] == "recognised",
        "he is recognised: {recognised}"
    );
    let code = string(&recognised, "verification_code")?;
    let certificate = string(&recognised, "certificate_number")?;

    // His page shows the certificate with the way to its verification.
    click(
        browser,
        &format!("ul#decision-items a[href=\"/assessments/{id}\"]"),
    )
    .await?;
    wait_for_exact(browser, "#certificate-number", &certificate).await?;
    let link = browser
        .wait_for("a#verify-link", WAIT)
        .await?
        .attr("href")
        .await?
        .unwrap_or_default();
    let verify_path = format!("/verify/{code}");
    anyhow::ensure!(
        link == verify_path,
        "the verification link is {link:?}, not {verify_path:?}; {}",
        browser.page().await
    );

    // Logged out, the address of the certificate's QR code shows it valid, under the masked
    // name only.
    click(browser, "button#logout").await?;
    wait_for_path(browser, "/login", |path| path == "/login").await?;
    browser.wait_for("input#username", WAIT).await?;
    let public = app.url("");
    client
        .goto(&format!("{}{verify_path}", public.trim_end_matches('/')))
        .await?;
    wait_for_exact(browser, "#verify-status", VALID).await?;
    wait_for_exact(browser, "#verify-name", AN_MASKED).await?;
    wait_for_exact(browser, "#verify-certificate", &certificate).await?;
    anyhow::ensure!(
        client
            .find_all(Locator::Css("#current-user"))
            .await?
            .is_empty(),
        "nobody is logged in on the verification page; {}",
        browser.page().await
    );
    let source = client.source().await?;
    anyhow::ensure!(
        !source.contains(AN),
        "the verification page shows the full name; {}",
        browser.page().await
    );
    Ok(())
}
