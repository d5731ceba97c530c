//! The error envelope (RFC 9457 problem details), body limits and the health probes.

use reqwest::Method;
use serde_json::json;
use tests::{PASSWORD, TestApp};

tests::on_both_backends!(
    every_error_is_a_problem_with_the_request_id_of_its_response,
    a_request_id_sent_by_the_client_is_kept,
    malformed_json_is_a_bad_request,
    trailing_characters_after_a_json_body_are_malformed,
    a_body_over_one_mebibyte_is_too_large,
    unknown_api_paths_are_problem_not_found,
    the_health_probes_report_the_process_and_the_database,
);

async fn every_error_is_a_problem_with_the_request_id_of_its_response(app: &TestApp) {
    let viewer = app.sign_in("hn.viewer", "viewer", "01").await;
    let cases = [
        (
            app.request(Method::GET, "/api/v1/nope", None),
            404,
            "not_found",
        ),
        (
            app.request(Method::GET, "/api/v1/admin-units/99", None),
            404,
            "not_found",
        ),
        (
            app.request(Method::GET, "/api/v1/auth/me", None),
            401,
            "invalid_token",
        ),
        (
            app.request(Method::GET, "/api/v1/users", viewer.token()),
            403,
            "forbidden",
        ),
        (
            app.request(Method::GET, "/api/v1/admin-units/search?q=", None),
            422,
            "validation_failed",
        ),
        (
            app.request(
                Method::GET,
                "/api/v1/admin-units/search?q=x&limit=many",
                None,
            ),
            422,
            "validation_failed",
        ),
        (
            app.request(Method::POST, "/api/v1/auth/login", None)
                .header("content-type", "application/json")
                .body("{"),
            400,
            "malformed_json",
        ),
        (
            app.request(Method::POST, "/api/v1/auth/login", None)
                .json(&json!({"username": "nobody", "password": PASSWORD})),
            401,
            "invalid_credentials",
        ),
    ];
    let mut ids = std::collections::HashSet::new();
    for (request, status, code) in cases {
        let response = app.send(request).await;
        response.assert_problem(status, code);
        let id = response
            .header("x-request-id")
            .unwrap_or_default()
            .to_string();
        assert!(
            ids.insert(id.clone()),
            "request ids are unique: {id} seen twice"
        );
    }
    let ok = app.get_json("/api/v1/admin-units/01", None).await;
    ok.assert_status(200);
    assert!(
        ok.header("x-request-id").is_some(),
        "successes carry X-Request-Id too"
    );
}

async fn a_request_id_sent_by_the_client_is_kept(app: &TestApp) {
    let response = app
        .send(
            app.request(Method::GET, "/api/v1/admin-units/99", None)
                .header("X-Request-Id", "trace-4711"),
        )
        .await;
    response.assert_problem(404, "not_found");
    assert_eq!(response.body["request_id"], "trace-4711");

    let unsafe_id = app
        .send(
            app.request(Method::GET, "/api/v1/admin-units/99", None)
                .header("X-Request-Id", "a b<script>"),
        )
        .await;
    unsafe_id.assert_problem(404, "not_found");
    assert_ne!(unsafe_id.body["request_id"], "a b<script>");
}

async fn malformed_json_is_a_bad_request(app: &TestApp) {
    let bodies = [
        "{\"username\": \"a\", \"password\": ",
        "not json",
        "",
        "{\"username\": \"a\" \"password\": \"b\"}",
    ];
    for body in bodies {
        let response = app
            .send(
                app.request(Method::POST, "/api/v1/auth/login", None)
                    .header("content-type", "application/json")
                    .body(body),
            )
            .await;
        assert_eq!(response.status, 400, "{body:?}: {}", response.body);
        response.assert_problem(400, "malformed_json");
    }
    let wrong_shape = app
        .post_json("/api/v1/auth/login", None, &json!("admin"))
        .await;
    wrong_shape.assert_problem(422, "validation_failed");
}

async fn trailing_characters_after_a_json_body_are_malformed(app: &TestApp) {
    let account = app.sign_in("hn.admin", "central_admin", "VN").await;
    for trailer in [" trailing", "}", " {\"password\": \"other\"}"] {
        let body = format!(
            "{}{trailer}",
            json!({"username": account.user.username, "password": PASSWORD})
        );
        let response = app
            .send(
                app.request(Method::POST, "/api/v1/auth/login", None)
                    .header("content-type", "application/json")
                    .body(body.clone()),
            )
            .await;
        assert_eq!(
            response.status, 400,
            "{body:?} is not JSON: {}",
            response.body
        );
        response.assert_problem(400, "malformed_json");
    }
}

async fn a_body_over_one_mebibyte_is_too_large(app: &TestApp) {
    let padding = "x".repeat(1024 * 1024);
    let too_large = json!({"username": "nobody", "password": padding}).to_string();
    assert!(too_large.len() > 1024 * 1024);
    let response = app
        .send(
            app.request(Method::POST, "/api/v1/auth/login", None)
                .header("content-type", "application/json")
                .body(too_large),
        )
        .await;
    response.assert_problem(413, "payload_too_large");

    let under = json!({"username": "nobody", "password": "x".repeat(1_000_000)}).to_string();
    assert!(under.len() < 1024 * 1024);
    let response = app
        .send(
            app.request(Method::POST, "/api/v1/auth/login", None)
                .header("content-type", "application/json")
                .body(under),
        )
        .await;
    response.assert_invalid_field("password");
}

async fn unknown_api_paths_are_problem_not_found(app: &TestApp) {
    for path in [
        "/api/v1/nope",
        "/api/v1/admin-units/provinces/01/nope",
        "/api/v2/users",
        "/health/nope",
    ] {
        let response = app.get_json(path, None).await;
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        response.assert_problem(404, "not_found");
    }
}

async fn the_health_probes_report_the_process_and_the_database(app: &TestApp) {
    let live = app.get_json("/health/live", None).await;
    live.assert_status(200);
    assert_eq!(live.body, json!({"status": "ok"}));
    let ready = app.get_json("/health/ready", None).await;
    ready.assert_status(200);
    assert_eq!(ready.body["status"], "ok");
    assert_eq!(ready.body["database"], "ok");
}
