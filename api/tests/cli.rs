//! The `cdht` binary as an operator uses it: migrate, create accounts, serve, log in.

use std::io::Write;
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn cdht(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cdht"));
    cmd.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CDHT_DATA_DIR", data_dir)
        .env("CDHT_LOG", "warn")
        .current_dir(data_dir);
    cmd
}

fn with_stdin(mut cmd: Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start cdht");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait for cdht")
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

#[tokio::test]
async fn an_operator_creates_the_first_administrator_and_logs_in() {
    let dir = std::env::temp_dir().join(format!("cdht-cli-{}", uuid_like()));
    std::fs::create_dir_all(&dir).expect("temp dir");

    let migrate = cdht(&dir).arg("migrate").output().expect("run migrate");
    assert!(migrate.status.success(), "{migrate:?}");
    assert!(dir.join("cdht.db").exists());

    let mut create = cdht(&dir);
    create.args([
        "user",
        "create",
        "--username",
        "chief",
        "--role",
        "central_admin",
        "--unit",
        "VN",
        "--password-stdin",
    ]);
    let out = with_stdin(create, "a long enough password\n");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("Created chief"));

    let mut again = cdht(&dir);
    again.args([
        "user",
        "create",
        "--username",
        "chief",
        "--role",
        "viewer",
        "--unit",
        "VN",
        "--password-stdin",
    ]);
    let out = with_stdin(again, "another long password\n");
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("taken"),
        "{out:?}"
    );

    let mut bad = cdht(&dir);
    bad.args([
        "user",
        "create",
        "--username",
        "x1",
        "--role",
        "king",
        "--unit",
        "123",
        "--password-stdin",
    ]);
    let out = with_stdin(bad, "short\n");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for field in ["password", "role", "unit"] {
        assert!(stderr.contains(field), "{field} not named in {stderr}");
    }

    let port = free_port();
    let server = Server(
        cdht(&dir)
            .arg("serve")
            .env("CDHT_BIND", format!("127.0.0.1:{port}"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve"),
    );
    let client = reqwest::Client::new();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    loop {
        let ready = client.get(format!("{base}/health/ready")).send().await;
        if ready.is_ok_and(|r| r.status().is_success()) {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server never became ready"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "chief", "password": "a long enough password"}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let body: serde_json::Value = login.json().await.expect("json");
    assert!(
        body["access_token"]
            .as_str()
            .is_some_and(|t| t.split('.').count() == 3)
    );

    // The CLI writes to the same database while the server runs.
    let mut while_serving = cdht(&dir);
    while_serving.args([
        "user",
        "create",
        "--username",
        "deputy",
        "--role",
        "province_officer",
        "--unit",
        "01",
        "--password-stdin",
    ]);
    let out = with_stdin(while_serving, "deputy's long password\n");
    assert!(out.status.success(), "{out:?}");
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "deputy", "password": "deputy's long password"}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_first_start_creates_an_administrator_with_a_one_time_password() {
    let dir = std::env::temp_dir().join(format!("cdht-first-{}", uuid_like()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let port = free_port();
    let mut child = cdht(&dir)
        .arg("serve")
        .env("CDHT_BIND", format!("127.0.0.1:{port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let lines = tokio::task::spawn_blocking(move || {
        use std::io::BufRead;
        let mut reader = std::io::BufReader::new(stdout);
        let mut seen = Vec::new();
        let mut line = String::new();
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            let done = line.contains("shown only once");
            seen.push(line.trim_end().to_string());
            line.clear();
            if done {
                break;
            }
        }
        // Keep draining so the server never writes to a closed pipe.
        std::thread::spawn(move || {
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        seen
    })
    .await
    .expect("read stdout");
    let text = lines.join("\n");
    assert!(
        text.contains(&format!("http://127.0.0.1:{port}/")),
        "{text}"
    );
    let password = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("password: "))
        .expect("password printed")
        .to_string();
    assert!(password.len() >= 16);
    let login = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": password}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    )
}
