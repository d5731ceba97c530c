//! A response read whole, with assertions for the problem-details envelope.

use reqwest::header::HeaderMap;
use serde_json::Value;

/// Status, headers and body of one answer. The body is parsed as JSON when it is JSON,
/// kept as a string otherwise, and `null` when empty.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
}

impl ApiResponse {
    pub(crate) async fn read(response: reqwest::Response) -> Self {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response
            .bytes()
            .await
            .expect("the response body can be read");
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes)
                .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
        };
        ApiResponse {
            status,
            headers,
            body,
        }
    }

    /// A header as text, when present and readable.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Panics, showing the body, unless the status is `expected`.
    #[track_caller]
    pub fn assert_status(&self, expected: u16) -> &Self {
        assert_eq!(
            self.status, expected,
            "expected status {expected}, got {} with body {}",
            self.status, self.body
        );
        self
    }

    /// Panics unless this is an RFC 9457 problem with this status and code: content type
    /// `application/problem+json`, `status` equal to the HTTP status, `type` naming the code,
    /// a title, and a `request_id` equal to the `X-Request-Id` header.
    #[track_caller]
    pub fn assert_problem(&self, status: u16, code: &str) -> &Self {
        self.assert_status(status);
        let content_type = self.header("content-type").unwrap_or_default();
        assert!(
            content_type.starts_with("application/problem+json"),
            "content type of a {status} is {content_type:?}, not application/problem+json"
        );
        assert_eq!(self.body["code"], code, "problem code in {}", self.body);
        assert_eq!(
            self.body["status"], status,
            "problem status in {}",
            self.body
        );
        assert_eq!(
            self.body["type"],
            format!("/problems/{code}"),
            "problem type in {}",
            self.body
        );
        assert!(
            self.body["title"].as_str().is_some_and(|t| !t.is_empty()),
            "a problem has a title: {}",
            self.body
        );
        let header_id = self
            .header("x-request-id")
            .unwrap_or_else(|| panic!("a {status} carries X-Request-Id"));
        assert!(!header_id.is_empty(), "X-Request-Id is not empty");
        assert_eq!(
            self.body["request_id"], header_id,
            "request_id of the body equals X-Request-Id"
        );
        self
    }

    /// The `field` of every entry of `errors[]`.
    pub fn error_fields(&self) -> Vec<String> {
        self.body["errors"]
            .as_array()
            .map(|errors| {
                errors
                    .iter()
                    .filter_map(|e| e["field"].as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Panics unless this is a `422 validation_failed` naming `field`.
    #[track_caller]
    pub fn assert_invalid_field(&self, field: &str) -> &Self {
        self.assert_problem(422, "validation_failed");
        let fields = self.error_fields();
        assert!(
            fields.iter().any(|f| f == field),
            "the errors name {field:?}; they name {fields:?} in {}",
            self.body
        );
        self
    }

    /// The body as an array (panics otherwise).
    #[track_caller]
    pub fn items(&self) -> &Vec<Value> {
        self.body
            .as_array()
            .unwrap_or_else(|| panic!("expected a JSON array, got {}", self.body))
    }
}
