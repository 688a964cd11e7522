//! GoTrue subset (`/auth/v1`): signup, password and refresh-token grants, user (read and
//! update), logout, and the admin API's user creation.
pub mod admin;
pub mod caller;
pub mod email;
pub mod grant;
pub mod handlers;
pub mod password;
pub mod rate_limit;
pub mod request;
#[cfg(test)]
mod request_tests;
pub mod session;
pub mod user_update;
pub mod users;

pub use caller::{authenticate, Caller};

use super::error::ApiError;
use super::{AppState, SharedState};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;

/// Every `/auth/v1` route, behind the `[auth.rate_limit]` buckets (which pick the requests
/// they count).
pub fn router(state: SharedState) -> Router<SharedState> {
    Router::new()
        .route("/auth/v1/signup", post(handlers::signup))
        .route("/auth/v1/token", post(handlers::token))
        .route("/auth/v1/user", get(handlers::user).put(user_update::update_user))
        .route("/auth/v1/logout", post(handlers::logout))
        .route("/auth/v1/admin/users", post(admin::create_user))
        .route_layer(middleware::from_fn(request::api_version))
        .route_layer(middleware::from_fn_with_state(state, rate_limit::request_limits))
}

pub fn pg_err(e: tokio_postgres::Error) -> ApiError {
    eprintln!("auth database error: {e:?}");
    ApiError::auth(500, "unexpected_failure", "Database error querying schema")
}

/// A connection from the auth pool; a pool that stays full answers as GoTrue's request timeout.
pub async fn connection(state: &AppState) -> Result<crate::postgres::pool::Pooled, ApiError> {
    use crate::postgres::pool::PoolError;
    state.admin.get().await.map_err(|e| match e {
        PoolError::Timeout(_) => {
            ApiError::auth(504, "request_timeout", "Processing this request timed out, please retry after a moment.")
        }
        PoolError::Connect(e) => pg_err(e),
    })
}
