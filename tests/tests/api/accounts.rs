//! `/api/v1/users`: accounts are managed only within the caller's unit and only for lower roles.

use serde_json::{Value, json};
use std::collections::BTreeSet;
use tests::{PASSWORD, Session, TestApp};

tests::on_both_backends!(
    a_central_admin_creates_a_province_officer,
    a_province_officer_creates_commune_officers_only_in_its_province,
    a_commune_officer_cannot_manage_accounts_of_another_province,
    branch_officers_and_viewers_cannot_manage_accounts,
    the_account_list_is_scoped_to_the_callers_unit,
    a_role_must_fit_its_unit,
    unknown_units_are_refused_naming_unit,
    invalid_account_bodies_are_refused_naming_the_field,
    a_taken_username_is_a_conflict,
    an_officer_cannot_promote_or_move_an_account_beyond_its_reach,
    disabling_an_account_ends_its_sessions_and_logins,
    resetting_a_password_replaces_the_old_one_and_ends_sessions,
    unknown_account_ids_are_not_found,
);

const USERS: &str = "/api/v1/users";

fn new_account(username: &str, role: &str, unit: &str) -> Value {
    json!({
        "username": username,
        "password": PASSWORD,
        "role": role,
        "unit": unit,
        "full_name": "Nguyễn Văn A",
    })
}

async fn create(
    app: &TestApp,
    by: &Session,
    username: &str,
    role: &str,
    unit: &str,
) -> tests::ApiResponse {
    app.post_json(USERS, by.token(), &new_account(username, role, unit))
        .await
}

/// The code of a commune of province `province` other than `except`, read from the API.
async fn a_commune_of(app: &TestApp, province: &str, except: &str) -> String {
    let response = app
        .get_json(
            &format!("/api/v1/admin-units/provinces/{province}/communes"),
            None,
        )
        .await;
    response.assert_status(200);
    response
        .items()
        .iter()
        .filter_map(|c| c["code"].as_str())
        .find(|code| *code != except)
        .unwrap_or_else(|| panic!("province {province} has communes"))
        .to_string()
}

fn usernames(page: &Value) -> BTreeSet<String> {
    page["items"]
        .as_array()
        .expect("a page has items")
        .iter()
        .filter_map(|u| u["username"].as_str().map(str::to_string))
        .collect()
}

async fn a_central_admin_creates_a_province_officer(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let response = create(app, &admin, "hn.province", "province_officer", "01").await;
    response.assert_status(201);
    let user = &response.body;
    assert_eq!(user["username"], "hn.province");
    assert_eq!(user["role"], "province_officer");
    assert_eq!(user["unit"]["code"], "01");
    assert_eq!(user["unit"]["name"], "Thành phố Hà Nội");
    assert_eq!(user["unit"]["level"], "province");
    assert_eq!(user["full_name"], "Nguyễn Văn A");
    assert_eq!(user["active"], true);
    assert!(user.get("password").is_none() && user.get("password_hash").is_none());
    let id = user["id"].as_str().expect("an id");
    assert_eq!(
        response.header("location"),
        Some(format!("/api/v1/users/{id}").as_str())
    );

    let fetched = app.get_json(&format!("{USERS}/{id}"), admin.token()).await;
    fetched.assert_status(200);
    assert_eq!(&fetched.body, user);

    let tokens = app.login("hn.province", PASSWORD).await;
    let me = app
        .get_json("/api/v1/auth/me", Some(&tokens.access_token))
        .await;
    assert_eq!(me.body["id"], id);
}

async fn a_province_officer_creates_commune_officers_only_in_its_province(app: &TestApp) {
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let created = create(app, &hanoi, "hn.badinh", "commune_officer", "00004").await;
    created.assert_status(201);
    assert_eq!(created.body["unit"]["code"], "00004");
    assert_eq!(created.body["unit"]["name"], "Phường Ba Đình");

    let saigon_commune = a_commune_of(app, "79", "").await;
    let detail = app
        .get_json(&format!("/api/v1/admin-units/{saigon_commune}"), None)
        .await;
    detail.assert_status(200);
    assert_eq!(detail.body["province_code"], "79");

    let refused = [
        ("hcm.commune", "commune_officer", saigon_commune.as_str()),
        ("hcm.viewer", "viewer", "79"),
        ("hn.province2", "province_officer", "01"),
        ("hcm.province", "province_officer", "79"),
        ("central2", "central_admin", "VN"),
    ];
    for (username, role, unit) in refused {
        let response = create(app, &hanoi, username, role, unit).await;
        assert_eq!(response.status, 403, "{role} in {unit}: {}", response.body);
        response.assert_problem(403, "forbidden");
    }
    let list = app.get_json(USERS, hanoi.token()).await;
    assert_eq!(
        usernames(&list.body),
        BTreeSet::from(["hn.badinh".to_string(), "hn.province".to_string()]),
        "nothing refused was created"
    );
}

async fn a_commune_officer_cannot_manage_accounts_of_another_province(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let saigon_commune = a_commune_of(app, "79", "").await;
    let hanoi_commune = a_commune_of(app, "01", "00004").await;

    let allowed = create(app, &badinh, "hn.badinh.branch", "branch_officer", "00004").await;
    allowed.assert_status(201);

    let refused = [
        ("hcm.viewer", "viewer", saigon_commune.as_str()),
        ("hcm.branch", "branch_officer", saigon_commune.as_str()),
        ("hn.other.viewer", "viewer", hanoi_commune.as_str()),
        ("hn.viewer", "viewer", "01"),
        ("hn.badinh.commune", "commune_officer", "00004"),
    ];
    for (username, role, unit) in refused {
        let response = create(app, &badinh, username, role, unit).await;
        assert_eq!(response.status, 403, "{role} in {unit}: {}", response.body);
        response.assert_problem(403, "forbidden");
    }

    for (username, unit) in [
        ("hcm.branch", saigon_commune.as_str()),
        ("hn.other.branch", hanoi_commune.as_str()),
    ] {
        let outside = create(app, &admin, username, "branch_officer", unit).await;
        outside.assert_status(201);
        let path = format!("{USERS}/{}", outside.body["id"].as_str().expect("an id"));
        app.get_json(&path, badinh.token())
            .await
            .assert_problem(403, "forbidden");
        app.patch_json(&path, badinh.token(), &json!({"full_name": "Taken over"}))
            .await
            .assert_problem(403, "forbidden");
        app.patch_json(&path, badinh.token(), &json!({"unit": "00004"}))
            .await
            .assert_problem(403, "forbidden");
        app.post_json(
            &format!("{path}/password"),
            badinh.token(),
            &json!({"new_password": "một mật khẩu mới 2026"}),
        )
        .await
        .assert_problem(403, "forbidden");
        let unchanged = app.get_json(&path, admin.token()).await;
        assert_eq!(unchanged.body["full_name"], "Nguyễn Văn A");
        assert_eq!(unchanged.body["unit"]["code"], unit);
    }
    app.login("hcm.branch", PASSWORD).await;
}

async fn branch_officers_and_viewers_cannot_manage_accounts(app: &TestApp) {
    let branch = app.sign_in("hn.branch", "branch_officer", "00004").await;
    let viewer = app.sign_in("hn.viewer", "viewer", "01").await;
    for session in [&branch, &viewer] {
        app.get_json(USERS, session.token())
            .await
            .assert_problem(403, "forbidden");
        app.get_json(&format!("{USERS}/{}", session.id()), session.token())
            .await
            .assert_problem(403, "forbidden");
        create(app, session, "hn.viewer2", "viewer", "00004")
            .await
            .assert_problem(403, "forbidden");
    }
    app.get_json(USERS, None)
        .await
        .assert_problem(401, "invalid_token");
}

async fn the_account_list_is_scoped_to_the_callers_unit(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let saigon_commune = a_commune_of(app, "79", "").await;
    for (username, role, unit) in [
        ("hn.viewer", "viewer", "01"),
        ("hn.badinh.branch", "branch_officer", "00004"),
        ("hcm.province", "province_officer", "79"),
        ("hcm.commune", "commune_officer", saigon_commune.as_str()),
        ("hcm.viewer", "viewer", "79"),
    ] {
        create(app, &admin, username, role, unit)
            .await
            .assert_status(201);
    }
    let names =
        |list: &[&str]| -> BTreeSet<String> { list.iter().map(|s| s.to_string()).collect() };

    let all = app.get_json(USERS, admin.token()).await;
    all.assert_status(200);
    assert_eq!(all.body["total"], 8);
    assert_eq!(all.body["page"], 1);
    assert_eq!(all.body["per_page"], 50);

    let in_hanoi = app.get_json(USERS, hanoi.token()).await;
    in_hanoi.assert_status(200);
    assert_eq!(
        usernames(&in_hanoi.body),
        names(&["hn.badinh", "hn.badinh.branch", "hn.province", "hn.viewer"])
    );
    assert_eq!(in_hanoi.body["total"], 4);
    let searched = app.get_json(&format!("{USERS}?q=hcm"), hanoi.token()).await;
    assert_eq!(
        usernames(&searched.body),
        BTreeSet::new(),
        "no account of 79 leaks"
    );
    let by_unit = app
        .get_json(&format!("{USERS}?unit=79"), hanoi.token())
        .await;
    assert_eq!(by_unit.body["total"], 0);

    let in_badinh = app.get_json(USERS, badinh.token()).await;
    assert_eq!(
        usernames(&in_badinh.body),
        names(&["hn.badinh", "hn.badinh.branch"])
    );

    let officers = app
        .get_json(&format!("{USERS}?role=province_officer"), admin.token())
        .await;
    assert_eq!(
        usernames(&officers.body),
        names(&["hcm.province", "hn.province"])
    );

    let paged = app
        .get_json(&format!("{USERS}?per_page=3&page=2"), admin.token())
        .await;
    assert_eq!(paged.body["total"], 8);
    assert_eq!(paged.body["per_page"], 3);
    assert_eq!(
        usernames(&paged.body),
        names(&["hcm.viewer", "hn.badinh", "hn.badinh.branch"])
    );
}

async fn a_role_must_fit_its_unit(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let cases = [
        ("province_officer", "00004"),
        ("province_officer", "VN"),
        ("commune_officer", "01"),
        ("commune_officer", "VN"),
        ("branch_officer", "01"),
        ("branch_officer", "VN"),
    ];
    for (role, unit) in cases {
        let response = create(app, &admin, "misfit", role, unit).await;
        assert_eq!(response.status, 422, "{role} in {unit}: {}", response.body);
        response.assert_invalid_field("unit");
    }
    for unit in ["VN", "01", "00004"] {
        let username = format!("viewer.{}", unit.to_lowercase());
        create(app, &admin, &username, "viewer", unit)
            .await
            .assert_status(201);
    }
}

async fn unknown_units_are_refused_naming_unit(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let cases = [
        ("province_officer", "99"),
        ("commune_officer", "99999"),
        ("viewer", "00000"),
        ("viewer", "123"),
        ("viewer", "Hà Nội"),
    ];
    for (role, unit) in cases {
        let response = create(app, &admin, "lost", role, unit).await;
        assert_eq!(response.status, 422, "{role} in {unit}: {}", response.body);
        response.assert_invalid_field("unit");
    }
}

async fn invalid_account_bodies_are_refused_naming_the_field(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let valid = new_account("hn.province", "province_officer", "01");
    let with = |field: &str, value: Value| {
        let mut body = valid.clone();
        body[field] = value;
        body
    };
    let without = |field: &str| {
        let mut body = valid.clone();
        body.as_object_mut().expect("an object").remove(field);
        body
    };
    let cases = [
        (
            "short password",
            with("password", json!("short")),
            "password",
        ),
        (
            "one repeated character",
            with("password", json!("xxxxxxxxxxxx")),
            "password",
        ),
        (
            "password too long",
            with("password", json!("a1".repeat(65))),
            "password",
        ),
        ("unknown role", with("role", json!("king")), "role"),
        (
            "capital letters",
            with("username", json!("HN.Province")),
            "username",
        ),
        (
            "space in username",
            with("username", json!("hn province")),
            "username",
        ),
        (
            "username too short",
            with("username", json!("hn")),
            "username",
        ),
        (
            "username starting with a dot",
            with("username", json!(".hn")),
            "username",
        ),
        ("malformed unit", with("unit", json!("1")), "unit"),
        (
            "full name too long",
            with("full_name", json!("A".repeat(201))),
            "full_name",
        ),
        ("missing username", without("username"), "username"),
        ("missing password", without("password"), "password"),
        ("missing role", without("role"), "role"),
        ("missing unit", without("unit"), "unit"),
        ("role of the wrong type", with("role", json!(5)), "role"),
        (
            "username of the wrong type",
            with("username", json!(["hn"])),
            "username",
        ),
        (
            "password of the wrong type",
            with("password", json!(null)),
            "password",
        ),
    ];
    for (case, body, field) in cases {
        let response = app.post_json(USERS, admin.token(), &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let list = app.get_json(USERS, admin.token()).await;
    assert_eq!(list.body["total"], 1, "nothing was created: {}", list.body);
}

async fn a_taken_username_is_a_conflict(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    create(app, &admin, "hn.province", "province_officer", "01")
        .await
        .assert_status(201);
    let again = create(app, &admin, "hn.province", "viewer", "79").await;
    again.assert_problem(409, "conflict");
    let operator = create(app, &admin, "central", "viewer", "VN").await;
    operator.assert_problem(409, "conflict");
    let list = app.get_json(USERS, admin.token()).await;
    assert_eq!(list.body["total"], 2);
}

async fn an_officer_cannot_promote_or_move_an_account_beyond_its_reach(app: &TestApp) {
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let created = create(app, &hanoi, "hn.badinh", "commune_officer", "00004").await;
    created.assert_status(201);
    let path = format!("{USERS}/{}", created.body["id"].as_str().expect("an id"));

    let refused = [
        json!({"role": "province_officer", "unit": "01"}),
        json!({"unit": a_commune_of(app, "79", "").await}),
        json!({"role": "viewer", "unit": "79"}),
    ];
    for body in refused {
        app.patch_json(&path, hanoi.token(), &body)
            .await
            .assert_problem(403, "forbidden");
    }
    let own = app
        .patch_json(
            &format!("{USERS}/{}", hanoi.id()),
            hanoi.token(),
            &json!({"full_name": "Tự sửa"}),
        )
        .await;
    own.assert_problem(403, "forbidden");

    app.patch_json(
        &path,
        hanoi.token(),
        &json!({"role": "commune_officer", "unit": "01"}),
    )
    .await
    .assert_invalid_field("unit");
    app.patch_json(&path, hanoi.token(), &json!({"role": "king"}))
        .await
        .assert_invalid_field("role");

    let moved = app
        .patch_json(
            &path,
            hanoi.token(),
            &json!({"role": "viewer", "unit": "01", "full_name": "Trần Thị B"}),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["role"], "viewer");
    assert_eq!(moved.body["unit"]["code"], "01");
    assert_eq!(moved.body["full_name"], "Trần Thị B");
}

async fn disabling_an_account_ends_its_sessions_and_logins(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let officer = app.sign_in("hn.province", "province_officer", "01").await;
    app.get_json("/api/v1/auth/me", officer.token())
        .await
        .assert_status(200);

    let path = format!("{USERS}/{}", officer.id());
    let disabled = app
        .patch_json(&path, admin.token(), &json!({"active": false}))
        .await;
    disabled.assert_status(200);
    assert_eq!(disabled.body["active"], false);
    assert_eq!(disabled.body["role"], "province_officer");

    app.get_json("/api/v1/auth/me", officer.token())
        .await
        .assert_problem(401, "invalid_token");
    app.get_json(USERS, officer.token())
        .await
        .assert_problem(401, "invalid_token");
    app.try_login("hn.province", PASSWORD)
        .await
        .assert_problem(401, "invalid_credentials");
    app.post_json(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": officer.tokens.refresh_token}),
    )
    .await
    .assert_problem(401, "invalid_token");
    let listed = app
        .get_json(&format!("{USERS}?active=false"), admin.token())
        .await;
    assert_eq!(
        usernames(&listed.body),
        BTreeSet::from(["hn.province".to_string()])
    );

    app.patch_json(&path, admin.token(), &json!({"active": true}))
        .await
        .assert_status(200);
    app.login("hn.province", PASSWORD).await;
}

async fn resetting_a_password_replaces_the_old_one_and_ends_sessions(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let officer = app.sign_in("hn.province", "province_officer", "01").await;
    let path = format!("{USERS}/{}/password", officer.id());

    app.post_json(&path, admin.token(), &json!({"new_password": "short"}))
        .await
        .assert_invalid_field("new_password");
    app.login("hn.province", PASSWORD).await;

    let new_password = "mật khẩu do quản trị đặt";
    app.post_json(&path, admin.token(), &json!({"new_password": new_password}))
        .await
        .assert_status(204);
    app.try_login("hn.province", PASSWORD)
        .await
        .assert_problem(401, "invalid_credentials");
    app.get_json("/api/v1/auth/me", officer.token())
        .await
        .assert_problem(401, "invalid_token");
    app.post_json(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": officer.tokens.refresh_token}),
    )
    .await
    .assert_problem(401, "invalid_token");
    let tokens = app.login("hn.province", new_password).await;
    let me = app
        .get_json("/api/v1/auth/me", Some(&tokens.access_token))
        .await;
    assert_eq!(me.body["username"], "hn.province");
}

async fn unknown_account_ids_are_not_found(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let unknown = uuid::Uuid::new_v4();
    app.get_json(&format!("{USERS}/{unknown}"), admin.token())
        .await
        .assert_problem(404, "not_found");
    app.patch_json(
        &format!("{USERS}/{unknown}"),
        admin.token(),
        &json!({"active": false}),
    )
    .await
    .assert_problem(404, "not_found");
    app.get_json(&format!("{USERS}/not-a-uuid"), admin.token())
        .await
        .assert_problem(404, "not_found");
}
