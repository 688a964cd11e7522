//! The app's one Realtime connection, created on first use and kept on the signed-in user's
//! current access token (pushed to open channels whenever it changes).

use std::cell::OnceCell;

use leptos::prelude::*;

use crate::state::AuthState;
use crate::supabase::config;
use crate::supabase::realtime::RealtimeClient;

thread_local! {
    static CLIENT: OnceCell<RealtimeClient> = const { OnceCell::new() };
}

/// The shared client (wasm is single-threaded: one per tab).
pub fn client() -> RealtimeClient {
    CLIENT.with(|cell| cell.get_or_init(|| RealtimeClient::new(config::get())).clone())
}

/// Keeps the client on the current access token; call once at start.
pub fn follow_auth(auth: AuthState) {
    Effect::new(move |_| {
        let token = auth.session.with(|s| s.as_ref().map(|s| s.access_token.clone()));
        client().set_access_token(token);
    });
}
