//! A thin wrapper over postgrest-rs for `/rest/v1`: the client carries `apikey`, each call
//! carries the user's JWT, and non-2xx answers become [`ApiError::Rest`].

use postgrest::{Builder, Postgrest};
use serde::de::DeserializeOwned;

use super::{config, ApiError};

/// A PostgREST client for the configured project.
pub fn client() -> Postgrest {
    let config = config::get();
    Postgrest::new(config.rest_url()).insert_header("apikey", &config.anon_key)
}

/// Starts a request on `table`, authenticated as the holder of `access_token`.
pub fn table(table: &str, access_token: &str) -> Builder {
    client().from(table).auth(access_token)
}

/// Sends a built request and reads the JSON rows it returns.
pub async fn rows<T: DeserializeOwned>(builder: Builder) -> Result<Vec<T>, ApiError> {
    let response = builder.execute().await.map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status().as_u16();
    let body = response.text().await.map_err(|e| ApiError::Network(e.to_string()))?;
    if !(200..300).contains(&status) {
        return Err(ApiError::from_rest_response(status, &body));
    }
    serde_json::from_str(&body).map_err(|e| ApiError::Decode(e.to_string()))
}
