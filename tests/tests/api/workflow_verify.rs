//! The public verification of certificates is rate-limited per client address (60 a minute by
//! default, `verify_per_minute`), whatever the code asked about: scraping codes is refused with
//! `429` and `Retry-After`.

use tests::{Backend, TestApp};

const VERIFY: &str = "/api/v1/public/verify";

/// Runs on a server started with a limit of 5 checks a minute.
async fn a_sixth_check_within_a_minute_is_refused_with_retry_after(app: &TestApp) {
    assert_eq!(app.settings().verify_per_minute, 5);
    for n in 1..=5 {
        let response = app
            .get_json(&format!("{VERIFY}/unknownCode{n:02}xxxxxxxxxxxxx"), None)
            .await;
        assert_eq!(
            response.status, 404,
            "check {n} is answered: {}",
            response.body
        );
        response.assert_problem(404, "not_found");
    }
    for n in 6..=7 {
        let response = app
            .get_json(&format!("{VERIFY}/unknownCode{n:02}xxxxxxxxxxxxx"), None)
            .await;
        response.assert_problem(429, "too_many_requests");
        let wait: u64 = response
            .header("retry-after")
            .unwrap_or_else(|| panic!("check {n}: a 429 says when to retry"))
            .parse()
            .unwrap_or_else(|e| panic!("check {n}: Retry-After is a number of seconds: {e}"));
        assert!((1..=60).contains(&wait), "check {n}: retry after {wait} s");
    }
    // The page a QR code opens counts against the same limit, and says so in the page.
    let page = app
        .send(app.request(
            reqwest::Method::GET,
            "/verify/unknownCode08xxxxxxxxxxxxx",
            None,
        ))
        .await;
    assert_eq!(page.status, 429);
    assert!(
        page.header("retry-after").is_some(),
        "the page says when to retry"
    );
    assert!(
        page.header("content-type")
            .is_some_and(|t| t.starts_with("text/html")),
        "an HTML page"
    );
    // The limit is on the public check only: the rest of the API answers.
    app.get_json("/api/v1/admin-units/provinces", None)
        .await
        .assert_status(200);
}

async fn limited(backend: Backend) -> TestApp {
    TestApp::spawn_with(backend, |settings| settings.verify_per_minute = 5).await
}

mod sqlite {
    use tests::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_sixth_check_within_a_minute_is_refused_with_retry_after() {
        let app = super::limited(Backend::Sqlite).await;
        super::a_sixth_check_within_a_minute_is_refused_with_retry_after(&app).await;
        app.stop().await;
    }
}

mod postgres {
    use tests::{Backend, TestApp};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_sixth_check_within_a_minute_is_refused_with_retry_after() {
        // Skipped (or failed, when PostgreSQL is required) the way every postgres:: test is.
        let Some(probe) = TestApp::spawn_if_available(Backend::Postgres).await else {
            return;
        };
        probe.stop().await;
        let app = super::limited(Backend::Postgres).await;
        super::a_sixth_check_within_a_minute_is_refused_with_retry_after(&app).await;
        app.stop().await;
    }
}
