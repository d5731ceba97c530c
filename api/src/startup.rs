//! Building and running the server: pool, migrations, keys, routes, SPA and API docs.

use crate::auth::jwt::JwtKeys;
use crate::configuration::Settings;
use crate::crypto::PiiKeys;
use crate::error::ApiError;
use crate::state::AppState;
use crate::{db, extract, openapi, telemetry};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ResourceDef, Server, ServiceRequest, ServiceResponse, fn_service};
use actix_web::http::Method;
use actix_web::middleware::{Compress, DefaultHeaders, Next, from_fn};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
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
        let verify_limiter = Arc::new(crate::rate_limit::RateLimiter::per_window(
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
        let client_limiter = Arc::new(crate::rate_limit::RateLimiter::per_second(
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
    let stylesheets = web::Data::new(crate::web_app::Stylesheets::of(&web_dir));
    let max_body = settings.max_body_bytes;
    let routes = web::Data::new(Routes::of(&spec));
    let status_log = web::Data::new(match &settings.status_log {
        Some(path) => Some(StatusLog::open(path)?),
        None => None,
    });
    let mut server = HttpServer::new(move || {
        let app = App::new()
            .wrap(from_fn(telemetry::request_id_in_errors))
            .wrap(from_fn(crate::concurrency::middleware))
            .wrap(from_fn(extract::refuse_control_characters_in_path))
            .wrap(from_fn(crate::services::idempotency::middleware))
            .wrap(Compress::default())
            .wrap(
                DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add(("Referrer-Policy", "no-referrer"))
                    .add(("X-Frame-Options", "DENY")),
            )
            .wrap(from_fn(telemetry::request_context))
            .wrap(from_fn(record_status))
            .app_data(data.clone())
            .app_data(routes.clone())
            .app_data(web::PayloadConfig::new(max_body))
            .app_data(extract::query_config())
            .app_data(extract::path_config(path_parameter_error))
            .app_data(status_log.clone())
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
            )
            .service(web::resource(["/api", "/api/{_:.*}", "/health/{_:.*}"]).to(api_fallback))
            .app_data(stylesheets.clone())
            .service(
                web::resource("/verify/{code}")
                    .route(web::get().to(crate::web_app::verify_page::handler))
                    .route(web::head().to(crate::web_app::verify_page::handler)),
            );
        // Requests under `/api/v1` that no route of the scope took reach the default service.
        if spa_built {
            let web_dir = Arc::new(web_dir.clone());
            app.default_service(fn_service(move |req: ServiceRequest| {
                let web_dir = web_dir.clone();
                async move {
                    if is_api_path(req.path()) {
                        return Ok(api_not_routed(req));
                    }
                    crate::web_app::serve(req, &web_dir).await
                }
            }))
        } else {
            app.default_service(fn_service(|req: ServiceRequest| async move {
                if is_api_path(req.path()) {
                    Ok(api_not_routed(req))
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

/// The methods each documented path takes, from the OpenAPI document of the served routes.
struct Routes(Vec<(ResourceDef, Vec<Method>)>);

impl Routes {
    fn of(spec: &utoipa::openapi::OpenApi) -> Routes {
        Routes(
            spec.paths
                .paths
                .iter()
                .map(|(path, item)| {
                    let methods = [
                        (Method::GET, item.get.is_some()),
                        (Method::POST, item.post.is_some()),
                        (Method::PUT, item.put.is_some()),
                        (Method::PATCH, item.patch.is_some()),
                        (Method::DELETE, item.delete.is_some()),
                    ]
                    .into_iter()
                    .filter_map(|(method, present)| present.then_some(method))
                    .collect();
                    (ResourceDef::new(path.as_str()), methods)
                })
                .collect(),
        )
    }

    /// The methods of the route whose path is exactly `path`, with no parameter (`/people/lookup`,
    /// which `/people/{id}` also matches).
    fn literal(&self, path: &str) -> Vec<&Method> {
        self.0
            .iter()
            .filter(|(def, _)| {
                !def.pattern().is_some_and(|p| p.contains('{')) && def.is_match(path)
            })
            .flat_map(|(_, methods)| methods)
            .collect()
    }

    /// The methods that `path` takes, in a stable order; empty when no route has that path. A
    /// route of its own (`/people/lookup`) wins over a parameter that would take the same path.
    fn allowed(&self, path: &str) -> Vec<&Method> {
        let literal = self.literal(path);
        let mut allowed: Vec<&Method> = if literal.is_empty() {
            self.0
                .iter()
                .filter(|(def, _)| def.is_match(path))
                .flat_map(|(_, methods)| methods)
                .collect()
        } else {
            literal
        };
        allowed.sort_by_key(|m| m.as_str());
        allowed.dedup();
        allowed
    }
}

/// Requests under `/api` and `/health` that no route took: `405` with `Allow` when the path
/// exists with other methods (TRACE, say), else a problem-details `404`.
async fn api_fallback(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(not_routed(&req))
}

/// The answer to an API request no route took: `405` with `Allow` when its path takes other
/// methods, else `404`.
fn not_routed(req: &HttpRequest) -> ApiError {
    let allowed = req
        .app_data::<web::Data<Routes>>()
        .map(|routes| routes.allowed(req.path()))
        .unwrap_or_default();
    if allowed.is_empty() {
        return ApiError::not_found("resource");
    }
    ApiError::MethodNotAllowed {
        allow: allowed
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// A path parameter that does not parse (`PUT /people/lookup` reaching `PUT /people/{id}`):
/// `405` when the path is a route of its own with other methods, else `404`.
fn path_parameter_error(req: &HttpRequest) -> ApiError {
    let literal = req
        .app_data::<web::Data<Routes>>()
        .map(|routes| routes.literal(req.path()))
        .unwrap_or_default();
    if literal.is_empty() || literal.contains(&req.method()) {
        return ApiError::not_found("resource");
    }
    not_routed(req)
}

fn api_not_routed(req: ServiceRequest) -> ServiceResponse {
    let error = not_routed(req.request());
    req.error_response(error)
}

/// Where the server writes the method, matched route and status of every answer (`CDHT_STATUS_LOG`):
/// the test suite checks them against the OpenAPI document.
struct StatusLog(Mutex<std::fs::File>);

impl StatusLog {
    fn open(path: &Path) -> anyhow::Result<StatusLog> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .with_context(|| format!("opening the status log {}", path.display()))?;
        Ok(StatusLog(Mutex::new(file)))
    }

    fn record(&self, method: &Method, pattern: &str, status: u16) {
        use std::io::Write;
        if let Ok(mut file) = self.0.lock() {
            // One whole line per write, so that concurrent servers appending to one file never
            // interleave; a failed write only loses a line of a test aid.
            let _ = file.write_all(format!("{method} {pattern} {status}\n").as_bytes());
        }
    }
}

/// Middleware: records every answer in the [`StatusLog`], when one is configured.
async fn record_status(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(log) = req
        .app_data::<web::Data<Option<StatusLog>>>()
        .cloned()
        .filter(|log| log.is_some())
    else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    let result = next.call(req).await;
    // The route is known once the request has been routed; an error that escaped every handler
    // (none should) has no route to record.
    if let (Some(log), Ok(response)) = (log.as_ref(), &result)
        && let Some(pattern) = response.request().match_pattern()
    {
        log.record(
            response.request().method(),
            &pattern,
            response.status().as_u16(),
        );
    }
    result.map(ServiceResponse::map_into_boxed_body)
}

fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path.starts_with("/health/")
}
