//! `/api/v1/association-units`: the Association's tree. The central, province and commune units
//! exist from the start; commune officers and above add branches and committees under a commune's
//! Association and edit or dissolve them, each within their own unit.

use serde_json::{Value, json};
use std::collections::BTreeSet;
use tests::{ApiResponse, Session, TestApp};
use uuid::Uuid;

tests::on_both_backends!(
    the_root_of_a_commune_officer_is_the_association_of_their_commune,
    the_root_of_a_central_admin_is_the_central_association,
    a_province_association_lists_its_126_commune_associations,
    a_commune_officer_creates_a_branch_and_a_committee_under_their_commune,
    branches_and_committees_sit_only_under_a_commune_association_in_reach,
    invalid_association_unit_bodies_are_refused_naming_the_field,
    a_unit_name_of_white_space_only_is_refused_naming_name,
    an_unknown_village_is_refused_naming_village_id,
    a_province_officer_of_another_province_never_sees_a_branch,
    editing_a_branch_changes_its_contacts_and_increments_its_version,
    a_dissolved_branch_leaves_the_default_list,
    a_unit_with_active_sub_units_cannot_be_dissolved,
    the_association_of_a_commune_or_province_cannot_be_deactivated,
    a_commune_officer_cannot_edit_the_province_association,
    branch_officers_and_viewers_read_units_of_their_commune_but_cannot_change_them,
    unknown_association_unit_ids_are_not_found,
    changes_to_association_units_are_written_to_the_audit_log,
);

const UNITS: &str = "/api/v1/association-units";

/// Namespace of the deterministic ids the registry migration gives the seeded units. A copy of
/// `migrations::m20251128_000004_registry::ASSOCIATION_UNIT_NAMESPACE`: the tests crate does not
/// depend on `migrations`, and the ids are part of the contract (the web application and imports
/// may rely on them), so a change there must break this test.
const ASSOCIATION_UNIT_NAMESPACE: Uuid = Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);

/// The id of the Association unit seeded for the nation (`central`, `VN`), a province or a commune.
fn association_unit_id(level: &str, code: &str) -> Uuid {
    Uuid::new_v5(
        &ASSOCIATION_UNIT_NAMESPACE,
        format!("{level}:{code}").as_bytes(),
    )
}

fn unit_path(id: impl std::fmt::Display) -> String {
    format!("{UNITS}/{id}")
}

fn id_of(unit: &Value) -> String {
    unit["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a unit has an id: {unit}"))
        .to_string()
}

fn commune_unit(code: &str) -> String {
    association_unit_id("commune", code).to_string()
}

fn branch_of_thon_dong(parent: &str) -> Value {
    json!({
        "name": "Chi hội Khuyến học thôn Đông",
        "level": "branch",
        "parent_id": parent,
    })
}

/// Creates a village of `commune` and returns its id.
async fn village(app: &TestApp, by: &Session, commune: &str, name: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/villages",
            by.token(),
            &json!({"commune_code": commune, "name": name, "kind": "thon"}),
        )
        .await;
    response.assert_status(201);
    id_of(&response.body)
}

/// Creates a unit and returns it; panics unless that succeeds.
async fn created(app: &TestApp, by: &Session, body: &Value) -> Value {
    let response = app.post_json(UNITS, by.token(), body).await;
    response.assert_status(201);
    response.body
}

async fn list(app: &TestApp, by: &Session, query: &str) -> ApiResponse {
    let response = app.get_json(&format!("{UNITS}{query}"), by.token()).await;
    response.assert_status(200);
    response
}

/// The ids of a page of units.
fn ids(page: &ApiResponse) -> BTreeSet<String> {
    items(page).iter().map(id_of).collect()
}

/// The names of a page of units, in order.
fn names(page: &ApiResponse) -> Vec<String> {
    items(page)
        .iter()
        .filter_map(|u| u["name"].as_str().map(str::to_string))
        .collect()
}

fn items(page: &ApiResponse) -> &Vec<Value> {
    page.body["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a page has items: {}", page.body))
}

async fn the_root_of_a_commune_officer_is_the_association_of_their_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let root = app.get_json(&format!("{UNITS}/root"), badinh.token()).await;
    root.assert_status(200);
    let unit = &root.body;
    assert_eq!(unit["id"], commune_unit("00004"));
    assert_eq!(unit["name"], "Hội Khuyến học Phường Ba Đình");
    assert_eq!(unit["level"], "commune");
    assert_eq!(unit["admin_unit_code"], "00004");
    assert_eq!(unit["province_code"], "01");
    assert_eq!(unit["commune_code"], "00004");
    assert_eq!(
        unit["parent_id"],
        association_unit_id("province", "01").to_string(),
        "the parent is the Association of province 01"
    );
    assert_eq!(unit["status"], "active");
    assert_eq!(unit["member_count"], 0);
    assert_eq!(unit["children_count"], 0);
    assert_eq!(unit["version"], 1);
    assert!(unit["village_id"].is_null() && unit["committee_kind"].is_null());

    let fetched = app.get_json(&unit_path(id_of(unit)), badinh.token()).await;
    fetched.assert_status(200);
    assert_eq!(&fetched.body, unit);

    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let province = app.get_json(&format!("{UNITS}/root"), hanoi.token()).await;
    province.assert_status(200);
    assert_eq!(province.body["id"], unit["parent_id"]);
    assert_eq!(province.body["name"], "Hội Khuyến học Thành phố Hà Nội");
    assert_eq!(province.body["level"], "province");
    assert_eq!(province.body["admin_unit_code"], "01");
    assert_eq!(province.body["province_code"], "01");
    assert!(province.body["commune_code"].is_null());
    assert_eq!(
        province.body["parent_id"],
        association_unit_id("central", "VN").to_string()
    );
    assert_eq!(province.body["children_count"], 126);
}

async fn the_root_of_a_central_admin_is_the_central_association(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let root = app.get_json(&format!("{UNITS}/root"), admin.token()).await;
    root.assert_status(200);
    let unit = &root.body;
    assert_eq!(unit["id"], association_unit_id("central", "VN").to_string());
    assert_eq!(unit["name"], "Hội Khuyến học Việt Nam");
    assert_eq!(unit["level"], "central");
    assert_eq!(unit["admin_unit_code"], "VN");
    assert!(
        unit["parent_id"].is_null(),
        "the central unit has no parent"
    );
    assert!(unit["province_code"].is_null() && unit["commune_code"].is_null());
    assert_eq!(unit["children_count"], 34, "one Association per province");
    assert_eq!(unit["status"], "active");

    let provinces = list(
        app,
        &admin,
        &format!("?parent_id={}&per_page=200", id_of(unit)),
    )
    .await;
    assert_eq!(provinces.body["total"], 34);
    assert!(items(&provinces).iter().all(|u| u["level"] == "province"));
}

async fn a_province_association_lists_its_126_commune_associations(app: &TestApp) {
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let province = association_unit_id("province", "01").to_string();
    let communes = list(app, &hanoi, &format!("?parent_id={province}&per_page=200")).await;
    assert_eq!(communes.body["total"], 126);
    assert_eq!(communes.body["per_page"], 200);
    let units = items(&communes);
    assert_eq!(units.len(), 126);
    for unit in units {
        assert_eq!(unit["level"], "commune", "{unit}");
        assert_eq!(unit["parent_id"], province, "{unit}");
        assert_eq!(unit["province_code"], "01", "{unit}");
        let code = unit["admin_unit_code"].as_str().expect("a code");
        assert_eq!(unit["commune_code"], code);
        assert_eq!(unit["id"], commune_unit(code), "the seeded id of {code}");
    }
    let codes: BTreeSet<&str> = units
        .iter()
        .filter_map(|u| u["admin_unit_code"].as_str())
        .collect();
    assert_eq!(codes.len(), 126, "no commune is listed twice");
    assert!(codes.contains("00004") && codes.contains("00008"));
    assert_eq!(units[0]["admin_unit_code"], "00004", "ordered by code");

    let whole = list(app, &hanoi, "?per_page=200").await;
    assert_eq!(
        whole.body["total"], 127,
        "the province's own unit and its 126 communes' units"
    );
    assert_eq!(items(&whole)[0]["id"], province, "the province comes first");

    let searched = list(app, &hanoi, "?q=ba%20dinh&level=commune").await;
    assert_eq!(names(&searched), ["Hội Khuyến học Phường Ba Đình"]);
}

async fn a_commune_officer_creates_a_branch_and_a_committee_under_their_commune(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let commune = commune_unit("00004");
    let thon_dong = village(app, &badinh, "00004", "Thôn Đông").await;

    let response = app
        .post_json(
            UNITS,
            badinh.token(),
            &json!({
                "name": "  Chi hội Khuyến học   thôn Đông ",
                "level": "branch",
                "parent_id": commune,
                "village_id": thon_dong,
                "chairperson": "Nguyễn Văn An",
                "phone": "0912 345 678",
                "email": "chihoi.thondong@example.vn",
            }),
        )
        .await;
    response.assert_status(201);
    let branch = response.body.clone();
    assert_eq!(branch["name"], "Chi hội Khuyến học thôn Đông");
    assert_eq!(branch["level"], "branch");
    assert_eq!(branch["parent_id"], commune);
    assert_eq!(branch["admin_unit_code"], "00004");
    assert_eq!(branch["province_code"], "01");
    assert_eq!(branch["commune_code"], "00004");
    assert_eq!(branch["village_id"], thon_dong);
    assert!(branch["committee_kind"].is_null());
    assert_eq!(branch["chairperson"], "Nguyễn Văn An");
    assert_eq!(
        branch["phone"], "+84912345678",
        "the phone is stored in E.164"
    );
    assert_eq!(branch["email"], "chihoi.thondong@example.vn");
    assert_eq!(branch["status"], "active");
    assert_eq!(branch["member_count"], 0);
    assert_eq!(branch["children_count"], 0);
    assert_eq!(branch["version"], 1);
    assert_ne!(branch["id"], commune);

    let committee = created(
        app,
        &badinh,
        &json!({
            "name": "Ban Khuyến học Trường Tiểu học Ba Đình",
            "level": "committee",
            "parent_id": commune,
            "committee_kind": "school",
        }),
    )
    .await;
    assert_eq!(committee["level"], "committee");
    assert_eq!(committee["committee_kind"], "school");
    assert_eq!(committee["parent_id"], commune);
    assert_eq!(committee["commune_code"], "00004");
    assert!(committee["village_id"].is_null());
    assert!(committee["phone"].is_null() && committee["email"].is_null());
    assert!(committee["chairperson"].is_null());

    let fetched = app
        .get_json(&unit_path(id_of(&branch)), badinh.token())
        .await;
    fetched.assert_status(200);
    assert_eq!(fetched.body, branch);

    let parent = app.get_json(&unit_path(&commune), badinh.token()).await;
    parent.assert_status(200);
    assert_eq!(parent.body["children_count"], 2);

    let children = list(app, &badinh, &format!("?parent_id={commune}")).await;
    assert_eq!(
        names(&children),
        [
            "Ban Khuyến học Trường Tiểu học Ba Đình",
            "Chi hội Khuyến học thôn Đông"
        ]
    );
    assert_eq!(children.body["total"], 2);
    let committees = list(app, &badinh, "?level=committee").await;
    assert_eq!(ids(&committees), BTreeSet::from([id_of(&committee)]));
    let searched = list(app, &badinh, "?q=thon%20dong").await;
    assert_eq!(ids(&searched), BTreeSet::from([id_of(&branch)]));
    let whole = list(app, &badinh, "").await;
    assert_eq!(
        whole.body["total"], 3,
        "a commune officer sees their commune's unit and what lies under it: {}",
        whole.body
    );
}

async fn branches_and_committees_sit_only_under_a_commune_association_in_reach(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let province = association_unit_id("province", "01").to_string();
    let nation = association_unit_id("central", "VN").to_string();

    // Outside the caller's unit: another commune's Association, or the province's above it.
    for parent in [commune_unit("00008"), province.clone()] {
        app.post_json(UNITS, badinh.token(), &branch_of_thon_dong(&parent))
            .await
            .assert_problem(403, "forbidden");
    }

    // In reach, but not a commune's Association.
    let cases = [
        (&hanoi, province.clone(), "the province's Association"),
        (&admin, nation.clone(), "the central Association"),
        (&admin, Uuid::new_v4().to_string(), "an unknown unit"),
    ];
    for (session, parent, case) in cases {
        let response = app
            .post_json(UNITS, session.token(), &branch_of_thon_dong(&parent))
            .await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field("parent_id");
    }

    // Only branches and committees are created.
    for level in ["commune", "province", "central"] {
        let mut body = branch_of_thon_dong(&commune_unit("00004"));
        body["level"] = json!(level);
        let response = app.post_json(UNITS, badinh.token(), &body).await;
        assert_eq!(response.status, 422, "level {level}: {}", response.body);
        response.assert_invalid_field("level");
    }

    // A branch serves a village of its own commune.
    let ngoc_ha_village = village(app, &hanoi, "00008", "Thôn Đoài").await;
    let mut body = branch_of_thon_dong(&commune_unit("00004"));
    body["village_id"] = json!(ngoc_ha_village);
    app.post_json(UNITS, hanoi.token(), &body)
        .await
        .assert_invalid_field("village_id");
    // A village outside the caller's unit is unknown to them: no hint that it exists.
    app.post_json(UNITS, badinh.token(), &body)
        .await
        .assert_invalid_field("village_id");

    let made = list(
        app,
        &admin,
        "?commune_code=00004&include_inactive=true&level=branch",
    )
    .await;
    assert_eq!(made.body["total"], 0, "nothing was created: {}", made.body);
    let made = list(app, &admin, "?level=branch&include_inactive=true").await;
    assert_eq!(made.body["total"], 0, "nothing was created: {}", made.body);
}

async fn invalid_association_unit_bodies_are_refused_naming_the_field(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let commune = commune_unit("00004");
    let valid = branch_of_thon_dong(&commune);
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
    let committee = |kind: Value| {
        let mut body = with("level", json!("committee"));
        body["committee_kind"] = kind;
        body
    };
    let cases = [
        ("empty name", with("name", json!("")), "name"),
        ("one-letter name", with("name", json!("A")), "name"),
        (
            "name too long",
            with("name", json!("a".repeat(301))),
            "name",
        ),
        ("missing name", without("name"), "name"),
        ("unknown level", with("level", json!("king")), "level"),
        ("missing level", without("level"), "level"),
        ("missing parent", without("parent_id"), "parent_id"),
        (
            "malformed parent",
            with("parent_id", json!("00004")),
            "parent_id",
        ),
        (
            "unknown committee kind",
            committee(json!("university")),
            "committee_kind",
        ),
        (
            "committee kind in capitals",
            committee(json!("SCHOOL")),
            "committee_kind",
        ),
        ("phone too short", with("phone", json!("12345")), "phone"),
        (
            "phone with letters",
            with("phone", json!("0912 345 67a")),
            "phone",
        ),
        (
            "foreign phone",
            with("phone", json!("+1 202 555 0143")),
            "phone",
        ),
        (
            "email without @",
            with("email", json!("chihoi.example.vn")),
            "email",
        ),
        (
            "email without domain",
            with("email", json!("chihoi@")),
            "email",
        ),
        (
            "chairperson too long",
            with("chairperson", json!("A".repeat(201))),
            "chairperson",
        ),
        (
            "malformed village",
            with("village_id", json!("thon-dong")),
            "village_id",
        ),
    ];
    for (case, body, field) in cases {
        let response = app.post_json(UNITS, badinh.token(), &body).await;
        assert_eq!(response.status, 422, "{case}: {}", response.body);
        response.assert_invalid_field(field);
    }
    let parent = app.get_json(&unit_path(&commune), badinh.token()).await;
    assert_eq!(parent.body["children_count"], 0, "nothing was created");
}

async fn a_unit_name_of_white_space_only_is_refused_naming_name(app: &TestApp) {
    // The length rule sees the raw text; the name stored is the cleaned one, which is empty.
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let commune = commune_unit("00004");
    for name in ["     ", " \t\n "] {
        let mut body = branch_of_thon_dong(&commune);
        body["name"] = json!(name);
        let response = app.post_json(UNITS, badinh.token(), &body).await;
        assert_eq!(response.status, 422, "POST {name:?}: {}", response.body);
        response.assert_invalid_field("name");
    }
    let parent = app.get_json(&unit_path(&commune), badinh.token()).await;
    assert_eq!(parent.body["children_count"], 0, "nothing was created");

    let branch = created(app, &badinh, &branch_of_thon_dong(&commune)).await;
    let path = unit_path(id_of(&branch));
    let response = app
        .patch_json(&path, badinh.token(), &json!({"name": "    "}))
        .await;
    assert_eq!(response.status, 422, "PATCH: {}", response.body);
    response.assert_invalid_field("name");
    let unchanged = app.get_json(&path, badinh.token()).await;
    assert_eq!(unchanged.body, branch);
}

async fn an_unknown_village_is_refused_naming_village_id(app: &TestApp) {
    // Like an unknown `parent_id`: a reference in the body that leads nowhere is a bad field, not
    // a missing resource at the URL.
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let commune = commune_unit("00004");
    let mut body = branch_of_thon_dong(&commune);
    body["village_id"] = json!(Uuid::new_v4());
    let response = app.post_json(UNITS, badinh.token(), &body).await;
    assert_eq!(response.status, 422, "POST: {}", response.body);
    response.assert_invalid_field("village_id");

    let branch = created(app, &badinh, &branch_of_thon_dong(&commune)).await;
    let path = unit_path(id_of(&branch));
    let response = app
        .patch_json(
            &path,
            badinh.token(),
            &json!({"village_id": Uuid::new_v4()}),
        )
        .await;
    assert_eq!(response.status, 422, "PATCH: {}", response.body);
    response.assert_invalid_field("village_id");
    let unchanged = app.get_json(&path, badinh.token()).await;
    assert_eq!(unchanged.body, branch);
}

async fn a_province_officer_of_another_province_never_sees_a_branch(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let saigon = app.sign_in("hcm.province", "province_officer", "79").await;
    let branch = created(app, &badinh, &branch_of_thon_dong(&commune_unit("00004"))).await;
    let path = unit_path(id_of(&branch));

    app.get_json(&path, saigon.token())
        .await
        .assert_problem(403, "forbidden");
    app.patch_json(&path, saigon.token(), &json!({"name": "Chi hội bị chiếm"}))
        .await
        .assert_problem(403, "forbidden");
    app.get_json(&unit_path(commune_unit("00004")), saigon.token())
        .await
        .assert_problem(403, "forbidden");

    for query in [
        "?per_page=200",
        "?q=thon%20dong",
        "?level=branch&include_inactive=true",
        "?commune_code=00004",
    ] {
        let seen = list(app, &saigon, &format!("{query}&page=1")).await;
        assert!(
            !ids(&seen).contains(&id_of(&branch)),
            "{query} shows the branch: {}",
            seen.body
        );
        assert!(
            items(&seen).iter().all(|u| u["province_code"] == "79"),
            "{query} shows only units of 79"
        );
    }
    let children = list(
        app,
        &saigon,
        &format!("?parent_id={}", commune_unit("00004")),
    )
    .await;
    assert_eq!(children.body["total"], 0, "{}", children.body);

    let unchanged = app.get_json(&path, badinh.token()).await;
    assert_eq!(unchanged.body, branch);
}

async fn editing_a_branch_changes_its_contacts_and_increments_its_version(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let branch = created(app, &badinh, &branch_of_thon_dong(&commune_unit("00004"))).await;
    let path = unit_path(id_of(&branch));

    let edited = app
        .patch_json(
            &path,
            badinh.token(),
            &json!({
                "name": "Chi hội Khuyến học thôn Đông Nam",
                "chairperson": "  Trần   Thị Bình ",
                "phone": "024 3823 4567",
                "email": "dongnam@example.vn",
            }),
        )
        .await;
    edited.assert_status(200);
    assert_eq!(edited.body["name"], "Chi hội Khuyến học thôn Đông Nam");
    assert_eq!(edited.body["chairperson"], "Trần Thị Bình");
    assert_eq!(edited.body["phone"], "+842438234567");
    assert_eq!(edited.body["email"], "dongnam@example.vn");
    assert_eq!(edited.body["level"], "branch");
    assert_eq!(edited.body["parent_id"], branch["parent_id"]);
    assert_eq!(edited.body["status"], "active");
    assert_eq!(edited.body["version"], 2);

    let phone_only = app
        .patch_json(&path, badinh.token(), &json!({"phone": "+84 987 654 321"}))
        .await;
    phone_only.assert_status(200);
    assert_eq!(phone_only.body["phone"], "+84987654321");
    assert_eq!(phone_only.body["name"], "Chi hội Khuyến học thôn Đông Nam");
    assert_eq!(phone_only.body["chairperson"], "Trần Thị Bình");
    assert_eq!(phone_only.body["email"], "dongnam@example.vn");
    assert_eq!(phone_only.body["version"], 3);

    let refused = [
        (json!({"phone": "123"}), "phone"),
        (json!({"email": "not an email"}), "email"),
        (json!({"name": "A"}), "name"),
        (json!({"committee_kind": "university"}), "committee_kind"),
        (json!({"status": "closed"}), "status"),
    ];
    for (body, field) in refused {
        let response = app.patch_json(&path, badinh.token(), &body).await;
        assert_eq!(response.status, 422, "{body}: {}", response.body);
        response.assert_invalid_field(field);
    }

    let fetched = app.get_json(&path, badinh.token()).await;
    fetched.assert_status(200);
    assert_eq!(
        fetched.body, phone_only.body,
        "refused edits change nothing"
    );
    let searched = list(app, &badinh, "?q=dong%20nam").await;
    assert_eq!(names(&searched), ["Chi hội Khuyến học thôn Đông Nam"]);
}

async fn a_dissolved_branch_leaves_the_default_list(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let commune = commune_unit("00004");
    let branch = created(app, &badinh, &branch_of_thon_dong(&commune)).await;
    let path = unit_path(id_of(&branch));

    let dissolved = app
        .patch_json(&path, badinh.token(), &json!({"status": "dissolved"}))
        .await;
    dissolved.assert_status(200);
    assert_eq!(dissolved.body["status"], "dissolved");
    assert_eq!(dissolved.body["name"], branch["name"]);
    assert_eq!(dissolved.body["version"], 2);

    let default_list = list(app, &badinh, &format!("?parent_id={commune}")).await;
    assert_eq!(default_list.body["total"], 0, "{}", default_list.body);
    let with_inactive = list(
        app,
        &badinh,
        &format!("?parent_id={commune}&include_inactive=true"),
    )
    .await;
    assert_eq!(ids(&with_inactive), BTreeSet::from([id_of(&branch)]));
    assert_eq!(items(&with_inactive)[0]["status"], "dissolved");
    let parent = app.get_json(&unit_path(&commune), badinh.token()).await;
    assert_eq!(
        parent.body["children_count"], 0,
        "only active sub-units count"
    );
    let fetched = app.get_json(&path, badinh.token()).await;
    fetched.assert_status(200);
    assert_eq!(fetched.body, dissolved.body);

    let mut under_dissolved = branch_of_thon_dong(&id_of(&branch));
    under_dissolved["level"] = json!("committee");
    app.post_json(UNITS, badinh.token(), &under_dissolved)
        .await
        .assert_invalid_field("parent_id");
}

async fn a_unit_with_active_sub_units_cannot_be_dissolved(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let branch = created(app, &badinh, &branch_of_thon_dong(&commune_unit("00004"))).await;
    let committee = created(
        app,
        &badinh,
        &json!({
            "name": "Ban Khuyến học dòng họ Nguyễn",
            "level": "committee",
            "parent_id": id_of(&branch),
            "committee_kind": "clan",
        }),
    )
    .await;
    assert_eq!(committee["commune_code"], "00004");
    let branch_path = unit_path(id_of(&branch));

    app.patch_json(
        &branch_path,
        badinh.token(),
        &json!({"status": "dissolved"}),
    )
    .await
    .assert_problem(409, "conflict");
    let still = app.get_json(&branch_path, badinh.token()).await;
    assert_eq!(still.body["status"], "active");
    assert_eq!(still.body["children_count"], 1);
    assert_eq!(still.body["version"], 1);

    app.patch_json(
        &unit_path(id_of(&committee)),
        badinh.token(),
        &json!({"status": "merged"}),
    )
    .await
    .assert_status(200);
    let dissolved = app
        .patch_json(
            &branch_path,
            badinh.token(),
            &json!({"status": "dissolved"}),
        )
        .await;
    dissolved.assert_status(200);
    assert_eq!(dissolved.body["status"], "dissolved");
    assert_eq!(dissolved.body["children_count"], 0);
}

async fn the_association_of_a_commune_or_province_cannot_be_deactivated(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let commune = unit_path(commune_unit("00004"));
    let province = unit_path(association_unit_id("province", "01"));

    for status in ["dissolved", "merged"] {
        app.patch_json(&commune, badinh.token(), &json!({"status": status}))
            .await
            .assert_problem(409, "conflict");
        app.patch_json(&province, hanoi.token(), &json!({"status": status}))
            .await
            .assert_problem(409, "conflict");
    }
    for (path, session) in [(&commune, &badinh), (&province, &hanoi)] {
        let unit = app.get_json(path, session.token()).await;
        unit.assert_status(200);
        assert_eq!(unit.body["status"], "active", "{path}");
        assert_eq!(unit.body["version"], 1, "{path}");
    }

    let contacts = app
        .patch_json(
            &commune,
            badinh.token(),
            &json!({"chairperson": "Lê Văn Cường", "phone": "0243 823 4567"}),
        )
        .await;
    contacts.assert_status(200);
    assert_eq!(contacts.body["chairperson"], "Lê Văn Cường");
    assert_eq!(contacts.body["phone"], "+842438234567");
    assert_eq!(contacts.body["status"], "active");
    assert_eq!(contacts.body["version"], 2);
}

async fn a_commune_officer_cannot_edit_the_province_association(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let hanoi = app.sign_in("hn.province", "province_officer", "01").await;
    let province = unit_path(association_unit_id("province", "01"));

    for body in [
        json!({"name": "Hội Khuyến học bị đổi tên"}),
        json!({"chairperson": "Người lạ"}),
    ] {
        app.patch_json(&province, badinh.token(), &body)
            .await
            .assert_problem(403, "forbidden");
    }
    app.get_json(&province, badinh.token())
        .await
        .assert_problem(403, "forbidden");
    app.patch_json(
        &unit_path(commune_unit("00008")),
        badinh.token(),
        &json!({"chairperson": "Người lạ"}),
    )
    .await
    .assert_problem(403, "forbidden");

    let unchanged = app.get_json(&province, hanoi.token()).await;
    unchanged.assert_status(200);
    assert_eq!(unchanged.body["name"], "Hội Khuyến học Thành phố Hà Nội");
    assert!(unchanged.body["chairperson"].is_null());
    assert_eq!(unchanged.body["version"], 1);
}

async fn branch_officers_and_viewers_read_units_of_their_commune_but_cannot_change_them(
    app: &TestApp,
) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let branch_officer = app.sign_in("hn.branch", "branch_officer", "00004").await;
    let viewer = app.sign_in("hn.viewer", "viewer", "00004").await;
    let commune = commune_unit("00004");
    let branch = created(app, &badinh, &branch_of_thon_dong(&commune)).await;
    let path = unit_path(id_of(&branch));

    for session in [&branch_officer, &viewer] {
        let who = &session.user.username;
        let root = app
            .get_json(&format!("{UNITS}/root"), session.token())
            .await;
        root.assert_status(200);
        assert_eq!(root.body["id"], commune, "{who}");
        let fetched = app.get_json(&path, session.token()).await;
        fetched.assert_status(200);
        assert_eq!(fetched.body, branch, "{who}");
        let children = list(app, session, &format!("?parent_id={commune}")).await;
        assert_eq!(ids(&children), BTreeSet::from([id_of(&branch)]), "{who}");

        let mut committee = branch_of_thon_dong(&commune);
        committee["level"] = json!("committee");
        app.post_json(UNITS, session.token(), &committee)
            .await
            .assert_problem(403, "forbidden");
        app.patch_json(&path, session.token(), &json!({"name": "Chi hội đổi tên"}))
            .await
            .assert_problem(403, "forbidden");
        app.patch_json(&path, session.token(), &json!({"status": "dissolved"}))
            .await
            .assert_problem(403, "forbidden");
        app.patch_json(
            &unit_path(&commune),
            session.token(),
            &json!({"chairperson": "Người lạ"}),
        )
        .await
        .assert_problem(403, "forbidden");
    }
    let unchanged = app.get_json(&path, badinh.token()).await;
    assert_eq!(unchanged.body, branch);
    let parent = app.get_json(&unit_path(&commune), badinh.token()).await;
    assert_eq!(parent.body["children_count"], 1, "nothing was created");
    assert_eq!(parent.body["version"], 1, "nothing was changed");
    app.get_json(&format!("{UNITS}/root"), None)
        .await
        .assert_problem(401, "invalid_token");
}

async fn unknown_association_unit_ids_are_not_found(app: &TestApp) {
    let admin = app.sign_in("central", "central_admin", "VN").await;
    let unknown = unit_path(Uuid::new_v4());
    app.get_json(&unknown, admin.token())
        .await
        .assert_problem(404, "not_found");
    app.patch_json(&unknown, admin.token(), &json!({"name": "Chi hội ma"}))
        .await
        .assert_problem(404, "not_found");
    app.get_json(&unit_path("not-a-uuid"), admin.token())
        .await
        .assert_problem(404, "not_found");
}

async fn changes_to_association_units_are_written_to_the_audit_log(app: &TestApp) {
    let badinh = app.sign_in("hn.badinh", "commune_officer", "00004").await;
    let branch_officer = app.sign_in("hn.branch", "branch_officer", "00004").await;
    let commune = commune_unit("00004");
    let creation = app
        .post_json(UNITS, badinh.token(), &branch_of_thon_dong(&commune))
        .await;
    creation.assert_status(201);
    let id = id_of(&creation.body);
    let path = unit_path(&id);
    app.patch_json(
        &path,
        badinh.token(),
        &json!({"name": "Chi hội thôn Đông Nam", "chairperson": "Trần Thị Bình"}),
    )
    .await
    .assert_status(200);
    // Refused changes leave no trace.
    app.patch_json(
        &path,
        branch_officer.token(),
        &json!({"name": "Chi hội khác"}),
    )
    .await
    .assert_problem(403, "forbidden");
    app.patch_json(
        &unit_path(&commune),
        badinh.token(),
        &json!({"status": "dissolved"}),
    )
    .await
    .assert_problem(409, "conflict");
    app.patch_json(&path, badinh.token(), &json!({"status": "dissolved"}))
        .await
        .assert_status(200);

    let audit = app
        .get_json(
            &format!("/api/v1/audit?resource_type=association_unit&resource_id={id}"),
            badinh.token(),
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
        [
            "association_unit.update",
            "association_unit.update",
            "association_unit.create"
        ],
        "newest first"
    );
    for entry in entries {
        assert_eq!(entry["actor_username"], "hn.badinh");
        assert_eq!(entry["actor_user_id"], badinh.id());
        assert_eq!(entry["resource_type"], "association_unit");
        assert_eq!(entry["resource_id"], id.as_str());
        assert_eq!(entry["unit_code"], "00004");
    }
    assert_eq!(entries[0]["detail"]["from"]["status"], "active");
    assert_eq!(entries[0]["detail"]["to"]["status"], "dissolved");
    assert_eq!(
        entries[1]["detail"]["from"]["name"],
        "Chi hội Khuyến học thôn Đông"
    );
    assert_eq!(entries[1]["detail"]["to"]["name"], "Chi hội thôn Đông Nam");
    assert_eq!(entries[1]["detail"]["to"]["chairperson"], "Trần Thị Bình");
    let created = &entries[2];
    assert_eq!(created["detail"]["name"], "Chi hội Khuyến học thôn Đông");
    assert_eq!(created["detail"]["level"], "branch");
    assert_eq!(created["detail"]["parent_id"], commune);
    assert_eq!(
        created["request_id"].as_str(),
        creation.header("x-request-id"),
        "the entry names the request that made the change"
    );

    let about_commune = app
        .get_json(
            &format!("/api/v1/audit?resource_id={commune}"),
            badinh.token(),
        )
        .await;
    assert_eq!(
        about_commune.body["total"], 0,
        "the refused deactivation wrote nothing: {}",
        about_commune.body
    );
    app.get_json("/api/v1/audit", branch_officer.token())
        .await
        .assert_problem(403, "forbidden");
    let saigon = app.sign_in("hcm.province", "province_officer", "79").await;
    let elsewhere = app
        .get_json(&format!("/api/v1/audit?resource_id={id}"), saigon.token())
        .await;
    elsewhere.assert_status(200);
    assert_eq!(elsewhere.body["total"], 0, "{}", elsewhere.body);
}
