//! `POST /auth/v1/admin/users` (supabase-js `auth.admin.createUser`): the service role
//! creates an email user, optionally confirmed, with metadata. It signs nobody in.
use super::caller::require_admin;
use super::email::validate_email;
use super::password::{refuse_nul, MAX_PASSWORD_BYTES};
use super::request::{begin, finish, has_nul, parse_params};
use super::session::load_user;
use super::users::{email_provider_metadata, insert_user, merge_metadata, NewUser};
use crate::api::error::ApiError;
use crate::api::SharedState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use rand::Rng;
use serde::Deserialize;
use serde_json::{Map, Value};

/// The body GoTrue's admin API reads; fields of the wrong JSON type are a 400 `bad_json`.
#[derive(Deserialize, Default)]
#[serde(default)]
struct AdminUserParams {
    email: String,
    phone: String,
    password: Option<String>,
    password_hash: String,
    email_confirm: bool,
    user_metadata: Option<Map<String, Value>>,
    app_metadata: Option<Map<String, Value>>,
    id: String,
    role: String,
    aud: String,
    ban_duration: String,
}

impl AdminUserParams {
    /// Fields GoTrue accepts that this stack does not implement: refused, never ignored.
    fn unsupported(&self) -> Option<&'static str> {
        [
            ("phone", &self.phone),
            ("password_hash", &self.password_hash),
            ("id", &self.id),
            ("role", &self.role),
            ("aud", &self.aud),
            ("ban_duration", &self.ban_duration),
        ]
        .into_iter()
        .find(|(_, v)| !v.is_empty())
        .map(|(k, _)| k)
    }
}

pub async fn create_user(
    State(state): State<SharedState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    require_admin(&state, &headers).await?;
    let state = &state;
    let params: AdminUserParams = parse_params(&body)?;
    if params.email.is_empty() && params.phone.is_empty() {
        return Err(ApiError::auth(400, "validation_failed", "Cannot create a user without either an email or phone"));
    }
    if let Some(field) = params.unsupported() {
        return Err(ApiError::auth(
            400,
            "validation_failed",
            format!("{field} is not supported by supabase-local's admin API"),
        ));
    }
    let email = validate_email(&params.email)?;
    // Without a password GoTrue sets a random one: the user signs in some other way.
    let password = match params.password.filter(|p| !p.is_empty()) {
        Some(p) => p,
        None => random_password(),
    };
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(ApiError::auth(400, "validation_failed", "bcrypt: password length exceeds 72 bytes"));
    }
    refuse_nul(&password)?;
    let mut user_metadata = params.user_metadata.unwrap_or_default();
    let mut app_metadata = email_provider_metadata();
    merge_metadata(&mut app_metadata, params.app_metadata.unwrap_or_default());
    if has_nul(&Value::Object(user_metadata.clone())) || has_nul(&Value::Object(app_metadata.clone())) {
        return Err(ApiError::auth(400, "validation_failed", "User metadata must not contain NUL (U+0000) characters"));
    }
    if params.email_confirm {
        user_metadata.insert("email_verified".into(), Value::Bool(true));
    }
    let new_user =
        NewUser { email: &email, password: &password, user_metadata, app_metadata, confirmed: params.email_confirm };
    let db = begin(state).await?;
    let result = async {
        let user_id = insert_user(&db, &new_user).await?.ok_or_else(|| {
            ApiError::auth(422, "email_exists", "A user with this email address has already been registered")
        })?;
        load_user(&db, user_id).await?.ok_or_else(|| ApiError::auth(500, "unexpected_failure", "Error creating user"))
    }
    .await;
    finish(db, result).await.map(Json)
}

fn random_password() -> String {
    rand::thread_rng().sample_iter(rand::distributions::Alphanumeric).take(64).map(char::from).collect()
}
