//! Endpoint handlers. Each returns GoTrue's JSON; errors carry the request's API version.
use super::email::validate_email;
use super::grant::GrantType;
use super::password::check_strength;
use super::request::{begin, field, finish, has_nul, parse_body};
use super::session::{create_session, insert_refresh_token, load_user, session_response};
use super::users::{email_provider_metadata, insert_user, NewUser};
use super::{authenticate, pg_err};
use crate::api::error::ApiError;
use crate::api::SharedState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::Json;
use serde_json::Value;
use std::collections::HashMap;

type Params = Query<HashMap<String, String>>;

pub async fn signup(State(state): State<SharedState>, body: Bytes) -> Result<Json<Value>, ApiError> {
    let state = &state;
    let body = parse_body(&body)?;
    let (email, phone, password) = (field(&body, "email"), field(&body, "phone"), field(&body, "password"));
    if email.is_empty() && phone.is_empty() {
        return Err(ApiError::auth(422, "anonymous_provider_disabled", "Anonymous sign-ins are disabled"));
    }
    if password.is_empty() {
        return Err(ApiError::auth(400, "validation_failed", "Signup requires a valid password"));
    }
    check_strength(password, state.settings.min_password_length)?;
    if email.is_empty() {
        return Err(ApiError::auth(422, "phone_provider_disabled", "Phone signups are disabled"));
    }
    let email = validate_email(email)?;
    let mut user_metadata = body.get("data").and_then(Value::as_object).cloned().unwrap_or_default();
    // PostgreSQL jsonb cannot hold U+0000: refuse it up front with what is wrong (GoTrue
    // would answer 500).
    if has_nul(&Value::Object(user_metadata.clone())) {
        return Err(ApiError::auth(400, "validation_failed", "User metadata must not contain NUL (U+0000) characters"));
    }
    user_metadata.insert("email_verified".into(), Value::Bool(true));
    let new_user =
        NewUser { email: &email, password, user_metadata, app_metadata: email_provider_metadata(), confirmed: true };
    let db = begin(state).await?;
    let result = async {
        let user_id = insert_user(&db, &new_user)
            .await?
            .ok_or_else(|| ApiError::auth(422, "user_already_exists", "User already registered"))?;
        let (session_id, refresh) = create_session(&db, user_id).await?;
        session_response(state, &db, user_id, session_id, &refresh).await
    }
    .await;
    finish(db, result).await.map(Json)
}

pub async fn token(State(state): State<SharedState>, uri: Uri, body: Bytes) -> Result<Json<Value>, ApiError> {
    match GrantType::of(&uri) {
        GrantType::Password => password_grant(&state, &body).await.map(Json),
        GrantType::RefreshToken => refresh_grant(&state, &body).await.map(Json),
        GrantType::Unsupported => Err(ApiError::auth(400, "invalid_credentials", "unsupported_grant_type")),
    }
}

async fn password_grant(state: &SharedState, body: &Bytes) -> Result<Value, ApiError> {
    let body = parse_body(body)?;
    let (email, phone, password) =
        (field(&body, "email").trim().to_lowercase(), field(&body, "phone"), field(&body, "password"));
    if !email.is_empty() && !phone.is_empty() {
        return Err(ApiError::auth(
            400,
            "validation_failed",
            "Only an email address or phone number should be provided on login.",
        ));
    }
    if email.is_empty() && phone.is_empty() {
        return Err(ApiError::auth(400, "validation_failed", "missing email or phone"));
    }
    let invalid = || ApiError::auth(400, "invalid_credentials", "Invalid login credentials");
    // No stored address or password holds U+0000 (sign-up refuses it, and PostgreSQL text
    // cannot), so such credentials match no account.
    if email.contains('\0') || password.contains('\0') {
        return Err(invalid());
    }
    let db = begin(state).await?;
    let result = async {
        // `case` guards crypt() against empty or non-bcrypt hashes (it would raise "invalid salt").
        let row = db
            .query_opt(
                "select id, email_confirmed_at is not null,
                        case when coalesce(encrypted_password, '') like '$2%' then encrypted_password = extensions.crypt($2, encrypted_password) else false end
                 from auth.users where email = $1 and is_sso_user = false and deleted_at is null",
                &[&email, &password],
            )
            .await
            .map_err(pg_err)?
            .ok_or_else(invalid)?;
        let (user_id, confirmed, matches): (uuid::Uuid, bool, bool) = (row.get(0), row.get(1), row.get(2));
        if !matches {
            return Err(invalid());
        }
        if !confirmed {
            return Err(ApiError::auth(400, "email_not_confirmed", "Email not confirmed"));
        }
        let (session_id, refresh) = create_session(&db, user_id).await?;
        session_response(state, &db, user_id, session_id, &refresh).await
    }
    .await;
    finish(db, result).await
}

/// Refresh-token rotation with a reuse window, as GoTrue rotates.
async fn refresh_grant(state: &SharedState, body: &Bytes) -> Result<Value, ApiError> {
    let body = parse_body(body)?;
    let token = field(&body, "refresh_token");
    if token.len() < 12 || !token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(ApiError::auth(400, "validation_failed", "Refresh token is not valid"));
    }
    let db = begin(state).await?;
    let result = async {
        let row = db
            .query_opt(
                "select rt.revoked, rt.session_id, s.user_id, extract(epoch from now() - rt.updated_at)::float8
                 from auth.refresh_tokens rt left join auth.sessions s on s.id = rt.session_id where rt.token = $1 for update of rt",
                &[&token],
            )
            .await
            .map_err(pg_err)?
            .ok_or_else(|| ApiError::auth(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found"))?;
        let (revoked, session_id, user_id, age): (Option<bool>, Option<uuid::Uuid>, Option<uuid::Uuid>, f64) = (row.get(0), row.get(1), row.get(2), row.get(3));
        let (Some(session_id), Some(user_id)) = (session_id, user_id) else {
            return Err(ApiError::auth(400, "session_not_found", "Invalid Refresh Token: No Valid Session Found"));
        };
        let next = if revoked.unwrap_or(false) {
            let active = db
                .query_opt("select token, parent from auth.refresh_tokens where session_id = $1 and not coalesce(revoked, false) order by id desc limit 1", &[&session_id])
                .await
                .map_err(pg_err)?;
            let cfg = &state.settings;
            let already_used = || ApiError::auth(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
            match active {
                // The parent of the active token: the client lost the last answer; GoTrue hands
                // the active token back at any time.
                Some(r) if r.get::<_, Option<String>>(1).as_deref() == Some(token) => r.get::<_, String>(0),
                _ if !cfg.refresh_token_rotation => return Ok(Err(already_used())),
                _ if age >= cfg.refresh_token_reuse_interval as f64 => {
                    // An older token replayed after the window: possibly stolen. GoTrue ends the
                    // whole session, so no refresh or access token of it works any more; the
                    // deletion commits although the request fails (sessions cascade to tokens).
                    db.execute("delete from auth.sessions where id = $1", &[&session_id]).await.map_err(pg_err)?;
                    return Ok(Err(already_used()));
                }
                // Within the window: hand back the session's current token.
                Some(r) => r.get::<_, String>(0),
                None => insert_refresh_token(&db, user_id, session_id, Some(token)).await?,
            }
        } else {
            db.execute("update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1", &[&token]).await.map_err(pg_err)?;
            insert_refresh_token(&db, user_id, session_id, Some(token)).await?
        };
        db.execute("update auth.sessions set refreshed_at = now() at time zone 'utc', updated_at = now() where id = $1", &[&session_id]).await.map_err(pg_err)?;
        session_response(state, &db, user_id, session_id, &next).await.map(Ok)
    }
    .await;
    // Ok(Err(_)): commit what was done (the ended session), then fail the request.
    finish(db, result).await?
}

pub async fn user(State(state): State<SharedState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let caller = authenticate(&state, &headers).await?;
    let db = super::connection(&state).await?;
    let user = load_user(&db, caller.user_id)
        .await?
        .ok_or_else(|| ApiError::auth(403, "user_not_found", "User from sub claim in JWT does not exist"))?;
    Ok(Json(user))
}

pub async fn logout(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Query(q): Params,
) -> Result<StatusCode, ApiError> {
    let scope = q.get("scope").map(String::as_str).unwrap_or("global");
    if !matches!(scope, "global" | "local" | "others") {
        return Err(ApiError::auth(400, "validation_failed", format!("Unsupported logout scope {scope:?}")));
    }
    let caller = authenticate(&state, &headers).await?;
    let db = super::connection(&state).await?;
    // Deleting sessions cascades to their refresh tokens. Without a session_id claim only
    // `global` has anything to revoke.
    match (scope, caller.session_id) {
        ("local", Some(sid)) => {
            db.execute("delete from auth.sessions where user_id = $1 and id = $2", &[&caller.user_id, &sid]).await
        }
        ("others", Some(sid)) => {
            db.execute("delete from auth.sessions where user_id = $1 and id <> $2", &[&caller.user_id, &sid]).await
        }
        ("global", _) => db.execute("delete from auth.sessions where user_id = $1", &[&caller.user_id]).await,
        _ => Ok(0),
    }
    .map_err(pg_err)?;
    Ok(StatusCode::NO_CONTENT)
}
