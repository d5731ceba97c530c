//! Access tokens: HS256 JWTs signed with the installation's key. Only HS256 is accepted, so a
//! token with `alg: none` or any other algorithm is refused, as is one signed with another key or
//! past its expiry.

use crate::crypto::read_or_create_secret;
use anyhow::Context;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::time::Duration;
use uuid::Uuid;

const ISSUER: &str = "cdht";

/// What an access token says.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The account id.
    pub sub: Uuid,
    /// The role when the token was issued (the server rereads the account on every request).
    pub role: String,
    /// The unit code when the token was issued.
    pub unit: String,
    pub iss: String,
    pub iat: i64,
    /// Issue time in milliseconds, to compare with a password change in the same second.
    pub iat_ms: i64,
    pub exp: i64,
    pub jti: Uuid,
    /// API client tokens only: the operations granted, space-separated (`people:read …`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
    /// Accounts' tokens only: the login (refresh token family) the token belongs to, so that
    /// logging out with it ends that login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<Uuid>,
}

/// The `role` claim of a token issued to an API client rather than to an account.
pub const CLIENT_ROLE: &str = "api_client";

/// The signing key and the token lifetime.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys").field("ttl", &self.ttl).finish()
    }
}

impl JwtKeys {
    /// Builds keys from raw secret bytes.
    pub fn from_secret(secret: &[u8], ttl: Duration) -> anyhow::Result<Self> {
        anyhow::ensure!(
            secret.len() >= 32,
            "the JWT signing key must be at least 32 bytes"
        );
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.leeway = 0;
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss"]);
        Ok(JwtKeys {
            encoding: EncodingKey::from_secret(secret).context("JWT encoding key")?,
            decoding: DecodingKey::from_secret(secret).context("JWT decoding key")?,
            validation,
            ttl,
        })
    }

    /// Reads the key file, creating it with 64 random bytes (owner-only permissions) when it does
    /// not exist.
    pub fn load_or_create(path: &Path, ttl: Duration) -> anyhow::Result<Self> {
        let secret = read_or_create_secret(path)?;
        Self::from_secret(&secret, ttl)
    }

    /// Lifetime of the tokens issued.
    pub fn ttl(&self) -> Duration {
        self.ttl
    }

    /// Issues an access token.
    pub fn issue(
        &self,
        user_id: Uuid,
        role: &str,
        unit: &str,
        login: Uuid,
    ) -> anyhow::Result<String> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let now = now_ms.div_euclid(1000);
        let claims = Claims {
            sub: user_id,
            role: role.to_string(),
            unit: unit.to_string(),
            iss: ISSUER.to_string(),
            iat: now,
            iat_ms: now_ms,
            exp: now + i64::try_from(self.ttl.as_secs()).unwrap_or(900),
            jti: Uuid::new_v4(),
            scope: None,
            sid: Some(login),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing an access token")
    }

    /// Issues an access token to an API client: `sub` is the client id, `unit` its scope and
    /// `scope` the operations granted.
    pub fn issue_client(&self, client_id: Uuid, unit: &str, scope: &str) -> anyhow::Result<String> {
        let now_ms = chrono::Utc::now().timestamp_millis();
        let now = now_ms.div_euclid(1000);
        let claims = Claims {
            sub: client_id,
            role: CLIENT_ROLE.to_string(),
            unit: unit.to_string(),
            iss: ISSUER.to_string(),
            iat: now,
            iat_ms: now_ms,
            exp: now + i64::try_from(self.ttl.as_secs()).unwrap_or(900),
            jti: Uuid::new_v4(),
            scope: Some(scope.to_string()),
            sid: None,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .context("signing a client access token")
    }

    /// Checks signature, algorithm, issuer and expiry.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    fn keys(secret: &[u8]) -> JwtKeys {
        JwtKeys::from_secret(secret, Duration::from_secs(60)).expect("keys")
    }

    #[test]
    fn a_token_verifies_with_its_key_only() {
        let a = keys(&[1; 32]);
        let b = keys(&[2; 32]);
        let token = a
            .issue(Uuid::nil(), "viewer", "VN", Uuid::nil())
            .expect("issue");
        assert!(a.verify(&token).is_some());
        assert!(b.verify(&token).is_none());
    }

    #[test]
    fn alg_none_and_expired_tokens_are_refused() {
        let a = keys(&[1; 32]);
        let now = chrono::Utc::now().timestamp();
        let claims = serde_json::json!({
            "sub": Uuid::nil(), "role": "central_admin", "unit": "VN", "iss": "cdht",
            "iat": now, "exp": now + 600, "jti": Uuid::nil(),
        });
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let body = URL_SAFE_NO_PAD.encode(claims.to_string());
        assert!(a.verify(&format!("{header}.{body}.")).is_none());

        let expired = Claims {
            sub: Uuid::nil(),
            role: "viewer".into(),
            unit: "VN".into(),
            iss: "cdht".into(),
            iat: now - 3600,
            iat_ms: (now - 3600) * 1000,
            exp: now - 1800,
            jti: Uuid::nil(),
            scope: None,
            sid: None,
        };
        let key = EncodingKey::from_secret(&[1; 32]).expect("key");
        let token =
            jsonwebtoken::encode(&Header::new(Algorithm::HS256), &expired, &key).expect("sign");
        assert!(a.verify(&token).is_none());

        let just_expired = Claims {
            iat: now - 60,
            iat_ms: (now - 60) * 1000,
            exp: now - 2,
            ..expired.clone()
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &just_expired, &key)
            .expect("sign");
        assert!(a.verify(&token).is_none(), "no leeway past expiry");

        let hs512 =
            jsonwebtoken::encode(&Header::new(Algorithm::HS512), &expired, &key).expect("sign");
        assert!(a.verify(&hs512).is_none());
    }

    #[test]
    fn the_key_file_is_created_once_and_reused() {
        let dir = std::env::temp_dir().join(format!("cdht-key-{}", Uuid::new_v4()));
        let path = dir.join("jwt.key");
        let first = read_or_create_secret(&path).expect("create");
        let second = read_or_create_secret(&path).expect("read");
        assert_eq!(first, second);
        assert_eq!(first.len(), 64);
        let _ = std::fs::remove_dir_all(dir);
    }
}
