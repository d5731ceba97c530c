//! The signed-in session, kept out of scripts' reach: the refresh token lives in the server's
//! `HttpOnly` cookie (`cdht_refresh`, sent only to `POST /auth/refresh`), the access token only
//! in this page's memory. Nothing of the session is in local or session storage, so a script
//! injected into the page finds no token to take away.
//!
//! A page load starts not knowing whether someone is signed in; [`Session::resume`] asks the
//! server (a refresh with the cookie) and settles it. Every tab does the same, and the server
//! lets tabs opened together share one renewal of the cookie.

use crate::api;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::auth::TokenResponse;
use std::cell::RefCell;

/// The access token of this page's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tokens {
    pub access_token: String,
}

thread_local! {
    /// The access token, in memory only: it dies with the page.
    static ACCESS: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Whether [`Session::resume`] is asking the server already.
    static RESUMING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether someone is signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not known yet: the page has just loaded and not asked the server.
    Unknown,
    SignedIn,
    SignedOut,
}

/// Handle on the session; cheap to copy into closures.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<State>,
    expired: RwSignal<bool>,
}

impl Session {
    /// A session not known yet; [`Session::resume`] finds out.
    pub fn new() -> Self {
        Self {
            state: RwSignal::new(State::Unknown),
            expired: RwSignal::new(false),
        }
    }

    /// Asks the server whether this browser holds a session (its refresh cookie) and, if so,
    /// takes an access token for this page. Does nothing once the state is known.
    pub fn resume(&self) {
        if self.state.get_untracked() != State::Unknown || RESUMING.with(|r| r.replace(true)) {
            return;
        }
        let session = *self;
        spawn_local(async move {
            let outcome = api::auth::resume().await;
            RESUMING.with(|r| r.set(false));
            match outcome {
                Ok(pair) => session.store(&pair),
                Err(error) => {
                    if let api::ApiError::Network(message) = &error {
                        leptos::logging::warn!("cannot reach the server to resume: {message}");
                    }
                    if session.state.get_untracked() == State::Unknown {
                        session.state.set(State::SignedOut);
                    }
                }
            }
        });
    }

    /// The access token (not tracked).
    pub fn tokens(&self) -> Option<Tokens> {
        ACCESS
            .with(|slot| slot.borrow().clone())
            .map(|access_token| Tokens { access_token })
    }

    /// Whether someone is signed in (tracked); `false` while not known.
    pub fn is_logged_in(&self) -> bool {
        self.state.get() == State::SignedIn
    }

    /// Whether someone is signed in, `None` while not known yet (tracked): the condition of a
    /// protected route, which waits rather than sending a signed-in visitor to the login page.
    pub fn signed_in(&self) -> Option<bool> {
        match self.state.get() {
            State::Unknown => None,
            State::SignedIn => Some(true),
            State::SignedOut => Some(false),
        }
    }

    /// Whether the last session ended because it expired (tracked).
    pub fn has_expired(&self) -> bool {
        self.expired.get()
    }

    /// Keeps the access token of a login or a refresh.
    pub fn store(&self, tokens: &TokenResponse) {
        ACCESS.with(|slot| *slot.borrow_mut() = Some(tokens.access_token.clone()));
        self.expired.set(false);
        if self.state.get_untracked() != State::SignedIn {
            self.state.set(State::SignedIn);
        }
    }

    /// Forgets the session (sign-out).
    pub fn clear(&self) {
        ACCESS.with(|slot| slot.borrow_mut().take());
        self.state.set(State::SignedOut);
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
