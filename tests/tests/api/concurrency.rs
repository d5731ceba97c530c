//! Concurrent writers: every write of one record gets its own version, taken from the locked row,
//! the change feed carries each version once, a stale `If-Match` is refused however close the
//! other write was, and a reader following the feed while writers in many communes commit sees
//! every change once, in the order each writer made them.

use reqwest::Method;
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use tests::{ApiResponse, TestApp};

tests::on_both_backends!(
    concurrent_edits_of_one_person_get_distinct_consecutive_versions_each_once_in_the_feed,
    concurrent_one_item_sync_pushes_of_one_person_get_distinct_consecutive_versions,
    a_reader_following_the_feed_while_communes_write_at_once_sees_every_change_once_in_order,
);

const CHANGES: &str = "/api/v1/changes";
const SYNC_PEOPLE: &str = "/api/v1/sync/people";
/// Phường Ba Đình, Hà Nội (province 01).
const BADINH: &str = "00004";
/// Concurrent writes of one record.
const WRITES: usize = 6;

async fn put_json(app: &TestApp, path: &str, token: &str, body: &Value) -> ApiResponse {
    app.send(app.request(Method::PUT, path, Some(token)).json(body))
        .await
}

/// Every change of the feed after `since`, paging `limit` at a time.
async fn drain(app: &TestApp, token: &str, since: &str, limit: u32) -> (Vec<Value>, String) {
    let mut cursor = since.to_string();
    let mut seen = Vec::new();
    loop {
        let page = app
            .get_json(
                &format!("{CHANGES}?since={cursor}&limit={limit}"),
                Some(token),
            )
            .await;
        page.assert_status(200);
        let items = page.body["items"].as_array().expect("items").clone();
        cursor = page.body["next_cursor"]
            .as_str()
            .expect("a cursor")
            .to_string();
        seen.extend(items);
        if page.body["has_more"] != json!(true) {
            return (seen, cursor);
        }
    }
}

/// The versions the feed carries for record `id`, in feed order.
fn versions_in_feed(feed: &[Value], id: &str) -> Vec<i64> {
    feed.iter()
        .filter(|c| c["id"] == id)
        .map(|c| c["version"].as_i64().unwrap_or_default())
        .collect()
}

fn person(name: &str, occupation: &str) -> Value {
    json!({
        "full_name": name,
        "gender": "female",
        "birth_year": 1985,
        "commune_code": BADINH,
        "occupation": occupation,
    })
}

/// Checks what every concurrent-write scenario promises about one record once the writes are
/// answered: `answers` are (version, occupation written) of the successful writes.
async fn check_one_record(app: &TestApp, officer: &str, id: &str, mut answers: Vec<(i64, String)>) {
    answers.sort();
    let versions: Vec<i64> = answers.iter().map(|(v, _)| *v).collect();
    let expected: Vec<i64> = (2..=(WRITES as i64 + 1)).collect();
    assert_eq!(
        versions, expected,
        "each of {WRITES} concurrent writes got its own version, after 1"
    );
    let (winner_version, winner) = answers.last().cloned().unwrap_or_default();

    let stored = app
        .get_json(&format!("/api/v1/people/{id}"), Some(officer))
        .await;
    stored.assert_status(200);
    assert_eq!(stored.body["version"], json!(winner_version));
    assert_eq!(
        stored.body["occupation"],
        json!(winner),
        "the stored content is the one of the write answered with the last version"
    );

    let (feed, _) = drain(app, officer, "", 1000).await;
    let expected: Vec<i64> = (1..=(WRITES as i64 + 1)).collect();
    assert_eq!(
        versions_in_feed(&feed, id),
        expected,
        "the feed carries every version once, in order"
    );

    // A writer whose content was overwritten sends the tag it was given: refused, unchanged.
    let (loser_version, _) = answers.first().cloned().unwrap_or_default();
    let stale = app
        .send(
            app.request(Method::PUT, &format!("/api/v1/people/{id}"), Some(officer))
                .header("If-Match", format!("\"{loser_version}\""))
                .json(&person("Trần Thị Mai", "Ghi đè")),
        )
        .await;
    stale.assert_problem(412, "precondition_failed");
    assert_eq!(stale.body["current_version"], json!(winner_version));
    let after = app
        .get_json(&format!("/api/v1/people/{id}"), Some(officer))
        .await;
    assert_eq!(after.body["version"], json!(winner_version));
    assert_eq!(after.body["occupation"], json!(winner));
}

async fn concurrent_edits_of_one_person_get_distinct_consecutive_versions_each_once_in_the_feed(
    app: &TestApp,
) {
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    let t = officer.token().unwrap_or_default().to_string();
    let created = app
        .post_json(
            "/api/v1/people",
            Some(&t),
            &person("Trần Thị Mai", "Nông dân"),
        )
        .await;
    created.assert_status(201);
    let id = created.body["id"].as_str().expect("an id").to_string();

    let path = format!("/api/v1/people/{id}");
    let writes = (0..WRITES).map(|i| {
        let occupation = format!("Nghề {i}");
        let body = person("Trần Thị Mai", &occupation);
        let (path, t) = (&path, &t);
        async move {
            let answer = put_json(app, path, t, &body).await;
            answer.assert_status(200);
            assert_eq!(
                answer.header("etag"),
                Some(format!("\"{}\"", answer.body["version"]).as_str()),
                "the answer's tag is its version"
            );
            (
                answer.body["version"].as_i64().expect("a version"),
                occupation,
            )
        }
    });
    let answers = join_all(writes).await;
    check_one_record(app, &t, &id, answers).await;
}

async fn concurrent_one_item_sync_pushes_of_one_person_get_distinct_consecutive_versions(
    app: &TestApp,
) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let created = app
        .post_json(
            "/api/v1/clients",
            admin.token(),
            &json!({"name": "Hệ thống tỉnh 01", "unit": "01", "operations": ["people:read", "people:write", "changes:read"]}),
        )
        .await;
    created.assert_status(201);
    let client_id = created.body["client"]["client_id"]
        .as_str()
        .expect("a client id");
    let secret = created.body["client_secret"].as_str().expect("a secret");
    let token = app
        .send(
            app.request(Method::POST, "/api/v1/oauth/token", None)
                .basic_auth(client_id, Some(secret))
                .form(&[("grant_type", "client_credentials")]),
        )
        .await;
    token.assert_status(200);
    let t = token.body["access_token"]
        .as_str()
        .expect("an access token")
        .to_string();

    let item = |occupation: &str| {
        let mut p = person("Lê Thị Hồng", occupation);
        p["external_id"] = json!("HN-CONC-1");
        json!({"items": [p]})
    };
    let first = put_json(app, SYNC_PEOPLE, &t, &item("Nông dân")).await;
    first.assert_status(200);
    assert_eq!(first.body["items"][0]["status"], json!("created"));
    let id = first.body["items"][0]["id"]
        .as_str()
        .expect("an id")
        .to_string();

    let pushes = (0..WRITES).map(|i| {
        let occupation = format!("Nghề {i}");
        let body = item(&occupation);
        let t = &t;
        async move {
            let answer = put_json(app, SYNC_PEOPLE, t, &body).await;
            answer.assert_status(200);
            let result = &answer.body["items"][0];
            assert_eq!(result["status"], json!("updated"), "{}", answer.body);
            (result["version"].as_i64().expect("a version"), occupation)
        }
    });
    let answers = join_all(pushes).await;
    let officer = app.sign_in("ba-dinh", "commune_officer", BADINH).await;
    check_one_record(app, officer.token().unwrap_or_default(), &id, answers).await;
}

/// Writers, each in a commune of its own, and what each does.
const WRITERS: usize = 8;
const EACH: usize = 5;
/// Given names for generated people (names hold letters only).
const NAMES: [&str; 8] = ["An", "Bình", "Cường", "Dung", "Giang", "Hà", "Khánh", "Lan"];

async fn a_reader_following_the_feed_while_communes_write_at_once_sees_every_change_once_in_order(
    app: &TestApp,
) {
    let communes = app
        .get_json("/api/v1/admin-units/provinces/01/communes", None)
        .await;
    communes.assert_status(200);
    let communes: Vec<String> = communes
        .items()
        .iter()
        .filter_map(|c| c["code"].as_str().map(str::to_string))
        .take(WRITERS)
        .collect();
    assert_eq!(communes.len(), WRITERS, "Hà Nội has communes enough");
    let officer = app.sign_in("ha-noi", "province_officer", "01").await;
    let t = officer.token().unwrap_or_default().to_string();
    let reader = app.sign_in("xem", "viewer", "VN").await;
    let r = reader.token().unwrap_or_default().to_string();
    let (_, start) = drain(app, &r, "", 1000).await;

    // Each writer creates people and edits each once; it records (id, version) of every
    // acknowledged write in the order it made them.
    let writers = communes.iter().enumerate().map(|(w, commune)| {
        let t = &t;
        async move {
            let mut acknowledged: Vec<(String, i64)> = Vec::new();
            for (i, given) in NAMES.iter().enumerate().take(EACH) {
                let body = json!({
                    "full_name": format!("Người Viết {} {given}", NAMES[w]),
                    "gender": "male",
                    "birth_year": 1960 + i as i32,
                    "commune_code": commune,
                });
                let created = app.post_json("/api/v1/people", Some(t), &body).await;
                created.assert_status(201);
                let id = created.body["id"].as_str().expect("an id").to_string();
                acknowledged.push((id.clone(), 1));
                let mut edit = body.clone();
                edit["occupation"] = json!(format!("Thợ {w}-{i}"));
                let updated = put_json(app, &format!("/api/v1/people/{id}"), t, &edit).await;
                updated.assert_status(200);
                acknowledged.push((id, updated.body["version"].as_i64().expect("a version")));
            }
            acknowledged
        }
    });
    let done = std::sync::atomic::AtomicBool::new(false);
    let reading = async {
        let mut cursor = start.clone();
        let mut seen: Vec<Value> = Vec::new();
        loop {
            let finished = done.load(std::sync::atomic::Ordering::SeqCst);
            let (page, next) = drain(app, &r, &cursor, 5).await;
            cursor = next;
            seen.extend(page);
            if finished {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        }
    };
    let writes = async {
        let acknowledged = join_all(writers).await;
        done.store(true, std::sync::atomic::Ordering::SeqCst);
        acknowledged
    };
    let (acknowledged, seen) = tokio::join!(writes, reading);

    let cursors: Vec<&str> = seen
        .iter()
        .map(|c| c["cursor"].as_str().expect("a cursor"))
        .collect();
    let distinct: HashSet<&str> = cursors.iter().copied().collect();
    assert_eq!(distinct.len(), cursors.len(), "no change was repeated");
    let seen_writes: Vec<(String, i64)> = seen
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap_or_default().to_string(),
                c["version"].as_i64().unwrap_or_default(),
            )
        })
        .collect();
    let all: HashSet<(String, i64)> = acknowledged.iter().flatten().cloned().collect();
    assert_eq!(all.len(), WRITERS * EACH * 2);
    let seen_set: HashSet<(String, i64)> = seen_writes.iter().cloned().collect();
    assert_eq!(
        seen_set, all,
        "the pages together hold exactly the committed changes"
    );
    assert_eq!(seen_writes.len(), all.len(), "each change once");
    let position: HashMap<&(String, i64), usize> = seen_writes
        .iter()
        .enumerate()
        .map(|(i, w)| (w, i))
        .collect();
    for (w, writes) in acknowledged.iter().enumerate() {
        let order: Vec<usize> = writes.iter().map(|k| position[k]).collect();
        assert!(
            order.windows(2).all(|p| p[0] < p[1]),
            "writer {w}'s changes come in the order it made them: {order:?}"
        );
    }
    let (rest, _) = drain(app, &r, cursors.last().copied().unwrap_or(&start), 1000).await;
    assert!(
        rest.is_empty(),
        "nothing was left behind the reader: {rest:?}"
    );
}

/// Runs futures concurrently (in this task) and collects their outputs in order.
async fn join_all<F: std::future::Future>(futures: impl IntoIterator<Item = F>) -> Vec<F::Output> {
    let mut pinned: Vec<std::pin::Pin<Box<F>>> = futures.into_iter().map(Box::pin).collect();
    let mut outputs: Vec<Option<F::Output>> = pinned.iter().map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (f, out) in pinned.iter_mut().zip(outputs.iter_mut()) {
            if out.is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => *out = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    outputs.into_iter().flatten().collect()
}
