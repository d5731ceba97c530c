//! The OpenAPI document: the committed file is locked to the code, the server serves the same
//! document, and Swagger UI is served from the binary.

use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;
use tests::{Backend, TestApp};

const OUT_OF_DATE: &str =
    "openapi/openapi.json is out of date: run `cargo run -p openapi` and commit the result";

/// Every operation of `/api/v1` and the health probes, by path.
const DOCUMENTED_PATHS: [&str; 105] = [
    "/api/v1/admin-units/legacy/convert",
    "/api/v1/admin-units/legacy/districts/{code}/communes",
    "/api/v1/admin-units/legacy/provinces",
    "/api/v1/admin-units/legacy/provinces/{code}/districts",
    "/api/v1/admin-units/legacy/{code}",
    "/api/v1/admin-units/legacy/{code}/successors",
    "/api/v1/admin-units/provinces",
    "/api/v1/admin-units/provinces/{code}/communes",
    "/api/v1/admin-units/search",
    "/api/v1/admin-units/{code}",
    "/api/v1/association-units",
    "/api/v1/association-units/root",
    "/api/v1/association-units/{id}",
    "/api/v1/association-units/{id}/members",
    "/api/v1/audit",
    "/api/v1/auth/login",
    "/api/v1/auth/logout",
    "/api/v1/auth/me",
    "/api/v1/auth/password",
    "/api/v1/auth/refresh",
    "/api/v1/changes",
    "/api/v1/clients",
    "/api/v1/clients/{id}",
    "/api/v1/clients/{id}/revoke",
    "/api/v1/clients/{id}/rotate-secret",
    "/api/v1/criteria-sets",
    "/api/v1/criteria-sets/{id}",
    "/api/v1/criteria-sets/{id}/publish",
    "/api/v1/decisions",
    "/api/v1/decisions/{id}",
    "/api/v1/decisions/{id}/certificates.pdf",
    "/api/v1/decisions/{id}/issue",
    "/api/v1/decisions/{id}/items",
    "/api/v1/evidence-files/{id}",
    "/api/v1/imports",
    "/api/v1/imports/template.csv",
    "/api/v1/imports/template.xlsx",
    "/api/v1/imports/uploads",
    "/api/v1/imports/uploads/{id}/preview",
    "/api/v1/imports/{id}",
    "/api/v1/imports/{id}/report.csv",
    "/api/v1/imports/{id}/report.xlsx",
    "/api/v1/imports/{id}/resume",
    "/api/v1/imports/{id}/rows",
    "/api/v1/legacy-queue",
    "/api/v1/legacy-queue/resolve",
    "/api/v1/legacy-queue/{id}",
    "/api/v1/legacy-queue/{id}/resolve",
    "/api/v1/memberships",
    "/api/v1/memberships/{id}",
    "/api/v1/memberships/{id}/transfer",
    "/api/v1/oauth/token",
    "/api/v1/people",
    "/api/v1/people/lookup",
    "/api/v1/people/{id}",
    "/api/v1/people/{id}/export",
    "/api/v1/people/{id}/memberships",
    "/api/v1/people/{id}/personal-id",
    "/api/v1/periods",
    "/api/v1/periods/{id}",
    "/api/v1/periods/{id}/baselines",
    "/api/v1/periods/{id}/baselines/committees/{unit_id}",
    "/api/v1/periods/{id}/baselines/communes/{code}",
    "/api/v1/periods/{id}/baselines/import",
    "/api/v1/public/verify/{code}",
    "/api/v1/registrations",
    "/api/v1/registrations/bulk-pass",
    "/api/v1/registrations/{id}",
    "/api/v1/registrations/{id}/certificate.pdf",
    "/api/v1/registrations/{id}/events",
    "/api/v1/registrations/{id}/evidence",
    "/api/v1/registrations/{id}/evidence/{indicator_code}",
    "/api/v1/registrations/{id}/fail",
    "/api/v1/registrations/{id}/pass",
    "/api/v1/registrations/{id}/return",
    "/api/v1/registrations/{id}/review",
    "/api/v1/registrations/{id}/revoke",
    "/api/v1/registrations/{id}/self-assessment",
    "/api/v1/registrations/{id}/start",
    "/api/v1/registrations/{id}/start-review",
    "/api/v1/registrations/{id}/submit",
    "/api/v1/registrations/{id}/withdraw",
    "/api/v1/reports/counters/check",
    "/api/v1/reports/counters/rebuild",
    "/api/v1/reports/legacy",
    "/api/v1/reports/people",
    "/api/v1/reports/progress",
    "/api/v1/reports/series",
    "/api/v1/reports/summary",
    "/api/v1/reports/targets",
    "/api/v1/restructurings",
    "/api/v1/restructurings/{id}",
    "/api/v1/restructurings/{id}/apply",
    "/api/v1/restructurings/{id}/undo",
    "/api/v1/sync/memberships",
    "/api/v1/sync/people",
    "/api/v1/sync/registrations",
    "/api/v1/sync/results",
    "/api/v1/target-groups",
    "/api/v1/users",
    "/api/v1/users/{id}",
    "/api/v1/users/{id}/password",
    "/api/v1/villages",
    "/api/v1/villages/{id}",
    "/api/v1/worklist",
];

fn committed_file() -> std::path::PathBuf {
    tests::workspace_root().join("openapi").join("openapi.json")
}

fn generated() -> String {
    api::openapi::document_json().expect("the OpenAPI document serialises")
}

#[test]
fn the_committed_openapi_document_is_the_one_the_code_generates() {
    let path = committed_file();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    let generated = generated();
    if committed != generated {
        let line = committed
            .lines()
            .zip(generated.lines())
            .position(|(a, b)| a != b)
            .map_or_else(
                || committed.lines().count().min(generated.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{OUT_OF_DATE}\n({} differs from the code from line {line} on)",
            path.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_serves_the_openapi_document_of_every_api_path() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.get_json("/api/openapi.json", None).await;
    response.assert_status(200);
    let served = &response.body;
    let version = served["openapi"].as_str().unwrap_or_default();
    assert!(version.starts_with("3.1"), "OpenAPI version {version:?}");
    assert_eq!(served["info"]["title"], "CDHT API");

    let paths: BTreeSet<&str> = served["paths"]
        .as_object()
        .expect("the document has paths")
        .keys()
        .map(String::as_str)
        .collect();
    for path in DOCUMENTED_PATHS {
        assert!(
            paths.contains(path),
            "{path} is documented; documented: {paths:?}"
        );
    }
    let api_paths: BTreeSet<&str> = paths
        .iter()
        .copied()
        .filter(|p| p.starts_with("/api/v1"))
        .collect();
    assert_eq!(api_paths, BTreeSet::from(DOCUMENTED_PATHS));
    for path in ["/health/live", "/health/ready"] {
        assert!(paths.contains(path), "{path} is documented");
    }
    for (path, operations) in served["paths"].as_object().into_iter().flatten() {
        for (method, operation) in operations.as_object().into_iter().flatten() {
            assert!(
                operation["responses"]
                    .as_object()
                    .is_some_and(|r| !r.is_empty()),
                "{method} {path} documents its responses"
            );
            assert!(
                operation["tags"].as_array().is_some_and(|t| !t.is_empty()),
                "{method} {path} has a tag"
            );
        }
    }
    let secured = &served["paths"]["/api/v1/users"]["get"]["security"];
    assert!(
        secured.to_string().contains("bearer"),
        "GET /users requires the bearer token: {secured}"
    );

    let code: Value = serde_json::from_str(&generated()).expect("the generated document is JSON");
    assert_eq!(
        served, &code,
        "the server serves the document the code generates"
    );

    let committed = std::fs::read_to_string(committed_file()).unwrap_or_default();
    let committed: Value = serde_json::from_str(&committed).unwrap_or(Value::Null);
    assert!(served == &committed, "{OUT_OF_DATE}");
    app.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn swagger_ui_is_served_without_the_internet() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let page = app.get_json("/api/docs/", None).await;
    page.assert_status(200);
    let content_type = page.header("content-type").unwrap_or_default();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let html = page.body.as_str().expect("an HTML page");
    assert!(html.contains("swagger-ui"), "{html}");

    for asset in ["/api/docs/swagger-ui.css", "/api/docs/swagger-ui-bundle.js"] {
        let response = app.send(app.request(Method::GET, asset, None)).await;
        assert_eq!(response.status, 200, "{asset} is served from the binary");
    }
    let initializer = app.get_json("/api/docs/swagger-initializer.js", None).await;
    initializer.assert_status(200);
    let script = initializer.body.as_str().unwrap_or_default();
    assert!(
        script.contains("/api/openapi.json"),
        "Swagger UI loads our document: {script}"
    );

    let redirect = app.get_json("/api/docs", None).await;
    assert_eq!(redirect.status, 308);
    assert_eq!(redirect.header("location"), Some("/api/docs/"));
    app.stop().await;
}
