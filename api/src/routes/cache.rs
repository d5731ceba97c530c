//! HTTP caching of read-only reference data: a strong ETag from the body and `If-None-Match`.

use crate::error::ApiError;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// Serialises `value` as JSON with an ETag and `Cache-Control: public, max-age=0,
/// must-revalidate`; answers `304 Not Modified` when the client already holds this version. The
/// data changes rarely but at once (a restructuring applied or undone), so clients keep it and
/// ask again with `If-None-Match` rather than trust it for a while.
pub fn cached_json<T: Serialize>(req: &HttpRequest, value: &T) -> Result<HttpResponse, ApiError> {
    let body = serde_json::to_vec(value).map_err(|e| anyhow::anyhow!("serialising: {e}"))?;
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", hex::encode(&digest[..16]));
    let cache_control = "public, max-age=0, must-revalidate";
    let matches = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == etag || t == "*");
    if matches {
        return Ok(HttpResponse::NotModified()
            .insert_header((header::ETAG, etag))
            .insert_header((header::CACHE_CONTROL, cache_control))
            .finish());
    }
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .body(body))
}
