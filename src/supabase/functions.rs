//! Edge Functions (`/functions/v1/<name>`), invoked as functions-js does: `POST` with a JSON
//! body, `apikey` and the caller's JWT. The function's `{error}` JSON (or the gateway's)
//! becomes [`ApiError::Function`]; no answer at all is [`ApiError::FunctionUnreachable`].

use gloo_net::http::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::http::{self, Body, Call, Service};
use super::{config, ApiError};

/// Calls `name` with `body` as the holder of `access_token` and decodes its JSON answer.
pub async fn invoke<B: Serialize, T: DeserializeOwned>(
    name: &str,
    body: &B,
    access_token: &str,
) -> Result<T, ApiError> {
    let url = format!("{}/functions/v1/{name}", config::get().supabase_url);
    let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    let call = Call::new(Service::Function(name), Method::POST, url, Some(access_token))
        .header("Content-Type", "application/json")
        .body(Body::Text(json));
    let text = http::send(call).await?.text().await?;
    serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
}
