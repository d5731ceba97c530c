//! Logging: `tracing` to stdout as text or JSON, and the request-context middlewares: one gives
//! every request an id (`X-Request-Id`), keeps it in the request's extensions ([`RequestId`])
//! and writes one access line; the other, innermost, writes it into the error bodies of the
//! handlers and logs their internal errors with it.
//!
//! The id travels explicitly from there: extractors read it from the request ([`RequestId::of`])
//! and the `Actor` carries it to the services, which write it into audit rows.

use crate::configuration::{LogFormat, Settings};
use crate::error::ApiError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest};
use std::time::Instant;
use tracing::Instrument;
use tracing_subscriber::EnvFilter;

/// The id of a request, kept in its extensions by [`request_context`].
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

impl RequestId {
    /// The id of the request, once [`request_context`] gave it one.
    pub fn of(req: &HttpRequest) -> Option<String> {
        req.extensions().get::<RequestId>().map(|id| id.0.clone())
    }
}

/// Installs the global subscriber once; later calls do nothing.
pub fn init(settings: &Settings) {
    let filter = EnvFilter::try_new(format!(
        "{},sqlx=warn,sea_orm=warn,sea_orm_migration=warn,actix_server=warn",
        settings.log_filter
    ))
    .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn request_id_of(req: &ServiceRequest) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

/// Middleware: the request id (in the request's extensions and a span around the handling),
/// the response header and the access log line.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = request_id_of(&req);
    let method = req.method().to_string();
    let path = req.path().to_string();
    let started = Instant::now();
    req.extensions_mut().insert(RequestId(id.clone()));
    let span = tracing::info_span!("request", request_id = %id);
    let mut response = match next.call(req).instrument(span).await {
        Ok(response) => response,
        Err(error) => {
            // A middleware's own error, rendered further out: log its cause here.
            if let Some(error) = error.as_error::<ApiError>() {
                error.log(&id);
            }
            return Err(error);
        }
    };
    let status = response.status().as_u16();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::error!(request_id = %id, %method, %path, status, elapsed_ms, "request");
    } else {
        tracing::info!(request_id = %id, %method, %path, status, elapsed_ms, "request");
    }
    Ok(response)
}

/// Middleware, the innermost: an answer rendered from an [`ApiError`] (by a handler, an
/// extractor or a route the request did not match) gets the request id in its body, and an
/// internal error's cause is logged with it.
pub async fn request_id_in_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let id = RequestId::of(req.request());
    let response = next.call(req).await?.map_into_boxed_body();
    let Some(id) = id else {
        return Ok(response);
    };
    let body = match response
        .response()
        .error()
        .and_then(|e| e.as_error::<ApiError>())
    {
        Some(error) => {
            error.log(&id);
            error.body(Some(&id))
        }
        None => return Ok(response),
    };
    Ok(response.map_body(|_, _| BoxBody::new(body)))
}
