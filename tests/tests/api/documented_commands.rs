//! The integration commands of the README and of docs/INTEGRATION.md run as written, in one
//! bash session against a fresh server: only the server's address (and, for speed, the number
//! of people the example client pushes) differ from the text.

use tests::TestApp;

tests::on_both_backends!(
    the_readme_and_the_guide_run_as_written,
    the_example_client_stops_with_the_problem_at_the_first_refusal,
);

/// The address the documents use.
const DOCUMENTED_URL: &str = "http://127.0.0.1:8080";

/// The lines of the documents' `sh` blocks, without the lines that start a server or run the
/// tests (the test has its own server).
fn shell_lines(markdown: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut inside = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            inside = !inside && line.trim() == "```sh";
            continue;
        }
        let starts_server = ["./scripts/", "cargo run -p api", "echo "]
            .iter()
            .any(|prefix| line.trim_start().starts_with(prefix))
            || line.trim_start().starts_with("--username");
        if inside && !starts_server {
            lines.push(line.to_string());
        }
    }
    lines
}

fn read(document: &str) -> String {
    let path = tests::workspace_root().join(document);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Runs `script` with bash in the workspace (where `cargo run -p provincial-client` finds the
/// example), the server's address in place of the documented one.
fn run(app: &TestApp, script: &str, env: &[(&str, &str)]) -> std::process::Output {
    let url = app.url("");
    let script = format!(
        "set -euo pipefail\n{}",
        script.replace(DOCUMENTED_URL, url.trim_end_matches('/'))
    );
    let mut command = std::process::Command::new("bash");
    command
        .arg("-c")
        .arg(&script)
        .current_dir(tests::workspace_root())
        .env("CDHT_URL", url.trim_end_matches('/'));
    if let Some(dir) = std::env::var_os("CARGO")
        .map(std::path::PathBuf::from)
        .and_then(|cargo| cargo.parent().map(std::path::Path::to_path_buf))
    {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let mut dirs = vec![dir];
        dirs.extend(std::env::split_paths(&path));
        if let Ok(joined) = std::env::join_paths(dirs) {
            command.env("PATH", joined);
        }
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command
        .output()
        .unwrap_or_else(|e| panic!("running bash: {e}"))
}

async fn the_readme_and_the_guide_run_as_written(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let guide = shell_lines(&read("docs/INTEGRATION.md"));
    let readme: Vec<String> = shell_lines(&read("README.md"))
        .into_iter()
        .filter(|line| line.contains("provincial-client"))
        .collect();
    assert!(
        guide
            .iter()
            .any(|l| l.contains("cargo run -p provincial-client"))
            && readme.len() == 1,
        "the guide and the README show the example client: {guide:?} {readme:?}"
    );
    // The guide's 10,000 people take a minute; the commands are otherwise as written.
    let script = format!(
        "{}\n{}\n",
        guide
            .join("\n")
            .replace("CDHT_PEOPLE=10000", "CDHT_PEOPLE=30"),
        readme.join("\n")
    );
    let output = run(
        app,
        &script,
        &[
            ("ADMIN_TOKEN", admin.token().unwrap_or_default()),
            ("CDHT_PEOPLE", "30"),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the documented commands run: {}\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        output.status
    );
    // The guide's push, then the example client twice (the guide's run and the README's).
    assert!(
        stdout.contains(r#""created":1"#),
        "the guide's push creates its person: {stdout}"
    );
    // The example's summaries (curl's answers end without a line break).
    let runs: Vec<&str> = stdout
        .split("created ")
        .filter(|s| s.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert_eq!(runs.len(), 2, "the example client ran twice: {stdout}");
    assert!(
        runs[0].starts_with("30, updated 1, unchanged 30, queued 0, rejected 0"),
        "{}",
        runs[0]
    );
    // The README's run finds the guide's people, and puts back the one the guide's run changed.
    assert!(
        runs[1].starts_with("0, updated 2, unchanged 30, queued 0, rejected 0"),
        "{}",
        runs[1]
    );
    assert!(
        stderr.contains("pushing into commune ") && stderr.contains(" of province 08"),
        "the example takes a commune of its client's province: {stderr}"
    );
}

async fn the_example_client_stops_with_the_problem_at_the_first_refusal(app: &TestApp) {
    let admin = app.sign_in("trung-uong", "central_admin", "VN").await;
    let registered = app
        .post_json(
            "/api/v1/clients",
            admin.token(),
            &serde_json::json!({"name": "Hệ thống tỉnh Tuyên Quang", "unit": "08",
                                "operations": ["people:read", "people:write", "changes:read"]}),
        )
        .await;
    registered.assert_status(201);
    let id = registered.body["client"]["client_id"]
        .as_str()
        .unwrap_or_default();
    let secret = registered.body["client_secret"]
        .as_str()
        .unwrap_or_default();
    // Phường Ba Đình lies in Hà Nội, outside the client's province.
    let output = run(
        app,
        "cargo run -q -p provincial-client",
        &[
            ("CDHT_CLIENT_ID", id),
            ("CDHT_CLIENT_SECRET", secret),
            ("CDHT_COMMUNE", "00004"),
            ("CDHT_PEOPLE", "5"),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a refusal ends the example with exit status 1: {stdout} {stderr}"
    );
    assert!(
        stderr.contains("was refused (403 forbidden)"),
        "the problem's status, code and text are shown: {stderr}"
    );
    assert!(
        !stdout.contains("created "),
        "no summary is printed as if all went well: {stdout}"
    );
}
