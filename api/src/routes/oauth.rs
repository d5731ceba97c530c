//! `POST /oauth/token`: the OAuth 2.0 client-credentials grant (RFC 6749 §4.4) for API clients.
//! Its errors follow RFC 6749 §5.2 (`{"error", "error_description"}`), not the problem details of
//! the rest of the API, because OAuth client libraries expect that shape.

use crate::services::clients::{self, TokenError};
use crate::state::AppState;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The form of a token request (`application/x-www-form-urlencoded`). The client's credentials
/// go in HTTP Basic authentication (preferred) or in `client_id` and `client_secret`.
#[derive(Debug, Default, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "grant_type": "client_credentials",
    "client_id": "5b0e6a8e-2f7c-4a53-9a55-0a7e3f6c9d11",
    "client_secret": "cdhts_3f1c0d5e8a9b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d",
    "scope": "people:read people:write changes:read"
}))]
pub struct TokenRequest {
    /// Always `client_credentials`.
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// Space-separated operations wanted; all the client's operations when absent.
    pub scope: Option<String>,
}

/// A granted access token.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "access_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI1YjBlNmE4ZS4uLiJ9.c2lnbmF0dXJl",
    "token_type": "Bearer",
    "expires_in": 900,
    "scope": "people:read people:write changes:read"
}))]
pub struct ClientTokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds until the token expires; ask for a new one then (there is no refresh token).
    pub expires_in: u64,
    /// The operations granted.
    pub scope: String,
}

/// An RFC 6749 §5.2 error.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[schema(example = json!({
    "error": "invalid_client",
    "error_description": "unknown client, wrong secret or revoked client"
}))]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type` or
    /// `invalid_scope`.
    pub error: String,
    pub error_description: String,
}

fn oauth_error(status: u16, error: &str, description: &str, basic: bool) -> HttpResponse {
    let mut response = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    );
    response
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"));
    if status == 401 {
        response.insert_header((
            header::WWW_AUTHENTICATE,
            if basic {
                "Basic realm=\"cdht\""
            } else {
                "Bearer realm=\"cdht\""
            },
        ));
    }
    response.json(OAuthError {
        error: error.to_string(),
        error_description: description.to_string(),
    })
}

/// Decodes one form-urlencoded component (RFC 6749 §2.3.1 encodes Basic credentials so).
fn form_decode(raw: &str) -> Option<String> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(&format!("v={raw}"))
        .ok()?
        .pop()
        .map(|(_, v)| v)
}

fn basic_credentials(req: &HttpRequest) -> Option<Option<(String, String)>> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value
        .strip_prefix("Basic ")
        .or_else(|| value.strip_prefix("basic "))?;
    let decoded = STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok());
    Some(decoded.and_then(|text| {
        let (id, secret) = text.split_once(':')?;
        Some((form_decode(id)?, form_decode(secret)?))
    }))
}

/// Get an access token for an API client (OAuth 2.0 client-credentials grant).
///
/// Send `grant_type=client_credentials` as `application/x-www-form-urlencoded`, with the client
/// id and secret in HTTP Basic authentication or as `client_id` and `client_secret` in the form.
/// The token is a bearer JWT valid for `expires_in` seconds, limited to the client's scope (one
/// province or the nation) and to the operations granted. A revoked client, or a secret replaced
/// by rotation, is refused with 401 `invalid_client`; tokens issued before a rotation or a
/// revocation stop working at once.
#[utoipa::path(
    operation_id = "oauth_token",
    tag = "integration",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A token", body = ClientTokenResponse),
        (status = 400, description = "`invalid_request`, `unsupported_grant_type` or `invalid_scope`", body = OAuthError,
            example = json!({"error": "unsupported_grant_type", "error_description": "only client_credentials is supported"})),
        (status = 401, description = "`invalid_client`: unknown client, wrong secret or revoked", body = OAuthError),
    )
)]
#[post("/oauth/token")]
pub async fn token(state: web::Data<AppState>, req: HttpRequest, body: web::Bytes) -> HttpResponse {
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !form_type {
        return oauth_error(
            400,
            "invalid_request",
            "send the request as application/x-www-form-urlencoded",
            false,
        );
    }
    let Ok(pairs) = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&body) else {
        return oauth_error(400, "invalid_request", "the form cannot be read", false);
    };
    let mut form = TokenRequest::default();
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "grant_type" => &mut form.grant_type,
            "client_id" => &mut form.client_id,
            "client_secret" => &mut form.client_secret,
            "scope" => &mut form.scope,
            _ => continue,
        };
        if slot.is_some() {
            return oauth_error(
                400,
                "invalid_request",
                &format!("the parameter {name} is repeated"),
                false,
            );
        }
        *slot = Some(value);
    }
    let basic = basic_credentials(&req);
    let credentials = match (basic, form.client_id.take(), form.client_secret.take()) {
        (Some(Some(_)), Some(_), _) | (Some(Some(_)), _, Some(_)) => {
            return oauth_error(
                400,
                "invalid_request",
                "send the client credentials in one way only",
                false,
            );
        }
        (Some(None), _, _) => {
            return oauth_error(401, "invalid_client", "malformed Basic credentials", true);
        }
        (Some(Some(pair)), None, None) => Some((pair, true)),
        (None, Some(id), Some(secret)) => Some(((id, secret), false)),
        (None, _, _) => None,
    };
    match form.grant_type.as_deref() {
        None => return oauth_error(400, "invalid_request", "grant_type is required", false),
        Some("client_credentials") => {}
        Some(_) => {
            return oauth_error(
                400,
                "unsupported_grant_type",
                "only client_credentials is supported",
                false,
            );
        }
    }
    let Some(((client_id, secret), basic)) = credentials else {
        return oauth_error(
            401,
            "invalid_client",
            "client authentication is required (HTTP Basic or client_id and client_secret)",
            true,
        );
    };
    match clients::issue_token(
        &state.db,
        &state.keys,
        &client_id,
        &secret,
        form.scope.as_deref(),
        crate::telemetry::RequestId::of(&req),
    )
    .await
    {
        Ok(granted) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(ClientTokenResponse {
                access_token: granted.access_token,
                token_type: "Bearer".into(),
                expires_in: granted.expires_in,
                scope: granted.scope,
            }),
        Err(TokenError::InvalidClient) => oauth_error(
            401,
            "invalid_client",
            "unknown client, wrong secret or revoked client",
            basic,
        ),
        Err(TokenError::InvalidScope(d)) => oauth_error(400, "invalid_scope", &d, false),
        Err(TokenError::InvalidRequest(d)) => oauth_error(400, "invalid_request", &d, false),
        Err(TokenError::UnsupportedGrantType) => oauth_error(
            400,
            "unsupported_grant_type",
            "only client_credentials is supported",
            false,
        ),
        Err(TokenError::Internal(e)) => actix_web::ResponseError::error_response(&e),
    }
}
