//! Hostile input is a clear 4xx that changes nothing: control characters in any text, paging
//! numbers out of bounds, unknown fields, bodies not sent as JSON, methods a path does not take,
//! and one bad item among good ones in a batch.

use reqwest::Method;
use serde_json::{Value, json};
use tests::{ApiResponse, TestApp};
use uuid::Uuid;

tests::on_both_backends!(
    control_characters_in_json_text_are_refused_naming_the_field_and_nothing_is_written,
    control_characters_in_query_strings_are_refused_naming_the_parameter,
    a_control_character_in_a_path_names_no_resource,
    paging_numbers_out_of_bounds_are_refused_on_every_list_before_any_arithmetic,
    unknown_fields_in_write_bodies_are_refused_naming_them,
    json_bodies_not_sent_as_json_are_unsupported_media_types,
    methods_a_path_does_not_take_are_405_with_the_methods_it_takes,
    one_item_with_a_nul_in_a_batch_is_rejected_alone_and_resending_it_is_no_error,
    a_post_without_a_token_is_401_and_does_not_use_up_its_idempotency_key,
);

/// Phường Ba Đình, Hà Nội (province 01).
const BADINH: &str = "00004";

fn person(name: &str) -> Value {
    json!({"full_name": name, "gender": "female", "birth_year": 1990, "commune_code": BADINH})
}

async fn people_total(app: &TestApp, token: Option<&str>) -> u64 {
    let list = app.get_json("/api/v1/people", token).await;
    list.assert_status(200);
    list.body["total"].as_u64().unwrap_or_default()
}

async fn send_json(
    app: &TestApp,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: &Value,
) -> ApiResponse {
    app.send(app.request(method, path, token).json(body)).await
}

#[track_caller]
fn assert_refused(response: &ApiResponse, field: &str, code: &str, case: &str) {
    assert_eq!(
        response.status, 422,
        "{case}: expected 422, got {} with {}",
        response.status, response.body
    );
    response.assert_invalid_field(field);
    let codes: Vec<&str> = response.body["errors"]
        .as_array()
        .map(|errors| errors.iter().filter_map(|e| e["code"].as_str()).collect())
        .unwrap_or_default();
    assert!(
        codes.contains(&code),
        "{case}: the error code is {code}: {}",
        response.body
    );
}

async fn control_characters_in_json_text_are_refused_naming_the_field_and_nothing_is_written(
    app: &TestApp,
) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token();
    let created = app
        .post_json("/api/v1/people", t, &person("Lê Thị Hoa"))
        .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().unwrap_or_default().to_string();
    let before = people_total(app, t).await;
    let mut nul_update = person("Lê Thị Hoa");
    nul_update["occupation"] = json!("giáo\u{0}viên");
    let cases = [
        (
            Method::POST,
            "/api/v1/people".to_string(),
            person("Lê\u{0}Thị Hoa"),
            "full_name",
        ),
        (
            Method::POST,
            "/api/v1/people".to_string(),
            person("Lê Thị\u{1b} Hoa"),
            "full_name",
        ),
        (
            Method::POST,
            "/api/v1/people".to_string(),
            person("Lê Thị Hoa\u{7f}"),
            "full_name",
        ),
        (
            Method::PUT,
            format!("/api/v1/people/{id}"),
            nul_update,
            "occupation",
        ),
        (
            Method::POST,
            "/api/v1/people/lookup".to_string(),
            json!({"personal_id": "001\u{0}085012345"}),
            "personal_id",
        ),
        (
            Method::POST,
            "/api/v1/auth/login".to_string(),
            json!({"username": "ba-dinh\u{0}", "password": "x"}),
            "username",
        ),
    ];
    for (method, path, body, field) in cases {
        let case = format!("{method} {path} {body}");
        let response = send_json(app, method, &path, t, &body).await;
        assert_refused(&response, field, "control_character", &case);
    }
    assert_eq!(people_total(app, t).await, before, "nothing was written");
    let kept = app.get_json(&format!("/api/v1/people/{id}"), t).await;
    kept.assert_status(200);
    assert!(kept.body["occupation"].is_null(), "{}", kept.body);
}

async fn control_characters_in_query_strings_are_refused_naming_the_parameter(app: &TestApp) {
    let admin = app.sign_in("chief", "central_admin", "VN").await;
    let cases = [
        ("/api/v1/users?q=a%00b", "q"),
        ("/api/v1/people?q=a%00b", "q"),
        ("/api/v1/people?q=%01", "q"),
        ("/api/v1/people?unit=0%001", "unit"),
        ("/api/v1/admin-units/search?q=ba%00dinh", "q"),
        ("/api/v1/audit?resource_type=person%1B", "resource_type"),
        ("/api/v1/villages?commune_code=00004%00", "commune_code"),
    ];
    for (path, field) in cases {
        let response = app.get_json(path, admin.token()).await;
        assert_refused(&response, field, "control_character", path);
    }
}

async fn a_control_character_in_a_path_names_no_resource(app: &TestApp) {
    let admin = app.sign_in("chief", "central_admin", "VN").await;
    for path in [
        "/api/v1/admin-units/0%001",
        "/api/v1/admin-units/provinces/01%00/communes",
        "/api/v1/public/verify/01%00",
    ] {
        let response = app.get_json(path, admin.token()).await;
        assert_eq!(response.status, 404, "{path}: {}", response.body);
        response.assert_problem(404, "not_found");
    }
}

async fn paging_numbers_out_of_bounds_are_refused_on_every_list_before_any_arithmetic(
    app: &TestApp,
) {
    let admin = app.sign_in("chief", "central_admin", "VN").await;
    let any = Uuid::new_v4();
    let lists = [
        "/api/v1/users".to_string(),
        "/api/v1/people".to_string(),
        "/api/v1/audit".to_string(),
        "/api/v1/villages".to_string(),
        "/api/v1/registrations".to_string(),
        "/api/v1/association-units".to_string(),
        format!("/api/v1/association-units/{any}/members"),
        "/api/v1/legacy-queue".to_string(),
        "/api/v1/imports".to_string(),
        format!("/api/v1/imports/{any}/rows"),
    ];
    let bounds = [
        ("page=9223372036854775807", "page"),
        ("page=18446744073709551616", "page"),
        ("page=0", "page"),
        ("page=-1", "page"),
        ("per_page=9223372036854775807", "per_page"),
        ("per_page=0", "per_page"),
        ("per_page=201", "per_page"),
    ];
    for list in &lists {
        for (query, field) in bounds {
            let path = format!("{list}?{query}");
            let response = app.get_json(&path, admin.token()).await;
            assert_refused(&response, field, "out_of_range", &path);
        }
        let last = app
            .get_json(&format!("{list}?page=1000000&per_page=200"), admin.token())
            .await;
        assert!(
            last.status == 200 || last.status == 404,
            "{list}: the highest page is answered: {} {}",
            last.status,
            last.body
        );
    }
    for (path, field, code) in [
        (
            "/api/v1/admin-units/search?q=ba&limit=-1",
            "limit",
            "out_of_range",
        ),
        (
            "/api/v1/admin-units/search?q=ba&limit=0",
            "limit",
            "out_of_range",
        ),
        (
            "/api/v1/admin-units/search?q=ba&limit=many",
            "limit",
            "invalid_type",
        ),
        (
            "/api/v1/people?birth_year_from=x",
            "birth_year_from",
            "invalid_type",
        ),
        ("/api/v1/people?gender=other", "gender", "invalid_type"),
    ] {
        let response = app.get_json(path, admin.token()).await;
        assert_refused(&response, field, code, path);
    }
}

async fn unknown_fields_in_write_bodies_are_refused_naming_them(app: &TestApp) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token();
    let before = people_total(app, t).await;
    let mut misspelt = person("Trần Văn Bình");
    misspelt["ocupation"] = json!("nông dân");
    let mut nested = person("Trần Văn Bình");
    nested["consent"] = json!({"consented_by": "Trần Văn Bình", "consented_at": "2026-01-01T00:00:00Z",
                                "text": "Đồng ý cung cấp", "givne_on": "2026-01-01"});
    let cases = [
        (Method::POST, "/api/v1/people", misspelt, "ocupation"),
        (Method::POST, "/api/v1/people", nested, "consent.givne_on"),
        (
            Method::POST,
            "/api/v1/people/lookup",
            json!({"personal_id": "001085012345", "name": "x"}),
            "name",
        ),
        (
            Method::POST,
            "/api/v1/auth/login",
            json!({"username": "ba-dinh", "password": "x", "remember": true}),
            "remember",
        ),
    ];
    for (method, path, body, field) in cases {
        let case = format!("{method} {path} {body}");
        let response = send_json(app, method, path, t, &body).await;
        assert_refused(&response, field, "unknown_field", &case);
    }
    assert_eq!(people_total(app, t).await, before, "nothing was written");
}

async fn json_bodies_not_sent_as_json_are_unsupported_media_types(app: &TestApp) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token();
    let before = people_total(app, t).await;
    let body = person("Phạm Thị Cúc").to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut request = app.request(Method::POST, "/api/v1/people", t);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = app.send(request.body(body.clone())).await;
        assert_eq!(
            response.status, 415,
            "{content_type:?}: {} {}",
            response.status, response.body
        );
        response.assert_problem(415, "unsupported_media_type");
    }
    let login = app
        .send(
            app.request(Method::POST, "/api/v1/auth/login", None)
                .header("content-type", "text/plain")
                .body(json!({"username": "ba-dinh", "password": tests::PASSWORD}).to_string()),
        )
        .await;
    login.assert_problem(415, "unsupported_media_type");
    assert_eq!(people_total(app, t).await, before, "nothing was written");
    let declared = app
        .send(
            app.request(Method::POST, "/api/v1/people", t)
                .header("content-type", "application/json; charset=utf-8")
                .body(body),
        )
        .await;
    declared.assert_status(201);
}

async fn methods_a_path_does_not_take_are_405_with_the_methods_it_takes(app: &TestApp) {
    let admin = app.sign_in("chief", "central_admin", "VN").await;
    let id = Uuid::new_v4();
    let cases = [
        (Method::TRACE, "/api/v1/people".to_string(), "GET, POST"),
        (Method::PATCH, "/api/v1/people".to_string(), "GET, POST"),
        (Method::DELETE, "/api/v1/auth/login".to_string(), "POST"),
        (Method::TRACE, "/health/live".to_string(), "GET"),
        (Method::OPTIONS, "/api/v1/changes".to_string(), "GET"),
        (Method::POST, format!("/api/v1/villages/{id}"), "GET, PATCH"),
        (Method::PUT, "/api/v1/people/lookup".to_string(), "POST"),
        (Method::GET, "/api/v1/people/lookup".to_string(), "POST"),
        (Method::TRACE, "/api/v1/people/lookup".to_string(), "POST"),
    ];
    for (method, path, allow) in cases {
        let response = app
            .send(app.request(method.clone(), &path, admin.token()))
            .await;
        assert_eq!(
            response.status, 405,
            "{method} {path}: {} {}",
            response.status, response.body
        );
        response.assert_problem(405, "method_not_allowed");
        assert_eq!(response.header("allow"), Some(allow), "{method} {path}");
    }
    let unknown = app
        .send(app.request(Method::TRACE, "/api/v1/nope", admin.token()))
        .await;
    unknown.assert_problem(404, "not_found");
}

async fn one_item_with_a_nul_in_a_batch_is_rejected_alone_and_resending_it_is_no_error(
    app: &TestApp,
) {
    let admin = app.sign_in("chief", "central_admin", "VN").await;
    let created = app
        .post_json(
            "/api/v1/clients",
            admin.token(),
            &json!({"name": "Hệ thống tỉnh 01", "unit": "01",
                    "operations": ["people:read", "people:write", "changes:read"]}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["client"]["client_id"]
        .as_str()
        .unwrap_or_default();
    let secret = created.body["client_secret"].as_str().unwrap_or_default();
    let token = app
        .send(
            app.request(Method::POST, "/api/v1/oauth/token", None)
                .basic_auth(id, Some(secret))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
    token.assert_status(200);
    let t = token.body["access_token"].as_str().map(str::to_string);
    let item = |external_id: &str, name: &str| {
        let mut p = person(name);
        p["external_id"] = json!(external_id);
        p
    };
    let batch = json!({"items": [
        item("HN-1", "Đỗ Thị Mai"),
        item("HN-2", "Đỗ\u{0}Thị Lan"),
        item("HN-3\u{0}", "Đỗ Thị Hồng"),
        item("HN-4", "Đỗ Thị Ngọc"),
    ]});
    for (round, kept) in [(1, "created"), (2, "unchanged")] {
        let answer = send_json(
            app,
            Method::PUT,
            "/api/v1/sync/people",
            t.as_deref(),
            &batch,
        )
        .await;
        answer.assert_status(200);
        let statuses: Vec<&str> = answer.body["items"]
            .as_array()
            .map(|items| items.iter().filter_map(|i| i["status"].as_str()).collect())
            .unwrap_or_default();
        assert_eq!(
            statuses,
            [kept, "rejected", "rejected", kept],
            "round {round}: {}",
            answer.body
        );
        let fields: Vec<&str> = answer.body["items"]
            .as_array()
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i["error"]["errors"][0]["field"].as_str())
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            fields,
            ["items[1].full_name", "items[2].external_id"],
            "round {round}: {}",
            answer.body
        );
    }
    let list = app
        .get_json("/api/v1/people?q=do%20thi", t.as_deref())
        .await;
    list.assert_status(200);
    assert_eq!(
        list.body["total"], 2,
        "only the good items are kept: {}",
        list.body
    );
}

async fn a_post_without_a_token_is_401_and_does_not_use_up_its_idempotency_key(app: &TestApp) {
    for path in ["/api/v1/people/lookup", "/api/v1/reports/counters/rebuild"] {
        let response = app
            .send(
                app.request(Method::POST, path, None)
                    .header("Idempotency-Key", "one-key-for-two-requests")
                    .json(&json!({"personal_id": "001085012345"})),
            )
            .await;
        response.assert_problem(401, "invalid_token");
    }
}
