//! The OpenAPI document, generated from the same registration that serves the routes.

use crate::routes;
use actix_web::App;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{Operation, ParameterBuilder, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Object, Ref, RefOr, Required, Type};
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
        (name = "worklist", description = "The officer's work list: what waits in their unit, counted"),
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
    ServerAnswers.modify(&mut api);
    api
}

/// Declares, by rule, what the server does around every operation: the problem answers that
/// the shared machinery gives (authentication, scope, client rate limits, body and query
/// checks, `If-Match`, `Idempotency-Key`, transient database conflicts), the `If-Match` and
/// `Idempotency-Key` headers where they are honoured, `ETag` where it is sent, and HTTP Basic
/// on the token endpoint. Runs after the routes are registered, so that it sees every path; an
/// answer an operation documents itself is kept as written.
struct ServerAnswers;

/// The endpoints answering with tokens: they ignore `Idempotency-Key` (credentials are never
/// stored), and the OAuth one answers in the OAuth shape.
const TOKEN_ENDPOINTS: [&str; 3] = [
    "/api/v1/auth/login",
    "/api/v1/auth/refresh",
    "/api/v1/oauth/token",
];

impl Modify for ServerAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "client_basic",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Basic)),
        );
        let literal: Vec<String> = openapi
            .paths
            .paths
            .keys()
            .filter(|p| !p.contains('{'))
            .cloned()
            .collect();
        for (path, item) in openapi.paths.paths.iter_mut() {
            let versioned = crate::concurrency::versioned_record_path(path);
            // `/people/{id}` also takes `/people/lookup`, a route of its own: a method only the
            // former has is 405 there.
            let template = actix_web::dev::ResourceDef::new(path.as_str());
            let shadows = path.contains('{') && literal.iter().any(|l| template.is_match(l));
            if CACHED.iter().any(|prefix| path.starts_with(prefix))
                && let Some(get) = item.get.as_mut()
            {
                revalidated(get);
            }
            let token_endpoint = TOKEN_ENDPOINTS.contains(&path.as_str());
            if path == "/api/v1/oauth/token"
                && let Some(post) = item.post.as_mut()
            {
                post.security = Some(vec![
                    SecurityRequirement::new("client_basic", Vec::<String>::new()),
                    SecurityRequirement::default(),
                ]);
                continue;
            }
            let operations = [
                (item.get.as_mut(), Verb::Get),
                (item.post.as_mut(), Verb::Post),
                (item.put.as_mut(), Verb::Write),
                (item.patch.as_mut(), Verb::Write),
                (item.delete.as_mut(), Verb::Write),
            ];
            for (operation, verb) in operations {
                if let Some(operation) = operation {
                    describe(path, operation, verb, versioned, token_endpoint);
                    if shadows {
                        add_problem(
                            operation,
                            405,
                            "`method_not_allowed`: the path is another route's (`/people/lookup`), which does not take this method; see `Allow`",
                        );
                    }
                }
            }
        }
    }
}

/// Reference data answered with a strong `ETag` and revalidated with `If-None-Match`
/// (`routes::cache`).
const CACHED: [&str; 2] = ["/api/v1/admin-units/", "/api/v1/target-groups"];

/// `If-None-Match`, `304` and the `ETag` of reference data.
fn revalidated(operation: &mut Operation) {
    push_header(
        operation,
        "If-None-Match",
        "The `ETag` of the copy you hold: `304` without a body while it is current.",
    );
    let etag = HeaderBuilder::new()
        .schema(Object::with_type(Type::String))
        .description(Some(
            "A strong tag of the answer: send it in `If-None-Match` to revalidate.",
        ))
        .build();
    let responses = &mut operation.responses.responses;
    if let Some(RefOr::T(ok)) = responses.get_mut("200") {
        ok.headers.entry("ETag".to_string()).or_insert(etag.clone());
    }
    responses.entry("304".to_string()).or_insert_with(|| {
        RefOr::T(
            ResponseBuilder::new()
                .description("Not modified: the `If-None-Match` tag is current")
                .header("ETag", etag)
                .build(),
        )
    });
}

#[derive(Clone, Copy, PartialEq)]
enum Verb {
    Get,
    Post,
    /// `PUT`, `PATCH`, `DELETE`.
    Write,
}

fn describe(
    path: &str,
    operation: &mut Operation,
    verb: Verb,
    versioned: Option<bool>,
    token_endpoint: bool,
) {
    let authenticated = operation.security.as_ref().is_some_and(|requirements| {
        requirements.iter().any(|r| {
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.get("bearer").map(|_| ()))
                .is_some()
        })
    });
    bound_paging(path, operation);
    let parameters = operation.parameters.clone().unwrap_or_default();
    let has_query = parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Query);
    let has_path = parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Path);
    let json_body = operation.request_body.as_ref().map(|body| {
        body.content
            .keys()
            .any(|t| t == "application/json" || t.ends_with("+json"))
    });
    let mut answers: Vec<(u16, &str)> = Vec::new();
    if authenticated {
        answers.push((
            401,
            "`invalid_token`: the access token is missing, invalid or expired",
        ));
        answers.push((
            403,
            "`forbidden`: outside the caller's role, unit or granted operations",
        ));
        answers.push((
            429,
            "`too_many_requests`: an API client's rate limit is spent; see `Retry-After`",
        ));
    }
    if has_path {
        answers.push((404, "`not_found`: no such record inside the caller's unit"));
    }
    if has_query {
        answers.push((422, "`validation_failed`: a query parameter is mistyped, out of range or holds a control character, named in `errors[].field`"));
    }
    if let Some(json) = json_body {
        answers.push((413, "`payload_too_large`: the body is over the size limit"));
        answers.push((
            415,
            "`unsupported_media_type`: the body is not sent as the type this operation takes",
        ));
        if json {
            answers.push((400, "`malformed_json`: the body is not JSON"));
            answers.push((422, "`validation_failed`: a field is missing, mistyped, invalid, unknown (`unknown_field`) or holds a control character (`control_character`), named in `errors[].field`"));
        }
    }
    let idempotent = verb == Verb::Post && !token_endpoint;
    if idempotent {
        answers.push((
            400,
            "`bad_request`: the `Idempotency-Key` is not 1 to 255 visible ASCII characters",
        ));
        answers.push((409, "`idempotency_key_in_flight`: a request with this `Idempotency-Key` is still being handled"));
        answers.push((
            422,
            "`idempotency_key_reused`: this `Idempotency-Key` came with another request",
        ));
        push_header(
            operation,
            "Idempotency-Key",
            "Makes a retry safe: the first answer to this key is replayed for 24 hours (docs/API-DESIGN.md, \"Idempotency\").",
        );
    }
    let write = verb != Verb::Get;
    if write && versioned.is_some() {
        answers.push((412, "`precondition_failed`: `If-Match` names another version than the record's; `current_version` and `ETag` give the current one"));
        push_header(
            operation,
            "If-Match",
            "The record's `ETag` as read (`\"3\"`), or `*`: the write happens only if the record is still at that version.",
        );
    }
    if write {
        answers.push((503, "`unavailable`: a concurrent change conflicted with this one and nothing was written; retry"));
    }
    for (status, description) in answers {
        add_problem(operation, status, description);
    }
    let tagged = match versioned {
        Some(whole) => write || whole,
        None => false,
    };
    if tagged {
        for (status, response) in operation.responses.responses.iter_mut() {
            // Only the record itself carries the tag (a 202 answers a queue item, say).
            if status != "200" {
                continue;
            }
            if let RefOr::T(response) = response
                && response.content.contains_key("application/json")
            {
                response.headers.entry("ETag".to_string()).or_insert_with(|| {
                    HeaderBuilder::new()
                        .schema(Object::with_type(Type::String))
                        .description(Some(
                            "The record's version as a strong tag (`\"3\"`): send it back in `If-Match`.",
                        ))
                        .build()
                });
            }
        }
    }
}

/// Declares the bounds `extract::Query` enforces on the paging parameters.
fn bound_paging(path: &str, operation: &mut Operation) {
    use shared::page::{MAX_PAGE, MAX_PER_PAGE};
    for parameter in operation.parameters.iter_mut().flatten() {
        let (minimum, maximum) = match parameter.name.as_str() {
            _ if parameter.parameter_in != ParameterIn::Query => continue,
            "page" => (1, MAX_PAGE),
            "per_page" => (1, MAX_PER_PAGE),
            "limit" if path == "/api/v1/changes" => (1, crate::services::changes::MAX_LIMIT),
            "limit" => (1, u64::from(u32::MAX)),
            _ => continue,
        };
        let mut schema = Object::with_type(Type::Integer);
        schema.minimum = Some(utoipa::Number::UInt(minimum as usize));
        schema.maximum = Some(utoipa::Number::UInt(maximum as usize));
        parameter.schema = Some(RefOr::T(utoipa::openapi::Schema::Object(schema)));
    }
}

/// Adds a problem answer unless the operation documents that status itself.
fn add_problem(operation: &mut Operation, status: u16, description: &str) {
    let responses = &mut operation.responses.responses;
    let key = status.to_string();
    if let Some(RefOr::T(existing)) = responses.get_mut(&key) {
        // Several rules may give the same status: the description lists each cause once.
        if !existing.description.contains(description) && existing.description.starts_with('`') {
            existing.description = format!("{}; {description}", existing.description);
        }
        return;
    }
    let response = ResponseBuilder::new()
        .description(description)
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    responses.insert(key, RefOr::T(response));
}

/// Declares an optional header parameter, unless the operation declares it already.
fn push_header(operation: &mut Operation, name: &str, description: &str) {
    let parameters = operation.parameters.get_or_insert_with(Vec::new);
    if parameters
        .iter()
        .any(|p| p.parameter_in == ParameterIn::Header && p.name.eq_ignore_ascii_case(name))
    {
        return;
    }
    parameters.push(
        ParameterBuilder::new()
            .name(name)
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(description))
            .schema(Some(header_schema(name)))
            .build(),
    );
}

/// `Idempotency-Key` is 1 to 255 visible ASCII characters; an `If-Match` any text.
fn header_schema(name: &str) -> Object {
    let mut schema = Object::with_type(Type::String);
    if name == "Idempotency-Key" {
        schema.min_length = Some(1);
        schema.max_length = Some(255);
        schema.pattern = Some("^[!-~]+$".to_string());
    }
    schema
}

/// The document as the committed `openapi/openapi.json`: pretty JSON ending in a newline.
pub fn document_json() -> anyhow::Result<String> {
    let mut text = document().to_pretty_json()?;
    text.push('\n');
    Ok(text)
}
