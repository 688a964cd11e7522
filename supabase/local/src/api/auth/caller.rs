//! Who calls: GoTrue's `requireAuthentication` (a signed-in user) and
//! `requireAdminCredentials` (a service-role token).
use super::{connection, pg_err};
use crate::api::error::ApiError;
use crate::api::{bearer, AppState};
use axum::http::HeaderMap;
use serde_json::{Map, Value};

/// JWT roles GoTrue treats as administrators (its default `GOTRUE_JWT_ADMIN_ROLES`).
const ADMIN_ROLES: &[&str] = &["service_role", "supabase_admin"];

/// An authenticated caller: the verified claims, the user and the session they name.
pub struct Caller {
    pub user_id: uuid::Uuid,
    pub session_id: Option<uuid::Uuid>,
}

/// The verified claims of the request's bearer token: 401 without one, 403 `bad_jwt` when it
/// is not a valid, unexpired token signed with the project's secret.
fn verified_claims(state: &AppState, headers: &HeaderMap) -> Result<Map<String, Value>, ApiError> {
    let token = bearer(headers)
        .ok_or_else(|| ApiError::auth(401, "no_authorization", "This endpoint requires a valid Bearer token"))?;
    crate::jwt::verify(token, &state.secret, crate::jwt::now(), 0)
        .map_err(|e| ApiError::auth(403, "bad_jwt", format!("invalid JWT: unable to parse or verify signature, {e}")))
}

/// GoTrue's `requireAdminCredentials`: a token with an admin role. A token naming a session
/// must name one that still exists, as for any user.
pub async fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<(), ApiError> {
    let claims = verified_claims(state, headers)?;
    if claims.get("session_id").and_then(Value::as_str).is_some_and(|s| !s.is_empty()) {
        check_user_and_session(state, &claims).await?;
    }
    let role = claims.get("role").and_then(Value::as_str).unwrap_or("");
    if !ADMIN_ROLES.contains(&role) {
        return Err(ApiError::auth(403, "not_admin", "User not allowed"));
    }
    Ok(())
}

/// GoTrue's `requireAuthentication`: a valid token of an existing user (and session).
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let claims = verified_claims(state, headers)?;
    check_user_and_session(state, &claims).await
}

/// GoTrue's `maybeLoadUserOrSession`: the `sub` must be an existing user and a `session_id`
/// one of its sessions.
async fn check_user_and_session(state: &AppState, claims: &Map<String, Value>) -> Result<Caller, ApiError> {
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
