//! Building and running the server: pool, migrations, keys, routes, SPA and API docs.

use crate::auth::jwt::JwtKeys;
use crate::configuration::Settings;
use crate::crypto::PiiKeys;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, extract, openapi, telemetry};
use actix_files::{Files, NamedFile};
use actix_web::dev::{Server, ServiceRequest, ServiceResponse, fn_service};
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpResponse, HttpServer, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

/// A built server, bound to its port, ready to run.
pub struct Application {
    port: u16,
    host: String,
    server: Server,
    db: DatabaseConnection,
}

/// Opens the database and applies pending migrations, logging how long that took.
pub async fn prepare_database(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let started = Instant::now();
    db::migrate(settings).await?;
    let db = db::connect(settings).await?;
    tracing::info!(
        elapsed_ms = started.elapsed().as_millis() as u64,
        "database ready (migrated and seeded)"
    );
    Ok(db)
}

impl Application {
    /// Connects, migrates, loads or creates the signing key and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let db = prepare_database(&settings).await?;
        let keys = JwtKeys::load_or_create(&settings.jwt_key_file, settings.access_token_ttl)?;
        let pii = PiiKeys::load_or_create(&settings.pii_key_file)?;
        let listener = TcpListener::bind(&settings.bind)
            .with_context(|| format!("binding {}", settings.bind))?;
        let address = listener.local_addr()?;
        let public_url: Arc<str> = settings
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"))
            .into();
        let verify_limiter = Arc::new(crate::rate_limit::RateLimiter::new(
            settings.verify_per_minute,
            std::time::Duration::from_secs(60),
        ));
        let pii = Arc::new(pii);
        let imports = crate::import::jobs::Runner::start(crate::import::jobs::JobEnv {
            db: db.clone(),
            pii: pii.clone(),
            chunk_rows: crate::import::jobs::chunk_rows(
                sea_orm::ConnectionTrait::get_database_backend(&db),
                settings.import_chunk_rows,
            ),
            chunk_pause: settings.import_chunk_pause,
        })?;
        crate::import::jobs::recover(&db, &imports).await?;
        let client_limiter = Arc::new(crate::auth::client_limit::ClientLimiter::new(
            settings.client_rate_per_sec,
            settings.client_burst,
        ));
        let state = AppState {
            public_url,
            client_limiter,
            verify_limiter,
            imports,
            addresses: Default::default(),
            db: db.clone(),
            settings: Arc::new(settings),
            keys: Arc::new(keys),
            pii,
        };
        let server = run(listener, state)?;
        Ok(Application {
            port: address.port(),
            host: address.ip().to_string(),
            server,
            db,
        })
    }

    /// The port actually bound (useful with port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://host:port`.
    pub fn url(&self) -> String {
        format!("http://{}:{}", self.host, self.port)
    }

    /// The pool the server uses.
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A handle that can stop the server.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until the process is told to stop (Ctrl-C, SIGTERM) or the handle stops it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

fn run(listener: TcpListener, state: AppState) -> anyhow::Result<Server> {
    let settings = state.settings.clone();
    let spec = openapi::document();
    let web_dir = settings.web_dir.clone();
    let spa_built = web_dir.join("index.html").is_file();
    if !spa_built {
        tracing::warn!(
            web_dir = %web_dir.display(),
            "the web application is not built; `cargo xtask run` builds it"
        );
    }
    let data = web::Data::new(state);
    let max_body = settings.max_body_bytes;
    let mut server = HttpServer::new(move || {
        let app = App::new()
            .wrap(from_fn(crate::concurrency::middleware))
            .wrap(from_fn(crate::services::idempotency::middleware))
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer"))
                    .add(("X-Frame-Options", "DENY")),
            )
            .wrap(from_fn(telemetry::request_context))
            .app_data(data.clone())
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(extract::query_config())
            .app_data(extract::path_config())
            .into_utoipa_app()
            .configure(openapi::configure)
            .into_app()
            .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", spec.clone()))
            .route(
                "/api/docs",
                web::get().to(|| async {
                    HttpResponse::PermanentRedirect()
                        .insert_header(("Location", "/api/docs/"))
                        .finish()
                }),
            );
        if spa_built {
            let index = web_dir.join("index.html");
            app.service(
                Files::new("/", &web_dir)
                    .index_file("index.html")
                    .prefer_utf8(true)
                    .default_handler(fn_service(move |req: ServiceRequest| {
                        spa_fallback(req, index.clone())
                    })),
            )
        } else {
            app.default_service(fn_service(|req: ServiceRequest| async move {
                if is_api_path(req.path()) {
                    Ok(req.error_response(ApiError::not_found("resource")))
                } else {
                    Ok(req.into_response(
                        HttpResponse::ServiceUnavailable()
                            .content_type("text/plain; charset=utf-8")
                            .body("CDHT: the web application is not built. Run `cargo xtask run`, or use the API under /api/v1 (documentation at /api/docs/).\n"),
                    ))
                }
            }))
        }
    })
    .listen(listener)?;
    if settings.workers > 0 {
        server = server.workers(settings.workers);
    }
    Ok(server.run())
}

fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/health/")
}

/// Unknown paths under `/api` are problem-details 404s; anything else is a client-side route of
/// the SPA, answered with its `index.html`.
async fn spa_fallback(
    req: ServiceRequest,
    index: PathBuf,
) -> Result<ServiceResponse, actix_web::Error> {
    if is_api_path(req.path()) {
        return Ok(req.error_response(ApiError::not_found("resource")));
    }
    let (req, _) = req.into_parts();
    let file = NamedFile::open_async(&index).await?;
    let mut response = file.use_etag(true).into_response(&req);
    response.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-cache"),
    );
    Ok(ServiceResponse::new(req, response))
}
