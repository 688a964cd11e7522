//! Tells the database where this instance's publish worker answers. `private.worker_endpoint`
//! (created by the project's migrations) holds the URL and bearer token that
//! `private.kick_publish_worker()` hands to `net.http_post`; a local instance's API port changes
//! from run to run (every test instance has its own), so the row is rewritten at every start and
//! reset. Without the table there is nothing to do.
use crate::postgres::bootstrap::{describe, BootstrapError};
use tokio_postgres::Client;

/// The function the row points at.
pub const FUNCTION: &str = "publish-worker";

pub fn url(api_url: &str) -> String {
    format!("{api_url}/functions/v1/{FUNCTION}")
}

/// Upserts the single row (url, token = the service-role key); `Ok(false)` when the table does
/// not exist.
pub async fn record(admin: &Client, api_url: &str, service_key: &str) -> Result<bool, BootstrapError> {
    let fail = |e: tokio_postgres::Error, sql: &str| BootstrapError::Sql {
        file: "private.worker_endpoint".into(),
        error: describe(&e, sql),
    };
    let exists = "select to_regclass('private.worker_endpoint') is not null";
    if !admin.query_one(exists, &[]).await.map_err(|e| fail(e, exists))?.get::<_, bool>(0) {
        return Ok(false);
    }
    let upsert = "insert into private.worker_endpoint (id, url, token) values (true, $1, $2)
                  on conflict (id) do update set url = excluded.url, token = excluded.token";
    admin.execute(upsert, &[&url(api_url), &service_key]).await.map_err(|e| fail(e, upsert))?;
    Ok(true)
}
