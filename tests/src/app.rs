//! [`TestApp`]: the real server, in-process, on a free port, with its own database.

use crate::database::{self, Backend};
use crate::response::ApiResponse;
use crate::scratch::ScratchDir;
use actix_web::dev::ServerHandle;
use api::configuration::Settings;
use api::startup::Application;
use reqwest::Method;
use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use serde_json::Value;
use shared::auth::{CreateUserRequest, TokenResponse, User};
use std::sync::Once;
use std::time::Duration;

/// The password [`TestApp::sign_in`] gives the accounts it creates.
pub const PASSWORD: &str = "mật khẩu thử 2025";

/// A running server and a client for it.
pub struct TestApp {
    address: String,
    port: u16,
    backend: Backend,
    client: reqwest::Client,
    db: DatabaseConnection,
    settings: Settings,
    handle: ServerHandle,
    postgres_database: Option<database::TestDatabase>,
    _data_dir: ScratchDir,
}

/// A logged-in account: who it is, its password and its tokens.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub password: String,
    pub tokens: TokenResponse,
}

impl Session {
    /// The access token, as the request helpers take it.
    pub fn token(&self) -> Option<&str> {
        Some(&self.tokens.access_token)
    }

    pub fn id(&self) -> String {
        self.user.id.to_string()
    }
}

static LOGGING: Once = Once::new();

impl TestApp {
    /// Starts a server on `backend` with the default settings for tests. Panics when the
    /// backend is not available.
    pub async fn spawn(backend: Backend) -> TestApp {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like [`TestApp::spawn`], but a PostgreSQL server that does not answer skips the test
    /// (`None`, after a loud line on standard error) unless `CI=true` or
    /// `CDHT_REQUIRE_POSTGRES=1`, which make it a failure.
    pub async fn spawn_if_available(backend: Backend) -> Option<TestApp> {
        if backend == Backend::Postgres
            && let Err(why) = database::postgres_template().await
        {
            if crate::required_by_env("CDHT_REQUIRE_POSTGRES") {
                panic!(
                    "PostgreSQL is required (CI or CDHT_REQUIRE_POSTGRES) but not usable: {why}"
                );
            }
            static SKIPPED: Once = Once::new();
            SKIPPED.call_once(|| {
                crate::shout(&format!(
                    "*** SKIPPED: PostgreSQL not reachable at {} ({why}). The postgres:: tests \
                     pass without running. Start PostgreSQL or set CDHT_TEST_POSTGRES_URL; set \
                     CDHT_REQUIRE_POSTGRES=1 to make this a failure. ***",
                    database::redacted(&database::postgres_base_url())
                ));
            });
            return None;
        }
        Some(Self::spawn(backend).await)
    }

    /// Starts a server after `configure` has changed the test settings (the data directory, a
    /// fresh database, port 0, one worker, no first administrator, no web application).
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let data_dir = ScratchDir::new("cdht-test");
        let mut settings = Settings::for_data_dir(data_dir.path());
        settings.bind = "127.0.0.1:0".to_string();
        settings.workers = 1;
        settings.bootstrap_admin = false;
        settings.db_max_connections = 4;
        settings.web_dir = data_dir.path().join("no-web-application");
        let postgres_database = match backend {
            Backend::Sqlite => {
                let url = database::fresh_sqlite_database(data_dir.path())
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                settings.database_url = SecretString::from(url);
                None
            }
            Backend::Postgres => {
                let (name, url) = database::fresh_postgres_database()
                    .await
                    .unwrap_or_else(|e| panic!("{e}"));
                settings.database_url = SecretString::from(url);
                Some(database::TestDatabase::new(name))
            }
        };
        settings.status_log =
            Some(crate::status_log_dir().join(format!("{}.log", std::process::id())));
        configure(&mut settings);
        if std::env::var_os("TEST_LOG").is_some() {
            LOGGING.call_once(|| api::telemetry::init(&settings));
        }
        let application = Application::build(settings.clone())
            .await
            .unwrap_or_else(|e| panic!("the server starts on {backend:?}: {e:#}"));
        let address = application.url();
        let port = application.port();
        let db = application.db().clone();
        let handle = application.handle();
        tokio::spawn(application.run_until_stopped());
        let client = reqwest::Client::builder()
            .no_proxy()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("an HTTP client without TLS builds");
        TestApp {
            address,
            port,
            backend,
            client,
            db,
            settings,
            handle,
            postgres_database,
            _data_dir: data_dir,
        }
    }

    /// Stops the server, closes its pool and drops its PostgreSQL database.
    pub async fn stop(self) {
        self.handle.stop(false).await;
        let _ = self.db.clone().close().await;
        if let Some(database) = self.postgres_database
            && let Err(e) = database.drop_now().await
        {
            crate::shout(&format!("{e:#}"));
        }
    }

    /// Stops the server and closes its pool as a stopping process would, then starts a new
    /// server on the same database, data directory and settings (a restart).
    pub async fn restart(self) -> TestApp {
        self.handle.stop(false).await;
        let _ = self.db.clone().close().await;
        let application = Application::build(self.settings.clone())
            .await
            .unwrap_or_else(|e| panic!("the server restarts on {:?}: {e:#}", self.backend));
        let address = application.url();
        let port = application.port();
        let db = application.db().clone();
        let handle = application.handle();
        tokio::spawn(application.run_until_stopped());
        TestApp {
            address,
            port,
            db,
            handle,
            ..self
        }
    }

    /// `http://127.0.0.1:<port>` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool the server uses.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// The settings the server was built with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The HTTP client (no redirects followed, no proxy).
    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The raw bytes of the installation's JWT signing key (the key file holds them in hex).
    pub fn jwt_secret(&self) -> Vec<u8> {
        let path = &self.settings.jwt_key_file;
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("reading the key file {}: {e}", path.display()));
        hex::decode(text.trim()).expect("the key file is hex")
    }

    /// A request to `path`, with the bearer token when there is one.
    pub fn request(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let builder = self.client.request(method, self.url(path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    }

    /// Sends a request and reads the whole answer.
    pub async fn send(&self, request: reqwest::RequestBuilder) -> ApiResponse {
        let response = request.send().await.expect("the server answers");
        ApiResponse::read(response).await
    }

    pub async fn get_json(&self, path: &str, token: Option<&str>) -> ApiResponse {
        self.send(self.request(Method::GET, path, token)).await
    }

    pub async fn post_json(&self, path: &str, token: Option<&str>, body: &Value) -> ApiResponse {
        self.send(self.request(Method::POST, path, token).json(body))
            .await
    }

    pub async fn patch_json(&self, path: &str, token: Option<&str>, body: &Value) -> ApiResponse {
        self.send(self.request(Method::PATCH, path, token).json(body))
            .await
    }

    /// Creates an account the way the operator CLI does (`cdht user create`), bypassing the API.
    pub async fn create_account(
        &self,
        username: &str,
        role: &str,
        unit: &str,
        password: &str,
    ) -> User {
        api::cli::create_account(
            &self.db,
            CreateUserRequest {
                username: username.to_string(),
                password: password.to_string(),
                role: role.to_string(),
                unit: unit.to_string(),
                full_name: None,
                association_unit_id: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("creating the account {username} ({role}, {unit}): {e:#}"))
    }

    /// `POST /api/v1/auth/login` with whatever answer comes back.
    pub async fn try_login(&self, username: &str, password: &str) -> ApiResponse {
        self.post_json(
            "/api/v1/auth/login",
            None,
            &serde_json::json!({"username": username, "password": password}),
        )
        .await
    }

    /// Logs in; panics unless that succeeds.
    pub async fn login(&self, username: &str, password: &str) -> TokenResponse {
        let response = self.try_login(username, password).await;
        response.assert_status(200);
        serde_json::from_value(response.body).expect("a login answers a token pair")
    }

    /// Creates an account with [`PASSWORD`] through the operator path and logs it in.
    pub async fn sign_in(&self, username: &str, role: &str, unit: &str) -> Session {
        let user = self.create_account(username, role, unit, PASSWORD).await;
        let tokens = self.login(username, PASSWORD).await;
        Session {
            user,
            password: PASSWORD.to_string(),
            tokens,
        }
    }
}
