//! `/api/v1/restructurings`: a newer list of communes is compared with the current one, applied
//! with lineage (records of merged communes move, people of dissolved ones are queued) and undone,
//! leaving every table as it was.

use crate::import::page_items;
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use serde_json::{Value, json};
use tests::TestApp;

tests::on_both_backends!(
    a_newer_list_shows_what_changed_and_only_the_central_administrator_may_use_it,
    applying_moves_records_along_the_lineage_and_undoing_restores_every_table,
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
    let mut ids = Vec::new();
    for (name, commune, village) in [
        ("Ngô Văn Hà", "00008", Some(village_id.as_str())),
        ("Ngô Thị Hà", "00008", None),
        ("Ngô Văn Võ", "00025", None),
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
    assert_eq!(applied.body["queued_records"], 1);
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
        .get_json(&format!("/api/v1/people/{}", ids[2]), token)
        .await;
    assert_eq!(vo.body["commune_code"], "00025", "split: not guessed");
    let queue = app
        .get_json("/api/v1/legacy-queue?reason=restructured", token)
        .await;
    let items = page_items(&queue);
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["person_id"], ids[2].as_str());
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
