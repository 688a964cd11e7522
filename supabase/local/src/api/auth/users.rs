//! Creating email users, as sign-up and the admin API both do.
use crate::api::error::ApiError;
use serde_json::{json, Map, Value};
use tokio_postgres::error::SqlState;
use tokio_postgres::Client;

/// An email user to create. `email` is already validated and lowercased.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub user_metadata: Map<String, Value>,
    pub app_metadata: Map<String, Value>,
    /// Sets `email_confirmed_at`: the user may sign in with the password right away.
    pub confirmed: bool,
}

/// The app metadata of a new email user before any caller-given keys.
pub fn email_provider_metadata() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("provider".into(), json!("email"));
    m.insert("providers".into(), json!(["email"]));
    m
}

/// GoTrue's metadata merge: each key of `updates` replaces the old one; a null deletes it.
pub fn merge_metadata(into: &mut Map<String, Value>, updates: Map<String, Value>) {
    for (key, value) in updates {
        if value.is_null() {
            into.remove(&key);
        } else {
            into.insert(key, value);
        }
    }
}

/// Inserts the user and its email identity inside the caller's transaction; `Ok(None)` when
/// a (non-SSO) user already has the address, including one that won a concurrent race.
pub async fn insert_user(db: &Client, user: &NewUser<'_>) -> Result<Option<uuid::Uuid>, ApiError> {
    let user_id = uuid::Uuid::new_v4();
    let inserted = db
        .execute(
            "insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at, is_anonymous)
             select '00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2::text, extensions.crypt($3::text, extensions.gen_salt('bf')),
                    case when $6 then now() end, $4::text::jsonb, $5::text::jsonb, now(), now(), false
             where not exists (select 1 from auth.users where email = $2::text and is_sso_user = false)",
            &[
                &user_id,
                &user.email,
                &user.password,
                &Value::Object(user.app_metadata.clone()).to_string(),
                &Value::Object(user.user_metadata.clone()).to_string(),
                &user.confirmed,
            ],
        )
        .await;
    match inserted {
        Ok(0) => return Ok(None),
        Ok(_) => {}
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => return Ok(None),
        Err(e) => return Err(saving_user(e)),
    }
    let identity =
        json!({"sub": user_id.to_string(), "email": user.email, "email_verified": false, "phone_verified": false});
    db.execute(
        "insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at) values ($1, $2, $3::text::jsonb, 'email', now(), now())",
        &[&user_id.to_string(), &user_id, &identity.to_string()],
    )
    .await
    .map_err(saving_user)?;
    Ok(Some(user_id))
}

/// A failed insert is the database's fault, not the address's.
fn saving_user(e: tokio_postgres::Error) -> ApiError {
    eprintln!("auth database error: {e:?}");
    ApiError::auth(500, "unexpected_failure", "Database error saving new user")
}
