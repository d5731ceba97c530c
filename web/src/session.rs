//! The signed-in session: the token pair kept in local storage, and signals that tell the
//! interface whether someone is signed in and whether a session just expired.
//!
//! Local storage, not a copy in memory, is the source of truth for the tokens: a refresh token
//! works once, so every tab must see the pair another tab just rotated.

use crate::storage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use shared::auth::TokenResponse;

const TOKENS_KEY: &str = "cdht.tokens";

/// The token pair of a signed-in session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
}

impl From<&TokenResponse> for Tokens {
    fn from(pair: &TokenResponse) -> Self {
        Tokens {
            access_token: pair.access_token.clone(),
            refresh_token: pair.refresh_token.clone(),
        }
    }
}

/// Handle on the session; cheap to copy into closures.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    logged_in: RwSignal<bool>,
    expired: RwSignal<bool>,
}

impl Session {
    /// Picks up the session stored by an earlier visit, if any.
    pub fn new() -> Self {
        Self {
            logged_in: RwSignal::new(read_tokens().is_some()),
            expired: RwSignal::new(false),
        }
    }

    /// The stored tokens (not tracked).
    pub fn tokens(&self) -> Option<Tokens> {
        read_tokens()
    }

    /// Whether someone is signed in (tracked).
    pub fn is_logged_in(&self) -> bool {
        self.logged_in.get()
    }

    /// Whether the last session ended because it expired (tracked).
    pub fn has_expired(&self) -> bool {
        self.expired.get()
    }

    /// Keeps a new token pair, after a login or a refresh.
    pub fn store(&self, tokens: &TokenResponse) {
        let tokens = Tokens::from(tokens);
        match serde_json::to_string(&tokens) {
            Ok(json) => storage::set(TOKENS_KEY, &json),
            Err(error) => leptos::logging::error!("cannot serialise tokens: {error}"),
        }
        self.expired.set(false);
        if !self.logged_in.get_untracked() {
            self.logged_in.set(true);
        }
    }

    /// Forgets the session (sign-out).
    pub fn clear(&self) {
        storage::remove(TOKENS_KEY);
        self.logged_in.set(false);
    }

    /// Forgets a session the server no longer accepts.
    pub fn expire(&self) {
        self.clear();
        self.expired.set(true);
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

fn read_tokens() -> Option<Tokens> {
    let json = storage::get(TOKENS_KEY)?;
    serde_json::from_str(&json).ok()
}
