//! The one way a request reaches Supabase: every service (auth, rest, storage, functions) hands
//! its method, URL, headers and body to [`send`], which sets `apikey` and
//! `Authorization: Bearer …` (the anon key, or the caller's token), fetches with gloo-net, and
//! turns a failure into the service's [`ApiError`] — so there is one fetch path in the wasm
//! (postgrest-rs only builds REST requests; reqwest's client is never called). A GET the page
//! already sent before the app started is answered from there (see [`prefetched`]). A call the
//! server refuses with 401 is sent once more with a renewed token when the refused token was the
//! signed-in session's (see [`set_token_renewer`]); a token a caller passed on its own is never
//! renewed.

use std::cell::RefCell;
use std::rc::Rc;

use futures::future::LocalBoxFuture;
use gloo_net::http::{Method, Request, Response};

use super::{config, prefetched, ApiError};

/// Which Supabase service a call goes to: it decides how a refused call reads as an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service<'a> {
    /// GoTrue (`/auth/v1`), which also wants `X-Supabase-Api-Version`.
    Auth,
    /// PostgREST (`/rest/v1`).
    Rest,
    /// Storage (`/storage/v1`).
    Storage,
    /// The Edge Function of this name (`/functions/v1/<name>`).
    Function(&'a str),
}

/// What a request's body is.
pub enum Body {
    None,
    /// Text; the caller sets its `Content-Type`.
    Text(String),
    /// Raw bytes; the caller sets their `Content-Type`.
    Bytes(js_sys::Uint8Array),
}

/// One request to Supabase before it is sent.
pub struct Call<'a> {
    service: Service<'a>,
    method: Method,
    url: String,
    /// The token for `Authorization`; the anon key when `None`.
    bearer: Option<&'a str>,
    headers: Vec<(String, String)>,
    body: Body,
}

impl<'a> Call<'a> {
    /// A call of `method` on `url`, as the holder of `bearer` (the anon key when `None`).
    pub fn new(service: Service<'a>, method: Method, url: String, bearer: Option<&'a str>) -> Self {
        Call { service, method, url, bearer, headers: Vec::new(), body: Body::None }
    }

    /// Adds a header (not `apikey` or `Authorization`: [`send`] sets those).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn body(mut self, body: Body) -> Self {
        self.body = body;
        self
    }

    /// A JSON body serialised from `value`.
    pub fn json(self, value: &serde_json::Value) -> Self {
        self.header("Content-Type", "application/json").body(Body::Text(value.to_string()))
    }
}

/// A 2xx answer, its body not read yet.
pub struct Answer<'a> {
    service: Service<'a>,
    response: Response,
}

impl Answer<'_> {
    /// A response header (only those the server exposes to a cross-origin page).
    pub fn header(&self, name: &str) -> Option<String> {
        self.response.headers().get(name)
    }

    /// The body as text.
    pub async fn text(&self) -> Result<String, ApiError> {
        self.response.text().await.map_err(|e| unreachable(self.service, e))
    }
}

/// Given a token the server refused (401), a fresh token of the same session to try once more,
/// or `None` when the refused token is not the signed-in session's (or it could not be renewed).
pub type TokenRenewer = Rc<dyn Fn(String) -> LocalBoxFuture<'static, Option<String>>>;

thread_local! {
    static RENEWER: RefCell<Option<TokenRenewer>> = const { RefCell::new(None) };
}

/// Installs what renews a refused session token (the auth service does, once signed-in state
/// exists). Auth calls are never retried: a refresh refused is the end of the session.
pub fn set_token_renewer(renew: TokenRenewer) {
    RENEWER.with(|r| *r.borrow_mut() = Some(renew));
}

/// Sends `call` with `apikey` and `Authorization` set, and returns its answer when the status
/// is 2xx. A 401 on a call made with a token is sent once more if the renewer gives a new token
/// for it. A non-2xx answer becomes the service's error (its JSON body read as that service
/// writes errors); no answer at all, [`ApiError::Network`] (an Edge Function:
/// [`ApiError::FunctionUnreachable`]).
pub async fn send(call: Call<'_>) -> Result<Answer<'_>, ApiError> {
    let mut response = fetch(&call, call.bearer).await?;
    if response.status() == 401 && call.service != Service::Auth {
        let renewer = RENEWER.with(|r| r.borrow().clone());
        if let (Some(renew), Some(refused)) = (renewer, call.bearer) {
            if let Some(renewed) = renew(refused.to_owned()).await {
                response = fetch(&call, Some(&renewed)).await?;
            }
        }
    }
    let status = response.status();
    if (200..300).contains(&status) {
        return Ok(Answer { service: call.service, response });
    }
    let retry_after = response.headers().get("retry-after");
    let body = response.text().await.unwrap_or_default();
    Err(match call.service {
        Service::Auth => ApiError::from_auth_response(status, retry_after.as_deref(), &body),
        Service::Rest => ApiError::from_rest_response(status, retry_after.as_deref(), &body),
        Service::Storage => ApiError::from_storage_response(status, &body),
        Service::Function(_) => ApiError::from_function_response(status, &body),
    })
}

/// One fetch of `call` as the holder of `bearer` (the anon key when `None`).
async fn fetch(call: &Call<'_>, bearer: Option<&str>) -> Result<Response, ApiError> {
    let key = &config::get().anon_key;
    let authorization = format!("Bearer {}", bearer.unwrap_or(key));
    if call.method == Method::GET && prefetched::any_waiting() {
        let headers = call.headers.iter().map(|(name, value)| (name.as_str(), value.as_str()));
        let filed = [("apikey", key.as_str()), ("authorization", authorization.as_str())];
        let request = prefetched::request_key("GET", &call.url, filed.into_iter().chain(headers));
        if let Some(answer) = prefetched::take(&request).await {
            return Ok(answer.into());
        }
    }
    let mut builder = Request::get(&call.url)
        .method(call.method.clone())
        .header("apikey", key)
        .header("Authorization", &authorization);
    if call.service == Service::Auth {
        builder = builder.header("X-Supabase-Api-Version", super::API_VERSION);
    }
    for (name, value) in &call.headers {
        builder = builder.header(name, value);
    }
    let request = match &call.body {
        Body::None => builder.build(),
        Body::Text(text) => builder.body(text.clone()),
        Body::Bytes(bytes) => builder.body(bytes.clone()),
    }
    .map_err(|e| ApiError::Decode(e.to_string()))?;
    request.send().await.map_err(|e| unreachable(call.service, e))
}

/// The error for a call that got no (readable) answer.
fn unreachable(service: Service, error: gloo_net::Error) -> ApiError {
    match service {
        Service::Function(name) => ApiError::FunctionUnreachable(name.to_owned()),
        _ => ApiError::Network(error.to_string()),
    }
}
