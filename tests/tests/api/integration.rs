//! The integration API for provincial systems: client credentials, batch upserts keyed by
//! external ids, `Idempotency-Key`, `ETag`/`If-Match`, the change feed and per-client rate
//! limits.

use reqwest::Method;
use serde_json::{Value, json};
use std::collections::HashSet;
use tests::{ApiResponse, Backend, TestApp};

tests::on_both_backends!(
    tokens_follow_the_oauth_client_credentials_grant,
    a_client_of_one_province_cannot_reach_another_nor_see_it_in_the_feed,
    a_province_officer_registers_clients_only_for_their_province,
    rotating_a_secret_refuses_the_old_one_and_revoking_refuses_issued_tokens,
    batch_upserts_report_created_updated_unchanged_and_rejected_items,
    memberships_and_registrations_are_upserted_by_external_id,
    a_batch_over_a_thousand_items_is_refused_with_413,
    an_idempotent_retry_is_replayed_once_acted_and_a_reused_key_is_refused,
    a_stale_if_match_is_refused_with_412_naming_the_current_version,
    of_two_concurrent_writes_with_the_same_if_match_only_one_succeeds,
    the_feed_skips_and_repeats_nothing_under_concurrent_writers,
    client_calls_are_audited_under_the_client_id,
    the_example_client_pushes_updates_and_pulls,
    people_written_by_a_bulk_import_reach_the_feed_once_each,
    accounts_have_an_etag_and_refuse_a_stale_if_match,
);

/// Given names for generated people (names hold letters only).
const NAMES: [&str; 12] = [
    "An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nam", "Oanh", "Phúc",
];
const TOKEN: &str = "/api/v1/oauth/token";
const CLIENTS: &str = "/api/v1/clients";
const SYNC_PEOPLE: &str = "/api/v1/sync/people";
const CHANGES: &str = "/api/v1/changes";
/// Phường Ba Đình, Hà Nội (province 01).
const BADINH: &str = "00004";
/// Phường Bến Thành, Hồ Chí Minh (province 79).
const BEN_THANH: &str = "26743";
const ALL_OPERATIONS: [&str; 7] = [
    "people:read",
    "people:write",
    "memberships:read",
    "memberships:write",
    "registrations:read",
    "registrations:write",
    "changes:read",
];

/// Registers a client with `admin_token`; returns (client id, secret).
async fn register(app: &TestApp, admin_token: &str, unit: &str, ops: &[&str]) -> (String, String) {
    let created = app
        .post_json(
            CLIENTS,
            Some(admin_token),
            &json!({"name": format!("Hệ thống tỉnh {unit}"), "unit": unit, "operations": ops}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["client"]["client_id"]
        .as_str()
        .expect("a client id")
        .to_string();
    let secret = created.body["client_secret"]
        .as_str()
        .expect("a secret")
        .to_string();
    (id, secret)
}

async fn try_token(app: &TestApp, id: &str, secret: &str) -> ApiResponse {
    app.send(
        app.request(Method::POST, TOKEN, None)
            .basic_auth(id, Some(secret))
            .form(&[("grant_type", "client_credentials")]),
    )
    .await
}

async fn token(app: &TestApp, id: &str, secret: &str) -> String {
    let answer = try_token(app, id, secret).await;
    answer.assert_status(200);
    answer.body["access_token"]
        .as_str()
        .expect("an access token")
        .to_string()
}

/// A person in `commune` keyed by `external_id`.
fn person(external_id: &str, name: &str, commune: &str) -> Value {
    json!({
        "external_id": external_id,
        "full_name": name,
        "gender": "female",
        "birth_year": 1990,
        "commune_code": commune,
    })
}

async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> ApiResponse {
    app.send(app.request(Method::PUT, path, Some(token)).json(body))
        .await
}

/// Every change of the feed after `since` for `token`, paging `limit` at a time.
async fn drain(app: &TestApp, token: &str, since: &str, limit: u32) -> (Vec<Value>, String) {
    let mut cursor = since.to_string();
    let mut seen = Vec::new();
    loop {
        let page = app
            .get_json(
                &format!("{CHANGES}?since={cursor}&limit={limit}"),
                Some(token),
            )
            .await;
        page.assert_status(200);
        let items = page.body["items"].as_array().expect("items").clone();
        cursor = page.body["next_cursor"]
            .as_str()
            .expect("a cursor")
            .to_string();
        seen.extend(items);
        if page.body["has_more"] != json!(true) {
            return (seen, cursor);
        }
    }
}

async fn tokens_follow_the_oauth_client_credentials_grant(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let (id, secret) = register(
        app,
        admin.token().unwrap_or_default(),
        "01",
        &["people:read", "changes:read"],
    )
    .await;

    let basic = try_token(app, &id, &secret).await;
    basic.assert_status(200);
    assert_eq!(basic.body["token_type"], "Bearer");
    assert_eq!(basic.body["scope"], "people:read changes:read");
    assert!(basic.body["expires_in"].as_u64().is_some_and(|s| s > 0));
    assert_eq!(basic.header("cache-control"), Some("no-store"));
    let token = basic.body["access_token"].as_str().unwrap_or_default();
    app.get_json("/api/v1/people", Some(token))
        .await
        .assert_status(200);

    let in_body = app
        .send(app.request(Method::POST, TOKEN, None).form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id.as_str()),
            ("client_secret", secret.as_str()),
            ("scope", "changes:read"),
        ]))
        .await;
    in_body.assert_status(200);
    assert_eq!(in_body.body["scope"], "changes:read");
    let narrow = in_body.body["access_token"].as_str().unwrap_or_default();
    app.get_json(CHANGES, Some(narrow)).await.assert_status(200);
    app.get_json("/api/v1/people", Some(narrow))
        .await
        .assert_problem(403, "forbidden");

    let cases: Vec<(reqwest::RequestBuilder, u16, &str)> = vec![
        (
            app.request(Method::POST, TOKEN, None)
                .basic_auth(&id, Some("cdhts_wrong"))
                .form(&[("grant_type", "client_credentials")]),
            401,
            "invalid_client",
        ),
        (
            app.request(Method::POST, TOKEN, None)
                .basic_auth(&id, Some(&secret))
                .form(&[("grant_type", "password")]),
            400,
            "unsupported_grant_type",
        ),
        (
            app.request(Method::POST, TOKEN, None)
                .basic_auth(&id, Some(&secret))
                .form(&[("scope", "people:read")]),
            400,
            "invalid_request",
        ),
        (
            app.request(Method::POST, TOKEN, None)
                .basic_auth(&id, Some(&secret))
                .form(&[
                    ("grant_type", "client_credentials"),
                    ("scope", "people:write"),
                ]),
            400,
            "invalid_scope",
        ),
        (
            app.request(Method::POST, TOKEN, None)
                .basic_auth(&id, Some(&secret))
                .json(&json!({"grant_type": "client_credentials"})),
            400,
            "invalid_request",
        ),
        (
            app.request(Method::POST, TOKEN, None)
                .form(&[("grant_type", "client_credentials")]),
            401,
            "invalid_client",
        ),
    ];
    for (request, status, error) in cases {
        let answer = app.send(request).await;
        assert_eq!(answer.status, status, "{error}: {}", answer.body);
        assert_eq!(answer.body["error"], error, "{}", answer.body);
        assert!(answer.body["error_description"].is_string());
    }
    // A client token is not an account: account endpoints refuse it.
    app.get_json("/api/v1/users", Some(token))
        .await
        .assert_problem(403, "forbidden");
    app.get_json(CLIENTS, Some(token))
        .await
        .assert_problem(403, "forbidden");
}

async fn a_client_of_one_province_cannot_reach_another_nor_see_it_in_the_feed(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let admin_token = admin.token().unwrap_or_default();
    let (a_id, a_secret) = register(app, admin_token, "01", &ALL_OPERATIONS).await;
    let (b_id, b_secret) = register(app, admin_token, "79", &ALL_OPERATIONS).await;
    let a = token(app, &a_id, &a_secret).await;
    let b = token(app, &b_id, &b_secret).await;

    let pushed_a = put_json(
        app,
        SYNC_PEOPLE,
        &a,
        &json!({"items": [person("HN-1", "Lê Thị Hà", BADINH)]}),
    )
    .await;
    pushed_a.assert_status(200);
    let a_person = pushed_a.body["items"][0]["id"]
        .as_str()
        .expect("created")
        .to_string();
    let pushed_b = put_json(
        app,
        SYNC_PEOPLE,
        &b,
        &json!({"items": [person("HCM-1", "Trần Thị Mai", BEN_THANH)]}),
    )
    .await;
    let b_person = pushed_b.body["items"][0]["id"]
        .as_str()
        .expect("created")
        .to_string();

    // A writing into B's province is refused, item by item.
    let cross = put_json(
        app,
        SYNC_PEOPLE,
        &a,
        &json!({"items": [person("HN-2", "Phạm Văn Nam", BEN_THANH)]}),
    )
    .await;
    cross.assert_status(200);
    assert_eq!(cross.body["items"][0]["status"], "rejected");
    assert_eq!(
        cross.body["items"][0]["error"]["status"], 403,
        "{}",
        cross.body
    );
    // Reading B's province is refused; B's records do not exist for A.
    app.get_json("/api/v1/people?unit=79", Some(&a))
        .await
        .assert_problem(403, "forbidden");
    app.get_json(&format!("/api/v1/people/{b_person}"), Some(&a))
        .await
        .assert_problem(404, "not_found");
    let update = app
        .send(
            app.request(Method::PUT, &format!("/api/v1/people/{b_person}"), Some(&a))
                .json(&person("x", "Trần Thị Mai", BEN_THANH)),
        )
        .await;
    assert!(matches!(update.status, 403 | 404), "{}", update.body);

    let (a_feed, _) = drain(app, &a, "", 100).await;
    let a_ids: HashSet<&str> = a_feed.iter().filter_map(|c| c["id"].as_str()).collect();
    assert!(a_ids.contains(a_person.as_str()));
    assert!(
        !a_ids.contains(b_person.as_str()),
        "A's feed shows no record of B"
    );
    assert!(a_feed.iter().all(|c| {
        c["unit"]
            .as_str()
            .is_some_and(|u| u != BEN_THANH && u != "79")
    }));
    let (b_feed, _) = drain(app, &b, "", 100).await;
    let b_ids: HashSet<&str> = b_feed.iter().filter_map(|c| c["id"].as_str()).collect();
    assert!(b_ids.contains(b_person.as_str()) && !b_ids.contains(a_person.as_str()));
}

async fn a_province_officer_registers_clients_only_for_their_province(app: &TestApp) {
    let officer = app.sign_in("ha-noi", "province_officer", "01").await;
    let t = officer.token().unwrap_or_default();
    let (id, _) = register(app, t, "01", &["people:read"]).await;
    app.post_json(
        CLIENTS,
        Some(t),
        &json!({"name": "x", "unit": "79", "operations": ["people:read"]}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post_json(
        CLIENTS,
        Some(t),
        &json!({"name": "x", "unit": "VN", "operations": ["people:read"]}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.post_json(
        CLIENTS,
        Some(t),
        &json!({"name": "x", "unit": "01", "operations": ["people:read", "people:delete"]}),
    )
    .await
    .assert_invalid_field("operations[1]");
    let commune = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    app.get_json(CLIENTS, commune.token())
        .await
        .assert_problem(403, "forbidden");
    let other = app.sign_in("hcm", "province_officer", "79").await;
    app.get_json(&format!("{CLIENTS}/{id}"), other.token())
        .await
        .assert_problem(404, "not_found");
    let listed = app.get_json(CLIENTS, Some(t)).await;
    listed.assert_status(200);
    assert_eq!(listed.items().len(), 1);
    assert!(
        listed.items()[0].get("client_secret").is_none(),
        "the secret is never listed"
    );
}

async fn rotating_a_secret_refuses_the_old_one_and_revoking_refuses_issued_tokens(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let t = admin.token().unwrap_or_default();
    let (id, old_secret) = register(app, t, "01", &ALL_OPERATIONS).await;
    let old_token = token(app, &id, &old_secret).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;

    let rotated = app
        .post_json(
            &format!("{CLIENTS}/{id}/rotate-secret"),
            Some(t),
            &json!({}),
        )
        .await;
    rotated.assert_status(200);
    let new_secret = rotated.body["client_secret"]
        .as_str()
        .expect("a new secret")
        .to_string();
    assert_ne!(new_secret, old_secret);
    let refused = try_token(app, &id, &old_secret).await;
    assert_eq!(
        (refused.status, refused.body["error"].clone()),
        (401, json!("invalid_client"))
    );
    app.get_json(CHANGES, Some(&old_token))
        .await
        .assert_problem(401, "invalid_token");
    let new_token = token(app, &id, &new_secret).await;
    app.get_json(CHANGES, Some(&new_token))
        .await
        .assert_status(200);

    app.post_json(&format!("{CLIENTS}/{id}/revoke"), Some(t), &json!({}))
        .await
        .assert_status(200);
    app.get_json(CHANGES, Some(&new_token))
        .await
        .assert_problem(401, "invalid_token");
    let refused = try_token(app, &id, &new_secret).await;
    assert_eq!(refused.status, 401);
    let shown = app.get_json(&format!("{CLIENTS}/{id}"), Some(t)).await;
    assert_eq!(shown.body["active"], false);
}

async fn batch_upserts_report_created_updated_unchanged_and_rejected_items(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let (id, secret) = register(
        app,
        admin.token().unwrap_or_default(),
        "01",
        &ALL_OPERATIONS,
    )
    .await;
    let t = token(app, &id, &secret).await;
    let mut bad = person("HN-2", "Đỗ Văn Bình", BADINH);
    bad["gender"] = json!("male");
    bad["personal_id"] = json!("001190012345"); // says female born 1990: contradicts "male"
    let batch = json!({"items": [
        person("HN-1", "Nguyễn Thị Lan", BADINH),
        bad,
        {"full_name": "Không Mã", "gender": "male", "birth_year": 1980, "commune_code": BADINH},
        person("HN-3", "Vũ Thị Hoa", BADINH),
    ]});
    let first = put_json(app, SYNC_PEOPLE, &t, &batch).await;
    first.assert_status(200);
    let statuses: Vec<&str> = first.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        statuses,
        ["created", "rejected", "rejected", "created"],
        "{}",
        first.body
    );
    assert_eq!(
        (
            first.body["created"].clone(),
            first.body["rejected"].clone()
        ),
        (json!(2), json!(2))
    );
    let error = &first.body["items"][1]["error"];
    assert_eq!(error["code"], "validation_failed");
    assert_eq!(
        error["errors"][0]["field"], "items[1].personal_id",
        "{error}"
    );
    assert_eq!(
        first.body["items"][2]["error"]["errors"][0]["field"],
        "items[2].external_id"
    );
    let lan = first.body["items"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();

    let again = put_json(app, SYNC_PEOPLE, &t, &batch).await;
    let statuses: Vec<&str> = again.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| i["status"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(statuses, ["unchanged", "rejected", "rejected", "unchanged"]);
    assert_eq!(again.body["items"][0]["id"], lan.as_str());

    let mut changed = person("HN-1", "Nguyễn Thị Lan", BADINH);
    changed["occupation"] = json!("Giáo viên");
    let third = put_json(app, SYNC_PEOPLE, &t, &json!({"items": [changed]})).await;
    assert_eq!(third.body["items"][0]["status"], "updated");
    assert_eq!(third.body["items"][0]["version"], 2);
    let record = app
        .get_json(&format!("/api/v1/people/{lan}"), Some(&t))
        .await;
    record.assert_status(200);
    assert_eq!(record.body["occupation"], "Giáo viên");
    assert_eq!(record.body["external_id"], "HN-1");
    assert_eq!(record.header("etag"), Some("\"2\""));

    // Only the two valid people exist: rejected items left nothing behind.
    let listed = app.get_json("/api/v1/people?unit=01", Some(&t)).await;
    assert_eq!(listed.body["total"], 2, "{}", listed.body);
    // An officer cannot use the client batch endpoint.
    put_json(app, SYNC_PEOPLE, admin.token().unwrap_or_default(), &batch)
        .await
        .assert_problem(403, "forbidden");
}

async fn memberships_and_registrations_are_upserted_by_external_id(app: &TestApp) {
    use crate::workflow::{commune_unit_id, create_period, this_year};
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let period = create_period(app, &admin, &json!({"year": this_year()})).await;
    let period = period["id"].as_str().expect("a period id").to_string();
    let (id, secret) = register(
        app,
        admin.token().unwrap_or_default(),
        "01",
        &ALL_OPERATIONS,
    )
    .await;
    let t = token(app, &id, &secret).await;
    let mut farmers = Vec::new();
    for (ext, name) in [("HN-1", "Lý Văn Hùng"), ("HN-2", "Mai Thị Nga")] {
        let mut p = person(ext, name, BADINH);
        p["target_group"] = json!("farmer");
        farmers.push(p);
    }
    let pushed = put_json(app, SYNC_PEOPLE, &t, &json!({"items": farmers})).await;
    pushed.assert_status(200);
    let hung = pushed.body["items"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let (_, since) = drain(app, &t, "", 1000).await;

    let badinh_unit = commune_unit_id(BADINH);
    let membership = json!({"external_id": "M-1", "person_external_id": "HN-1",
        "association_unit_id": badinh_unit, "role": "hoi_vien", "card_number": "BD-0001"});
    let unknown_person = json!({"external_id": "M-2", "person_external_id": "KHONG-CO",
        "association_unit_id": badinh_unit, "role": "hoi_vien"});
    let first = put_json(
        app,
        "/api/v1/sync/memberships",
        &t,
        &json!({"items": [membership, unknown_person]}),
    )
    .await;
    first.assert_status(200);
    assert_eq!(
        first.body["items"][0]["status"], "created",
        "{}",
        first.body
    );
    assert_eq!(
        first.body["items"][1]["error"]["errors"][0]["field"],
        "items[1].person_external_id"
    );
    let member_id = first.body["items"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let again = put_json(
        app,
        "/api/v1/sync/memberships",
        &t,
        &json!({"items": [membership]}),
    )
    .await;
    assert_eq!(again.body["items"][0]["status"], "unchanged");
    let mut promoted = membership.clone();
    promoted["role"] = json!("uy_vien");
    let updated = put_json(
        app,
        "/api/v1/sync/memberships",
        &t,
        &json!({"items": [promoted]}),
    )
    .await;
    assert_eq!(
        updated.body["items"][0]["status"], "updated",
        "{}",
        updated.body
    );
    assert_eq!(updated.body["items"][0]["version"], 2);
    let mut moved = promoted.clone();
    moved["association_unit_id"] = json!(commune_unit_id("00008"));
    let refused = put_json(
        app,
        "/api/v1/sync/memberships",
        &t,
        &json!({"items": [moved]}),
    )
    .await;
    assert_eq!(
        refused.body["items"][0]["error"]["errors"][0]["field"],
        "items[0].association_unit_id"
    );
    let shown = app
        .get_json(&format!("/api/v1/people/{hung}/memberships"), Some(&t))
        .await;
    shown.assert_status(200);
    let kept = shown
        .items()
        .iter()
        .find(|m| m["id"] == member_id.as_str())
        .expect("the membership");
    assert_eq!(
        (kept["role"].clone(), kept["version"].clone()),
        (json!("uy_vien"), json!(2))
    );
    assert_eq!(shown.items().len(), 1, "the refused move created nothing");

    let registration =
        json!({"external_id": "R-1", "person_external_id": "HN-1", "period_id": period});
    let no_period = json!({"external_id": "R-2", "person_external_id": "HN-2", "period_id": uuid::Uuid::new_v4()});
    let first = put_json(
        app,
        "/api/v1/sync/registrations",
        &t,
        &json!({"items": [registration, no_period]}),
    )
    .await;
    first.assert_status(200);
    assert_eq!(
        first.body["items"][0]["status"], "created",
        "{}",
        first.body
    );
    assert_eq!(first.body["items"][1]["status"], "rejected");
    let registration_id = first.body["items"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();
    let again = put_json(
        app,
        "/api/v1/sync/registrations",
        &t,
        &json!({"items": [registration]}),
    )
    .await;
    assert_eq!(again.body["items"][0]["status"], "unchanged");
    assert_eq!(again.body["items"][0]["id"], registration_id.as_str());
    let mut other = registration.clone();
    other["person_external_id"] = json!("HN-2");
    let refused = put_json(
        app,
        "/api/v1/sync/registrations",
        &t,
        &json!({"items": [other]}),
    )
    .await;
    assert_eq!(
        refused.body["items"][0]["error"]["status"], 409,
        "{}",
        refused.body
    );
    // Before its self-assessment starts, a registration's target group can change.
    let mut regrouped = registration.clone();
    regrouped["target_group"] = json!("worker");
    let updated = put_json(
        app,
        "/api/v1/sync/registrations",
        &t,
        &json!({"items": [regrouped.clone()]}),
    )
    .await;
    assert_eq!(
        updated.body["items"][0]["status"], "updated",
        "{}",
        updated.body
    );
    assert_eq!(updated.body["items"][0]["version"], 2, "{}", updated.body);
    let shown = app
        .get_json(
            &format!("/api/v1/registrations/{registration_id}"),
            Some(&t),
        )
        .await;
    assert_eq!(shown.body["target_group"], "worker");

    let (changes, _) = drain(app, &t, &since, 1000).await;
    let seen: Vec<(&str, &str, &str)> = changes
        .iter()
        .map(|c| {
            (
                c["resource_type"].as_str().unwrap_or_default(),
                c["id"].as_str().unwrap_or_default(),
                c["kind"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("membership", member_id.as_str(), "created"),
            ("membership", member_id.as_str(), "updated"),
            ("registration", registration_id.as_str(), "created"),
            ("registration", registration_id.as_str(), "updated"),
        ],
        "rejected and unchanged items leave no change behind"
    );

    // Review scores of the registration, once it is submitted.
    let path = format!("/api/v1/registrations/{registration_id}");
    put_json(
        app,
        &format!("{path}/self-assessment"),
        &t,
        &crate::workflow::uniform(8),
    )
    .await
    .assert_status(200);
    app.post_json(&format!("{path}/submit"), Some(&t), &json!({}))
        .await
        .assert_status(200);
    // Once the self-assessment has started, only its transitions change it.
    let mut late = regrouped.clone();
    late["target_group"] = json!("official");
    let refused = put_json(
        app,
        "/api/v1/sync/registrations",
        &t,
        &json!({"items": [late]}),
    )
    .await;
    assert_eq!(
        refused.body["items"][0]["error"]["status"], 409,
        "{}",
        refused.body
    );
    let scores = crate::workflow::uniform(9)["scores"].clone();
    let results = json!({"items": [
        {"external_id": "R-1", "scores": scores},
        {"external_id": "R-KHONG-CO", "scores": scores},
    ]});
    let first = put_json(app, "/api/v1/sync/results", &t, &results).await;
    first.assert_status(200);
    assert_eq!(
        first.body["items"][0]["status"], "updated",
        "{}",
        first.body
    );
    assert_eq!(
        first.body["items"][1]["error"]["errors"][0]["field"],
        "items[1].external_id"
    );
    let reviewed = app.get_json(&path, Some(&t)).await;
    assert_eq!(reviewed.body["status"], "under_review", "{}", reviewed.body);
    assert_eq!(
        reviewed.header("etag").map(str::to_string),
        Some(format!("\"{}\"", first.body["items"][0]["version"]))
    );
    let again = put_json(
        app,
        "/api/v1/sync/results",
        &t,
        &json!({"items": [results["items"][0]]}),
    )
    .await;
    assert_eq!(
        again.body["items"][0]["status"], "unchanged",
        "{}",
        again.body
    );
}

async fn a_batch_over_a_thousand_items_is_refused_with_413(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let (id, secret) = register(
        app,
        admin.token().unwrap_or_default(),
        "01",
        &ALL_OPERATIONS,
    )
    .await;
    let t = token(app, &id, &secret).await;
    let items: Vec<Value> = (0..1001)
        .map(|i| json!({"external_id": format!("X{i}")}))
        .collect();
    put_json(app, SYNC_PEOPLE, &t, &json!({"items": items}))
        .await
        .assert_problem(413, "payload_too_large");
    let listed = app.get_json("/api/v1/people", Some(&t)).await;
    assert_eq!(listed.body["total"], 0);
}

async fn an_idempotent_retry_is_replayed_once_acted_and_a_reused_key_is_refused(app: &TestApp) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token().unwrap_or_default();
    let body = json!({"full_name": "Hoàng Văn Tú", "gender": "male", "birth_year": 1970, "commune_code": BADINH});
    let send = |body: Value, key: &'static str| {
        app.send(
            app.request(Method::POST, "/api/v1/people", Some(t))
                .header("Idempotency-Key", key)
                .json(&body),
        )
    };
    let first = send(body.clone(), "tao-tu-1").await;
    first.assert_status(201);
    assert!(first.header("idempotency-replayed").is_none());
    let retry = send(body.clone(), "tao-tu-1").await;
    retry.assert_status(201);
    assert_eq!(retry.header("idempotency-replayed"), Some("true"));
    assert_eq!(retry.body, first.body, "the retry answers the first answer");
    let listed = app
        .get_json("/api/v1/people?q=hoang%20van%20tu", Some(t))
        .await;
    assert_eq!(listed.body["total"], 1, "acted once: {}", listed.body);

    let mut other = body.clone();
    other["birth_year"] = json!(1971);
    send(other, "tao-tu-1")
        .await
        .assert_problem(422, "idempotency_key_reused");
    let listed = app
        .get_json("/api/v1/people?q=hoang%20van%20tu", Some(t))
        .await;
    assert_eq!(listed.body["total"], 1);
    // Keys belong to their caller: another account's same key is a new request.
    let colleague = app.sign_in("ba-dinh-2", "commune_officer", BADINH).await;
    let theirs = app
        .send(
            app.request(Method::POST, "/api/v1/people", colleague.token())
                .header("Idempotency-Key", "tao-tu-1")
                .json(&json!({"full_name": "Hoàng Văn Tám", "gender": "male", "birth_year": 1972, "commune_code": BADINH})),
        )
        .await;
    theirs.assert_status(201);
    assert!(theirs.header("idempotency-replayed").is_none());
    // Concurrent duplicates: one acts, the other is refused as in flight or replays its answer.
    for (n, given) in NAMES.iter().take(4).enumerate() {
        let body = json!({"full_name": format!("Trùng Lặp {given}"), "gender": "male", "birth_year": 1975, "commune_code": BADINH});
        let key = format!("dong-thoi-{n}");
        let send = || {
            app.send(
                app.request(Method::POST, "/api/v1/people", Some(t))
                    .header("Idempotency-Key", key.as_str())
                    .json(&body),
            )
        };
        let (a, b) = tokio::join!(send(), send());
        let outcomes: Vec<(u16, Option<&str>, Value)> = [&a, &b]
            .iter()
            .map(|r| {
                (
                    r.status,
                    r.header("idempotency-replayed"),
                    r.body["code"].clone(),
                )
            })
            .collect();
        let acted = outcomes
            .iter()
            .filter(|(s, replayed, _)| *s == 201 && replayed.is_none())
            .count();
        assert_eq!(acted, 1, "exactly one acted: {outcomes:?}");
        assert!(
            outcomes.iter().all(|(s, replayed, code)| (*s == 201)
                || (*s == 409 && code == "idempotency_key_in_flight" && replayed.is_none())),
            "{outcomes:?}"
        );
        let listed = app
            .send(
                app.request(Method::GET, "/api/v1/people", Some(t))
                    .query(&[("q", format!("Trùng Lặp {given}"))]),
            )
            .await;
        assert_eq!(listed.body["total"], 1, "{}", listed.body);
    }
    // Answers holding tokens are never stored: the key is ignored at login.
    let login = |_: ()| {
        app.send(
            app.request(Method::POST, "/api/v1/auth/login", None)
                .header("Idempotency-Key", "dang-nhap")
                .json(&json!({"username": "ba-dinh", "password": tests::PASSWORD})),
        )
    };
    let (first_login, second_login) = (login(()).await, login(()).await);
    second_login.assert_status(200);
    assert!(second_login.header("idempotency-replayed").is_none());
    assert_ne!(
        first_login.body["access_token"],
        second_login.body["access_token"]
    );
    // A malformed key is refused.
    app.send(
        app.request(Method::POST, "/api/v1/people", Some(t))
            .header("Idempotency-Key", "")
            .json(&body),
    )
    .await
    .assert_problem(400, "bad_request");
}

async fn a_stale_if_match_is_refused_with_412_naming_the_current_version(app: &TestApp) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token().unwrap_or_default();
    let body = json!({"full_name": "Ngô Thị Thu", "gender": "female", "birth_year": 1988, "commune_code": BADINH});
    let created = app.post_json("/api/v1/people", Some(t), &body).await;
    created.assert_status(201);
    let id = created.body["id"].as_str().expect("an id").to_string();
    let path = format!("/api/v1/people/{id}");
    let read = app.get_json(&path, Some(t)).await;
    assert_eq!(read.header("etag"), Some("\"1\""));

    let mut edit = body.clone();
    edit["occupation"] = json!("Nông dân");
    let ok = app
        .send(
            app.request(Method::PUT, &path, Some(t))
                .header("If-Match", "\"1\"")
                .json(&edit),
        )
        .await;
    ok.assert_status(200);
    assert_eq!(ok.header("etag"), Some("\"2\""));

    edit["occupation"] = json!("Thợ may");
    let stale = app
        .send(
            app.request(Method::PUT, &path, Some(t))
                .header("If-Match", "\"1\"")
                .json(&edit),
        )
        .await;
    stale.assert_problem(412, "precondition_failed");
    assert_eq!(stale.body["current_version"], 2);
    assert_eq!(stale.header("etag"), Some("\"2\""));
    let after = app.get_json(&path, Some(t)).await;
    assert_eq!(
        after.body["occupation"], "Nông dân",
        "the stale write changed nothing"
    );
    assert_eq!(after.body["version"], 2);
    // A weak tag never matches If-Match; a write without If-Match is allowed.
    app.send(
        app.request(Method::PUT, &path, Some(t))
            .header("If-Match", "W/\"2\"")
            .json(&edit),
    )
    .await
    .assert_problem(412, "precondition_failed");
    app.send(app.request(Method::PUT, &path, Some(t)).json(&edit))
        .await
        .assert_status(200);
    // Stale deletes are refused too.
    app.send(
        app.request(Method::DELETE, &path, Some(t))
            .header("If-Match", "\"2\""),
    )
    .await
    .assert_problem(412, "precondition_failed");
}

async fn of_two_concurrent_writes_with_the_same_if_match_only_one_succeeds(app: &TestApp) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token().unwrap_or_default();
    for given in NAMES.iter().take(5) {
        let body = json!({"full_name": format!("Song Song {given}"), "gender": "female", "birth_year": 1991, "commune_code": BADINH});
        let created = app.post_json("/api/v1/people", Some(t), &body).await;
        let path = format!(
            "/api/v1/people/{}",
            created.body["id"].as_str().expect("an id")
        );
        let write = |occupation: &'static str| {
            let mut edit = body.clone();
            edit["occupation"] = json!(occupation);
            app.send(
                app.request(Method::PUT, &path, Some(t))
                    .header("If-Match", "\"1\"")
                    .json(&edit),
            )
        };
        let (a, b) = tokio::join!(write("Thợ mộc"), write("Thợ may"));
        let mut statuses = [a.status, b.status];
        statuses.sort_unstable();
        assert_eq!(statuses, [200, 412], "{} / {}", a.body, b.body);
        let loser = if a.status == 412 { &a } else { &b };
        assert_eq!(loser.body["code"], "precondition_failed");
        assert_eq!(loser.body["current_version"], 2);
        let after = app.get_json(&path, Some(t)).await;
        assert_eq!(after.body["version"], 2, "exactly one write happened");
    }
}

async fn the_feed_skips_and_repeats_nothing_under_concurrent_writers(app: &TestApp) {
    const WRITERS: usize = 4;
    const EACH: usize = 12;
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token().unwrap_or_default().to_string();
    let reader = app.sign_in("xem", "viewer", "VN").await;
    let r = reader.token().unwrap_or_default().to_string();
    let (_, start) = drain(app, &r, "", 1000).await;

    let writers = async {
        let mut tasks = Vec::new();
        for writer in NAMES.iter().take(WRITERS) {
            let t = t.clone();
            tasks.push(async move {
                let mut ids = Vec::new();
                for (i, given) in NAMES.iter().take(EACH).enumerate() {
                    let body = json!({"full_name": format!("Người Viết {writer} {given}"), "gender": "male", "birth_year": 1960 + i as i32, "commune_code": BADINH});
                    let created = app.post_json("/api/v1/people", Some(&t), &body).await;
                    created.assert_status(201);
                    let id = created.body["id"].as_str().expect("an id").to_string();
                    let mut edit = body.clone();
                    edit["occupation"] = json!("Thợ");
                    put_json(app, &format!("/api/v1/people/{id}"), &t, &edit).await.assert_status(200);
                    ids.push(id);
                }
                ids
            });
        }
        futures_join(tasks).await
    };
    let done = std::sync::atomic::AtomicBool::new(false);
    let reading = async {
        let mut cursor = start.clone();
        let mut seen: Vec<Value> = Vec::new();
        loop {
            let finished = done.load(std::sync::atomic::Ordering::SeqCst);
            let (page, next) = drain(app, &r, &cursor, 7).await;
            cursor = next;
            seen.extend(page);
            if finished {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        }
    };
    let writes = async {
        let ids = writers.await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        ids
    };
    let (ids, seen) = tokio::join!(writes, reading);
    let ids: Vec<String> = ids.into_iter().flatten().collect();
    assert_eq!(ids.len(), WRITERS * EACH);

    let cursors: Vec<i64> = seen
        .iter()
        .map(|c| {
            c["cursor"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("a numeric cursor")
        })
        .collect();
    assert!(
        cursors.windows(2).all(|w| w[0] < w[1]),
        "strictly in commit order, never repeated"
    );
    for id in &ids {
        let of_it: Vec<(&str, i64)> = seen
            .iter()
            .filter(|c| c["id"] == id.as_str())
            .map(|c| {
                (
                    c["kind"].as_str().unwrap_or_default(),
                    c["version"].as_i64().unwrap_or_default(),
                )
            })
            .collect();
        assert_eq!(
            of_it,
            [("created", 1), ("updated", 2)],
            "each change of {id} seen exactly once, in order"
        );
    }
    let (rest, _) = drain(
        app,
        &r,
        &cursors.last().copied().unwrap_or_default().to_string(),
        1000,
    )
    .await;
    assert!(
        rest.is_empty(),
        "nothing was left behind the reader: {rest:?}"
    );
}

/// Runs futures concurrently and collects their outputs in order.
async fn futures_join<F: std::future::Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, out) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *out = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}

async fn client_calls_are_audited_under_the_client_id(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let (id, secret) = register(
        app,
        admin.token().unwrap_or_default(),
        "01",
        &ALL_OPERATIONS,
    )
    .await;
    let t = token(app, &id, &secret).await;
    let pushed = put_json(
        app,
        SYNC_PEOPLE,
        &t,
        &json!({"items": [person("HN-9", "Đinh Thị Yến", BADINH)]}),
    )
    .await;
    let person_id = pushed.body["items"][0]["id"]
        .as_str()
        .expect("created")
        .to_string();
    let audit = app
        .get_json(
            &format!("/api/v1/audit?resource_id={person_id}"),
            admin.token(),
        )
        .await;
    audit.assert_status(200);
    let create = audit.body["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["action"] == "person.create")
        .unwrap_or_else(|| panic!("the creation is audited: {}", audit.body));
    assert_eq!(create["actor_user_id"], id.as_str());
    let calls = app
        .get_json(
            &format!("/api/v1/audit?action=api_client.call&resource_id={id}"),
            admin.token(),
        )
        .await;
    assert!(
        calls.body["total"].as_u64().is_some_and(|n| n >= 1),
        "{}",
        calls.body
    );
}

async fn the_example_client_pushes_updates_and_pulls(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let (id, secret) = register(
        app,
        admin.token().unwrap_or_default(),
        "01",
        &ALL_OPERATIONS,
    )
    .await;
    let summary = provincial_client::run(&provincial_client::Config {
        base_url: app.url(""),
        client_id: id,
        client_secret: secret,
        commune_code: Some(BADINH.to_string()),
        people: 25,
        batch_size: 10,
    })
    .await
    .unwrap_or_else(|e| panic!("the example client runs: {e:#}"));
    assert_eq!(summary.created, 25);
    assert_eq!(
        summary.unchanged, 25,
        "pushing the same people again changes nothing"
    );
    assert_eq!(summary.updated, 1);
    assert_eq!(summary.rejected, 0);
    assert!(summary.changes_pulled >= 26, "{summary:?}");
}

mod rate_limit {
    use super::*;

    async fn scenario(app: &TestApp) {
        let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
        let (id, secret) = register(
            app,
            admin.token().unwrap_or_default(),
            "01",
            &ALL_OPERATIONS,
        )
        .await;
        let t = token(app, &id, &secret).await;
        for _ in 0..3 {
            app.get_json(CHANGES, Some(&t)).await.assert_status(200);
        }
        let limited = app.get_json(CHANGES, Some(&t)).await;
        limited.assert_problem(429, "too_many_requests");
        let wait: u64 = limited
            .header("retry-after")
            .and_then(|v| v.parse().ok())
            .expect("Retry-After in seconds");
        assert!((1..=10).contains(&wait), "{wait}");
        // Another client has its own bucket; accounts are not limited by it.
        let (other, other_secret) = register(
            app,
            admin.token().unwrap_or_default(),
            "79",
            &ALL_OPERATIONS,
        )
        .await;
        let other = token(app, &other, &other_secret).await;
        app.get_json(CHANGES, Some(&other)).await.assert_status(200);
        app.get_json(CHANGES, admin.token())
            .await
            .assert_status(200);
    }

    fn limits(settings: &mut api::configuration::Settings) {
        settings.client_burst = 3;
        settings.client_rate_per_sec = 0.2;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite_a_client_over_its_rate_limit_gets_429_with_retry_after() {
        let app = TestApp::spawn_with(Backend::Sqlite, limits).await;
        scenario(&app).await;
        app.stop().await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres_a_client_over_its_rate_limit_gets_429_with_retry_after() {
        match TestApp::spawn_if_available(Backend::Postgres).await {
            None => return,
            Some(probe) => probe.stop().await,
        }
        let app = TestApp::spawn_with(Backend::Postgres, limits).await;
        scenario(&app).await;
        app.stop().await;
    }
}

async fn people_written_by_a_bulk_import_reach_the_feed_once_each(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let (id, secret) = register(
        app,
        admin.token().expect("a token"),
        "01",
        &["people:read", "changes:read"],
    )
    .await;
    let client = token(app, &id, &secret).await;
    let (_, start) = drain(app, &client, "0", 1000).await;

    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let csv = "Họ và tên,Giới tính,Năm sinh,Số định danh cá nhân,Mã xã\n\
               Lê Văn Một,Nam,1980,001080000101,00004\n\
               Lê Thị Hai,Nữ,1982,001182000102,00004\n\
               Lê Văn Ba,Nam,1984,001084000103,00004\n";
    let done = crate::import::import(
        app,
        officer.token(),
        "ds.csv",
        csv.as_bytes().to_vec(),
        "valid_only",
    )
    .await;
    let written: std::collections::BTreeSet<String> =
        crate::import::outcomes(app, officer.token(), &done)
            .await
            .iter()
            .filter(|o| o["status"] == "created")
            .filter_map(|o| o["person_id"].as_str().map(str::to_string))
            .collect();
    assert_eq!(written.len(), 3, "{done}");

    let (changes, _) = drain(app, &client, &start, 2).await;
    let created: Vec<String> = changes
        .iter()
        .filter(|c| c["resource_type"] == "person" && c["kind"] == "created")
        .filter_map(|c| c["id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(
        created
            .iter()
            .cloned()
            .collect::<std::collections::BTreeSet<_>>(),
        written,
        "every imported person is in the feed: {changes:?}"
    );
    assert_eq!(created.len(), 3, "once each: {changes:?}");
    assert!(
        changes
            .iter()
            .filter(|c| c["resource_type"] == "person")
            .all(|c| c["version"] == 1 && c["unit"] == BADINH),
        "{changes:?}"
    );
}

async fn accounts_have_an_etag_and_refuse_a_stale_if_match(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let created = app
        .post_json(
            "/api/v1/users",
            admin.token(),
            &json!({
                "username": "hn.tinh",
                "password": tests::PASSWORD,
                "role": "province_officer",
                "unit": "01",
            }),
        )
        .await;
    created.assert_status(201);
    let path = format!(
        "/api/v1/users/{}",
        created.body["id"].as_str().expect("an id")
    );
    let read = app.get_json(&path, admin.token()).await;
    assert_eq!(read.header("etag"), Some("\"1\""));
    let renamed = app
        .send(
            app.request(Method::PATCH, &path, admin.token())
                .header("If-Match", "\"1\"")
                .json(&json!({"full_name": "Trần Văn Tỉnh"})),
        )
        .await;
    renamed.assert_status(200);
    assert_eq!(renamed.header("etag"), Some("\"2\""));
    let stale = app
        .send(
            app.request(Method::PATCH, &path, admin.token())
                .header("If-Match", "\"1\"")
                .json(&json!({"full_name": "Người khác"})),
        )
        .await;
    stale.assert_problem(412, "precondition_failed");
    assert_eq!(stale.body["current_version"], 2);
    let after = app.get_json(&path, admin.token()).await;
    assert_eq!(after.body["full_name"], "Trần Văn Tỉnh");
}
