//! `/api/v1/restructurings`: a newer list of communes is compared with the current one, applied
//! with lineage (records of merged communes move; people, villages, branches and committees of
//! dissolved ones are queued for an officer's choice) and undone, leaving every table as it was.

use crate::import::page_items;
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde_json::{Value, json};
use tests::TestApp;

tests::on_both_backends!(
    a_newer_list_shows_what_changed_and_only_the_central_administrator_may_use_it,
    applying_moves_records_along_the_lineage_and_undoing_restores_every_table,
    a_province_officer_moves_the_villages_and_branches_of_a_dissolved_commune,
);

const RESTRUCTURINGS: &str = "/api/v1/restructurings";

/// The shipped current list with: Ba Đình renamed, Ngọc Hà merged wholly into Ba Đình, Giảng Võ
/// split between Ba Đình and Hồng Hà, a new commune, and Phục Hòa (Cao Bằng) moved to Hà Nội.
fn newer_list() -> (String, String) {
    let path = tests::workspace_root().join("migrations/data/dvhc-2025-communes.csv");
    let text = std::fs::read_to_string(&path).expect("the shipped list");
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 && (line.starts_with("00008,") || line.starts_with("00025,")) {
            continue;
        }
        let line = if line.starts_with("00004,") {
            "00004,Phường Ba Đình Mới,phường,01".to_string()
        } else if line.starts_with("01273,") {
            line.replace(",04", ",01")
        } else {
            line.to_string()
        };
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("99001,Xã Thử Nghiệm,xã,01\n");
    let lineage = "old_commune_code,new_commune_code,partly_merged\n\
                   00008,00004,false\n00025,00004,true\n00025,00097,true\n";
    (out, lineage.to_string())
}

async fn a_newer_list_shows_what_changed_and_only_the_central_administrator_may_use_it(
    app: &TestApp,
) {
    let central = app.sign_in("central", "central_admin", "VN").await;
    let province = app.sign_in("hanoi", "province_officer", "01").await;
    let (communes, lineage) = newer_list();
    let body = json!({"communes_csv": communes, "lineage_csv": lineage});
    app.post_json(RESTRUCTURINGS, province.token(), &body)
        .await
        .assert_problem(403, "forbidden");
    let draft = app.post_json(RESTRUCTURINGS, central.token(), &body).await;
    draft.assert_status(201);
    assert_eq!(draft.body["status"], "draft");
    let changes = draft.body["changes"].as_array().expect("changes");
    let kind = |code: &str| {
        changes
            .iter()
            .find(|c| c["code"] == code)
            .map(|c| c["kind"].clone())
            .unwrap_or(Value::Null)
    };
    assert_eq!(changes.len(), 5, "{changes:?}");
    assert_eq!(kind("00004"), "renamed");
    assert_eq!(kind("00008"), "merged");
    assert_eq!(kind("00025"), "dissolved");
    assert_eq!(kind("99001"), "added");
    assert_eq!(kind("01273"), "moved");
    let split = changes
        .iter()
        .find(|c| c["code"] == "00025")
        .expect("00025");
    assert_eq!(split["successors"].as_array().map(Vec::len), Some(2));

    let bad = app
        .post_json(
            RESTRUCTURINGS,
            central.token(),
            &json!({"communes_csv": "code,name,type,province_code\n12x,Xã A,xã,01\n00001,Xã B,xã,77\n"}),
        )
        .await;
    bad.assert_invalid_field("communes_csv");
    assert!(
        bad.body["errors"].as_array().map(Vec::len) == Some(2),
        "{}",
        bad.body
    );
    app.post_json(
        RESTRUCTURINGS,
        central.token(),
        &json!({"communes_csv": communes, "lineage_csv": "old_commune_code,new_commune_code\n00008,77777\n"}),
    )
    .await
    .assert_invalid_field("lineage_csv");
    // Nothing applied by a draft.
    let unit = app
        .get_json("/api/v1/admin-units/00004", central.token())
        .await;
    assert_eq!(unit.body["name"], "Phường Ba Đình");
}

/// What Giảng Võ (00025, dissolved by [`newer_list`]) holds: a village, a branch serving it with
/// a committee under the branch, a person of that village and their membership of the branch.
struct GiangVo {
    village: String,
    branch: String,
    committee: String,
    person: String,
}

async fn giang_vo_records(app: &TestApp, token: Option<&str>) -> GiangVo {
    let id = |r: &tests::ApiResponse| r.body["id"].as_str().unwrap_or_default().to_string();
    let village = app
        .post_json(
            "/api/v1/villages",
            token,
            &json!({"commune_code": "00025", "name": "Tổ dân phố 7", "kind": "to_dan_pho"}),
        )
        .await;
    village.assert_status(201);
    let units = app
        .get_json(
            "/api/v1/association-units?commune_code=00025&level=commune",
            token,
        )
        .await;
    units.assert_status(200);
    let commune_unit = page_items(&units)
        .iter()
        .find(|u| u["level"] == "commune")
        .and_then(|u| u["id"].as_str().map(str::to_string))
        .expect("the commune's Association unit");
    let branch = app
        .post_json(
            "/api/v1/association-units",
            token,
            &json!({"name": "Chi hội Tổ dân phố 7", "level": "branch", "parent_id": commune_unit,
                    "village_id": id(&village)}),
        )
        .await;
    branch.assert_status(201);
    let committee = app
        .post_json(
            "/api/v1/association-units",
            token,
            &json!({"name": "Ban khuyến học dòng họ Ngô", "level": "committee",
                    "parent_id": id(&branch), "committee_kind": "clan"}),
        )
        .await;
    committee.assert_status(201);
    let person = app
        .post_json(
            "/api/v1/people",
            token,
            &json!({"full_name": "Ngô Văn Võ", "gender": "male", "birth_year": 1970,
                    "commune_code": "00025", "village_id": id(&village)}),
        )
        .await;
    person.assert_status(201);
    app.post_json(
        "/api/v1/memberships",
        token,
        &json!({"person_id": id(&person), "association_unit_id": id(&branch), "role": "hoi_vien"}),
    )
    .await
    .assert_status(201);
    GiangVo {
        village: id(&village),
        branch: id(&branch),
        committee: id(&committee),
        person: id(&person),
    }
}

/// The queue item about `subject_type`, among `items`.
fn item_of<'a>(items: &'a [Value], subject_type: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["subject_type"] == subject_type)
        .unwrap_or_else(|| panic!("no {subject_type} item in {items:?}"))
}

/// Every row of the tables a restructuring touches, in a stable order.
async fn dump(app: &TestApp) -> Vec<(String, Vec<Value>)> {
    let backend = app.db().get_database_backend();
    let mut out = Vec::new();
    for (table, order) in [
        ("admin_units", "id"),
        ("admin_unit_lineage", "id"),
        ("people", "id"),
        ("villages", "id"),
        ("association_units", "id"),
        ("memberships", "id"),
        ("registrations", "id"),
        ("legacy_queue", "id"),
    ] {
        let rows = Value::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT * FROM {table} ORDER BY {order}"),
        ))
        .all(app.db())
        .await
        .unwrap_or_else(|e| panic!("dumping {table}: {e}"));
        out.push((table.to_string(), rows));
    }
    out
}

async fn applying_moves_records_along_the_lineage_and_undoing_restores_every_table(app: &TestApp) {
    let central = app.sign_in("central", "central_admin", "VN").await;
    let token = central.token();
    // Records on the communes that change.
    let village = app
        .post_json(
            "/api/v1/villages",
            token,
            &json!({"commune_code": "00008", "name": "Tổ dân phố 5", "kind": "to_dan_pho"}),
        )
        .await;
    village.assert_status(201);
    let village_id = village.body["id"].as_str().unwrap_or_default().to_string();
    let giang_vo = giang_vo_records(app, token).await;
    let mut ids = Vec::new();
    for (name, commune, village) in [
        ("Ngô Văn Hà", "00008", Some(village_id.as_str())),
        ("Ngô Thị Hà", "00008", None),
        ("Ngô Văn Đình", "00004", None),
    ] {
        let p = app
            .post_json(
                "/api/v1/people",
                token,
                &json!({"full_name": name, "gender": if name.contains("Thị") {"female"} else {"male"},
                        "birth_year": 1970, "commune_code": commune, "village_id": village}),
            )
            .await;
        p.assert_status(201);
        ids.push(p.body["id"].as_str().unwrap_or_default().to_string());
    }
    let ngocha_unit = app
        .get_json(
            "/api/v1/association-units?commune_code=00008&level=commune",
            token,
        )
        .await;
    ngocha_unit.assert_status(200);
    let unit_id = page_items(&ngocha_unit)
        .iter()
        .find(|u| u["level"] == "commune")
        .and_then(|u| u["id"].as_str().map(str::to_string))
        .expect("the commune's Association unit");
    app.post_json(
        "/api/v1/memberships",
        token,
        &json!({"person_id": ids[0], "association_unit_id": unit_id, "role": "hoi_vien"}),
    )
    .await
    .assert_status(201);

    let before = dump(app).await;
    let (communes, lineage) = newer_list();
    let draft = app
        .post_json(
            RESTRUCTURINGS,
            token,
            &json!({"communes_csv": communes, "lineage_csv": lineage}),
        )
        .await;
    draft.assert_status(201);
    let id = draft.body["id"].as_str().unwrap_or_default().to_string();
    let merged = draft.body["changes"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == "00008").cloned())
        .expect("00008");
    assert_eq!(merged["records"], 3, "two people and a village");
    app.post_json(
        &format!("{RESTRUCTURINGS}/{id}/apply"),
        token,
        &json!({"effective_date": "2026-12-01"}),
    )
    .await
    .assert_status(422);
    let applied = app
        .post_json(
            &format!("{RESTRUCTURINGS}/{id}/apply"),
            token,
            &json!({"effective_date": "2026-12-01", "legal_basis": "Nghị quyết 9999/NQ-UBTVQH15"}),
        )
        .await;
    applied.assert_status(200);
    assert_eq!(applied.body["status"], "applied");
    assert_eq!(
        applied.body["queued_records"], 3,
        "Giảng Võ's person, village and branch (the committee follows its branch): {}",
        applied.body
    );
    assert_eq!(
        applied.body["moved_records"], 4,
        "two people, a village, a membership: {}",
        applied.body
    );

    let ha = app
        .get_json(&format!("/api/v1/people/{}", ids[0]), token)
        .await;
    assert_eq!(
        ha.body["commune_code"], "00004",
        "merged: moved along the lineage"
    );
    assert_eq!(
        ha.body["village_id"],
        village_id.as_str(),
        "its village moved with it"
    );
    let vo = app
        .get_json(&format!("/api/v1/people/{}", giang_vo.person), token)
        .await;
    assert_eq!(vo.body["commune_code"], "00025", "split: not guessed");
    assert_eq!(vo.body["village_id"], giang_vo.village.as_str());
    let queue = app
        .get_json("/api/v1/legacy-queue?reason=restructured", token)
        .await;
    let items = page_items(&queue);
    assert_eq!(items.len(), 3, "{}", queue.body);
    let person = item_of(&items, "person");
    assert_eq!(person["person_id"], giang_vo.person.as_str());
    assert_eq!(person["subject_name"], "Ngô Văn Võ");
    let village_item = item_of(&items, "village");
    assert_eq!(village_item["village_id"], giang_vo.village.as_str());
    assert_eq!(village_item["subject_name"], "Tổ dân phố 7");
    let branch_item = item_of(&items, "association_unit");
    assert_eq!(branch_item["association_unit_id"], giang_vo.branch.as_str());
    assert_eq!(branch_item["association_level"], "branch");
    for item in &items {
        let codes: Vec<&str> = item["candidates"]
            .as_array()
            .expect("candidates")
            .iter()
            .filter_map(|c| c["code"].as_str())
            .collect();
        assert_eq!(codes, ["00004", "00097"], "{item}");
        assert_eq!(item["province_code"], "01");
    }
    let village_now = app
        .get_json(&format!("/api/v1/villages/{}", giang_vo.village), token)
        .await;
    assert_eq!(village_now.body["commune_code"], "00025", "not guessed");
    let branch_now = app
        .get_json(
            &format!("/api/v1/association-units/{}", giang_vo.branch),
            token,
        )
        .await;
    assert_eq!(branch_now.body["commune_code"], "00025", "not guessed");
    let members = app
        .get_json(&format!("/api/v1/people/{}/memberships", ids[0]), token)
        .await;
    members.assert_status(200);
    assert_ne!(
        members.body[0]["association_unit_id"],
        unit_id.as_str(),
        "the membership followed"
    );
    let renamed = app.get_json("/api/v1/admin-units/00004", token).await;
    assert_eq!(renamed.body["name"], "Phường Ba Đình Mới");
    let added = app.get_json("/api/v1/admin-units/99001", token).await;
    added.assert_status(200);
    let lineage_rows: i64 = app
        .db()
        .query_one(Statement::from_string(
            app.db().get_database_backend(),
            "SELECT COUNT(*) FROM admin_unit_lineage".to_string(),
        ))
        .await
        .expect("count")
        .and_then(|r| r.try_get_by_index::<i64>(0).ok())
        .unwrap_or(-1);
    assert_eq!(lineage_rows, 3);
    app.post_json(
        &format!("{RESTRUCTURINGS}/{id}/apply"),
        token,
        &json!({"effective_date": "2026-12-01", "legal_basis": "Nghị quyết 9999/NQ-UBTVQH15"}),
    )
    .await
    .assert_problem(409, "conflict");

    let undone = app
        .post_json(&format!("{RESTRUCTURINGS}/{id}/undo"), token, &json!({}))
        .await;
    undone.assert_status(200);
    assert_eq!(undone.body["status"], "undone");
    let after = dump(app).await;
    for ((table, rows_before), (_, rows_after)) in before.iter().zip(after.iter()) {
        assert_eq!(rows_before.len(), rows_after.len(), "{table}: row count");
        for (b, a) in rows_before.iter().zip(rows_after.iter()) {
            assert_eq!(b, a, "{table}: a row differs after undo");
        }
    }
    app.post_json(&format!("{RESTRUCTURINGS}/{id}/undo"), token, &json!({}))
        .await
        .assert_problem(409, "conflict");
}

async fn a_province_officer_moves_the_villages_and_branches_of_a_dissolved_commune(app: &TestApp) {
    const QUEUE: &str = "/api/v1/legacy-queue";
    let central = app.sign_in("central", "central_admin", "VN").await;
    let giang_vo = giang_vo_records(app, central.token()).await;
    // A second person of the village, who will be resolved to another commune than it.
    let other = app
        .post_json(
            "/api/v1/people",
            central.token(),
            &json!({"full_name": "Ngô Thị Võ", "gender": "female", "birth_year": 1972,
                    "commune_code": "00025", "village_id": giang_vo.village}),
        )
        .await;
    other.assert_status(201);
    let other = other.body["id"].as_str().unwrap_or_default().to_string();
    // Hồng Hà (00097), one of the successors, has a village of the same name already.
    app.post_json(
        "/api/v1/villages",
        central.token(),
        &json!({"commune_code": "00097", "name": "Tổ dân phố 7", "kind": "to_dan_pho"}),
    )
    .await
    .assert_status(201);
    let (communes, lineage) = newer_list();
    let draft = app
        .post_json(
            RESTRUCTURINGS,
            central.token(),
            &json!({"communes_csv": communes, "lineage_csv": lineage}),
        )
        .await;
    draft.assert_status(201);
    let id = draft.body["id"].as_str().unwrap_or_default().to_string();
    app.post_json(
        &format!("{RESTRUCTURINGS}/{id}/apply"),
        central.token(),
        &json!({"effective_date": "2026-12-01", "legal_basis": "Nghị quyết 9999/NQ-UBTVQH15"}),
    )
    .await
    .assert_status(200);

    let hanoi = app.sign_in("hanoi", "province_officer", "01").await;
    let token = hanoi.token();
    let queue = app
        .get_json(&format!("{QUEUE}?reason=restructured"), token)
        .await;
    queue.assert_status(200);
    let items = page_items(&queue);
    assert_eq!(
        items.len(),
        4,
        "two people, a village, a branch: {}",
        queue.body
    );
    let item_id = |subject: &str| {
        item_of(&items, subject)["id"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    let (village_item, branch_item) = (item_id("village"), item_id("association_unit"));
    let person_item = |person: &str| {
        items
            .iter()
            .find(|i| i["person_id"] == person)
            .and_then(|i| i["id"].as_str())
            .unwrap_or_default()
            .to_string()
    };

    // Officers of another province neither see nor resolve them.
    let caobang = app.sign_in("caobang", "province_officer", "04").await;
    for item in [&village_item, &branch_item] {
        app.get_json(&format!("{QUEUE}/{item}"), caobang.token())
            .await
            .assert_problem(404, "not_found");
        app.post_json(
            &format!("{QUEUE}/{item}/resolve"),
            caobang.token(),
            &json!({"commune_code": "00004"}),
        )
        .await
        .assert_problem(404, "not_found");
    }

    // Nothing guessed: only a successor; and Hồng Hà has a Tổ dân phố 7 already.
    app.post_json(
        &format!("{QUEUE}/{village_item}/resolve"),
        token,
        &json!({"commune_code": "99001"}),
    )
    .await
    .assert_invalid_field("commune_code");
    let taken = app
        .post_json(
            &format!("{QUEUE}/{village_item}/resolve"),
            token,
            &json!({"commune_code": "00097"}),
        )
        .await;
    taken.assert_invalid_field("commune_code");
    assert_eq!(taken.body["errors"][0]["code"], "village_name_taken");

    // Everything at once, the village last: villages move first, so a person or a branch
    // resolved to the village's commune keeps it whatever the order; the committee follows its
    // branch, memberships stay on their unit, and the outcomes follow the list.
    let bulk = app
        .post_json(
            &format!("{QUEUE}/resolve"),
            token,
            &json!({"items": [
                {"id": branch_item, "commune_code": "00004"},
                {"id": person_item(&giang_vo.person), "commune_code": "00004"},
                {"id": person_item(&other), "commune_code": "00097"},
                {"id": village_item, "commune_code": "00004"},
            ]}),
        )
        .await;
    bulk.assert_status(200);
    assert_eq!(
        bulk.body[0]["association_unit_id"],
        giang_vo.branch.as_str()
    );
    assert_eq!(bulk.body[1]["person_id"], giang_vo.person.as_str());
    assert_eq!(bulk.body[3]["result"], "moved");
    assert_eq!(bulk.body[3]["village_id"], giang_vo.village.as_str());
    let village = app
        .get_json(&format!("/api/v1/villages/{}", giang_vo.village), token)
        .await;
    village.assert_status(200);
    assert_eq!(village.body["commune_code"], "00004");
    assert_eq!(village.body["province_code"], "01");
    let badinh_unit = page_items(
        &app.get_json(
            "/api/v1/association-units?commune_code=00004&level=commune",
            token,
        )
        .await,
    )
    .iter()
    .find(|u| u["level"] == "commune")
    .and_then(|u| u["id"].as_str().map(str::to_string))
    .expect("Ba Đình's Association unit");
    let branch = app
        .get_json(
            &format!("/api/v1/association-units/{}", giang_vo.branch),
            token,
        )
        .await;
    branch.assert_status(200);
    assert_eq!(branch.body["commune_code"], "00004");
    assert_eq!(branch.body["province_code"], "01");
    assert_eq!(branch.body["parent_id"], badinh_unit.as_str());
    assert_eq!(
        branch.body["village_id"],
        giang_vo.village.as_str(),
        "its village went to the same commune"
    );
    let committee = app
        .get_json(
            &format!("/api/v1/association-units/{}", giang_vo.committee),
            token,
        )
        .await;
    assert_eq!(committee.body["commune_code"], "00004");
    assert_eq!(committee.body["parent_id"], giang_vo.branch.as_str());
    let members = app
        .get_json(
            &format!("/api/v1/association-units/{}/members", giang_vo.branch),
            token,
        )
        .await;
    members.assert_status(200);
    let members = page_items(&members);
    assert_eq!(members.len(), 1);
    assert_eq!(members[0]["person_id"], giang_vo.person.as_str());
    assert_eq!(members[0]["status"], "active");
    let vo = app
        .get_json(&format!("/api/v1/people/{}", giang_vo.person), token)
        .await;
    assert_eq!(vo.body["commune_code"], "00004");
    assert_eq!(vo.body["village_id"], giang_vo.village.as_str());
    let thi_vo = app
        .get_json(&format!("/api/v1/people/{other}"), token)
        .await;
    assert_eq!(thi_vo.body["commune_code"], "00097");
    assert_eq!(
        thi_vo.body["village_id"],
        Value::Null,
        "the village lies in another commune"
    );
    let pending = app
        .get_json(&format!("{QUEUE}?reason=restructured"), token)
        .await;
    assert_eq!(pending.body["total"], 0);
    let done = app
        .get_json(&format!("{QUEUE}?status=resolved"), token)
        .await;
    assert_eq!(done.body["total"], 4);
    assert_eq!(
        item_of(&page_items(&done), "association_unit")["resolved_commune_code"],
        "00004"
    );

    // Undoing now would lose these choices.
    app.post_json(
        &format!("{RESTRUCTURINGS}/{id}/undo"),
        central.token(),
        &json!({}),
    )
    .await
    .assert_problem(409, "conflict");
}
