//! `/api/v1/villages`: villages and residential groups are kept by commune officers and above,
//! each within their unit, and read by everyone in it.

use serde_json::{Value, json};
use tests::{ApiResponse, Session, TestApp};

tests::on_both_backends!(
    a_commune_officer_creates_a_village_in_their_commune,
    villages_are_listed_by_commune_and_found_without_diacritics,
    a_village_is_renamed_changes_kind_and_is_deactivated,
    a_province_officer_moves_a_village_only_within_the_province,
    a_commune_officer_cannot_see_or_touch_villages_of_another_commune,
    viewers_and_branch_officers_read_villages_but_cannot_change_them,
    invalid_village_bodies_are_refused_naming_the_field,
    invalid_village_changes_are_refused_naming_the_field,
    a_village_name_of_white_space_only_is_refused_naming_name,
    unknown_village_ids_are_not_found,
    changes_to_a_village_are_written_to_the_audit_log,
);

const VILLAGES: &str = "/api/v1/villages";

/// A commune of Hồ Chí Minh City (province `79`).
const SAIGON_COMMUNE: &str = "25747";

async fn create(
    app: &TestApp,
    by: &Session,
    commune_code: &str,
    name: &str,
    kind: &str,
) -> ApiResponse {
    app.post_json(
        VILLAGES,
        by.token(),
        &json!({"commune_code": commune_code, "name": name, "kind": kind}),
    )
    .await
}

/// Creates a village and returns it; panics unless that succeeds.
async fn village(app: &TestApp, by: &Session, commune_code: &str, name: &str, kind: &str) -> Value {
    let response = create(app, by, commune_code, name, kind).await;
    response.assert_status(201);
    response.body
}

fn path_of(village: &Value) -> String {
    format!(
        "{VILLAGES}/{}",
        village["id"].as_str().expect("a village has an id")
    )
}

/// The names of a page of villages, in order.
fn names(page: &ApiResponse) -> Vec<String> {
    page.assert_status(200);
    page.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {}", page.body))
        .iter()
        .filter_map(|v| v["name"].as_str().map(str::to_string))
        .collect()
}

async fn a_commune_officer_creates_a_village_in_their_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    // Decomposed (NFD) marks and stray white space, as some keyboards and pastes send them.
    let typed = "  Tho\u{0302}n   \u{0110}o\u{0302}ng ";
    assert_ne!(typed.trim(), "Thôn Đông");
    let response = create(app, &badinh, "00004", typed, "thon").await;
    response.assert_status(201);
    let created = &response.body;
    assert_eq!(created["name"], "Thôn Đông", "the name is stored in NFC");
    assert_eq!(created["kind"], "thon");
    assert_eq!(created["commune_code"], "00004");
    assert_eq!(created["province_code"], "01");
    assert_eq!(created["status"], "active");
    assert_eq!(created["version"], 1);
    let id = created["id"].as_str().expect("an id");
    assert!(uuid::Uuid::parse_str(id).is_ok(), "the id is a UUID: {id}");

    let fetched = app.get_json(&path_of(created), badinh.token()).await;
    fetched.assert_status(200);
    assert_eq!(&fetched.body, created);
}

async fn villages_are_listed_by_commune_and_found_without_diacritics(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    village(app, &badinh, "00004", "Tổ dân phố số 3", "to_dan_pho").await;
    village(app, &badinh, "00004", "Thôn Đông", "thon").await;
    village(app, &hanoi, "00008", "Thôn Đoài", "thon").await;

    let own = app.get_json(VILLAGES, badinh.token()).await;
    assert_eq!(names(&own), ["Thôn Đông", "Tổ dân phố số 3"]);
    assert_eq!(own.body["total"], 2);
    assert_eq!(own.body["page"], 1);
    assert_eq!(own.body["per_page"], 50);
    let first = &own.body["items"][0];
    assert_eq!(first["commune_code"], "00004");
    assert_eq!(first["province_code"], "01");
    assert_eq!(first["kind"], "thon");

    let by_commune = app
        .get_json(&format!("{VILLAGES}?commune_code=00004"), badinh.token())
        .await;
    assert_eq!(names(&by_commune), ["Thôn Đông", "Tổ dân phố số 3"]);
    assert_eq!(by_commune.body["total"], 2);

    for query in ["dong", "DONG", "thon%20dong", "Đông"] {
        let found = app
            .get_json(&format!("{VILLAGES}?q={query}"), badinh.token())
            .await;
        assert_eq!(names(&found), ["Thôn Đông"], "q={query}");
        assert_eq!(found.body["total"], 1, "q={query}");
    }

    let province = app.get_json(VILLAGES, hanoi.token()).await;
    assert_eq!(
        names(&province),
        ["Thôn Đông", "Tổ dân phố số 3", "Thôn Đoài"],
        "a province lists its communes' villages, by commune then name"
    );
    let other_commune = app
        .get_json(&format!("{VILLAGES}?commune_code=00008"), hanoi.token())
        .await;
    assert_eq!(names(&other_commune), ["Thôn Đoài"]);
    let searched = app
        .get_json(
            &format!("{VILLAGES}?q=thon&commune_code=00008"),
            hanoi.token(),
        )
        .await;
    assert_eq!(names(&searched), ["Thôn Đoài"]);

    let paged = app
        .get_json(&format!("{VILLAGES}?per_page=2&page=2"), hanoi.token())
        .await;
    assert_eq!(names(&paged), ["Thôn Đoài"]);
    assert_eq!(paged.body["total"], 3);
    assert_eq!(paged.body["per_page"], 2);
}

async fn a_village_is_renamed_changes_kind_and_is_deactivated(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let created = village(app, &badinh, "00004", "Thôn Đông", "thon").await;
    let path = path_of(&created);

    let renamed = app
        .patch_json(&path, badinh.token(), &json!({"name": "  Thôn  Đông Nam "}))
        .await;
    renamed.assert_status(200);
    assert_eq!(renamed.body["name"], "Thôn Đông Nam");
    assert_eq!(renamed.body["kind"], "thon");
    assert_eq!(renamed.body["version"], 2);

    let rekinded = app
        .patch_json(&path, badinh.token(), &json!({"kind": "xom"}))
        .await;
    rekinded.assert_status(200);
    assert_eq!(rekinded.body["kind"], "xom");
    assert_eq!(rekinded.body["name"], "Thôn Đông Nam", "the name is kept");
    assert_eq!(rekinded.body["version"], 3);
    let searched = app
        .get_json(&format!("{VILLAGES}?q=dong%20nam"), badinh.token())
        .await;
    assert_eq!(
        names(&searched),
        ["Thôn Đông Nam"],
        "the search follows the new name"
    );

    let deactivated = app
        .patch_json(&path, badinh.token(), &json!({"active": false}))
        .await;
    deactivated.assert_status(200);
    assert_eq!(deactivated.body["status"], "inactive");
    assert_eq!(deactivated.body["name"], "Thôn Đông Nam");
    assert_eq!(deactivated.body["kind"], "xom");
    assert_eq!(deactivated.body["version"], 4);

    let default_list = app.get_json(VILLAGES, badinh.token()).await;
    assert_eq!(names(&default_list), Vec::<String>::new());
    assert_eq!(default_list.body["total"], 0);
    let with_inactive = app
        .get_json(&format!("{VILLAGES}?include_inactive=true"), badinh.token())
        .await;
    assert_eq!(names(&with_inactive), ["Thôn Đông Nam"]);
    assert_eq!(with_inactive.body["items"][0]["status"], "inactive");
    let fetched = app.get_json(&path, badinh.token()).await;
    fetched.assert_status(200);
    assert_eq!(fetched.body, deactivated.body);

    let reactivated = app
        .patch_json(&path, badinh.token(), &json!({"active": true}))
        .await;
    reactivated.assert_status(200);
    assert_eq!(reactivated.body["status"], "active");
    assert_eq!(reactivated.body["version"], 5);
    let listed = app.get_json(VILLAGES, badinh.token()).await;
    assert_eq!(names(&listed), ["Thôn Đông Nam"]);
}

async fn a_province_officer_moves_a_village_only_within_the_province(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let created = village(app, &badinh, "00004", "Thôn Đông", "thon").await;
    let path = path_of(&created);

    app.patch_json(&path, badinh.token(), &json!({"commune_code": "00008"}))
        .await
        .assert_problem(403, "forbidden");
    for officer in [&hanoi, &admin] {
        let refused = app
            .patch_json(
                &path,
                officer.token(),
                &json!({"commune_code": SAIGON_COMMUNE}),
            )
            .await;
        refused.assert_invalid_field("commune_code");
    }
    let unmoved = app.get_json(&path, badinh.token()).await;
    unmoved.assert_status(200);
    assert_eq!(unmoved.body, created, "refused moves change nothing");

    let moved = app
        .patch_json(&path, hanoi.token(), &json!({"commune_code": "00008"}))
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["commune_code"], "00008");
    assert_eq!(moved.body["province_code"], "01");
    assert_eq!(moved.body["name"], "Thôn Đông");
    assert_eq!(moved.body["version"], 2);

    let in_ngoc_ha = app
        .get_json(&format!("{VILLAGES}?commune_code=00008"), hanoi.token())
        .await;
    assert_eq!(names(&in_ngoc_ha), ["Thôn Đông"]);
    let in_ba_dinh = app
        .get_json(&format!("{VILLAGES}?commune_code=00004"), hanoi.token())
        .await;
    assert_eq!(names(&in_ba_dinh), Vec::<String>::new());

    app.get_json(&path, badinh.token())
        .await
        .assert_problem(403, "forbidden");
    assert_eq!(
        names(&app.get_json(VILLAGES, badinh.token()).await),
        Vec::<String>::new(),
        "the old commune no longer lists it"
    );
    let ngoc_ha = app.sign_in("hn.ngocha", "commune_officer", "00008").await;
    assert_eq!(
        names(&app.get_json(VILLAGES, ngoc_ha.token()).await),
        ["Thôn Đông"]
    );
}

async fn a_commune_officer_cannot_see_or_touch_villages_of_another_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let ngoc_ha = app.sign_in("hn.ngocha", "commune_officer", "00008").await;
    let created = village(app, &badinh, "00004", "Thôn Đông", "thon").await;
    let path = path_of(&created);

    app.get_json(&path, ngoc_ha.token())
        .await
        .assert_problem(403, "forbidden");
    for body in [
        json!({"name": "Thôn Chiếm"}),
        json!({"active": false}),
        json!({"commune_code": "00008"}),
    ] {
        app.patch_json(&path, ngoc_ha.token(), &body)
            .await
            .assert_problem(403, "forbidden");
    }
    create(app, &ngoc_ha, "00004", "Thôn Tây", "thon")
        .await
        .assert_problem(403, "forbidden");
    app.get_json(&format!("{VILLAGES}?commune_code=00004"), ngoc_ha.token())
        .await
        .assert_problem(403, "forbidden");

    for query in ["", "?q=dong", "?include_inactive=true"] {
        let list = app
            .get_json(&format!("{VILLAGES}{query}"), ngoc_ha.token())
            .await;
        assert_eq!(names(&list), Vec::<String>::new(), "list{query}");
        assert_eq!(list.body["total"], 0, "list{query}");
    }

    let unchanged = app.get_json(&path, badinh.token()).await;
    unchanged.assert_status(200);
    assert_eq!(unchanged.body, created);
    assert_eq!(
        names(&app.get_json(VILLAGES, badinh.token()).await),
        ["Thôn Đông"],
        "the refused creation made nothing"
    );
}

async fn viewers_and_branch_officers_read_villages_but_cannot_change_them(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let viewer = app.sign_in("hn.viewer", "viewer", "01").await;
    let branch = app.sign_in("hn.branch", "branch_officer", "00004").await;
    let created = village(app, &badinh, "00004", "Thôn Đông", "thon").await;
    let path = path_of(&created);

    for session in [&viewer, &branch] {
        let who = &session.user.username;
        assert_eq!(
            names(&app.get_json(VILLAGES, session.token()).await),
            ["Thôn Đông"],
            "{who} lists"
        );
        let fetched = app.get_json(&path, session.token()).await;
        fetched.assert_status(200);
        assert_eq!(fetched.body, created, "{who} reads");
        create(app, session, "00004", "Thôn Tây", "thon")
            .await
            .assert_problem(403, "forbidden");
        app.patch_json(&path, session.token(), &json!({"name": "Thôn Tây"}))
            .await
            .assert_problem(403, "forbidden");
    }
    assert_eq!(
        names(&app.get_json(VILLAGES, badinh.token()).await),
        ["Thôn Đông"],
        "nothing was created or renamed"
    );
    app.get_json(VILLAGES, None)
        .await
        .assert_problem(401, "invalid_token");
}

async fn invalid_village_bodies_are_refused_naming_the_field(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let valid = json!({"commune_code": "00004", "name": "Thôn Đông", "kind": "thon"});
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
        ("empty name", with("name", json!("")), "name"),
        (
            "name too long",
            with("name", json!("a".repeat(201))),
            "name",
        ),
        ("unknown kind", with("kind", json!("village")), "kind"),
        ("kind in capitals", with("kind", json!("THON")), "kind"),
        ("empty kind", with("kind", json!("")), "kind"),
        (
            "a province code as commune",
            with("commune_code", json!("01")),
            "commune_code",
        ),
        (
            "the nation as commune",
            with("commune_code", json!("VN")),
            "commune_code",
        ),
        (
            "unknown commune",
            with("commune_code", json!("99999")),
            "commune_code",
        ),
        (
            "a commune abolished in 2025",
            with("commune_code", json!("00001")),
            "commune_code",
        ),
        (
            "malformed commune code",
            with("commune_code", json!("0004")),
            "commune_code",
        ),
        ("missing name", without("name"), "name"),
        ("missing kind", without("kind"), "kind"),
        ("missing commune", without("commune_code"), "commune_code"),
        ("name of the wrong type", with("name", json!(5)), "name"),
        (
            "commune of the wrong type",
            with("commune_code", json!(4)),
            "commune_code",
        ),
    ];
    for (case, body, field) in cases {
        let response = app.post_json(VILLAGES, badinh.token(), &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let list = app
        .get_json(&format!("{VILLAGES}?include_inactive=true"), badinh.token())
        .await;
    assert_eq!(names(&list), Vec::<String>::new(), "nothing was created");
}

async fn invalid_village_changes_are_refused_naming_the_field(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let created = village(app, &admin, "00004", "Thôn Đông", "thon").await;
    let path = path_of(&created);
    let cases = [
        ("empty name", json!({"name": ""}), "name"),
        ("name too long", json!({"name": "a".repeat(201)}), "name"),
        ("unknown kind", json!({"kind": "village"}), "kind"),
        (
            "a province code as commune",
            json!({"commune_code": "01"}),
            "commune_code",
        ),
        (
            "unknown commune",
            json!({"commune_code": "99999"}),
            "commune_code",
        ),
        (
            "active of the wrong type",
            json!({"active": "no"}),
            "active",
        ),
    ];
    for (case, body, field) in cases {
        let response = app.patch_json(&path, admin.token(), &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let unchanged = app.get_json(&path, admin.token()).await;
    unchanged.assert_status(200);
    assert_eq!(unchanged.body, created, "refused changes change nothing");
}

async fn a_village_name_of_white_space_only_is_refused_naming_name(app: &TestApp) {
    // The length rule sees the raw text; the name stored is the cleaned one, which is empty.
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    for name in ["   ", " \t\n ", "\u{3000}"] {
        let response = create(app, &badinh, "00004", name, "thon").await;
        assert_eq!(response.status, 422, "POST {name:?}: {}", response.body);
        response.assert_invalid_field("name");
    }
    let list = app
        .get_json(&format!("{VILLAGES}?include_inactive=true"), badinh.token())
        .await;
    assert_eq!(names(&list), Vec::<String>::new(), "nothing was created");

    let created = village(app, &badinh, "00004", "Thôn Đông", "thon").await;
    let path = path_of(&created);
    let response = app
        .patch_json(&path, badinh.token(), &json!({"name": "  "}))
        .await;
    assert_eq!(response.status, 422, "PATCH: {}", response.body);
    response.assert_invalid_field("name");
    let unchanged = app.get_json(&path, badinh.token()).await;
    assert_eq!(unchanged.body, created);
}

async fn unknown_village_ids_are_not_found(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let unknown = format!("{VILLAGES}/{}", uuid::Uuid::new_v4());
    app.get_json(&unknown, admin.token())
        .await
        .assert_problem(404, "not_found");
    app.patch_json(&unknown, admin.token(), &json!({"name": "Thôn Đông"}))
        .await
        .assert_problem(404, "not_found");
    app.get_json(&format!("{VILLAGES}/not-a-uuid"), admin.token())
        .await
        .assert_problem(404, "not_found");
}

async fn changes_to_a_village_are_written_to_the_audit_log(app: &TestApp) {
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let ngoc_ha = app.sign_in("hn.ngocha", "commune_officer", "00008").await;
    let creation = create(app, &badinh, "00004", "Thôn Đông", "thon").await;
    creation.assert_status(201);
    let id = creation.body["id"].as_str().expect("an id").to_string();
    let path = path_of(&creation.body);
    app.patch_json(&path, badinh.token(), &json!({"name": "Thôn Đông Nam"}))
        .await
        .assert_status(200);
    // Refused changes leave no trace.
    app.patch_json(&path, ngoc_ha.token(), &json!({"name": "Thôn Chiếm"}))
        .await
        .assert_problem(403, "forbidden");
    app.patch_json(
        &path,
        hanoi.token(),
        &json!({"commune_code": SAIGON_COMMUNE}),
    )
    .await
    .assert_invalid_field("commune_code");
    app.patch_json(&path, hanoi.token(), &json!({"commune_code": "00008"}))
        .await
        .assert_status(200);

    let audit = app
        .get_json(
            &format!("/api/v1/audit?resource_type=village&resource_id={id}"),
            hanoi.token(),
        )
        .await;
    audit.assert_status(200);
    assert_eq!(audit.body["total"], 3, "{}", audit.body);
    let entries = audit.body["items"].as_array().expect("a page has items");
    let actions: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["action"].as_str())
        .collect();
    assert_eq!(
        actions,
        ["village.update", "village.update", "village.create"],
        "newest first"
    );

    let moved = &entries[0];
    assert_eq!(moved["actor_username"], "hn.province");
    assert_eq!(moved["actor_user_id"], hanoi.id());
    assert_eq!(moved["resource_type"], "village");
    assert_eq!(moved["resource_id"], id.as_str());
    assert_eq!(moved["unit_code"], "00008");
    assert_eq!(moved["detail"]["from"]["commune_code"], "00004");
    assert_eq!(moved["detail"]["to"]["commune_code"], "00008");

    let renamed = &entries[1];
    assert_eq!(renamed["actor_username"], "hn.badinh");
    assert_eq!(renamed["unit_code"], "00004");
    assert_eq!(renamed["detail"]["from"]["name"], "Thôn Đông");
    assert_eq!(renamed["detail"]["to"]["name"], "Thôn Đông Nam");

    let created = &entries[2];
    assert_eq!(created["actor_user_id"], badinh.id());
    assert_eq!(created["unit_code"], "00004");
    assert_eq!(created["detail"]["name"], "Thôn Đông");
    assert_eq!(created["detail"]["kind"], "thon");
    assert_eq!(
        created["request_id"].as_str(),
        creation.header("x-request-id"),
        "the entry names the request that made the change"
    );

    let viewer = app.sign_in("hn.viewer", "viewer", "01").await;
    app.get_json("/api/v1/audit", viewer.token())
        .await
        .assert_problem(403, "forbidden");
    let saigon = app.sign_in("hcm.province", "province_officer", "79").await;
    let elsewhere = app
        .get_json(&format!("/api/v1/audit?resource_id={id}"), saigon.token())
        .await;
    elsewhere.assert_status(200);
    assert_eq!(elsewhere.body["total"], 0, "{}", elsewhere.body);
}
