//! Real accounts: connecting Bluesky (an app password, used once by `connect-bluesky` and kept
//! nowhere), connecting Mastodon (the instance's own authorization page, then back to the
//! accounts page to finish), and disconnecting any account through `disconnect-account`, which
//! revokes at the platform where it can. The functions' messages reach the creator as written.

use leptos::prelude::*;

use crate::domain::connect::{
    AuthorizeAt, BlueskyLogin, Connected, Disconnect, DisconnectResult, Disconnected, MastodonCallback, MastodonRequest,
};
use crate::domain::publishing::is_web_url;
use crate::domain::routes::Route;
use crate::domain::ConnectedAccount;
use crate::services::{ServiceError, Services};
use crate::supabase::{functions, rest, ApiError};

/// Connects a Bluesky account; it is in the accounts list when this returns.
pub async fn connect_bluesky(app: Services, login: BlueskyLogin) -> Result<ConnectedAccount, ServiceError> {
    let token = app.token().await?;
    let answer: Connected = functions::invoke("connect-bluesky", &login, &token).await.map_err(function_error)?;
    keep(app, answer.account.clone());
    Ok(answer.account)
}

/// Starts connecting a Mastodon account: asks the function for the instance's authorization
/// page and sends the browser there. Returns only when that could not be done.
pub async fn start_mastodon(app: Services, instance: &str) -> Result<(), ServiceError> {
    let window = web_sys::window().ok_or_else(|| ServiceError::Refused("No browser window to continue in.".into()))?;
    let origin =
        window.location().origin().map_err(|_| ServiceError::Refused("The page's address is unknown.".into()))?;
    let request = MastodonRequest::start(instance, &origin).map_err(|e| ServiceError::Refused(e.to_string()))?;
    let token = app.token().await?;
    let answer: AuthorizeAt = functions::invoke("connect-mastodon", &request, &token).await.map_err(function_error)?;
    // Only ever leave for a web page (never a `javascript:` address, whatever the answer says).
    if !is_web_url(&answer.authorize_url) {
        return Err(ServiceError::Refused("The instance's authorization page has an unusable address.".into()));
    }
    // `location.assign`, not a form post: the page's CSP keeps `form-action 'self'`.
    window
        .location()
        .assign(&answer.authorize_url)
        .map_err(|_| ServiceError::Refused("The browser did not open the instance's authorization page.".into()))?;
    Ok(())
}

/// Finishes a Mastodon connection with what the instance sent back; the account is in the
/// accounts list when this returns.
pub async fn finish_mastodon(app: Services, callback: MastodonCallback) -> Result<ConnectedAccount, ServiceError> {
    let token = app.token().await?;
    let answer: Connected =
        functions::invoke("connect-mastodon", &callback.into_request(), &token).await.map_err(function_error)?;
    keep(app, answer.account.clone());
    Ok(answer.account)
}

/// Disconnects an account (mock ones too): revoked at the platform where possible, its stored
/// credentials deleted. Without posts it is gone; with posts it stays, `revoked`, and its
/// scheduled or publishing posts are cancelled.
pub async fn disconnect(app: Services, id: String) -> Result<DisconnectResult, ServiceError> {
    let token = app.token().await?;
    let body = Disconnect { account_id: id.clone() };
    let answer: Disconnected = functions::invoke("disconnect-account", &body, &token).await.map_err(function_error)?;
    match answer.result {
        DisconnectResult::Deleted => app.publish.accounts.update(|list| list.retain(|a| a.id != id)),
        DisconnectResult::Revoked => {
            // The row as the database now holds it (its status and `updated_at`, which the
            // list is keyed on).
            let query = rest::table("connected_accounts", &token).eq("id", &id).select("*");
            let rows: Vec<ConnectedAccount> = rest::rows(query).await?;
            match rows.into_iter().next() {
                Some(row) => keep(app, row),
                None => app.publish.accounts.update(|list| list.retain(|a| a.id != id)),
            }
        }
    }
    Ok(answer.result)
}

/// Removes the query a Mastodon instance added to the accounts page's address (without
/// reloading or navigating), so the spent `state` is never sent again.
pub fn forget_callback_query() {
    let Some(window) = web_sys::window() else { return };
    let path = window.location().pathname().unwrap_or_else(|_| Route::Accounts.href());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// Puts `account` in the list: replaces the row with its id (a mock account turned real, or
/// one connected again), or adds it at the end.
fn keep(app: Services, account: ConnectedAccount) {
    app.publish.accounts.update(|list| match list.iter_mut().find(|a| a.id == account.id) {
        Some(held) => *held = account,
        None => list.push(account),
    });
}

/// A function's refusal as the creator reads it: its own `error` text as written (the functions
/// word them for people: "Wrong handle or app password: …"); an expired session or an
/// unreachable service as the client words them.
fn function_error(e: ApiError) -> ServiceError {
    match e {
        ApiError::Function { status, message } if status != 401 => ServiceError::Refused(message),
        other => other.into(),
    }
}
