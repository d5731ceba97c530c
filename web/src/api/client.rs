//! The one generic JSON call: attaches the access token, refreshes it once on a 401, and decodes
//! error answers into [`Problem`].

use super::ApiError;
use crate::session::{Session, Tokens};
use futures::future::{FutureExt, LocalBoxFuture, Shared};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use shared::auth::{RefreshRequest, TokenResponse};
use shared::error::Problem;
use std::cell::RefCell;

/// Prefix of every API path.
pub const BASE: &str = "/api/v1";

/// HTTP methods the application uses.
#[derive(Debug, Clone, Copy)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// A request to the API, relative to [`BASE`].
pub struct Call<'a, B: Serialize> {
    pub method: Method,
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub body: Option<&'a B>,
}

impl<'a> Call<'a, ()> {
    /// `GET path?query`.
    pub fn get(path: &'a str, query: &'a [(&'a str, &'a str)]) -> Self {
        Call {
            method: Method::Get,
            path,
            query,
            body: None,
        }
    }

    /// `DELETE path`.
    pub fn delete(path: &'a str) -> Self {
        Call {
            method: Method::Delete,
            path,
            query: &[],
            body: None,
        }
    }
}

impl<'a, B: Serialize> Call<'a, B> {
    /// `POST path` with a JSON body.
    pub fn post(path: &'a str, body: &'a B) -> Self {
        Call {
            method: Method::Post,
            path,
            query: &[],
            body: Some(body),
        }
    }

    /// `PUT path` with a JSON body.
    pub fn put(path: &'a str, body: &'a B) -> Self {
        Call {
            method: Method::Put,
            path,
            query: &[],
            body: Some(body),
        }
    }

    /// `PATCH path` with a JSON body.
    pub fn patch(path: &'a str, body: &'a B) -> Self {
        Call {
            method: Method::Patch,
            path,
            query: &[],
            body: Some(body),
        }
    }
}

/// Borrows owned query pairs in the shape [`Call::get`] takes.
pub fn pairs<'a>(params: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    params
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect()
}

/// Sends `call` with the session's access token. On a 401 the token pair is refreshed once and
/// the call repeated; when the refresh is refused the session is expired and
/// [`ApiError::SessionExpired`] returned.
pub async fn call<T, B>(session: Session, call: Call<'_, B>) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    B: Serialize,
{
    let tokens = session.tokens();
    let access = tokens.as_ref().map(|t| t.access_token.as_str());
    let response = send(&call, access).await?;
    let Some(used) = tokens.filter(|_| response.status() == 401) else {
        return decode(response).await;
    };
    match refreshed(session, &used).await? {
        Some(fresh) => decode(send(&call, Some(&fresh.access_token)).await?).await,
        None => {
            session.expire();
            Err(ApiError::SessionExpired)
        }
    }
}

/// Sends `call` once, with `access_token` if given, and never refreshes: for login, refresh and
/// logout, whose 401 means something else than an expired access token.
pub async fn call_once<T, B>(call: Call<'_, B>, access_token: Option<&str>) -> Result<T, ApiError>
where
    T: DeserializeOwned,
    B: Serialize,
{
    decode(send(&call, access_token).await?).await
}

type RefreshFuture = Shared<LocalBoxFuture<'static, Result<Option<Tokens>, ApiError>>>;

thread_local! {
    /// The refresh in flight: calls that fail together share one refresh.
    static REFRESHING: RefCell<Option<RefreshFuture>> = const { RefCell::new(None) };
}

/// A fresh access token to replace `used`: the session's when another call has refreshed
/// already, else the result of a (shared) refresh. `Ok(None)` when the server refused the
/// session's refresh cookie.
async fn refreshed(session: Session, used: &Tokens) -> Result<Option<Tokens>, ApiError> {
    if let Some(current) = session.tokens()
        && current.access_token != used.access_token
    {
        return Ok(Some(current));
    }
    let refresh = REFRESHING.with(|slot| {
        slot.borrow_mut()
            .get_or_insert_with(|| refresh(session).boxed_local().shared())
            .clone()
    });
    refresh.await
}

async fn refresh(session: Session) -> Result<Option<Tokens>, ApiError> {
    let outcome = refresh_with_cookie().await;
    REFRESHING.with(|slot| slot.borrow_mut().take());
    match outcome {
        Ok(pair) => {
            session.store(&pair);
            Ok(session.tokens())
        }
        Err(ApiError::Network(message)) => Err(ApiError::Network(message)),
        Err(_) => Ok(None),
    }
}

/// `POST /auth/refresh` with no token in the body: the browser sends the session's
/// `HttpOnly` cookie, which this code cannot read.
pub async fn refresh_with_cookie() -> Result<TokenResponse, ApiError> {
    call_once(
        Call::post("/auth/refresh", &RefreshRequest::default()),
        None,
    )
    .await
}

async fn send<B: Serialize>(
    call: &Call<'_, B>,
    access_token: Option<&str>,
) -> Result<Response, ApiError> {
    let url = format!("{BASE}{}", call.path);
    let mut builder: RequestBuilder = match call.method {
        Method::Get => Request::get(&url),
        Method::Post => Request::post(&url),
        Method::Put => Request::put(&url),
        Method::Patch => Request::patch(&url),
        Method::Delete => Request::delete(&url),
    }
    .header("Accept", "application/json");
    if !call.query.is_empty() {
        builder = builder.query(call.query.iter().copied());
    }
    if let Some(token) = access_token {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let request = match call.body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|error| ApiError::Network(error.to_string()))?;
    request
        .send()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    let text = response
        .text()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))?;
    if response.ok() {
        // An empty body (204) decodes as JSON `null`, which is what `()` expects.
        let json = if text.trim().is_empty() {
            "null"
        } else {
            &text
        };
        return serde_json::from_str(json).map_err(|error| ApiError::Decode(error.to_string()));
    }
    match serde_json::from_str::<Problem>(&text) {
        Ok(problem) => {
            let retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|value| value.trim().parse().ok());
            Err(ApiError::Problem {
                problem,
                retry_after,
            })
        }
        Err(_) => Err(ApiError::Status(status)),
    }
}

/// Like [`call`], for an answer that is a file rather than JSON: its bytes.
pub async fn call_bytes(session: Session, call: Call<'_, ()>) -> Result<Vec<u8>, ApiError> {
    let tokens = session.tokens();
    let access = tokens.as_ref().map(|t| t.access_token.as_str());
    let mut response = send(&call, access).await?;
    if let Some(used) = tokens.filter(|_| response.status() == 401) {
        let Some(fresh) = refreshed(session, &used).await? else {
            session.expire();
            return Err(ApiError::SessionExpired);
        };
        response = send(&call, Some(&fresh.access_token)).await?;
    }
    if !response.ok() {
        let status = response.status();
        return Err(decode::<serde_json::Value>(response)
            .await
            .err()
            .unwrap_or(ApiError::Status(status)));
    }
    response
        .binary()
        .await
        .map_err(|error| ApiError::Network(error.to_string()))
}

/// `POST path?query` with a file (any `Blob`) as the raw body, answered with JSON; `progress`
/// hears the bytes sent as they go. The token is refreshed once on a 401, as in [`call`]; the
/// blob is sent again as it is.
pub async fn call_upload<T: DeserializeOwned>(
    session: Session,
    path: &str,
    query: &[(&str, &str)],
    file: &web_sys::Blob,
    progress: super::xhr::Progress,
) -> Result<T, ApiError> {
    let tokens = session.tokens();
    let access = tokens.as_ref().map(|t| t.access_token.as_str());
    let response = send_blob(path, query, file, access, progress.clone()).await?;
    let Some(used) = tokens.filter(|_| response.status() == 401) else {
        return decode(response).await;
    };
    match refreshed(session, &used).await? {
        Some(fresh) => {
            decode(send_blob(path, query, file, Some(&fresh.access_token), progress).await?).await
        }
        None => {
            session.expire();
            Err(ApiError::SessionExpired)
        }
    }
}

async fn send_blob(
    path: &str,
    query: &[(&str, &str)],
    file: &web_sys::Blob,
    access_token: Option<&str>,
    progress: super::xhr::Progress,
) -> Result<Response, ApiError> {
    let mut url = format!("{BASE}{path}");
    if !query.is_empty() {
        let params = web_sys::UrlSearchParams::new()
            .map_err(|error| ApiError::Network(format!("{error:?}")))?;
        for (name, value) in query {
            params.append(name, value);
        }
        url.push('?');
        url.push_str(&String::from(params.to_string()));
    }
    let bearer = access_token.map(|token| format!("Bearer {token}"));
    let mut headers = vec![
        ("Accept", "application/json"),
        ("Content-Type", "application/octet-stream"),
    ];
    if let Some(bearer) = bearer.as_deref() {
        headers.push(("Authorization", bearer));
    }
    super::xhr::post_blob(&url, &headers, file, progress).await
}
