//! A server stopped in the middle of an import: whole chunks or nothing are written, the job is
//! found interrupted after the restart, and resuming it completes the file without duplicates.

use crate::import::{IMPORTS, count, start, upload, wait};
use std::time::Duration;
use tests::{Backend, TestApp};

/// `n` valid rows of Ba Đình with distinct ID numbers, starting at `first`.
fn rows(first: u32, n: u32) -> Vec<u8> {
    let mut text = String::from("Họ và tên,Giới tính,Năm sinh,Số định danh cá nhân,Mã xã\n");
    for i in first..first + n {
        // Names have no digits: the number spelled with letters.
        let tag: String = format!("{i:04}")
            .bytes()
            .map(|b| char::from(b'a' + (b - b'0')))
            .collect();
        text.push_str(&format!("Người Thử {tag},Nam,1980,00108{i:07},00004\n"));
    }
    text.into_bytes()
}

async fn spawn(backend: Backend) -> Option<TestApp> {
    if backend == Backend::Postgres {
        // Fails the test when PostgreSQL is required and missing; skips it otherwise.
        TestApp::spawn_if_available(Backend::Postgres)
            .await?
            .stop()
            .await;
    }
    Some(
        TestApp::spawn_with(backend, |s| {
            s.import_chunk_rows = Some(10);
            s.import_chunk_pause = Duration::from_millis(150);
        })
        .await,
    )
}

/// Polls until the job has done at least `rows` rows (and is still running).
async fn until_done(app: &TestApp, token: Option<&str>, id: &str, rows: u64) {
    for _ in 0..400 {
        let job = app.get_json(&format!("{IMPORTS}/{id}"), token).await;
        let status = job.body["status"].as_str().unwrap_or_default();
        assert!(
            status == "queued" || status == "running",
            "the job is still running: {}",
            job.body
        );
        if job.body["rows_done"].as_u64().unwrap_or(0) >= rows {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("the job did not progress");
}

async fn a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes(backend: Backend) {
    let Some(app) = spawn(backend).await else {
        return;
    };
    let officer = app.sign_in("restart", "commune_officer", "00004").await;

    // Valid rows only: chunks of 10 commit one by one with the cursor.
    let uploaded = upload(&app, officer.token(), "big.csv", rows(1, 100)).await;
    let job = start(
        &app,
        officer.token(),
        uploaded["id"].as_str().unwrap_or_default(),
        "valid_only",
    )
    .await;
    let id = job["id"].as_str().unwrap_or_default().to_string();
    until_done(&app, officer.token(), &id, 20).await;
    let app = app.restart().await;
    let token = app.login("restart", tests::PASSWORD).await.access_token;
    let token = Some(token.as_str());
    let stopped = app.get_json(&format!("{IMPORTS}/{id}"), token).await;
    assert_eq!(stopped.body["status"], "interrupted", "{}", stopped.body);
    let done = stopped.body["rows_done"].as_i64().unwrap_or(-1);
    assert!((20..100).contains(&done), "stopped mid-way: {done}");
    assert_eq!(done % 10, 0, "whole chunks only");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM people").await,
        done,
        "no partial rows"
    );
    let resumed = app
        .post_json(
            &format!("{IMPORTS}/{id}/resume"),
            token,
            &serde_json::json!({}),
        )
        .await;
    resumed.assert_status(202);
    let finished = wait(&app, token, &id).await;
    assert_eq!(finished["status"], "completed");
    assert_eq!(finished["counts"]["created"], 100, "{finished}");
    assert_eq!(finished["rows_done"], 100);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM people").await,
        100,
        "no duplicates"
    );
    app.post_json(
        &format!("{IMPORTS}/{id}/resume"),
        token,
        &serde_json::json!({}),
    )
    .await
    .assert_problem(409, "conflict");

    // All or nothing: a stop before the end writes nothing.
    let uploaded = upload(&app, token, "big2.csv", rows(101, 60)).await;
    let job = start(
        &app,
        token,
        uploaded["id"].as_str().unwrap_or_default(),
        "all_or_nothing",
    )
    .await;
    let id = job["id"].as_str().unwrap_or_default().to_string();
    until_done(&app, token, &id, 20).await;
    let app = app.restart().await;
    let token = app.login("restart", tests::PASSWORD).await.access_token;
    let token = Some(token.as_str());
    let stopped = app.get_json(&format!("{IMPORTS}/{id}"), token).await;
    assert_eq!(stopped.body["status"], "interrupted", "{}", stopped.body);
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM people").await,
        100,
        "nothing of it written"
    );
    app.post_json(
        &format!("{IMPORTS}/{id}/resume"),
        token,
        &serde_json::json!({}),
    )
    .await
    .assert_status(202);
    let finished = wait(&app, token, &id).await;
    assert_eq!(finished["counts"]["created"], 60, "{finished}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM people").await, 160);
    app.stop().await;
}

/// Sixty rows whose last twenty repeat the ID numbers of the first twenty (duplicates within
/// the file), some naming a village Ba Đình does not list yet.
fn with_duplicates() -> Vec<u8> {
    let mut text = String::from("Họ và tên,Giới tính,Năm sinh,Số định danh cá nhân,Mã xã,Thôn\n");
    for i in 1..=60u32 {
        let id = if i > 40 { i - 40 } else { i };
        let tag: String = format!("{i:04}")
            .bytes()
            .map(|b| char::from(b'a' + (b - b'0')))
            .collect();
        let village = if i % 7 == 0 {
            "Tổ dân phố Mới"
        } else {
            ""
        };
        text.push_str(&format!(
            "Người Thử {tag},Nam,1980,00108{id:07},00004,{village}\n"
        ));
    }
    text.into_bytes()
}

/// Each row's status and message codes, in row order.
async fn row_outcomes(
    app: &TestApp,
    token: Option<&str>,
    id: &str,
) -> Vec<(u64, String, Vec<String>)> {
    let page = app
        .get_json(&format!("{IMPORTS}/{id}/rows?per_page=200"), token)
        .await;
    page.assert_status(200);
    let mut out: Vec<(u64, String, Vec<String>)> = page.body["items"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|o| {
            (
                o["row"].as_u64().unwrap_or_default(),
                o["status"].as_str().unwrap_or_default().to_string(),
                o["messages"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|m| m["code"].as_str().map(str::to_string))
                    .collect(),
            )
        })
        .collect();
    out.sort();
    out
}

async fn a_resumed_import_ends_exactly_as_an_uninterrupted_one(backend: Backend) {
    // The same file, once straight through and once stopped and resumed.
    let Some(straight) = spawn(backend).await else {
        return;
    };
    let officer = straight
        .sign_in("straight", "commune_officer", "00004")
        .await;
    let uploaded = upload(&straight, officer.token(), "dup.csv", with_duplicates()).await;
    let job = start(
        &straight,
        officer.token(),
        uploaded["id"].as_str().unwrap_or_default(),
        "valid_only",
    )
    .await;
    let id = job["id"].as_str().unwrap_or_default().to_string();
    let done = wait(&straight, officer.token(), &id).await;
    let expected = row_outcomes(&straight, officer.token(), &id).await;
    let expected_people = count(&straight, "SELECT COUNT(*) FROM people").await;
    let expected_villages = count(&straight, "SELECT COUNT(*) FROM villages").await;
    assert_eq!(
        done["counts"]["error"], 20,
        "twenty duplicates within the file: {done}"
    );
    assert_eq!(expected_villages, 1, "the village is added once");
    straight.stop().await;

    let Some(app) = spawn(backend).await else {
        return;
    };
    let officer = app.sign_in("resumed", "commune_officer", "00004").await;
    let uploaded = upload(&app, officer.token(), "dup.csv", with_duplicates()).await;
    let job = start(
        &app,
        officer.token(),
        uploaded["id"].as_str().unwrap_or_default(),
        "valid_only",
    )
    .await;
    let id = job["id"].as_str().unwrap_or_default().to_string();
    until_done(&app, officer.token(), &id, 20).await;
    let app = app.restart().await;
    let token = app.login("resumed", tests::PASSWORD).await.access_token;
    let token = Some(token.as_str());
    let stopped = app.get_json(&format!("{IMPORTS}/{id}"), token).await;
    assert_eq!(stopped.body["status"], "interrupted", "{}", stopped.body);
    let stopped_at = stopped.body["rows_done"].as_i64().unwrap_or(-1);
    assert!(
        (20..=40).contains(&stopped_at),
        "stopped before the duplicates: {stopped_at}"
    );
    app.post_json(
        &format!("{IMPORTS}/{id}/resume"),
        token,
        &serde_json::json!({}),
    )
    .await
    .assert_status(202);
    let resumed = wait(&app, token, &id).await;
    assert_eq!(resumed["counts"], done["counts"], "{resumed}");
    assert_eq!(row_outcomes(&app, token, &id).await, expected, "row by row");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM people").await,
        expected_people
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM villages").await,
        expected_villages
    );
    app.stop().await;
}

mod sqlite {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_resumed_import_ends_exactly_as_an_uninterrupted_one() {
        super::a_resumed_import_ends_exactly_as_an_uninterrupted_one(tests::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes() {
        super::a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes(
            tests::Backend::Sqlite,
        )
        .await;
    }
}

mod postgres {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_resumed_import_ends_exactly_as_an_uninterrupted_one() {
        super::a_resumed_import_ends_exactly_as_an_uninterrupted_one(tests::Backend::Postgres)
            .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes() {
        super::a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes(
            tests::Backend::Postgres,
        )
        .await;
    }
}
