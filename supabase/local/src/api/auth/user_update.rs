//! `PUT /auth/v1/user` (supabase-js `auth.updateUser`): the signed-in user changes their
//! password and/or merges keys into their user metadata, as GoTrue's `UserUpdate` does.
//!
//! Request: `Authorization: Bearer <access token>`, body `{"password"?: string, "data"?: object}`.
//! Answer: 200 with the user JSON (as `GET /user`). A new password signs the user's *other*
//! sessions out; the calling session stays.
use super::authenticate;
use super::email::validate_email;
use super::password::check_strength;
use super::pg_err;
use super::request::{begin, finish, has_nul, parse_params};
use super::session::load_user;
use super::users::merge_metadata;
use crate::api::error::ApiError;
use crate::api::SharedState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The body GoTrue reads; fields of the wrong JSON type are a 400 `bad_json`. `nonce` and
/// `current_password` are only required when secure password change is configured, which
/// this stack's config.toml does not do, so they are read and not needed.
#[derive(Deserialize, Default)]
#[serde(default)]
struct UserUpdateParams {
    email: String,
    phone: String,
    password: Option<String>,
    #[allow(dead_code)]
    current_password: Option<String>,
    #[allow(dead_code)]
    nonce: String,
    data: Option<Map<String, Value>>,
    app_metadata: Option<Map<String, Value>>,
}

pub async fn update_user(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let state = &state;
    let caller = authenticate(state, &headers).await?;
    let params: UserUpdateParams = parse_params(&body)?;
    let new_email = if params.email.is_empty() { None } else { Some(validate_email(&params.email)?) };
    if !params.phone.is_empty() {
        return Err(ApiError::auth(422, "phone_provider_disabled", "Phone logins are disabled"));
    }
    if let Some(p) = &params.password {
        check_strength(p, state.settings.min_password_length)?;
    }
    // Only administrators (GoTrue's admin roles) may change app_metadata; every user of this
    // stack has the `authenticated` role.
    if params.app_metadata.is_some() {
        return Err(ApiError::auth(403, "not_admin", "Updating app_metadata requires admin privileges"));
    }
    if let Some(data) = &params.data {
        if has_nul(&Value::Object(data.clone())) {
            return Err(ApiError::auth(
                400,
                "validation_failed",
                "User metadata must not contain NUL (U+0000) characters",
            ));
        }
    }
    let db = begin(state).await?;
    let result = async {
        let row = db
            .query_one(
                "select coalesce(email, ''), coalesce(raw_user_meta_data, '{}')::text,
                        case when coalesce(encrypted_password, '') like '$2%' then encrypted_password = extensions.crypt($2, encrypted_password) else false end
                 from auth.users where id = $1 for update",
                &[&caller.user_id, &params.password.as_deref().unwrap_or("")],
            )
            .await
            .map_err(pg_err)?;
        let (email, metadata, same_password): (String, String, bool) = (row.get(0), row.get(1), row.get(2));
        if new_email.as_deref().is_some_and(|e| e != email) {
            // GoTrue sends a confirmation mail to the new address; this stack sends no mail.
            return Err(ApiError::auth(
                400,
                "validation_failed",
                "Changing the email address is not supported by supabase-local (it sends no mail)",
            ));
        }
        if let Some(password) = &params.password {
            if same_password {
                return Err(ApiError::auth(
                    422,
                    "same_password",
                    "New password should be different from the old password.",
                ));
            }
            db.execute(
                "update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf')), updated_at = now() where id = $1",
                &[&caller.user_id, password],
            )
            .await
            .map_err(pg_err)?;
            // GoTrue signs every other session out: whoever else knew the old password is out.
            db.execute(
                "delete from auth.sessions where user_id = $1 and id is distinct from $2",
                &[&caller.user_id, &caller.session_id],
            )
            .await
            .map_err(pg_err)?;
        }
        if let Some(updates) = params.data {
            let mut merged: Map<String, Value> = serde_json::from_str(&metadata).unwrap_or_default();
            merge_metadata(&mut merged, updates);
            db.execute(
                "update auth.users set raw_user_meta_data = $2::text::jsonb, updated_at = now() where id = $1",
                &[&caller.user_id, &Value::Object(merged).to_string()],
            )
            .await
            .map_err(pg_err)?;
        }
        load_user(&db, caller.user_id)
            .await?
            .ok_or_else(|| ApiError::auth(403, "user_not_found", "User from sub claim in JWT does not exist"))
    }
    .await;
    finish(db, result).await.map(Json)
}
