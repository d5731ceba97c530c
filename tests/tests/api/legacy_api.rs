//! Old addresses (before 2025-07-01) sent through the API instead of a current commune:
//! `POST /people`, `PUT /people/{id}`, `PUT /sync/people` and `POST /admin-units/legacy/convert`.
//! A whole old commune is converted; a split or unmapped one is held in the legacy-address queue
//! for an officer of the province, found again when sent twice, and the officer's choice creates
//! or moves the record.

use crate::import::count;
use reqwest::Method;
use serde_json::{Value, json};
use tests::{ApiResponse, TestApp};

tests::on_both_backends!(
    an_old_address_sent_to_people_is_converted_or_held_for_the_province,
    a_change_with_an_old_address_keeps_a_chosen_commune_or_waits_for_one,
    a_provincial_system_pushes_old_addresses_and_its_ids_follow_the_choice,
    the_convert_endpoint_answers_each_address_without_writing,
    conversions_follow_a_restructuring_applied_since,
);

const PEOPLE: &str = "/api/v1/people";
const QUEUE: &str = "/api/v1/legacy-queue";
const CONVERT: &str = "/api/v1/admin-units/legacy/convert";
const SYNC_PEOPLE: &str = "/api/v1/sync/people";

/// Phường Phúc Xá (old 00001) went whole into Phường Hồng Hà (00097).
fn whole() -> Value {
    json!({"province": "Thành phố Hà Nội", "district": "Quận Ba Đình", "commune": "Phường Phúc Xá"})
}

/// Phường Cống Vị (old 00007) was split between Ngọc Hà (00008) and Giảng Võ (00025).
fn split() -> Value {
    json!({"province": "ha noi", "district": "ba dinh", "commune": "cong vi"})
}

fn person(name: &str, personal_id: Option<&str>, legacy: Value) -> Value {
    let mut body = json!({
        "full_name": name,
        "gender": "male",
        "birth_year": 1985,
        "legacy_address": legacy,
    });
    if let Some(id) = personal_id {
        body["personal_id"] = json!(id);
    }
    body
}

async fn put_json(app: &TestApp, path: &str, token: Option<&str>, body: &Value) -> ApiResponse {
    app.send(app.request(Method::PUT, path, token).json(body))
        .await
}

fn codes(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|c| c["code"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

async fn pending(app: &TestApp) -> i64 {
    count(
        app,
        "SELECT COUNT(*) FROM legacy_queue WHERE status = 'pending'",
    )
    .await
}

async fn an_old_address_sent_to_people_is_converted_or_held_for_the_province(app: &TestApp) {
    let hanoi = app.sign_in("hanoi", "province_officer", "01").await;
    let token = hanoi.token();

    // A whole old commune is converted.
    let created = app
        .post_json(PEOPLE, token, &person("Trần Văn Một", None, whole()))
        .await;
    created.assert_status(201);
    assert_eq!(created.body["commune_code"], "00097");
    assert_eq!(created.body["province_code"], "01");

    // A split one is held, with its candidates, and nothing else is written.
    let people_before = count(app, "SELECT COUNT(*) FROM people").await;
    let held = app
        .post_json(
            PEOPLE,
            token,
            &person("Trần Văn Hai", Some("001085000201"), split()),
        )
        .await;
    held.assert_status(202);
    let id = held.body["id"].as_str().unwrap_or_default().to_string();
    assert_eq!(
        held.header("location"),
        Some(format!("/api/v1/legacy-queue/{id}").as_str())
    );
    assert_eq!(held.body["reason"], "split");
    assert_eq!(held.body["source"], "api");
    assert_eq!(held.body["subject_type"], "person");
    assert_eq!(held.body["legacy_commune_code"], "00007");
    assert_eq!(codes(&held.body["candidates"]), ["00008", "00025"]);
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM people").await,
        people_before
    );
    app.post_json(
        &format!("{PEOPLE}/lookup"),
        token,
        &json!({"personal_id": "001085000201"}),
    )
    .await
    .assert_status(404);

    // Sent again (a newer phone number): the same item, holding the newer fields.
    let again = app
        .post_json(
            PEOPLE,
            token,
            &json!({
                "full_name": "Trần Văn Hai",
                "gender": "male",
                "birth_year": 1985,
                "personal_id": "001 085 000 201",
                "phone": "0912 345 678",
                "legacy_address": {"commune": "00007"},
            }),
        )
        .await;
    again.assert_status(202);
    assert_eq!(again.body["id"], json!(id));
    assert_eq!(pending(app).await, 1);

    // Invalid records are refused before anything is queued, each field named.
    app.post_json(
        PEOPLE,
        token,
        &person("Trần Văn Ba", Some("001185000301"), split()),
    )
    .await
    .assert_invalid_field("personal_id");
    app.post_json(
        PEOPLE,
        token,
        &person(
            "Trần Văn Ba",
            None,
            json!({"province": "Atlantis", "commune": "Xã Đông"}),
        ),
    )
    .await
    .assert_invalid_field("legacy_address.province");
    app.post_json(
        PEOPLE,
        token,
        &person("Trần Văn Ba", None, json!({"commune": "Xã Đông"})),
    )
    .await
    .assert_invalid_field("legacy_address.commune");
    app.post_json(
        PEOPLE,
        token,
        &json!({"full_name": "Trần Văn Ba", "gender": "male", "birth_year": 1985}),
    )
    .await
    .assert_invalid_field("commune_code");
    assert_eq!(pending(app).await, 1);

    // Scope: another province's old address, and a commune officer of a non-candidate commune.
    let hcm = app.sign_in("hcm", "province_officer", "79").await;
    app.post_json(
        PEOPLE,
        token,
        &person(
            "Lê Văn Bốn",
            None,
            json!({"province": "Bình Dương", "district": "Thủ Dầu Một", "commune": "Hiệp Thành"}),
        ),
    )
    .await
    .assert_problem(403, "forbidden");
    let badinh = app.sign_in("badinh", "commune_officer", "00004").await;
    app.post_json(PEOPLE, badinh.token(), &person("Lê Văn Năm", None, split()))
        .await
        .assert_problem(403, "forbidden");
    app.get_json(&format!("{QUEUE}/{id}"), hcm.token())
        .await
        .assert_problem(404, "not_found");
    assert_eq!(pending(app).await, 1);

    // The officer's choice creates the record with the newest fields.
    let resolved = app
        .post_json(
            &format!("{QUEUE}/{id}/resolve"),
            token,
            &json!({"commune_code": "00025"}),
        )
        .await;
    resolved.assert_status(200);
    assert_eq!(resolved.body["result"], "created");
    let person_id = resolved.body["person_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let record = app.get_json(&format!("{PEOPLE}/{person_id}"), token).await;
    record.assert_status(200);
    assert_eq!(record.body["commune_code"], "00025");
    assert_eq!(record.body["phone"], "+84912345678");
    assert_eq!(pending(app).await, 0);

    // The number is now on a record: a second create is a duplicate, not a second item.
    app.post_json(
        PEOPLE,
        token,
        &person("Trần Văn Hai", Some("001085000201"), split()),
    )
    .await
    .assert_problem(409, "duplicate");
    assert_eq!(pending(app).await, 0);

    // A record held, then sent with its current commune: created once, the item closed.
    let mut by_ext = person("Phạm Văn Sáu", None, split());
    by_ext["external_id"] = json!("HN-6");
    let held = app.post_json(PEOPLE, token, &by_ext).await;
    held.assert_status(202);
    let item = held.body["id"].as_str().unwrap_or_default().to_string();
    by_ext["commune_code"] = json!("00008");
    app.post_json(PEOPLE, token, &by_ext)
        .await
        .assert_status(201);
    let closed = app.get_json(&format!("{QUEUE}/{item}"), token).await;
    assert_eq!(closed.body["status"], "resolved");
    assert_eq!(closed.body["resolved_commune_code"], "00008");
    assert_eq!(pending(app).await, 0);
}

async fn a_change_with_an_old_address_keeps_a_chosen_commune_or_waits_for_one(app: &TestApp) {
    let hanoi = app.sign_in("hanoi", "province_officer", "01").await;
    let token = hanoi.token();
    let on = |commune: &str, name: &str, id: &str| {
        json!({
            "full_name": name, "gender": "female", "birth_year": 1990,
            "personal_id": id, "commune_code": commune,
        })
    };
    let giangvo = app
        .post_json(PEOPLE, token, &on("00025", "Ngô Thị Bảy", "001190000701"))
        .await;
    giangvo.assert_status(201);
    let giangvo_id = giangvo.body["id"].as_str().unwrap_or_default().to_string();
    let badinh = app
        .post_json(PEOPLE, token, &on("00004", "Ngô Thị Tám", "001190000801"))
        .await;
    badinh.assert_status(201);
    let badinh_id = badinh.body["id"].as_str().unwrap_or_default().to_string();

    // On a candidate already: the commune is kept, the other fields change.
    let mut change = person("Ngô Thị Bảy", Some("001190000701"), split());
    change["gender"] = json!("female");
    change["birth_year"] = json!(1990);
    change["occupation"] = json!("Giáo viên");
    let kept = put_json(app, &format!("{PEOPLE}/{giangvo_id}"), token, &change).await;
    kept.assert_status(200);
    assert_eq!(kept.body["commune_code"], "00025");
    assert_eq!(kept.body["occupation"], "Giáo viên");

    // Elsewhere: the whole change waits, the record stays as it is.
    let mut change = person("Ngô Thị Tám", Some("001190000801"), split());
    change["gender"] = json!("female");
    change["birth_year"] = json!(1990);
    change["occupation"] = json!("Nông dân");
    let waits = put_json(app, &format!("{PEOPLE}/{badinh_id}"), token, &change).await;
    waits.assert_status(202);
    assert_eq!(waits.body["person_id"], json!(badinh_id));
    let item = waits.body["id"].as_str().unwrap_or_default().to_string();
    let unchanged = app.get_json(&format!("{PEOPLE}/{badinh_id}"), token).await;
    assert_eq!(unchanged.body["commune_code"], "00004");
    assert_eq!(unchanged.body["occupation"], Value::Null);

    // The choice moves the record and applies the change.
    let moved = app
        .post_json(
            &format!("{QUEUE}/{item}/resolve"),
            token,
            &json!({"commune_code": "00008"}),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["result"], "moved");
    assert_eq!(moved.body["person_id"], json!(badinh_id));
    let after = app.get_json(&format!("{PEOPLE}/{badinh_id}"), token).await;
    assert_eq!(after.body["commune_code"], "00008");
    assert_eq!(after.body["occupation"], "Nông dân");
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM people WHERE full_name = 'Ngô Thị Tám'"
        )
        .await,
        1
    );
}

async fn a_provincial_system_pushes_old_addresses_and_its_ids_follow_the_choice(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let created = app
        .post_json(
            "/api/v1/clients",
            admin.token(),
            &json!({"name": "Hệ thống tỉnh Hà Nội", "unit": "01", "operations": ["people:read", "people:write"]}),
        )
        .await;
    created.assert_status(201);
    let id = created.body["client"]["client_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let secret = created.body["client_secret"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let answer = app
        .send(
            app.request(Method::POST, "/api/v1/oauth/token", None)
                .basic_auth(&id, Some(&secret))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
    answer.assert_status(200);
    let client = answer.body["access_token"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let with = |ext: &str, name: &str, legacy: Value| {
        let mut item = person(name, None, legacy);
        item["external_id"] = json!(ext);
        item
    };
    let batch = json!({"items": [
        with("HN-1", "Vũ Văn Một", whole()),
        with("HN-2", "Vũ Văn Hai", split()),
        with("HN-3", "Vũ Văn Ba", json!({"province": "Atlantis", "commune": "Xã Đông"})),
        with("HN-4", "Vũ Văn Bốn", json!({"province": "Bình Dương", "district": "Thủ Dầu Một", "commune": "Hiệp Thành"})),
    ]});
    let first = put_json(app, SYNC_PEOPLE, Some(&client), &batch).await;
    first.assert_status(200);
    assert_eq!(
        (
            &first.body["created"],
            &first.body["queued"],
            &first.body["rejected"]
        ),
        (&json!(1), &json!(1), &json!(2))
    );
    let items = first.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items[0]["status"], "created");
    assert_eq!(items[1]["status"], "queued");
    assert_eq!(items[1]["id"], Value::Null);
    let item = items[1]["queue_item_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(!item.is_empty(), "a queue item id: {}", first.body);
    assert_eq!(
        items[2]["error"]["errors"][0]["field"],
        "items[2].legacy_address.province"
    );
    assert_eq!(items[3]["error"]["status"], 403);

    // The same batch again: the same item, no second one.
    let second = put_json(app, SYNC_PEOPLE, Some(&client), &batch).await;
    second.assert_status(200);
    assert_eq!(second.body["items"][0]["status"], "unchanged");
    assert_eq!(second.body["items"][1]["queue_item_id"], json!(item));
    assert_eq!(pending(app).await, 1);

    // An officer of the province chooses; the client's id then names the record.
    let hanoi = app.sign_in("hanoi", "province_officer", "01").await;
    let resolved = app
        .post_json(
            &format!("{QUEUE}/{item}/resolve"),
            hanoi.token(),
            &json!({"commune_code": "00008"}),
        )
        .await;
    resolved.assert_status(200);
    let person_id = resolved.body["person_id"].clone();
    let third = put_json(app, SYNC_PEOPLE, Some(&client), &batch).await;
    third.assert_status(200);
    assert_eq!(third.body["items"][1]["status"], "updated");
    assert_eq!(third.body["items"][1]["id"], person_id);
    let fourth = put_json(app, SYNC_PEOPLE, Some(&client), &batch).await;
    assert_eq!(fourth.body["items"][1]["status"], "unchanged");
    assert_eq!(
        count(
            app,
            "SELECT COUNT(*) FROM people WHERE external_id = 'HN-2'"
        )
        .await,
        1
    );
    let record = app
        .get_json(
            &format!("{PEOPLE}/{}", person_id.as_str().unwrap_or_default()),
            hanoi.token(),
        )
        .await;
    assert_eq!(record.body["commune_code"], "00008");
    assert_eq!(pending(app).await, 0);
}

async fn the_convert_endpoint_answers_each_address_without_writing(app: &TestApp) {
    let body = json!({"items": [
        {"province": "ha noi", "district": "ba dinh", "commune": "phuc xa"},
        {"commune": "7"},
        {"commune": "01651"},
        {"province": "Atlantis", "commune": "Xã Đông"},
        // Decomposed Unicode (NFD), as some spreadsheets store it.
        {"province": "Ha\u{300} Nô\u{323}i", "district": "Ba \u{110}i\u{300}nh", "commune": "Phu\u{301}c Xa\u{301}"},
    ]});
    app.post_json(CONVERT, None, &body)
        .await
        .assert_problem(401, "invalid_token");
    let officer = app.sign_in("hanoi", "province_officer", "01").await;
    let before = count(app, "SELECT COUNT(*) FROM legacy_queue").await;
    let answer = app.post_json(CONVERT, officer.token(), &body).await;
    answer.assert_status(200);
    let list = answer.body.as_array().cloned().unwrap_or_default();
    assert_eq!(list.len(), 5);
    assert_eq!(list[0]["status"], "converted");
    assert_eq!(list[0]["commune_code"], "00097");
    assert_eq!(list[0]["commune_name"], "Phường Hồng Hà");
    assert_eq!(list[0]["legacy_commune_code"], "00001");
    assert_eq!(list[1]["status"], "split");
    assert_eq!(list[1]["province_code"], "01");
    assert_eq!(codes(&list[1]["candidates"]), ["00008", "00025"]);
    assert_eq!(list[1]["candidates"][0]["name"], "Phường Ngọc Hà");
    assert_eq!(list[2]["status"], "unmapped");
    assert!(!codes(&list[2]["candidates"]).is_empty());
    assert_eq!(list[3]["status"], "invalid");
    assert_eq!(list[3]["errors"][0]["field"], "items[3].province");
    assert_eq!(list[4]["commune_code"], "00097");
    assert_eq!(
        count(app, "SELECT COUNT(*) FROM legacy_queue").await,
        before
    );

    app.post_json(CONVERT, officer.token(), &json!({"items": []}))
        .await
        .assert_invalid_field("items");
    app.post_json(
        CONVERT,
        officer.token(),
        &json!({"items": [{"province": "01"}]}),
    )
    .await
    .assert_invalid_field("items[0].commune");
}

async fn conversions_follow_a_restructuring_applied_since(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    // Before: the conversion data is read (and kept) by this process.
    let unmapped = json!({"items": [{"commune": "01651"}]});
    let before = app.post_json(CONVERT, admin.token(), &unmapped).await;
    before.assert_status(200);
    let offered = codes(&before.body[0]["candidates"]);
    assert!(offered.len() > 1, "several candidates: {}", before.body);
    let (gone, kept) = (offered[0].clone(), offered[1].clone());

    // Since 2025: Ngọc Hà (00008) and Ba Đình (00004) merged into Giảng Võ (00025), Hồng Hà
    // (00097) moved to province 04, and a candidate of the unmapped Mỹ Hưng merged into another.
    let path = tests::workspace_root().join("migrations/data/dvhc-2025-communes.csv");
    let shipped = std::fs::read_to_string(&path).expect("the shipped list");
    let mut communes = String::new();
    for (i, line) in shipped.lines().enumerate() {
        if i > 0
            && (line.starts_with("00008,")
                || line.starts_with("00004,")
                || line.starts_with(&format!("{gone},")))
        {
            continue;
        }
        if line.starts_with("00097,") {
            communes.push_str(&line.replace(",01", ",04"));
        } else {
            communes.push_str(line);
        }
        communes.push('\n');
    }
    let lineage = format!(
        "old_commune_code,new_commune_code,partly_merged\n00008,00025,false\n00004,00025,false\n{gone},{kept},false\n"
    );
    let draft = app
        .post_json(
            "/api/v1/restructurings",
            admin.token(),
            &json!({"communes_csv": communes, "lineage_csv": lineage}),
        )
        .await;
    draft.assert_status(201);
    let id = draft.body["id"].as_str().unwrap_or_default().to_string();
    app.post_json(
        &format!("/api/v1/restructurings/{id}/apply"),
        admin.token(),
        &json!({"effective_date": "2026-12-01", "legal_basis": "Nghị quyết thử nghiệm"}),
    )
    .await
    .assert_status(200);

    let answer = app
        .post_json(
            CONVERT,
            admin.token(),
            &json!({"items": [
                {"province": "ha noi", "district": "ba dinh", "commune": "phuc xa"},
                {"province": "ha noi", "district": "ba dinh", "commune": "cong vi"},
                {"province": "ha noi", "district": "ba dinh", "commune": "truc bach"},
            ]}),
        )
        .await;
    answer.assert_status(200);
    let list = answer.body.as_array().cloned().unwrap_or_default();
    // The whole successor, in its current province.
    assert_eq!(list[0]["status"], "converted");
    assert_eq!(list[0]["commune_code"], "00097");
    assert_eq!(list[0]["province_code"], "04");
    // A split one offers only the candidates still current.
    assert_eq!(list[1]["status"], "split");
    assert_eq!(codes(&list[1]["candidates"]), ["00025"]);
    assert_eq!(list[1]["province_code"], "01");
    // A successor dissolved since: nothing is guessed.
    assert_eq!(list[2]["status"], "invalid");
    assert_eq!(list[2]["errors"][0]["code"], "successor_not_current");
    assert_eq!(list[2]["errors"][0]["field"], "items[2].commune");
    // An unmapped one no longer offers the commune merged away.
    let after = app.post_json(CONVERT, admin.token(), &unmapped).await;
    let now_offered = codes(&after.body[0]["candidates"]);
    assert!(
        !now_offered.contains(&gone) && now_offered.contains(&kept),
        "{gone} left the candidates: {}",
        after.body
    );

    // A record sent with that old address lands in the current province.
    let hanoi = app.sign_in("hanoi", "province_officer", "01").await;
    app.post_json(
        PEOPLE,
        hanoi.token(),
        &person("Đinh Văn Một", None, whole()),
    )
    .await
    .assert_problem(403, "forbidden");
    let caobang = app.sign_in("caobang", "province_officer", "04").await;
    let created = app
        .post_json(
            PEOPLE,
            caobang.token(),
            &person("Đinh Văn Một", None, whole()),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["commune_code"], "00097");
    assert_eq!(created.body["province_code"], "04");
}
