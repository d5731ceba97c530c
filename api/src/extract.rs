//! Request-body and query extractors that answer in problem details naming the bad field.
//!
//! Hostile input is refused here, once for every endpoint, before any handler or query sees it:
//! a JSON body must be sent as JSON (`415` otherwise), may not carry fields the request does not
//! have (`422 unknown_field`) nor control characters in its text (`422 control_character`); a
//! query string may not carry control characters, and its paging numbers are bounded before any
//! arithmetic (`422 out_of_range`); a mistyped query value is `422` naming the parameter.

use crate::error::ApiError;
use crate::json::{field_error, from_value, parse_json, parse_value};
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::{LocalBoxFuture, Ready, ready};
use serde::de::DeserializeOwned;
use shared::error::field_errors;
use shared::page::{MAX_PAGE, MAX_PER_PAGE};
use shared::text::has_control_character;
use validator::Validate;

/// A JSON body, deserialised with the path of any bad field and then validated with the rules of
/// `shared`. A body not sent as `application/json` is `415 unsupported_media_type`; malformed
/// JSON is `400 malformed_json`; a missing, mistyped, unknown or invalid field, or text with a
/// control character, is `422` naming it; a body over the limit is `413`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> FromRequest for Json<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = ensure_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            declared?;
            let bytes = bytes.await.map_err(read_error)?;
            let value = parse_json::<T>(&bytes)?;
            value
                .validate()
                .map_err(|e| ApiError::Validation(field_errors(&e)))?;
            Ok(Json(value))
        })
    }
}

/// An optional JSON body: an empty body, or JSON `null`, is `None`; anything else must be valid,
/// as for [`Json`].
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T> FromRequest for OptionalJson<T>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = ensure_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes.await.map_err(read_error)?;
            if bytes.iter().all(u8::is_ascii_whitespace) {
                return Ok(OptionalJson(None));
            }
            declared?;
            if bytes.trim_ascii() == b"null" {
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

/// The JSON envelope of a batch (`{"items": [...]}`): sent as JSON and of the right shape, but
/// its items are left to be checked one by one, so that one bad item is refused alone.
#[derive(Debug)]
pub struct BatchJson<T>(pub T);

impl<T> FromRequest for BatchJson<T>
where
    T: DeserializeOwned + 'static,
{
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let declared = ensure_json(req);
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            declared?;
            let bytes = bytes.await.map_err(read_error)?;
            Ok(BatchJson(from_value(parse_value(&bytes)?)?))
        })
    }
}

/// `415` unless the request declares a JSON body (`application/json` or `application/…+json`).
fn ensure_json(req: &HttpRequest) -> Result<(), ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match declared.as_deref() {
        Some("application/json") => Ok(()),
        Some(t) if t.starts_with("application/") && t.ends_with("+json") => Ok(()),
        Some(other) => Err(ApiError::UnsupportedMediaType(format!(
            "the body must be sent as application/json, not {other}"
        ))),
        None => Err(ApiError::UnsupportedMediaType(
            "the body must be sent with Content-Type: application/json".into(),
        )),
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

/// A query string, deserialised into `T`. A control character in any name or value, a paging
/// number out of bounds (`page` 1 to [`MAX_PAGE`], `per_page` 1 to [`MAX_PER_PAGE`], `limit` at
/// least 1) or a mistyped or missing parameter is `422` naming the parameter.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(parse_query(req.query_string()).map(Query))
    }
}

/// Checks and deserialises a query string (see [`Query`]).
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        if has_control_character(&name, false) || has_control_character(&value, false) {
            let field = if has_control_character(&name, false) {
                "query"
            } else {
                &name
            };
            return Err(ApiError::field(
                field,
                "control_character",
                "must not contain control characters (such as NUL)",
            ));
        }
        let bounds = match name.as_ref() {
            "page" => Some((1, MAX_PAGE)),
            "per_page" => Some((1, MAX_PER_PAGE)),
            "limit" => Some((1, u64::from(u32::MAX))),
            _ => None,
        };
        if let Some((min, max)) = bounds
            && let Some(number) = value.trim().parse::<i128>().ok()
            && !(i128::from(min)..=i128::from(max)).contains(&number)
        {
            return Err(ApiError::field(
                &name,
                "out_of_range",
                format!("must be between {min} and {max}"),
            ));
        }
    }
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        field_error(path, &err.into_inner().to_string())
    })
}

/// Query-string errors of extractors other than [`Query`] become `422` in problem details.
pub fn query_config() -> web::QueryConfig {
    web::QueryConfig::default().error_handler(|err, _req| {
        ApiError::field(
            "query",
            "invalid_type",
            format!("invalid query string: {err}"),
        )
        .into()
    })
}

/// Path-segment errors (a non-UUID id, say) become the error `answer` gives: `404 not_found`,
/// or `405` when the path is another route's (`PUT /people/lookup`); the server's routes, which
/// tell the two apart, are known to `startup`, which passes `answer`.
pub fn path_config(answer: fn(&HttpRequest) -> ApiError) -> web::PathConfig {
    web::PathConfig::default().error_handler(move |_err, req| answer(req).into())
}

/// Middleware: a path with a control character (`%00`, say) names no resource: `404`, before
/// any handler passes it to the database.
pub async fn refuse_control_characters_in_path(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let decoded = percent_encoding::percent_decode_str(req.path()).decode_utf8_lossy();
    if has_control_character(&decoded, false) {
        let answer = ApiError::not_found("resource")
            .response(crate::telemetry::RequestId::of(req.request()).as_deref());
        return Ok(req.into_response(answer));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
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
    fn line_breaks_and_tabs_are_text_but_other_controls_are_not() {
        let body = r#"{"name": "two\nlines\twith a tab", "items": []}"#;
        assert!(parse_json::<Body>(body.as_bytes()).is_ok());
    }

    #[derive(Debug, Deserialize)]
    #[expect(dead_code, reason = "only deserialised")]
    struct Paging {
        q: Option<String>,
        page: Option<u64>,
        per_page: Option<u64>,
        limit: Option<u64>,
        year: Option<i32>,
    }

    #[test]
    fn query_errors_name_the_parameter() {
        let cases = [
            ("q=a%00b", ("q", "control_character")),
            ("q=a%1Fb", ("q", "control_character")),
            ("q%00=a", ("query", "control_character")),
            ("page=9223372036854775807", ("page", "out_of_range")),
            ("page=99999999999999999999999", ("page", "out_of_range")),
            ("page=0", ("page", "out_of_range")),
            ("page=-1", ("page", "out_of_range")),
            ("per_page=201", ("per_page", "out_of_range")),
            ("per_page=0", ("per_page", "out_of_range")),
            ("limit=-1", ("limit", "out_of_range")),
            ("limit=many", ("limit", "invalid_type")),
            ("year=x", ("year", "invalid_type")),
        ];
        for (query, (field, code)) in cases {
            let err = parse_query::<Paging>(query).expect_err(query);
            assert_eq!(
                field_of(err),
                (field.to_string(), code.to_string()),
                "{query}"
            );
        }
        assert!(parse_query::<Paging>("q=Nguy%E1%BB%85n&page=3&per_page=200&limit=1").is_ok());
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
            (
                r#"{"name": "a", "items": [], "nmae": "b"}"#,
                ("nmae", "unknown_field"),
            ),
            (
                r#"{"name": "a", "items": [{"count": 1, "cuont": 2}]}"#,
                ("items[0].cuont", "unknown_field"),
            ),
            (
                r#"{"name": "a\u0000b", "items": []}"#,
                ("name", "control_character"),
            ),
            (
                r#"{"name": "a", "items": [{"count": 1, "x\u0000": 1}]}"#,
                ("items[0]", "control_character"),
            ),
            (
                r#"{"name": "a\u001bb", "items": []}"#,
                ("name", "control_character"),
            ),
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
