//! GoTrue subset (`/auth/v1`): signup, password and refresh-token grants, user, logout.
pub mod handlers;
pub mod rate_limit;
pub mod session;

use super::error::ApiError;
use super::{bearer, AppState, SharedState};
use axum::http::HeaderMap;
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{Map, Value};

/// Every `/auth/v1` route. The rate-limit layer covers only the routes added before it.
pub fn router(state: SharedState) -> Router<SharedState> {
    Router::new()
        .route("/auth/v1/signup", post(handlers::signup))
        .route("/auth/v1/token", post(handlers::token))
        .route_layer(middleware::from_fn_with_state(state, rate_limit::sign_in_sign_ups))
        .route("/auth/v1/user", get(handlers::user))
        .route("/auth/v1/logout", post(handlers::logout))
}

/// An authenticated caller: the verified claims, the user and the session they name.
pub struct Caller {
    pub user_id: uuid::Uuid,
    pub session_id: Option<uuid::Uuid>,
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

/// GoTrue's `requireAuthentication` (reference §1.5 table).
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let token = bearer(headers)
        .ok_or_else(|| ApiError::auth(401, "no_authorization", "This endpoint requires a valid Bearer token"))?;
    let claims: Map<String, Value> = crate::jwt::verify(token, &state.secret, crate::jwt::now(), 0).map_err(|e| {
        ApiError::auth(403, "bad_jwt", format!("invalid JWT: unable to parse or verify signature, {e}"))
    })?;
    let sub = claims.get("sub").and_then(Value::as_str).filter(|s| !s.is_empty());
    let sub = sub.ok_or_else(|| ApiError::auth(403, "bad_jwt", "invalid claim: missing sub claim"))?;
    let user_id = uuid::Uuid::parse_str(sub)
        .map_err(|_| ApiError::auth(400, "bad_jwt", "invalid claim: sub claim must be a UUID"))?;
    let session_id = match claims.get("session_id").and_then(Value::as_str) {
        Some(s) => Some(
            uuid::Uuid::parse_str(s)
                .map_err(|_| ApiError::auth(403, "bad_jwt", "invalid claim: session_id claim must be a UUID"))?,
        ),
        None => None,
    };
    let db = connection(state).await?;
    let row = db
        .query_one(
            "select exists(select 1 from auth.users where id = $1), exists(select 1 from auth.sessions where id = $2 and user_id = $1)",
            &[&user_id, &session_id],
        )
        .await
        .map_err(pg_err)?;
    if !row.get::<_, bool>(0) {
        return Err(ApiError::auth(403, "user_not_found", "User from sub claim in JWT does not exist"));
    }
    if session_id.is_some() && !row.get::<_, bool>(1) {
        return Err(ApiError::auth(403, "session_not_found", "Session from session_id claim in JWT does not exist"));
    }
    Ok(Caller { user_id, session_id })
}
