//! Users as GoTrue renders them, sessions, refresh tokens and access tokens.
use super::pg_err;
use crate::api::error::ApiError;
use crate::api::AppState;
use rand::Rng;
use serde_json::{json, Value};
use tokio_postgres::Client;

/// Timestamps as GoTrue prints them (UTC, RFC 3339, microseconds).
macro_rules! ts {
    ($col:literal) => {
        concat!("to_char(", $col, " at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')")
    };
}

const USER_SQL: &str = concat!(
    "select json_build_object(",
    "'id', u.id, 'aud', coalesce(u.aud, ''), 'role', coalesce(u.role, ''), 'email', coalesce(u.email, ''),",
    "'email_confirmed_at', ", ts!("u.email_confirmed_at"), ", 'phone', coalesce(u.phone, ''),",
    "'phone_confirmed_at', ", ts!("u.phone_confirmed_at"), ", 'confirmed_at', ", ts!("u.confirmed_at"), ",",
    "'confirmation_sent_at', ", ts!("u.confirmation_sent_at"), ", 'recovery_sent_at', ", ts!("u.recovery_sent_at"), ",",
    "'invited_at', ", ts!("u.invited_at"), ", 'last_sign_in_at', ", ts!("u.last_sign_in_at"), ",",
    "'banned_until', ", ts!("u.banned_until"), ", 'deleted_at', ", ts!("u.deleted_at"), ",",
    "'app_metadata', coalesce(u.raw_app_meta_data, '{}'), 'user_metadata', coalesce(u.raw_user_meta_data, '{}'),",
    "'identities', coalesce((select json_agg(json_build_object('identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id,",
    "  'identity_data', i.identity_data, 'provider', i.provider, 'last_sign_in_at', ", ts!("i.last_sign_in_at"), ",",
    "  'created_at', ", ts!("i.created_at"), ", 'updated_at', ", ts!("i.updated_at"), ", 'email', i.email) order by i.created_at)",
    "  from auth.identities i where i.user_id = u.id), '[]'),",
    "'created_at', ", ts!("u.created_at"), ", 'updated_at', ", ts!("u.updated_at"), ", 'is_anonymous', u.is_anonymous",
    ")::text from auth.users u where u.id = $1"
);

/// Keys GoTrue omits when null.
const OMIT_NULL: &[&str] = &[
    "email_confirmed_at",
    "phone_confirmed_at",
    "confirmed_at",
    "confirmation_sent_at",
    "recovery_sent_at",
    "invited_at",
    "last_sign_in_at",
    "banned_until",
    "deleted_at",
];

pub async fn load_user(db: &Client, id: uuid::Uuid) -> Result<Option<Value>, ApiError> {
    let Some(row) = db.query_opt(USER_SQL, &[&id]).await.map_err(pg_err)? else {
        return Ok(None);
    };
    let mut user: Value = serde_json::from_str(row.get::<_, &str>(0))
        .map_err(|_| ApiError::auth(500, "unexpected_failure", "bad user row"))?;
    if let Some(obj) = user.as_object_mut() {
        obj.retain(|k, v| !(v.is_null() && OMIT_NULL.contains(&k.as_str())));
    }
    Ok(Some(user))
}

/// Opaque refresh tokens: 32 lowercase alphanumerics (clients treat them as opaque).
pub fn new_refresh_token() -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..32).map(|_| CHARS[rng.gen_range(0..CHARS.len())] as char).collect()
}

pub async fn insert_refresh_token(
    db: &Client,
    user_id: uuid::Uuid,
    session_id: uuid::Uuid,
    parent: Option<&str>,
) -> Result<String, ApiError> {
    let token = new_refresh_token();
    db.execute(
        "insert into auth.refresh_tokens (token, user_id, revoked, created_at, updated_at, parent, session_id) values ($1, $2, false, now(), now(), $3, $4)",
        &[&token, &user_id.to_string(), &parent, &session_id],
    )
    .await
    .map_err(pg_err)?;
    Ok(token)
}

/// Creates a session row and its first refresh token; marks the sign-in.
pub async fn create_session(db: &Client, user_id: uuid::Uuid) -> Result<(uuid::Uuid, String), ApiError> {
    let session_id = uuid::Uuid::new_v4();
    db.execute(
        "insert into auth.sessions (id, user_id, created_at, updated_at, aal) values ($1, $2, now(), now(), 'aal1')",
        &[&session_id, &user_id],
    )
    .await
    .map_err(pg_err)?;
    db.execute("update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1", &[&user_id])
        .await
        .map_err(pg_err)?;
    db.execute("update auth.identities set last_sign_in_at = now() where user_id = $1", &[&user_id])
        .await
        .map_err(pg_err)?;
    let token = insert_refresh_token(db, user_id, session_id, None).await?;
    Ok((session_id, token))
}

/// The session JSON of a token response, with a freshly signed access token.
pub async fn session_response(
    state: &AppState,
    db: &Client,
    user_id: uuid::Uuid,
    session_id: uuid::Uuid,
    refresh_token: &str,
) -> Result<Value, ApiError> {
    let user = load_user(db, user_id).await?.ok_or_else(|| ApiError::auth(403, "user_not_found", "User not found"))?;
    let signed_in: i64 = db
        .query_opt("select extract(epoch from created_at)::bigint from auth.sessions where id = $1", &[&session_id])
        .await
        .map_err(pg_err)?
        .map(|r| r.get(0))
        .unwrap_or_else(crate::jwt::now);
    let now = crate::jwt::now();
    let exp = now + state.settings.jwt_expiry;
    let text = |k: &str| user.get(k).and_then(Value::as_str).filter(|s| !s.is_empty()).unwrap_or("").to_string();
    let claims = json!({
        "iss": format!("{}/auth/v1", state.settings.api_url()),
        "sub": user_id.to_string(),
        "aud": if text("aud").is_empty() { "authenticated".to_string() } else { text("aud") },
        "exp": exp,
        "iat": now,
        "email": text("email"),
        "phone": text("phone"),
        "app_metadata": user.get("app_metadata").cloned().unwrap_or(json!({})),
        "user_metadata": user.get("user_metadata").cloned().unwrap_or(json!({})),
        "role": if text("role").is_empty() { "authenticated".to_string() } else { text("role") },
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": signed_in}],
        "session_id": session_id.to_string(),
        "is_anonymous": user.get("is_anonymous").and_then(Value::as_bool).unwrap_or(false),
    });
    Ok(json!({
        "access_token": crate::jwt::sign(&claims, &state.secret),
        "token_type": "bearer",
        "expires_in": state.settings.jwt_expiry,
        "expires_at": exp,
        "refresh_token": refresh_token,
        "user": user,
    }))
}
