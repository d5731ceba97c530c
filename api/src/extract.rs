//! Request-body and query extractors that answer in problem details naming the bad field.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;
use shared::error::field_errors;
use validator::Validate;

/// A JSON body, deserialised with the path of any bad field and then validated with the rules of
/// `shared`. Malformed JSON is `400 malformed_json`; a missing, mistyped or invalid field is
/// `422 validation_failed` naming it; a body over the limit is `413`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> FromRequest for Json<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(read_error)?;
            let value = parse_json::<T>(&bytes)?;
            value
                .validate()
                .map_err(|e| ApiError::Validation(field_errors(&e)))?;
            Ok(Json(value))
        })
    }
}

/// An optional JSON body: an empty body is `None`; anything else must be valid, as for [`Json`].
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T> FromRequest for OptionalJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(read_error)?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(None));
            }
            let value = parse_json::<T>(&bytes)?;
            value
                .validate()
                .map_err(|e| ApiError::Validation(field_errors(&e)))?;
            Ok(OptionalJson(Some(value)))
        })
    }
}

/// A body that could not be read: too large (413) or broken off (400).
fn read_error(e: actix_web::Error) -> ApiError {
    if e.as_response_error().status_code() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::BadRequest {
            code: "bad_request",
            detail: "the request body could not be read".into(),
        }
    }
}

/// Deserialises `bytes`, reporting a wrong or missing field by its JSON path.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() || bytes.is_empty() {
            return ApiError::BadRequest {
                code: "malformed_json",
                detail: format!("the body is not valid JSON: {inner}"),
            };
        }
        let message = strip_position(&inner.to_string());
        // A missing field is reported at its parent's path; name the field itself.
        let field = match missing_field(&message) {
            Some(name) if path == "." => name.to_string(),
            Some(name) => format!("{path}.{name}"),
            None => path,
        };
        ApiError::field(
            if field == "." { "body" } else { &field },
            if missing_field(&message).is_some() {
                "required"
            } else {
                "invalid_type"
            },
            message,
        )
    })?;
    de.end().map_err(|e| ApiError::BadRequest {
        code: "malformed_json",
        detail: format!("the body is not valid JSON: {e}"),
    })?;
    Ok(value)
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

fn missing_field(message: &str) -> Option<&str> {
    message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
}

/// Query-string errors become `400 bad_request` in problem details.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::BadRequest {
            code: "bad_request",
            detail: format!("invalid query string: {err}"),
        }
        .into()
    })
}

/// Path-segment errors (a non-UUID id, say) become `404 not_found`.
pub fn path_config() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_err, _req| ApiError::not_found("resource").into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Body {
        name: String,
        items: Vec<Item>,
    }

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Item {
        count: u32,
    }

    fn field_of(err: ApiError) -> (String, String) {
        match err {
            ApiError::Validation(errors) => (errors[0].field.clone(), errors[0].code.clone()),
            other => (other.code().to_string(), String::new()),
        }
    }

    #[test]
    fn errors_name_the_field() {
        let cases = [
            (r#"{"items": []}"#, ("name", "required")),
            (r#"{"name": 5, "items": []}"#, ("name", "invalid_type")),
            (
                r#"{"name": "a", "items": [{"count": 1}, {"count": "x"}]}"#,
                ("items[1].count", "invalid_type"),
            ),
            (
                r#"{"name": "a", "items": [{}]}"#,
                ("items[0].count", "required"),
            ),
            (r#"{"name": "#, ("malformed_json", "")),
            (
                r#"{"name": "a", "items": []} trailing"#,
                ("malformed_json", ""),
            ),
            ("", ("malformed_json", "")),
        ];
        for (body, (field, code)) in cases {
            let err = parse_json::<Body>(body.as_bytes()).expect_err(body);
            assert_eq!(
                field_of(err),
                (field.to_string(), code.to_string()),
                "{body}"
            );
        }
    }
}
