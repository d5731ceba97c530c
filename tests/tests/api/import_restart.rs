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

mod sqlite {
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
    async fn a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes() {
        super::a_server_stopped_mid_import_leaves_no_partial_rows_and_the_job_resumes(
            tests::Backend::Postgres,
        )
        .await;
    }
}
