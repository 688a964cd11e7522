//! The api-key gate, as hosted Kong's `key-auth` plugin keeps it: the prefixes it guards take
//! only this project's keys (the anon and service_role JWTs, and the CLI's publishable and
//! secret keys), in the `apikey` header or query parameter. The CLI's `sb_` keys become the
//! legacy JWTs on the way in, as the CLI gateway rewrites them.
use super::error::ApiError;
use super::{functions, storage, AppState, SharedState};
use crate::config::{PUBLISHABLE_KEY, SECRET_KEY};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// One of the project's api keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectKey {
    /// The legacy anon JWT.
    Anon,
    /// The legacy service_role JWT.
    ServiceRole,
    /// `sb_publishable_…`: stands for anon.
    Publishable,
    /// `sb_secret_…`: stands for service_role.
    Secret,
}

impl ProjectKey {
    /// The project key `value` is, if it is one (byte for byte, as Kong compares credentials).
    pub fn of(state: &AppState, value: &str) -> Option<ProjectKey> {
        match value {
            v if v == state.anon_key => Some(ProjectKey::Anon),
            v if v == state.service_key => Some(ProjectKey::ServiceRole),
            PUBLISHABLE_KEY => Some(ProjectKey::Publishable),
            SECRET_KEY => Some(ProjectKey::Secret),
            _ => None,
        }
    }
}

/// What the gate asks of a request's api key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRule {
    /// Kong's `key-auth` guards the route: a project key is required.
    Required,
    /// No `key-auth` on the route (Functions, public and signed downloads, the auth redirect
    /// endpoints): any key or none passes, except an `sb_` key the project does not have.
    Optional,
    /// No service owns the path: routing answers (Kong's 404) before any key check.
    Unrouted,
}

/// GoTrue's routes that hosted Kong serves without `key-auth`: links in emails and OAuth
/// redirects arrive from a browser that has no api key.
const OPEN_AUTH_ROUTES: [&str; 3] = ["/auth/v1/verify", "/auth/v1/callback", "/auth/v1/authorize"];

/// The prefixes whose every route Kong guards with `key-auth` (unless `KeyRule::Optional`).
const GUARDED_PREFIXES: [&str; 4] = ["/rest/v1/", "/auth/v1/", "/realtime/v1/", "/storage/v1/"];

pub fn key_rule(method: &Method, path: &str) -> KeyRule {
    let open_auth =
        OPEN_AUTH_ROUTES.iter().any(|r| path.strip_prefix(r).is_some_and(|t| t.is_empty() || t.starts_with('/')));
    if open_auth || storage::is_keyless(method, path) || functions::is_keyless(path) {
        KeyRule::Optional
    } else if GUARDED_PREFIXES.iter().any(|p| path.starts_with(p)) {
        KeyRule::Required
    } else {
        KeyRule::Unrouted
    }
}

fn query_api_key(query: Option<&str>) -> Option<String> {
    query?.split('&').find_map(|kv| kv.strip_prefix("apikey=")).map(|v| v.to_string())
}

/// The legacy JWT an `sb_` api key stands for, as the CLI gateway maps it: exactly its one secret
/// key is the service role and its one publishable key is anon. Any other `sb_` value is
/// `Err` (refused); a key that is not an `sb_` key is `Ok(None)` (passed on as is).
pub fn new_key_jwt<'a>(state: &'a AppState, key: &str) -> Result<Option<&'a str>, ApiError> {
    match ProjectKey::of(state, key) {
        Some(ProjectKey::Secret) => Ok(Some(&state.service_key)),
        Some(ProjectKey::Publishable) => Ok(Some(&state.anon_key)),
        _ if key.starts_with("sb_") => Err(ApiError::InvalidApiKey),
        _ => Ok(None),
    }
}

/// Requires `apikey` (header or query) where hosted Kong does, and fills a missing Authorization
/// the way the CLI gateway does (the CLI's `sb_` keys map to the legacy JWTs, others are refused).
pub async fn api_key(State(state): State<SharedState>, mut req: Request, next: Next) -> Response {
    let rule = key_rule(req.method(), req.uri().path());
    if rule == KeyRule::Unrouted {
        return next.run(req).await;
    }
    let key = match req.headers().get("apikey").and_then(|v| v.to_str().ok()) {
        Some(k) => Some(k.to_string()),
        None => query_api_key(req.uri().query()),
    };
    let Some(key) = key else {
        return match rule {
            KeyRule::Required => ApiError::NoApiKey.into_response(),
            _ => next.run(req).await,
        };
    };
    if rule == KeyRule::Required && ProjectKey::of(&state, &key).is_none() {
        return ApiError::InvalidApiKey.into_response();
    }
    let mapped = match new_key_jwt(&state, &key) {
        Ok(m) => m.map(str::to_string),
        Err(e) => return e.into_response(),
    };
    let auth = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).map(str::to_string);
    let bearer = match auth {
        Some(a) if !a.starts_with("Bearer sb_") => None,
        _ => Some(mapped.unwrap_or(key)),
    };
    if let Some(b) = bearer.and_then(|b| HeaderValue::from_str(&format!("Bearer {b}")).ok()) {
        req.headers_mut().insert(header::AUTHORIZATION, b);
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gate_guards_what_kong_guards() {
        let rule = |m: Method, p: &str| key_rule(&m, p);
        for p in
            ["/rest/v1/sessions", "/auth/v1/token", "/auth/v1/verifyx", "/realtime/v1/websocket", "/storage/v1/bucket"]
        {
            assert_eq!(rule(Method::GET, p), KeyRule::Required, "{p}");
        }
        assert_eq!(rule(Method::POST, "/storage/v1/object/sign/b/a.png"), KeyRule::Required);
        for p in ["/auth/v1/verify", "/auth/v1/callback", "/auth/v1/authorize", "/functions/v1/health"] {
            assert_eq!(rule(Method::POST, p), KeyRule::Optional, "{p}");
        }
        assert_eq!(rule(Method::GET, "/storage/v1/object/public/b/a.png"), KeyRule::Optional);
        assert_eq!(rule(Method::GET, "/storage/v1/object/sign/b/a.png"), KeyRule::Optional);
        for p in ["/", "/nope", "/rest/v1", "/graphql/v1"] {
            assert_eq!(rule(Method::GET, p), KeyRule::Unrouted, "{p}");
        }
    }
}
