//! The harness of CDHT's black-box tests: [`TestApp::spawn`] starts the real server in-process on
//! a free port with a fresh database of its own (a copy of an SQLite file, or a PostgreSQL
//! database cloned from a template), so tests run in parallel and share nothing.
//!
//! A scenario is an `async fn name(app: &TestApp)`; [`on_both_backends!`] turns a list of them
//! into `sqlite::name` and `postgres::name` tests. The PostgreSQL ones are skipped with a loud
//! line when no server answers, unless `CI=true` or `CDHT_REQUIRE_POSTGRES=1` make that a failure.

mod app;
mod database;
mod response;
mod scratch;
pub mod webdriver;

pub use app::{PASSWORD, Session, TestApp};
pub use database::{Backend, postgres_base_url};
pub use response::ApiResponse;
pub use scratch::ScratchDir;

/// The workspace root (where `Cargo.toml`, `openapi/` and `dist/` are).
pub fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(std::path::Path::to_path_buf)
        .unwrap_or_else(|| std::path::PathBuf::from(".."))
}

/// Where the test servers write the method, route and status of every answer they give, one
/// file per test process; `cargo xtask test` clears it first and checks it against
/// openapi/openapi.json afterwards (`cargo xtask check-statuses`).
pub fn status_log_dir() -> std::path::PathBuf {
    workspace_root().join("target").join("api-statuses")
}

/// Whether an environment variable asks for something to be mandatory: `CI=true` or the given
/// variable set to `1`/`true`.
pub fn required_by_env(variable: &str) -> bool {
    let truthy = |name: &str| {
        std::env::var(name)
            .map(|v| matches!(v.trim(), "1" | "true" | "TRUE" | "True"))
            .unwrap_or(false)
    };
    truthy("CI") || truthy(variable)
}

/// Writes a line to the real standard error, past the test harness's output capture, so that
/// a skipped test is seen even when the run is quiet.
pub fn shout(line: &str) {
    use std::io::Write;
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "\n{line}\n");
}

/// Turns scenarios (`async fn name(app: &TestApp)` in the invoking module) into one test per
/// backend: `sqlite::name` and `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($scenario:ident),+ $(,)?) => {
        mod sqlite {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let app = $crate::TestApp::spawn($crate::Backend::Sqlite).await;
                    super::$scenario(&app).await;
                    app.stop().await;
                }
            )+
        }

        mod postgres {
            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $scenario() {
                    let Some(app) = $crate::TestApp::spawn_if_available($crate::Backend::Postgres).await
                    else {
                        return;
                    };
                    super::$scenario(&app).await;
                    app.stop().await;
                }
            )+
        }
    };
}
