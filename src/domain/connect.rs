//! Connecting real accounts: what the `connect-bluesky`, `connect-mastodon` and
//! `disconnect-account` functions take and answer, and the Mastodon authorization callback as
//! it comes back in the accounts page's query (`?code=…&state=…` or `?error=…&state=…`, see
//! <https://docs.joinmastodon.org/methods/oauth/#authorize>).

use std::fmt;

use serde::{Deserialize, Serialize};

use super::routes::Route;
use super::ConnectedAccount;

/// Where most Bluesky accounts are hosted; self-hosted ones name their own provider.
pub const DEFAULT_BLUESKY_SERVICE: &str = "https://bsky.social";

/// `connect-bluesky`'s body. The app password is sent once and kept nowhere, so it never
/// shows up in a debug print either.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct BlueskyLogin {
    pub identifier: String,
    pub password: String,
    pub service: String,
}

impl fmt::Debug for BlueskyLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlueskyLogin")
            .field("identifier", &self.identifier)
            .field("password", &"<hidden>")
            .field("service", &self.service)
            .finish()
    }
}

/// Why a connection form cannot be sent yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConnectInputError {
    #[error("Enter your Bluesky handle or email.")]
    NoIdentifier,
    #[error("Enter an app password.")]
    NoPassword,
    #[error("Enter your hosting provider (https://bsky.social for most accounts).")]
    NoService,
    #[error("Enter your Mastodon instance, such as mastodon.social.")]
    NoInstance,
}

impl BlueskyLogin {
    /// The body for what the creator typed: the handle without a leading `@` and surrounding
    /// spaces, the password exactly as typed (spaces may be part of it).
    pub fn new(identifier: &str, password: &str, service: &str) -> Result<Self, ConnectInputError> {
        let identifier = identifier.trim().trim_start_matches('@').to_owned();
        let service = service.trim().to_owned();
        if identifier.is_empty() {
            return Err(ConnectInputError::NoIdentifier);
        }
        if password.is_empty() {
            return Err(ConnectInputError::NoPassword);
        }
        if service.is_empty() {
            return Err(ConnectInputError::NoService);
        }
        Ok(BlueskyLogin { identifier, password: password.to_owned(), service })
    }
}

/// `connect-mastodon`'s body: start (get the instance's authorization page) or finish (with
/// what the instance sent back).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum MastodonRequest {
    Start {
        instance: String,
        redirect_uri: String,
    },
    Finish {
        state: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        error: Option<String>,
    },
}

impl MastodonRequest {
    /// Starts the flow for `instance`, coming back to `origin` + [`Route::Accounts`].
    pub fn start(instance: &str, origin: &str) -> Result<Self, ConnectInputError> {
        let instance = instance.trim();
        if instance.is_empty() {
            return Err(ConnectInputError::NoInstance);
        }
        Ok(MastodonRequest::Start {
            instance: instance.to_owned(),
            redirect_uri: format!("{}{}", origin.trim_end_matches('/'), Route::Accounts.href()),
        })
    }
}

/// What a Mastodon instance sent back to the accounts page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MastodonCallback {
    /// The creator approved: exchange the code.
    Approved { state: String, code: String },
    /// The creator denied, or the instance refused (`error=access_denied`).
    Refused { state: String, error: String },
}

impl MastodonCallback {
    /// The callback in a query, if it holds one: a `state` with a `code` or an `error`
    /// (`get` reads one query parameter, already decoded). Anything else is not a callback.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Option<Self> {
        let present = |key: &str| get(key).filter(|v| !v.trim().is_empty());
        let state = present("state")?;
        match (present("code"), present("error")) {
            (_, Some(error)) => Some(MastodonCallback::Refused { state, error }),
            (Some(code), None) => Some(MastodonCallback::Approved { state, code }),
            (None, None) => None,
        }
    }

    /// The `finish` request that completes (or ends) the connection.
    pub fn into_request(self) -> MastodonRequest {
        match self {
            MastodonCallback::Approved { state, code } => {
                MastodonRequest::Finish { state, code: Some(code), error: None }
            }
            MastodonCallback::Refused { state, error } => {
                MastodonRequest::Finish { state, code: None, error: Some(error) }
            }
        }
    }
}

/// `connect-bluesky`'s and `connect-mastodon`'s (finish) answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Connected {
    pub account: ConnectedAccount,
}

/// `connect-mastodon`'s (start) answer: where to send the creator.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct AuthorizeAt {
    pub authorize_url: String,
}

/// `disconnect-account`'s body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disconnect {
    pub account_id: String,
}

/// What disconnecting did: the row is gone, or (posts still point to it) it stays `revoked`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisconnectResult {
    Deleted,
    Revoked,
}

/// `disconnect-account`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Disconnected {
    pub result: DisconnectResult,
}

/// The hosting provider to connect a Bluesky account again through: where it is served, except
/// that accounts on Bluesky's own servers (`*.host.bsky.network`) sign in at
/// [`DEFAULT_BLUESKY_SERVICE`], the address creators know.
pub fn bluesky_provider(account: &ConnectedAccount) -> String {
    let served = account.service_url.as_deref().map(str::trim).filter(|u| !u.is_empty());
    match served {
        Some(url) if !host_of(url).ends_with(".host.bsky.network") => url.to_owned(),
        _ => DEFAULT_BLUESKY_SERVICE.to_owned(),
    }
}

/// The host of an `http(s)://host[:port]/…` address (lower-cased), or "".
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    host.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// The instance of a Mastodon account, for starting its flow again: its base URL, or the
/// host after the `@` of its handle (`alice@masto.example`).
pub fn mastodon_instance(account: &ConnectedAccount) -> Option<String> {
    account
        .service_url
        .clone()
        .filter(|u| !u.trim().is_empty())
        .or_else(|| account.handle.trim_start_matches('@').split_once('@').map(|(_, host)| host.to_owned()))
        .filter(|i| !i.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn bluesky_login_trims_the_handle_but_not_the_password() {
        let login = BlueskyLogin::new("  @alice.test ", " pass word ", " https://pds.example ").unwrap();
        assert_eq!(
            serde_json::to_value(&login).unwrap(),
            json!({"identifier": "alice.test", "password": " pass word ", "service": "https://pds.example"})
        );
        assert!(!format!("{login:?}").contains("pass word"), "the password is never printed");
        assert_eq!(BlueskyLogin::new(" @ ", "p", "s").unwrap_err(), ConnectInputError::NoIdentifier);
        assert_eq!(BlueskyLogin::new("a", "", "s").unwrap_err(), ConnectInputError::NoPassword);
        assert_eq!(BlueskyLogin::new("a", "p", "  ").unwrap_err(), ConnectInputError::NoService);
    }

    #[test]
    fn mastodon_requests_have_the_functions_shape() {
        let start = MastodonRequest::start(" mastodon.social ", "http://127.0.0.1:8080/").unwrap();
        assert_eq!(
            serde_json::to_value(&start).unwrap(),
            json!({"action": "start", "instance": "mastodon.social", "redirect_uri": "http://127.0.0.1:8080/app/accounts"})
        );
        assert_eq!(MastodonRequest::start(" ", "http://x").unwrap_err(), ConnectInputError::NoInstance);
        let approved = MastodonCallback::Approved { state: "s1".into(), code: "c1".into() }.into_request();
        assert_eq!(serde_json::to_value(&approved).unwrap(), json!({"action": "finish", "state": "s1", "code": "c1"}));
        let refused = MastodonCallback::Refused { state: "s1".into(), error: "access_denied".into() }.into_request();
        assert_eq!(
            serde_json::to_value(&refused).unwrap(),
            json!({"action": "finish", "state": "s1", "error": "access_denied"})
        );
    }

    #[test]
    fn a_callback_needs_a_state_and_a_code_or_an_error() {
        let query = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(
            MastodonCallback::from_query(query(&[("code", "c"), ("state", "s")])),
            Some(MastodonCallback::Approved { state: "s".into(), code: "c".into() })
        );
        assert_eq!(
            MastodonCallback::from_query(query(&[
                ("error", "access_denied"),
                ("error_description", "no"),
                ("state", "s")
            ])),
            Some(MastodonCallback::Refused { state: "s".into(), error: "access_denied".into() })
        );
        // An error wins over a code: the instance said no.
        assert!(matches!(
            MastodonCallback::from_query(query(&[("code", "c"), ("error", "e"), ("state", "s")])),
            Some(MastodonCallback::Refused { .. })
        ));
        assert_eq!(MastodonCallback::from_query(query(&[("code", "c")])), None, "no state: not ours to finish");
        assert_eq!(MastodonCallback::from_query(query(&[("state", "s")])), None);
        assert_eq!(MastodonCallback::from_query(query(&[("state", "s"), ("code", " ")])), None);
        assert_eq!(MastodonCallback::from_query(query(&[])), None);
    }

    #[test]
    fn answers_decode() {
        let row = json!({
            "id": "a", "user_id": "u", "platform": "bluesky", "handle": "alice.test", "status": "active",
            "remote_id": "did:plc:abc", "service_url": "http://127.0.0.1:2583",
            "created_at": "2026-12-03T10:00:00+00:00", "updated_at": "2026-12-03T10:00:00+00:00",
        });
        let connected: Connected = serde_json::from_value(json!({ "account": row })).unwrap();
        assert_eq!(connected.account.remote_id.as_deref(), Some("did:plc:abc"));
        let gone: Disconnected = serde_json::from_value(json!({"result": "deleted"})).unwrap();
        assert_eq!(gone.result, DisconnectResult::Deleted);
        let kept: Disconnected = serde_json::from_value(json!({"result": "revoked"})).unwrap();
        assert_eq!(kept.result, DisconnectResult::Revoked);
        assert!(serde_json::from_value::<Disconnected>(json!({"result": "gone"})).is_err());
        assert_eq!(serde_json::to_value(Disconnect { account_id: "a".into() }).unwrap(), json!({"account_id": "a"}));
    }

    #[test]
    fn a_mastodon_accounts_instance_comes_from_its_url_or_handle() {
        let mut a: ConnectedAccount = serde_json::from_value(json!({
            "id": "a", "user_id": "u", "platform": "mastodon", "handle": "alice@masto.example", "status": "expired",
            "service_url": "https://masto.example",
            "created_at": "2026-12-03T10:00:00+00:00", "updated_at": "2026-12-03T10:00:00+00:00",
        }))
        .unwrap();
        assert_eq!(mastodon_instance(&a).as_deref(), Some("https://masto.example"));
        a.service_url = None;
        assert_eq!(mastodon_instance(&a).as_deref(), Some("masto.example"));
        a.handle = "alice".into();
        assert_eq!(mastodon_instance(&a), None);
    }

    #[test]
    fn a_bluesky_account_reconnects_through_its_provider() {
        let mut a: ConnectedAccount = serde_json::from_value(json!({
            "id": "a", "user_id": "u", "platform": "bluesky", "handle": "alice.test", "status": "expired",
            "service_url": "http://127.0.0.1:2583",
            "created_at": "2026-12-03T10:00:00+00:00", "updated_at": "2026-12-03T10:00:00+00:00",
        }))
        .unwrap();
        assert_eq!(bluesky_provider(&a), "http://127.0.0.1:2583", "a self-hosted PDS is its own provider");
        a.service_url = Some("https://morel.us-east.host.bsky.network".into());
        assert_eq!(bluesky_provider(&a), DEFAULT_BLUESKY_SERVICE, "Bluesky's own servers sign in at bsky.social");
        a.service_url = Some("https://evil.example/?x=.host.bsky.network".into());
        assert_eq!(bluesky_provider(&a), "https://evil.example/?x=.host.bsky.network");
        a.service_url = None;
        assert_eq!(bluesky_provider(&a), DEFAULT_BLUESKY_SERVICE);
    }
}
