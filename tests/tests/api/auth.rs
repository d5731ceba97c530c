//! `/api/v1/auth`: login, access tokens, refresh rotation, logout, password change, throttling.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use shared::auth::TokenResponse;
use tests::{PASSWORD, TestApp};

tests::on_both_backends!(
    logging_in_returns_an_access_token_and_a_refresh_token,
    the_access_token_identifies_the_caller,
    a_wrong_password_or_unknown_user_is_refused_alike,
    missing_malformed_forged_or_expired_tokens_are_refused,
    refreshing_rotates_the_refresh_token_and_a_replay_revokes_the_login,
    logging_out_revokes_the_refresh_token,
    a_web_login_keeps_its_refresh_token_in_an_http_only_cookie,
    the_refresh_cookie_rotates_and_tabs_opened_together_share_a_renewal,
    logging_out_with_the_access_token_ends_a_cookie_login_and_clears_the_cookie,
    changing_the_password_ends_every_session,
    a_wrong_current_password_does_not_change_the_password,
    five_wrong_passwords_lock_the_account_even_for_the_right_one,
    throttling_is_per_account_until_the_address_limit,
);

const ME: &str = "/api/v1/auth/me";

async fn refresh(app: &TestApp, token: &str) -> tests::ApiResponse {
    app.post_json(
        "/api/v1/auth/refresh",
        None,
        &json!({"refresh_token": token}),
    )
    .await
}

/// The refresh token of a login that keeps it in the body (the default).
fn body_token(tokens: &TokenResponse) -> &str {
    tokens
        .refresh_token
        .as_deref()
        .expect("a refresh token in the body")
}

/// Claims like the server's, for a token the test signs itself.
fn claims(sub: &str, issued_ms: i64, expires: i64) -> Value {
    json!({
        "sub": sub,
        "role": "central_admin",
        "unit": "VN",
        "iss": "cdht",
        "iat": issued_ms / 1000,
        "iat_ms": issued_ms,
        "exp": expires,
        "jti": uuid::Uuid::new_v4(),
    })
}

fn sign(algorithm: Algorithm, claims: &Value, secret: &[u8]) -> String {
    let key = EncodingKey::from_secret(secret).expect("an HMAC key");
    jsonwebtoken::encode(&Header::new(algorithm), claims, &key).expect("signing")
}

fn unsigned(claims: &Value) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    format!("{header}.{body}.")
}

async fn logging_in_returns_an_access_token_and_a_refresh_token(app: &TestApp) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    let response = app.try_login("hn.admin", PASSWORD).await;
    response.assert_status(200);
    let body = &response.body;
    let access = body["access_token"].as_str().expect("access_token");
    assert_eq!(access.split('.').count(), 3, "a JWT: {access}");
    let refresh = body["refresh_token"].as_str().expect("refresh_token");
    assert!(refresh.len() >= 32, "a long refresh token: {refresh}");
    assert_ne!(access, refresh);
    assert_eq!(body["token_type"], "Bearer");
    let expires_in = body["expires_in"].as_u64().expect("expires_in");
    assert!(expires_in > 0 && expires_in <= 900, "{expires_in}");

    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(access.split('.').next().expect("a header"))
            .expect("base64url"),
    )
    .expect("a JSON header");
    assert_eq!(header["alg"], "HS256");

    let again = app.login("HN.Admin ", PASSWORD).await;
    assert_ne!(
        again.refresh_token.as_deref(),
        Some(refresh),
        "usernames are case-blind and every login has its own refresh token"
    );
}

async fn the_access_token_identifies_the_caller(app: &TestApp) {
    let officer = app.sign_in("hn.officer", "province_officer", "01").await;
    let response = app.get_json(ME, officer.token()).await;
    response.assert_status(200);
    assert_eq!(response.body["id"], officer.id());
    assert_eq!(response.body["username"], "hn.officer");
    assert_eq!(response.body["role"], "province_officer");
    assert_eq!(response.body["unit"]["code"], "01");
    assert_eq!(response.body["unit"]["name"], "Thành phố Hà Nội");
    assert_eq!(response.body["active"], true);
    assert!(
        response.body.get("password_hash").is_none() && response.body.get("password").is_none(),
        "no password in {}",
        response.body
    );
}

async fn a_wrong_password_or_unknown_user_is_refused_alike(app: &TestApp) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    let wrong = app.try_login("hn.admin", "not the password").await;
    wrong.assert_problem(401, "invalid_credentials");
    let unknown = app.try_login("nobody", PASSWORD).await;
    unknown.assert_problem(401, "invalid_credentials");
    assert_eq!(wrong.body["detail"], unknown.body["detail"]);
    assert!(wrong.body.get("access_token").is_none());
}

async fn missing_malformed_forged_or_expired_tokens_are_refused(app: &TestApp) {
    let admin = app.sign_in("hn.admin", "central_admin", "VN").await;
    let secret = app.jwt_secret();
    assert_eq!(secret.len(), 64, "the key file holds 64 bytes");
    let now_ms = chrono::Utc::now().timestamp_millis();
    let now = now_ms / 1000;
    let valid = claims(&admin.id(), now_ms, now + 600);
    let expired = claims(&admin.id(), now_ms, now - 120);
    let mut other_issuer = valid.clone();
    other_issuer["iss"] = json!("elsewhere");

    // The test's own signing is right: the same claims signed with the real key are accepted.
    let forged = sign(Algorithm::HS256, &valid, &secret);
    let accepted = app.get_json(ME, Some(&forged)).await;
    accepted.assert_status(200);
    assert_eq!(accepted.body["username"], "hn.admin");

    let other_key = [7u8; 64];
    let cases: Vec<(&str, Option<String>)> = vec![
        ("no token", None),
        ("garbage", Some("garbage".to_string())),
        ("empty", Some(String::new())),
        ("alg none", Some(unsigned(&valid))),
        (
            "another key",
            Some(sign(Algorithm::HS256, &valid, &other_key)),
        ),
        (
            "HS512 with the real key",
            Some(sign(Algorithm::HS512, &valid, &secret)),
        ),
        (
            "HS384 with the real key",
            Some(sign(Algorithm::HS384, &valid, &secret)),
        ),
        ("expired", Some(sign(Algorithm::HS256, &expired, &secret))),
        (
            "another issuer",
            Some(sign(Algorithm::HS256, &other_issuer, &secret)),
        ),
        (
            "an unknown account",
            Some(sign(
                Algorithm::HS256,
                &claims(&uuid::Uuid::new_v4().to_string(), now_ms, now + 600),
                &secret,
            )),
        ),
    ];
    for (case, token) in cases {
        let response = app.get_json(ME, token.as_deref()).await;
        assert_eq!(response.status, 401, "{case}: {}", response.body);
        response.assert_problem(401, "invalid_token");
        assert!(
            response
                .header("www-authenticate")
                .is_some_and(|v| v.starts_with("Bearer")),
            "{case}: WWW-Authenticate"
        );
    }
}

async fn refreshing_rotates_the_refresh_token_and_a_replay_revokes_the_login(app: &TestApp) {
    let admin = app.sign_in("hn.admin", "central_admin", "VN").await;
    let first = body_token(&admin.tokens).to_string();

    let rotated = refresh(app, &first).await;
    rotated.assert_status(200);
    let second = rotated.body["refresh_token"]
        .as_str()
        .expect("a new refresh token")
        .to_string();
    let access = rotated.body["access_token"]
        .as_str()
        .expect("a new access token")
        .to_string();
    assert_ne!(second, first);
    let me = app.get_json(ME, Some(&access)).await;
    me.assert_status(200);
    assert_eq!(me.body["username"], "hn.admin");

    refresh(app, &first)
        .await
        .assert_problem(401, "invalid_token");
    refresh(app, &second)
        .await
        .assert_problem(401, "invalid_token");

    let other_login = app.login("hn.admin", PASSWORD).await;
    refresh(app, body_token(&other_login))
        .await
        .assert_status(200);
    refresh(app, "not-a-refresh-token")
        .await
        .assert_problem(401, "invalid_token");
}

async fn logging_out_revokes_the_refresh_token(app: &TestApp) {
    let admin = app.sign_in("hn.admin", "central_admin", "VN").await;
    let other = app.login("hn.admin", PASSWORD).await;
    let response = app
        .post_json(
            "/api/v1/auth/logout",
            None,
            &json!({"refresh_token": admin.tokens.refresh_token}),
        )
        .await;
    response.assert_status(204);
    refresh(app, body_token(&admin.tokens))
        .await
        .assert_problem(401, "invalid_token");
    refresh(app, body_token(&other)).await.assert_status(200);
    app.post_json(
        "/api/v1/auth/logout",
        None,
        &json!({"refresh_token": admin.tokens.refresh_token}),
    )
    .await
    .assert_status(204);
}

async fn changing_the_password_ends_every_session(app: &TestApp) {
    let admin = app.sign_in("hn.admin", "central_admin", "VN").await;
    let second = app.login("hn.admin", PASSWORD).await;
    let new_password = "một mật khẩu mới 2026";
    let response = app
        .post_json(
            "/api/v1/auth/password",
            admin.token(),
            &json!({"current_password": PASSWORD, "new_password": new_password}),
        )
        .await;
    response.assert_status(204);

    for token in [&admin.tokens.access_token, &second.access_token] {
        app.get_json(ME, Some(token))
            .await
            .assert_problem(401, "invalid_token");
    }
    for token in [body_token(&admin.tokens), body_token(&second)] {
        refresh(app, token)
            .await
            .assert_problem(401, "invalid_token");
    }
    app.try_login("hn.admin", PASSWORD)
        .await
        .assert_problem(401, "invalid_credentials");
    let fresh = app.login("hn.admin", new_password).await;
    app.get_json(ME, Some(&fresh.access_token))
        .await
        .assert_status(200);
}

async fn a_wrong_current_password_does_not_change_the_password(app: &TestApp) {
    let admin = app.sign_in("hn.admin", "central_admin", "VN").await;
    let cases = [
        (
            json!({"current_password": "not the password", "new_password": "một mật khẩu mới 2026"}),
            "current_password",
        ),
        (
            json!({"current_password": PASSWORD, "new_password": "short"}),
            "new_password",
        ),
        (
            json!({"current_password": PASSWORD, "new_password": "aaaaaaaaaaaaaaa"}),
            "new_password",
        ),
        (json!({"current_password": PASSWORD}), "new_password"),
    ];
    for (body, field) in cases {
        app.post_json("/api/v1/auth/password", admin.token(), &body)
            .await
            .assert_invalid_field(field);
    }
    app.post_json(
        "/api/v1/auth/password",
        None,
        &json!({"current_password": PASSWORD, "new_password": "một mật khẩu mới 2026"}),
    )
    .await
    .assert_problem(401, "invalid_token");
    app.get_json(ME, admin.token()).await.assert_status(200);
    app.login("hn.admin", PASSWORD).await;
}

async fn five_wrong_passwords_lock_the_account_even_for_the_right_one(app: &TestApp) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    for attempt in 1..=5 {
        let response = app.try_login("hn.admin", "not the password").await;
        assert_eq!(response.status, 401, "attempt {attempt}: {}", response.body);
        response.assert_problem(401, "invalid_credentials");
    }
    let locked = app.try_login("hn.admin", PASSWORD).await;
    locked.assert_problem(429, "too_many_requests");
    let retry_after: u64 = locked
        .header("retry-after")
        .expect("a 429 has Retry-After")
        .parse()
        .expect("Retry-After is in seconds");
    assert!(
        (1..=900).contains(&retry_after),
        "Retry-After {retry_after}"
    );
    assert!(locked.body.get("access_token").is_none());
}

async fn throttling_is_per_account_until_the_address_limit(app: &TestApp) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    app.create_account("hcm.admin", "central_admin", "VN", PASSWORD)
        .await;
    for _ in 0..5 {
        app.try_login("hn.admin", "not the password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    app.try_login("hn.admin", PASSWORD)
        .await
        .assert_problem(429, "too_many_requests");
    // Another account, from the same address (5 failures so far), still logs in.
    app.login("hcm.admin", PASSWORD).await;

    // 14 more failures from this address, on accounts that do not exist: 19 in all.
    for n in 0..14 {
        app.try_login(&format!("nobody.{n}"), "not the password")
            .await
            .assert_problem(401, "invalid_credentials");
    }
    app.login("hcm.admin", PASSWORD).await;
    app.try_login("nobody.last", "not the password")
        .await
        .assert_problem(401, "invalid_credentials");
    // The 20th failure closes the address, for every account.
    let closed = app.try_login("hcm.admin", PASSWORD).await;
    closed.assert_problem(429, "too_many_requests");
    assert!(closed.header("retry-after").is_some(), "Retry-After");
}

const REFRESH: &str = "/api/v1/auth/refresh";

/// The `cdht_refresh` value a `Set-Cookie` header gives, if the answer sets one.
fn refresh_cookie(response: &tests::ApiResponse) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("cdht_refresh="))
        .map(|v| v.split(';').next().unwrap_or_default().to_string())
}

/// `POST /auth/login` as the web application sends it, for `hn.admin`.
async fn web_login(app: &TestApp) -> tests::ApiResponse {
    app.post_json(
        "/api/v1/auth/login",
        None,
        &json!({"username": "hn.admin", "password": PASSWORD, "keep": "cookie"}),
    )
    .await
}

/// `POST /auth/refresh` as the browser sends it: an empty JSON body and the cookie.
async fn refresh_with_cookie(app: &TestApp, cookie: &str) -> tests::ApiResponse {
    app.send(
        app.request(reqwest::Method::POST, REFRESH, None)
            .header("Cookie", format!("cdht_refresh={cookie}"))
            .json(&json!({})),
    )
    .await
}

async fn a_web_login_keeps_its_refresh_token_in_an_http_only_cookie(app: &TestApp) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    let login = app
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({"username": "hn.admin", "password": PASSWORD, "keep": "cookie"}),
        )
        .await;
    login.assert_status(200);
    assert!(
        login.body.get("refresh_token").is_none(),
        "no refresh token in the body of a cookie login: {}",
        login.body
    );
    assert_eq!(login.header("cache-control"), Some("no-store"));
    let set_cookie = login.header("set-cookie").expect("a Set-Cookie header");
    for attribute in [
        "HttpOnly",
        "Secure",
        "SameSite=Strict",
        "Path=/api/v1/auth/refresh",
        "Max-Age=",
    ] {
        assert!(
            set_cookie.contains(attribute),
            "{attribute} missing from {set_cookie}"
        );
    }
    let access = login.body["access_token"]
        .as_str()
        .expect("an access token");
    app.get_json(ME, Some(access)).await.assert_status(200);

    // Nothing else carries the session: no token, no cookie, no refresh.
    app.send(
        app.request(reqwest::Method::POST, REFRESH, None)
            .json(&json!({})),
    )
    .await
    .assert_problem(401, "invalid_token");
    app.send(app.request(reqwest::Method::POST, REFRESH, None))
        .await
        .assert_problem(401, "invalid_token");
    refresh_with_cookie(app, "forged")
        .await
        .assert_problem(401, "invalid_token");

    // An unknown way of keeping the session is refused, naming the field.
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            None,
            &json!({"username": "hn.admin", "password": PASSWORD, "keep": "jar"}),
        )
        .await;
    wrong.assert_status(422);
    assert!(wrong.body.to_string().contains("keep"), "{}", wrong.body);
}

async fn the_refresh_cookie_rotates_and_tabs_opened_together_share_a_renewal(app: &TestApp) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    let login = web_login(app).await;
    let first = refresh_cookie(&login).expect("the login sets the cookie");

    let renewed = refresh_with_cookie(app, &first).await;
    renewed.assert_status(200);
    assert!(renewed.body.get("refresh_token").is_none());
    let second = refresh_cookie(&renewed).expect("a renewed cookie");
    assert_ne!(second, first);
    let access = renewed.body["access_token"].as_str().expect("access token");
    app.get_json(ME, Some(access)).await.assert_status(200);

    // A second tab presenting the cookie just renewed (or a page that lost the answer) is
    // renewed too, instead of being taken for a replay.
    let other_tab = refresh_with_cookie(app, &first).await;
    other_tab.assert_status(200);
    let from_other_tab = refresh_cookie(&other_tab).expect("a renewed cookie");
    assert_ne!(from_other_tab, second);
    let access = other_tab.body["access_token"]
        .as_str()
        .expect("access token");
    app.get_json(ME, Some(access)).await.assert_status(200);
    refresh_with_cookie(app, &from_other_tab)
        .await
        .assert_status(200);

    // The renewed cookie goes on working.
    let third = refresh_with_cookie(app, &second).await;
    third.assert_status(200);
    let third = refresh_cookie(&third).expect("a renewed cookie");

    // The used cookie sent in a body is a replay: the whole login ends.
    refresh(app, &first)
        .await
        .assert_problem(401, "invalid_token");
    let refused = refresh_with_cookie(app, &third).await;
    refused.assert_problem(401, "invalid_token");
    let cleared = refused.header("set-cookie").expect("the cookie is cleared");
    assert!(cleared.starts_with("cdht_refresh=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
}

async fn logging_out_with_the_access_token_ends_a_cookie_login_and_clears_the_cookie(
    app: &TestApp,
) {
    app.create_account("hn.admin", "central_admin", "VN", PASSWORD)
        .await;
    let mine = web_login(app).await;
    let other = web_login(app).await;
    let cookie = refresh_cookie(&mine).expect("cookie");
    let other_cookie = refresh_cookie(&other).expect("cookie");
    let access = mine.body["access_token"].as_str().expect("access token");

    let out = app
        .send(app.request(reqwest::Method::POST, "/api/v1/auth/logout", Some(access)))
        .await;
    out.assert_status(204);
    let cleared = out.header("set-cookie").expect("the cookie is cleared");
    assert!(cleared.starts_with("cdht_refresh=;"), "{cleared}");
    assert!(cleared.contains("Path=/api/v1/auth/refresh"), "{cleared}");

    refresh_with_cookie(app, &cookie)
        .await
        .assert_problem(401, "invalid_token");
    // Another login of the same account (another device) is not ended.
    refresh_with_cookie(app, &other_cookie)
        .await
        .assert_status(200);
    // Logging out again, or without any token, is not an error.
    app.send(app.request(reqwest::Method::POST, "/api/v1/auth/logout", Some(access)))
        .await
        .assert_status(204);
    app.send(app.request(reqwest::Method::POST, "/api/v1/auth/logout", None))
        .await
        .assert_status(204);
}
