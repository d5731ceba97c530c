//! Evidence files (minh chứng) of an assessment: what is accepted, when, by whom, inside which
//! unit; and an indicator whose evidence is required holds the review's pass until a file or
//! the reviewer's confirmation is there.

use crate::workflow::{
    CRITERIA_SETS, NGOCHA, id_of, in_state, office, put_json, registration_path, step, take, text,
    uniform,
};
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tests::{ApiResponse, Session, TestApp};

tests::on_both_backends!(
    evidence_files_are_attached_read_and_removed_while_the_assessment_is_editable,
    only_pdfs_and_images_of_at_most_five_mebibytes_with_a_name_are_taken,
    evidence_of_another_commune_does_not_exist_for_an_officer,
    required_evidence_holds_the_pass_until_a_file_or_a_confirmation_is_there,
);

/// A small but real PDF.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";
/// The first bytes of a PNG.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0";

fn evidence_path(registration: &str, indicator: &str, file_name: &str) -> String {
    format!(
        "{}/evidence/{indicator}?file_name={}",
        registration_path(registration),
        urlencode(file_name)
    )
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_') {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn upload(app: &TestApp, by: &Session, path: &str, bytes: &[u8]) -> ApiResponse {
    app.send(
        app.request(Method::POST, path, by.token())
            .header("content-type", "application/octet-stream")
            .body(bytes.to_vec()),
    )
    .await
}

async fn files(app: &TestApp, by: &Session, registration: &str) -> ApiResponse {
    app.get_json(
        &format!("{}/evidence", registration_path(registration)),
        by.token(),
    )
    .await
}

async fn evidence_files_are_attached_read_and_removed_while_the_assessment_is_editable(
    app: &TestApp,
) {
    let office = office(app).await;
    let id = in_state(app, &office, "Nguyễn Văn An", "draft").await;
    let name = "Giấy chứng nhận tin học.pdf";
    let attached = upload(app, &office.branch, &evidence_path(&id, "2.1.1", name), PDF).await;
    attached.assert_status(201);
    assert_eq!(attached.body["indicator_code"], "2.1.1");
    assert_eq!(attached.body["file_name"], name);
    assert_eq!(attached.body["content_type"], "application/pdf");
    assert_eq!(attached.body["size_bytes"], PDF.len());
    assert_eq!(attached.body["sha256"], hex::encode(Sha256::digest(PDF)));
    let file = id_of(&attached.body);
    assert_eq!(
        attached.header("location"),
        Some(format!("/api/v1/evidence-files/{file}").as_str())
    );
    upload(
        app,
        &office.branch,
        &evidence_path(&id, "2.1.1", "anh.png"),
        PNG,
    )
    .await
    .assert_status(201);

    let listed = files(app, &office.commune, &id).await;
    listed.assert_status(200);
    let names: Vec<String> = listed
        .items()
        .iter()
        .map(|f| text(&f["file_name"]))
        .collect();
    assert_eq!(names, [name, "anh.png"], "by indicator, then upload time");

    let response = app
        .request(
            Method::GET,
            &format!("/api/v1/evidence-files/{file}"),
            office.commune.token(),
        )
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status().as_u16(), 200);
    let header = |n: &str| {
        response
            .headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), "application/pdf");
    assert_eq!(header("x-content-type-options"), "nosniff");
    assert!(header("cache-control").contains("no-store"));
    let disposition = header("content-disposition");
    assert!(
        disposition.starts_with("attachment;")
            && disposition.contains(&format!("filename*=UTF-8''{}", urlencode(name))),
        "{disposition}"
    );
    let bytes = response.bytes().await.expect("the body");
    assert_eq!(bytes.as_ref(), PDF, "the same bytes come back");

    // Submitted: nothing is added or removed; the reviewer adds under review.
    put_json(
        app,
        &format!("{}/self-assessment", registration_path(&id)),
        &office.branch,
        &uniform(9),
    )
    .await
    .assert_status(200);
    take(app, &office.branch, &id, "submit").await;
    upload(
        app,
        &office.branch,
        &evidence_path(&id, "1.1.1", "x.pdf"),
        PDF,
    )
    .await
    .assert_problem(409, "conflict");
    let removal = app
        .send(app.request(
            Method::DELETE,
            &format!("/api/v1/evidence-files/{file}"),
            office.branch.token(),
        ))
        .await;
    removal.assert_problem(409, "conflict");
    assert!(
        text(&removal.body["detail"]).contains("submitted"),
        "{}",
        removal.body
    );
    take(app, &office.reviewer, &id, "start-review").await;
    upload(
        app,
        &office.reviewer,
        &evidence_path(&id, "3.1.1", "bien-ban.pdf"),
        PDF,
    )
    .await
    .assert_status(201);
    app.send(app.request(
        Method::DELETE,
        &format!("/api/v1/evidence-files/{file}"),
        office.reviewer.token(),
    ))
    .await
    .assert_status(204);
    let after = files(app, &office.commune, &id).await;
    let codes: Vec<String> = after
        .items()
        .iter()
        .map(|f| text(&f["indicator_code"]))
        .collect();
    assert_eq!(codes, ["2.1.1", "3.1.1"]);
    app.get_json(
        &format!("/api/v1/evidence-files/{file}"),
        office.commune.token(),
    )
    .await
    .assert_problem(404, "not_found");

    let audit = app
        .get_json(
            &format!(
                "/api/v1/audit?resource_type=registration&resource_id={id}&action=evidence.upload"
            ),
            office.commune.token(),
        )
        .await;
    audit.assert_status(200);
    assert_eq!(audit.body["total"], 3, "{}", audit.body);
    for action in ["evidence.download", "evidence.delete"] {
        let audit = app
            .get_json(
                &format!("/api/v1/audit?resource_id={id}&action={action}"),
                office.commune.token(),
            )
            .await;
        assert_eq!(audit.body["total"], 1, "{action}: {}", audit.body);
    }
}

async fn only_pdfs_and_images_of_at_most_five_mebibytes_with_a_name_are_taken(app: &TestApp) {
    let office = office(app).await;
    let id = in_state(app, &office, "Trần Thị Bích", "draft").await;
    let by = &office.branch;
    upload(
        app,
        by,
        &evidence_path(&id, "1.1.1", "virus.exe"),
        b"MZ\x90\0\x03",
    )
    .await
    .assert_problem(415, "unsupported_media_type");
    upload(
        app,
        by,
        &evidence_path(&id, "1.1.1", "trang.html"),
        b"<html><script>alert(1)</script>",
    )
    .await
    .assert_problem(415, "unsupported_media_type");
    upload(app, by, &evidence_path(&id, "9.9.9", "a.pdf"), PDF)
        .await
        .assert_invalid_field("indicator_code");
    upload(app, by, &evidence_path(&id, "1.1.1", "a.pdf"), b"")
        .await
        .assert_invalid_field("body");
    upload(
        app,
        by,
        &format!("{}/evidence/1.1.1", registration_path(&id)),
        PDF,
    )
    .await
    .assert_invalid_field("file_name");
    let mut big = PDF.to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    upload(app, by, &evidence_path(&id, "1.1.1", "big.pdf"), &big)
        .await
        .assert_problem(413, "payload_too_large");
    // A path in the name keeps only its last segment.
    let named = upload(
        app,
        by,
        &evidence_path(&id, "1.1.1", "..\\..\\C:\\temp\\bang-diem.pdf"),
        PDF,
    )
    .await;
    named.assert_status(201);
    assert_eq!(named.body["file_name"], "bang-diem.pdf");
    let registered = in_state(app, &office, "Lê Văn Cường", "registered").await;
    upload(app, by, &evidence_path(&registered, "1.1.1", "a.pdf"), PDF)
        .await
        .assert_problem(409, "conflict");
    assert_eq!(
        files(app, by, &id).await.items().len(),
        1,
        "nothing else was kept"
    );
    // A citizen's branch officer who is not an officer at all: an anonymous call.
    app.send(
        app.request(Method::POST, &evidence_path(&id, "1.1.1", "a.pdf"), None)
            .body(PDF.to_vec()),
    )
    .await
    .assert_status(401);
}

async fn evidence_of_another_commune_does_not_exist_for_an_officer(app: &TestApp) {
    let office = office(app).await;
    let id = in_state(app, &office, "Phạm Thị Dung", "draft").await;
    let attached = upload(
        app,
        &office.branch,
        &evidence_path(&id, "1.1.1", "a.pdf"),
        PDF,
    )
    .await;
    attached.assert_status(201);
    let file = id_of(&attached.body);
    let outsider = app.sign_in("hn.ngocha", "commune_officer", NGOCHA).await;
    let province_b = app.sign_in("hp.officer", "province_officer", "31").await;
    for by in [&outsider, &province_b] {
        files(app, by, &id).await.assert_problem(404, "not_found");
        app.get_json(&format!("/api/v1/evidence-files/{file}"), by.token())
            .await
            .assert_problem(404, "not_found");
        app.send(app.request(
            Method::DELETE,
            &format!("/api/v1/evidence-files/{file}"),
            by.token(),
        ))
        .await
        .assert_problem(404, "not_found");
        upload(app, by, &evidence_path(&id, "1.1.1", "b.pdf"), PDF)
            .await
            .assert_problem(404, "not_found");
    }
    assert_eq!(files(app, &office.commune, &id).await.items().len(), 1);
}

/// Publishes a new version of the farmers' template whose indicator `code` requires evidence.
async fn require_evidence(app: &TestApp, admin: &Session, code: &str) {
    let list = app
        .get_json(
            &format!("{CRITERIA_SETS}?target_group=farmer"),
            admin.token(),
        )
        .await;
    let template: Value = list
        .items()
        .iter()
        .find(|s| s["is_template"] == true)
        .cloned()
        .expect("the farmers' template");
    let mut structure = template["structure"].clone();
    for competency in structure["competencies"]
        .as_array_mut()
        .into_iter()
        .flatten()
    {
        for criterion in competency["criteria"].as_array_mut().into_iter().flatten() {
            for indicator in criterion["indicators"].as_array_mut().into_iter().flatten() {
                if indicator["code"] == code {
                    indicator["evidence"] = json!("required");
                }
            }
        }
    }
    let draft = app
        .post_json(
            CRITERIA_SETS,
            admin.token(),
            &json!({
                "code": template["code"],
                "target_group": "farmer",
                "title": "Bộ tiêu chí nông dân (có minh chứng bắt buộc)",
                "structure": structure,
                "pass_rule": template["pass_rule"],
            }),
        )
        .await;
    draft.assert_status(201);
    app.send(app.request(
        Method::POST,
        &format!("{CRITERIA_SETS}/{}/publish", id_of(&draft.body)),
        admin.token(),
    ))
    .await
    .assert_status(200);
}

async fn required_evidence_holds_the_pass_until_a_file_or_a_confirmation_is_there(app: &TestApp) {
    let office = office(app).await;
    require_evidence(app, &office.admin, "2.1.1").await;
    let with_file = in_state(app, &office, "Hoàng Văn Em", "under_review").await;
    let refused = step(app, &office.reviewer, &with_file, "pass").await;
    refused.assert_problem(409, "conflict");
    assert!(
        text(&refused.body["detail"]).contains("2.1.1"),
        "names the indicator: {}",
        refused.body
    );
    upload(
        app,
        &office.reviewer,
        &evidence_path(&with_file, "2.1.1", "chung-chi.pdf"),
        PDF,
    )
    .await
    .assert_status(201);
    take(app, &office.reviewer, &with_file, "pass").await;

    let confirmed = in_state(app, &office, "Đỗ Thị Phương", "under_review").await;
    step(app, &office.reviewer, &confirmed, "pass")
        .await
        .assert_problem(409, "conflict");
    let mut review = uniform(9);
    review["evidence"] =
        json!({"2.1.1": {"note": "Đã xem bản gốc chứng chỉ", "confirmed_by_reviewer": true}});
    put_json(
        app,
        &format!("{}/review", registration_path(&confirmed)),
        &office.reviewer,
        &review,
    )
    .await
    .assert_status(200);
    let passed = take(app, &office.reviewer, &confirmed, "pass").await;
    assert_eq!(passed["status"], "review_passed");
}
