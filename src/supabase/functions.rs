//! Edge Functions (`/functions/v1/<name>`), invoked as functions-js does: `POST` with a JSON
//! body, `apikey` and the caller's JWT. The function's `{error}` JSON (or the gateway's)
//! becomes [`ApiError::Function`]; no answer at all is [`ApiError::FunctionUnreachable`].

use gloo_net::http::Request;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::{config, ApiError};

/// Calls `name` with `body` as the holder of `access_token` and decodes its JSON answer.
pub async fn invoke<B: Serialize, T: DeserializeOwned>(
    name: &str,
    body: &B,
    access_token: &str,
) -> Result<T, ApiError> {
    let config = config::get();
    let url = format!("{}/functions/v1/{name}", config.supabase_url);
    let response = Request::post(&url)
        .header("apikey", &config.anon_key)
        .header("Authorization", &format!("Bearer {access_token}"))
        .json(body)
        .map_err(|e| ApiError::Decode(e.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::FunctionUnreachable(name.to_owned()))?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::FunctionUnreachable(name.to_owned()))?;
    if !(200..300).contains(&status) {
        return Err(ApiError::from_function_response(status, &text));
    }
    serde_json::from_str(&text).map_err(|e| ApiError::Decode(e.to_string()))
}
