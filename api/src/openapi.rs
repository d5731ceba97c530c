//! The OpenAPI document, generated from the same registration that serves the routes.

use crate::routes;
use actix_web::App;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

/// Metadata of the document; the paths come from the route registration.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "CDHT API",
        description = "API of CDHT, the software of Vietnam's Association for Promoting Education \
for the \"Công dân học tập\" (Learning Citizen) programme. Errors are RFC 9457 problem details \
(`application/problem+json`) with a stable `code`, field errors and a request id. \
See docs/API-DESIGN.md for the conventions.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Login, tokens and the caller's account"),
        (name = "users", description = "Account management within the caller's unit"),
        (name = "admin-units", description = "Official administrative units, current and legacy"),
        (name = "association-units", description = "The Association's units: central, province, commune, branches and committees"),
        (name = "audit", description = "Who did what to which record, per unit"),
        (name = "memberships", description = "Members of the Association's units, with transfers and history"),
        (name = "people", description = "Person records; personal ID numbers encrypted, masked, revealed only with an audit row"),
        (name = "villages", description = "Villages and residential groups under the communes"),
        (name = "criteria-sets", description = "Versioned criteria sets; frozen once published"),
        (name = "periods", description = "Yearly periods, their dates and who reviews and recognises"),
        (name = "registrations", description = "Registrations and their assessment, one endpoint per transition"),
        (name = "decisions", description = "Recognition decisions and certificates"),
        (name = "verification", description = "Public verification of certificates, without login"),
        (name = "health", description = "Liveness and readiness probes"),
        (name = "reports", description = "Live reports, baselines, Decision 677 targets and progress, exports"),
        (name = "imports", description = "Bulk import of people from CSV and XLSX files, as background jobs"),
        (name = "legacy-queue", description = "Records whose old address needs an officer's choice of current commune"),
        (name = "restructurings", description = "Newer official unit lists: difference, apply with lineage, undo"),
        (name = "integration", description = "Provincial systems: client credentials, batch upserts by external id, the change feed (docs/INTEGRATION.md)"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.bearer_format = Some("JWT".to_string());
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
    }
}

/// Registers every documented service: used by the server and by [`document`].
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(routes::api_v1())
        .service(routes::health::live)
        .service(routes::health::ready);
}

/// The whole document, as `/api/openapi.json` serves it.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .configure(configure)
        .split_for_parts();
    api.info.version = env!("CARGO_PKG_VERSION").to_string();
    api
}

/// The document as the committed `openapi/openapi.json`: pretty JSON ending in a newline.
pub fn document_json() -> anyhow::Result<String> {
    let mut text = document().to_pretty_json()?;
    text.push('\n');
    Ok(text)
}
