//! `/api/v1/restructurings` with a provinces file: provinces added, renamed and merged (their
//! accounts, API clients, committees and memberships handed to the successor) and undone leaving
//! every table as it was; bad province lists refused line by line; a province dissolved over
//! several provinces while accounts sit on it refused without changing anything.

use api::db::entities::{api_client, association_unit, membership};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, FromQueryResult, Set, Statement};
use serde_json::{Value, json};
use tests::TestApp;
use uuid::Uuid;

tests::on_both_backends!(
    provinces_are_renamed_added_and_merged_and_undoing_restores_every_table,
    bad_province_lists_are_refused_naming_the_field_and_the_line_and_change_nothing,
    a_province_dissolved_over_several_while_accounts_sit_on_it_is_refused,
);

const RESTRUCTURINGS: &str = "/api/v1/restructurings";

/// Namespace of the ids the registry migration gives the seeded Association units (a copy of
/// `migrations::m20251128_000004_registry::ASSOCIATION_UNIT_NAMESPACE`; the ids are a contract).
const ASSOCIATION_UNIT_NAMESPACE: Uuid = Uuid::from_u128(0x6c0d_8a51_3f2e_4b7a_9d10_5e2a_c4f3_1b01);

fn association_unit_id(level: &str, code: &str) -> Uuid {
    Uuid::new_v5(
        &ASSOCIATION_UNIT_NAMESPACE,
        format!("{level}:{code}").as_bytes(),
    )
}

fn province_unit(code: &str) -> Uuid {
    association_unit_id("province", code)
}

/// The lines of a shipped list (header first), without line ends.
fn shipped(file: &str) -> Vec<String> {
    let path = tests::workspace_root().join("migrations/data").join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect()
}

fn joined(lines: impl IntoIterator<Item = String>) -> String {
    lines.into_iter().map(|l| l + "\n").collect()
}

/// The codes of the current communes of Cao Bằng (04), in file order.
fn cao_bang_communes() -> Vec<String> {
    shipped("dvhc-2025-communes.csv")
        .into_iter()
        .skip(1)
        .filter(|l| l.ends_with(",04"))
        .filter_map(|l| l.split(',').next().map(str::to_string))
        .collect()
}

/// The shipped provinces with Điện Biên (11) renamed, Cao Bằng (04) left out and a new
/// province 99; the shipped communes with Cao Bằng's in Tuyên Quang (08) and Mường Lay (03151)
/// in the new province.
fn merging_lists() -> (String, String) {
    let provinces = shipped("dvhc-2025-provinces.csv")
        .into_iter()
        .filter(|l| !l.starts_with("04,"))
        .map(|l| {
            if l.starts_with("11,") {
                "11,Tỉnh Điện Biên Phủ,tỉnh,dien_bien_phu,215".to_string()
            } else {
                l
            }
        })
        .chain(["99,Tỉnh Thử Nghiệm,tỉnh,thu_nghiem,299".to_string()]);
    let communes = shipped("dvhc-2025-communes.csv").into_iter().map(|l| {
        if let Some(rest) = l.strip_suffix(",04") {
            format!("{rest},08")
        } else if l.starts_with("03151,") {
            l.replace(",11", ",99")
        } else {
            l
        }
    });
    (joined(provinces), joined(communes))
}

/// Every row of the tables a restructuring touches, in a stable order (the counters without
/// their zero rows, which carry no count).
async fn dump(app: &TestApp) -> Vec<(String, Vec<Value>)> {
    let backend = app.db().get_database_backend();
    let mut out = Vec::new();
    for (table, query) in [
        ("admin_units", "SELECT * FROM admin_units ORDER BY id"),
        (
            "admin_unit_lineage",
            "SELECT * FROM admin_unit_lineage ORDER BY id",
        ),
        ("people", "SELECT * FROM people ORDER BY id"),
        ("villages", "SELECT * FROM villages ORDER BY id"),
        (
            "association_units",
            "SELECT * FROM association_units ORDER BY id",
        ),
        ("memberships", "SELECT * FROM memberships ORDER BY id"),
        ("registrations", "SELECT * FROM registrations ORDER BY id"),
        ("legacy_queue", "SELECT * FROM legacy_queue ORDER BY id"),
        ("users", "SELECT * FROM users ORDER BY id"),
        ("api_clients", "SELECT * FROM api_clients ORDER BY id"),
        (
            "baselines",
            "SELECT * FROM baselines ORDER BY period_id, kind, unit_key",
        ),
        (
            "member_counts",
            "SELECT * FROM member_counts WHERE n <> 0 ORDER BY level, code",
        ),
        (
            "report_counts",
            "SELECT * FROM report_counts WHERE n <> 0 \
             ORDER BY period_id, level, dim, code, value, status",
        ),
    ] {
        let rows = Value::find_by_statement(Statement::from_string(backend, query.to_string()))
            .all(app.db())
            .await
            .unwrap_or_else(|e| panic!("dumping {table}: {e}"));
        out.push((table.to_string(), rows));
    }
    out
}

fn assert_same(before: &[(String, Vec<Value>)], after: &[(String, Vec<Value>)], when: &str) {
    for ((table, rows_before), (_, rows_after)) in before.iter().zip(after.iter()) {
        assert_eq!(
            rows_before.len(),
            rows_after.len(),
            "{table}: row count {when}"
        );
        for (b, a) in rows_before.iter().zip(rows_after.iter()) {
            assert_eq!(b, a, "{table}: a row differs {when}");
        }
    }
}

/// One text cell of the first row of `query`.
async fn text_of(app: &TestApp, query: &str) -> String {
    app.db()
        .query_one(Statement::from_string(
            app.db().get_database_backend(),
            query.to_string(),
        ))
        .await
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_else(|| panic!("{query}: no row"))
}

async fn counters_are_right(app: &TestApp, token: Option<&str>, when: &str) {
    let check = app.get_json("/api/v1/reports/counters/check", token).await;
    check.assert_status(200);
    assert_eq!(
        check.body["report_rows_differing"], 0,
        "{when}: {}",
        check.body
    );
    assert_eq!(
        check.body["member_rows_differing"], 0,
        "{when}: {}",
        check.body
    );
}

/// The codes of `GET /admin-units/provinces`.
async fn province_codes(app: &TestApp) -> Vec<String> {
    let list = app.get_json("/api/v1/admin-units/provinces", None).await;
    list.assert_status(200);
    list.body
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|p| p["code"].as_str().map(str::to_string))
        .collect()
}

/// The province changes of a draft, by code.
fn province_change<'a>(draft: &'a Value, code: &str) -> &'a Value {
    draft["changes"]
        .as_array()
        .and_then(|c| {
            c.iter()
                .find(|c| c["level"] == "province" && c["code"] == code)
        })
        .unwrap_or_else(|| panic!("no province change {code} in {draft}"))
}

async fn provinces_are_renamed_added_and_merged_and_undoing_restores_every_table(app: &TestApp) {
    let central = app.sign_in("central", "central_admin", "VN").await;
    let token = central.token();
    app.sign_in("caobang", "province_officer", "04").await;
    app.sign_in("caobang_viewer", "viewer", "04").await;
    let cao_bang = cao_bang_communes();
    assert_eq!(
        cao_bang.len(),
        56,
        "the shipped list has 56 communes in Cao Bằng"
    );
    let person = app
        .post_json(
            "/api/v1/people",
            token,
            &json!({"full_name": "Nông Văn Bằng", "gender": "male", "birth_year": 1968,
                    "commune_code": cao_bang[0]}),
        )
        .await;
    person.assert_status(201);
    let person_id = person.body["id"].as_str().unwrap_or_default().to_string();
    let person_uuid = Uuid::parse_str(&person_id).expect("a person id");
    // A province-level committee of Cao Bằng's Association, with a member, a member of the
    // province's Association itself and of the commune's, and an API client of the province.
    let now = Utc::now();
    let committee = association_unit::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set("Ban khuyến học Sở Giáo dục Cao Bằng".into()),
        search_name: Set("ban khuyen hoc so giao duc cao bang".into()),
        level: Set("committee".into()),
        parent_id: Set(Some(province_unit("04"))),
        admin_unit_code: Set("04".into()),
        province_code: Set(Some("04".into())),
        commune_code: Set(None),
        village_id: Set(None),
        committee_kind: Set(Some("agency".into())),
        chairperson: Set(None),
        phone: Set(None),
        email: Set(None),
        status: Set("active".into()),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(app.db())
    .await
    .expect("a province-level committee");
    for unit in [
        committee.id,
        province_unit("04"),
        association_unit_id("commune", &cao_bang[0]),
    ] {
        membership::ActiveModel {
            id: Set(Uuid::new_v4()),
            person_id: Set(person_uuid),
            association_unit_id: Set(unit),
            role: Set("hoi_vien".into()),
            joined_on: Set(None),
            card_number: Set(None),
            status: Set("active".into()),
            ended_on: Set(None),
            transferred_to_id: Set(None),
            note: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
        }
        .insert(app.db())
        .await
        .expect("a membership");
    }
    api_client::ActiveModel {
        id: Set(Uuid::new_v4()),
        name: Set("Phần mềm Sở Giáo dục Cao Bằng".into()),
        province_code: Set(Some("04".into())),
        scopes: Set("people:read".into()),
        secret_hash: Set("not-a-real-hash".into()),
        secret_changed_at: Set(now),
        revoked_at: Set(None),
        created_by: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(app.db())
    .await
    .expect("an API client");
    // The commune's population in a period: reports sum it by province.
    let year = chrono::Datelike::year(&Utc::now().date_naive());
    let period = app
        .post_json("/api/v1/periods", token, &json!({"year": year}))
        .await;
    period.assert_status(201);
    let period_id = period.body["id"].as_str().unwrap_or_default().to_string();
    app.send(
        app.request(
            reqwest::Method::PUT,
            &format!(
                "/api/v1/periods/{period_id}/baselines/communes/{}",
                cao_bang[0]
            ),
            token,
        )
        .json(&json!({"population": 5000, "adult_population": 3600})),
    )
    .await
    .assert_status(200);
    counters_are_right(app, token, "before").await;

    let before = dump(app).await;
    let (provinces, communes) = merging_lists();
    let draft = app
        .post_json(
            RESTRUCTURINGS,
            token,
            &json!({"provinces_csv": provinces, "communes_csv": communes}),
        )
        .await;
    draft.assert_status(201);
    let changes = draft.body["changes"].as_array().expect("changes");
    let of_level = |level: &str| changes.iter().filter(|c| c["level"] == level).count();
    assert_eq!(of_level("province"), 3, "{changes:?}");
    assert_eq!(
        of_level("commune"),
        57,
        "56 communes of Cao Bằng and Mường Lay moved"
    );
    assert!(
        changes
            .iter()
            .filter(|c| c["level"] == "commune")
            .all(|c| c["kind"] == "moved")
    );
    let renamed = province_change(&draft.body, "11");
    assert_eq!(renamed["kind"], "renamed");
    assert_eq!(renamed["old_name"], "Tỉnh Điện Biên");
    assert_eq!(renamed["new_name"], "Tỉnh Điện Biên Phủ");
    let added = province_change(&draft.body, "99");
    assert_eq!(added["kind"], "added");
    assert_eq!(added["new_name"], "Tỉnh Thử Nghiệm");
    let merged = province_change(&draft.body, "04");
    assert_eq!(merged["kind"], "merged");
    assert_eq!(merged["new_province_code"], "08");
    assert_eq!(
        merged["successors"],
        json!([{"old_code": "04", "new_code": "08", "whole": true}])
    );
    assert_eq!(
        merged["records"], 5,
        "two accounts, an API client, a committee and a member: {merged}"
    );
    let muong_lay = changes
        .iter()
        .find(|c| c["code"] == "03151")
        .expect("03151");
    assert_eq!(muong_lay["new_province_code"], "99");
    // The province changes come first, so a new province exists before communes move into it.
    assert_eq!(changes[0]["level"], "province");

    let id = draft.body["id"].as_str().unwrap_or_default().to_string();
    let applied = app
        .post_json(
            &format!("{RESTRUCTURINGS}/{id}/apply"),
            token,
            &json!({"effective_date": "2026-12-01", "legal_basis": "Nghị quyết 9998/NQ-UBTVQH15"}),
        )
        .await;
    applied.assert_status(200);
    assert_eq!(applied.body["status"], "applied");
    assert_eq!(
        applied.body["moved_records"], 6,
        "the person, the committee, a membership, two accounts and the API client: {}",
        applied.body
    );

    assert_eq!(
        text_of(
            app,
            "SELECT status FROM admin_units WHERE era = 'current' AND level = 'province' AND code = '04'"
        )
        .await,
        "merged"
    );
    let new_province = app.get_json("/api/v1/admin-units/99", token).await;
    new_province.assert_status(200);
    assert_eq!(new_province.body["name"], "Tỉnh Thử Nghiệm");
    let renamed = app.get_json("/api/v1/admin-units/11", token).await;
    assert_eq!(renamed.body["name"], "Tỉnh Điện Biên Phủ");
    let muong_lay = app.get_json("/api/v1/admin-units/03151", token).await;
    assert_eq!(muong_lay.body["province_code"], "99");
    let new_unit = app
        .get_json(
            &format!("/api/v1/association-units/{}", province_unit("99")),
            token,
        )
        .await;
    new_unit.assert_status(200);
    assert_eq!(new_unit.body["name"], "Hội Khuyến học Tỉnh Thử Nghiệm");
    let moved_committee = app
        .get_json(
            &format!("/api/v1/association-units/{}", committee.id),
            token,
        )
        .await;
    moved_committee.assert_status(200);
    assert_eq!(moved_committee.body["province_code"], "08");
    assert_eq!(
        moved_committee.body["parent_id"],
        province_unit("08").to_string()
    );
    let old_unit = app
        .get_json(
            &format!("/api/v1/association-units/{}", province_unit("04")),
            token,
        )
        .await;
    assert_eq!(old_unit.body["status"], "merged");
    for username in ["caobang", "caobang_viewer"] {
        assert_eq!(
            text_of(
                app,
                &format!("SELECT unit_code FROM users WHERE username = '{username}'")
            )
            .await,
            "08",
            "{username} moved to the successor"
        );
    }
    assert_eq!(
        text_of(app, "SELECT province_code FROM api_clients").await,
        "08"
    );
    assert_eq!(
        text_of(
            app,
            "SELECT new_code FROM admin_unit_lineage WHERE old_code = '04'"
        )
        .await,
        "08"
    );
    assert_eq!(
        text_of(
            app,
            &format!(
                "SELECT province_code FROM baselines WHERE commune_code = '{}'",
                cao_bang[0]
            )
        )
        .await,
        "08",
        "the commune's baseline counts in its new province"
    );
    let moved_person = app
        .get_json(&format!("/api/v1/people/{person_id}"), token)
        .await;
    assert_eq!(moved_person.body["province_code"], "08");
    assert_eq!(moved_person.body["commune_code"], cao_bang[0].as_str());
    counters_are_right(app, token, "after the apply").await;
    assert_eq!(
        province_codes(app)
            .await
            .iter()
            .filter(|c| ["04", "99"].contains(&c.as_str()))
            .collect::<Vec<_>>(),
        ["99"],
        "the list of provinces offers the new one, not the merged one"
    );

    // An account placed in the new province since holds the undo back until it goes.
    app.create_account("thunghiem", "province_officer", "99", tests::PASSWORD)
        .await;
    let held = app
        .post_json(&format!("{RESTRUCTURINGS}/{id}/undo"), token, &json!({}))
        .await;
    held.assert_problem(409, "conflict");
    assert!(
        held.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("thunghiem"),
        "{}",
        held.body
    );
    app.db()
        .execute_unprepared("DELETE FROM users WHERE username = 'thunghiem'")
        .await
        .expect("the account removed");

    let undone = app
        .post_json(&format!("{RESTRUCTURINGS}/{id}/undo"), token, &json!({}))
        .await;
    undone.assert_status(200);
    assert_eq!(undone.body["status"], "undone");
    assert_same(&before, &dump(app).await, "after undo");
    counters_are_right(app, token, "after the undo").await;
    assert_eq!(
        province_codes(app)
            .await
            .iter()
            .filter(|c| ["04", "99"].contains(&c.as_str()))
            .collect::<Vec<_>>(),
        ["04"]
    );
}

async fn bad_province_lists_are_refused_naming_the_field_and_the_line_and_change_nothing(
    app: &TestApp,
) {
    let central = app.sign_in("central", "central_admin", "VN").await;
    let token = central.token();
    let province = app.sign_in("hanoi", "province_officer", "01").await;
    let before = dump(app).await;
    let (provinces, communes) = merging_lists();
    app.post_json(
        RESTRUCTURINGS,
        province.token(),
        &json!({"provinces_csv": provinces, "communes_csv": communes}),
    )
    .await
    .assert_problem(403, "forbidden");

    let none = app.post_json(RESTRUCTURINGS, token, &json!({})).await;
    none.assert_invalid_field("communes_csv");
    none.assert_invalid_field("provinces_csv");

    let bad = app
        .post_json(
            RESTRUCTURINGS,
            token,
            &json!({"provinces_csv": "code,name,type\n1x,Tỉnh A,tỉnh\n04,Tỉnh B,huyện\n01,Thành phố Hà Nội,thành phố trung ương\n01,Tỉnh C,tỉnh\n"}),
        )
        .await;
    bad.assert_invalid_field("provinces_csv");
    let messages: Vec<&str> = bad.body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert_eq!(messages.len(), 3, "{}", bad.body);
    for (message, line) in messages.iter().zip(["line 2:", "line 3:", "line 5:"]) {
        assert!(message.starts_with(line), "{message} is about {line}");
    }
    assert!(messages[1].contains("huyện"), "{}", messages[1]);

    // Cao Bằng left out while its communes stay.
    let stranded = app
        .post_json(RESTRUCTURINGS, token, &json!({"provinces_csv": provinces}))
        .await;
    stranded.assert_invalid_field("provinces_csv");
    assert_eq!(stranded.body["errors"][0]["code"], "province_not_empty");
    assert!(
        stranded.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("04"),
        "{}",
        stranded.body
    );
    // A commune naming a province the provinces file leaves out.
    let orphan = app
        .post_json(
            RESTRUCTURINGS,
            token,
            &json!({"provinces_csv": provinces,
                    "communes_csv": "code,name,type,province_code\n00004,Phường Ba Đình,phường,01\n01273,Xã Phục Hòa,xã,04\n"}),
        )
        .await;
    orphan.assert_invalid_field("communes_csv");
    assert!(
        orphan.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .starts_with("line 3:"),
        "{}",
        orphan.body
    );

    // A byte-order mark, headers in capitals, a code that lost its leading zero, no optional
    // columns: the shipped list read so is the current one.
    let tolerant: String = shipped("dvhc-2025-provinces.csv")
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let cells: Vec<&str> = l.split(',').take(3).collect();
            let line = cells.join(",");
            match i {
                0 => format!("\u{feff}{}\n", line.to_uppercase()),
                _ => format!("{}\n", line.strip_prefix('0').unwrap_or(&line)),
            }
        })
        .collect();
    let same = app
        .post_json(RESTRUCTURINGS, token, &json!({"provinces_csv": tolerant}))
        .await;
    same.assert_status(201);
    assert_eq!(same.body["changes"], json!([]), "{}", same.body);
    // Drafts change no unit.
    assert_same(&before, &dump(app).await, "after refused lists and a draft");
}

async fn a_province_dissolved_over_several_while_accounts_sit_on_it_is_refused(app: &TestApp) {
    let central = app.sign_in("central", "central_admin", "VN").await;
    let token = central.token();
    app.sign_in("caobang", "province_officer", "04").await;
    let cao_bang = cao_bang_communes();
    let half: Vec<&String> = cao_bang.iter().take(cao_bang.len() / 2).collect();
    let provinces = joined(
        shipped("dvhc-2025-provinces.csv")
            .into_iter()
            .filter(|l| !l.starts_with("04,")),
    );
    // Half of Cao Bằng's communes go to Tuyên Quang (08), the rest to Lạng Sơn (20).
    let communes =
        joined(shipped("dvhc-2025-communes.csv").into_iter().map(
            |l| match l.strip_suffix(",04") {
                Some(rest) if half.iter().any(|c| l.starts_with(&format!("{c},"))) => {
                    format!("{rest},08")
                }
                Some(rest) => format!("{rest},20"),
                None => l,
            },
        ));
    let draft = app
        .post_json(
            RESTRUCTURINGS,
            token,
            &json!({"provinces_csv": provinces, "communes_csv": communes}),
        )
        .await;
    draft.assert_status(201);
    let dissolved = province_change(&draft.body, "04");
    assert_eq!(dissolved["kind"], "dissolved");
    assert_eq!(
        dissolved["successors"],
        json!([
            {"old_code": "04", "new_code": "08", "whole": false},
            {"old_code": "04", "new_code": "20", "whole": false},
        ])
    );
    assert_eq!(dissolved["records"], 1, "the account");
    let id = draft.body["id"].as_str().unwrap_or_default().to_string();
    let before = dump(app).await;
    let refused = app
        .post_json(
            &format!("{RESTRUCTURINGS}/{id}/apply"),
            token,
            &json!({"effective_date": "2026-12-01", "legal_basis": "Nghị quyết 9997/NQ-UBTVQH15"}),
        )
        .await;
    refused.assert_problem(409, "conflict");
    assert!(
        refused.body["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("caobang"),
        "the refusal names the account: {}",
        refused.body
    );
    assert_same(&before, &dump(app).await, "after the refused apply");
    let still = app.get_json(&format!("{RESTRUCTURINGS}/{id}"), token).await;
    assert_eq!(still.body["status"], "draft");
}
