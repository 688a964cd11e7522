//! `POST /auth/v1/admin/users` (supabase-js `auth.admin.createUser`): service role only.
use crate::common::*;
use serde_json::{json, Value};

const V: (&str, &str) = ("X-Supabase-Api-Version", "2024-01-01");

fn service_key() -> String {
    supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET)
}

fn create_user(key: &str, body: &Value) -> Res {
    let auth = bearer(key);
    call("POST", "/auth/v1/admin/users", &[V, ("apikey", key), ("Authorization", &auth)], Some(&body.to_string()))
}

fn sign_in(email: &str, password: &str) -> Res {
    let body = json!({"email": email, "password": password}).to_string();
    call("POST", "/auth/v1/token?grant_type=password", &[V], Some(&body))
}

#[test]
fn the_service_role_creates_a_confirmed_user_who_signs_in() {
    let email = format!("Admin{}@Example.test", uuid_like());
    let r = create_user(
        &service_key(),
        &json!({"email": email, "password": "admin-made-1", "email_confirm": true,
                "user_metadata": {"name": "Ada"}, "app_metadata": {"plan": "pro"}}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let user = r.json();
    assert_eq!(user["email"], email.to_lowercase());
    assert_eq!((user["aud"].as_str(), user["role"].as_str()), (Some("authenticated"), Some("authenticated")));
    assert!(user["email_confirmed_at"].is_string(), "{user}");
    // Confirming the address marks it verified in the metadata, as GoTrue does.
    assert_eq!(user["user_metadata"], json!({"name": "Ada", "email_verified": true}));
    assert_eq!(user["app_metadata"], json!({"provider": "email", "providers": ["email"], "plan": "pro"}));
    assert_eq!(user["identities"][0]["provider"], "email");
    assert!(user.get("access_token").is_none(), "creating a user signs nobody in");

    let r = sign_in(&email, "admin-made-1");
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["user"]["id"], user["id"]);
    assert_eq!(r.json()["user"]["app_metadata"]["plan"], "pro");

    // The same address again, in either case: GoTrue's email_exists, in both error formats.
    let r = create_user(&service_key(), &json!({"email": email.to_uppercase(), "password": "admin-made-2"}));
    assert_eq!(
        (r.status, r.json()),
        (422, json!({"code": "email_exists", "message": "A user with this email address has already been registered"}))
    );
    let auth = bearer(&service_key());
    let body = json!({"email": email, "password": "admin-made-2"}).to_string();
    let r = call("POST", "/auth/v1/admin/users", &[("apikey", &service_key()), ("Authorization", &auth)], Some(&body));
    assert_eq!(
        (r.status, r.json()),
        (
            422,
            json!({"code": 422, "error_code": "email_exists", "msg": "A user with this email address has already been registered"})
        )
    );
    assert_eq!(sign_in(&email, "admin-made-2").json()["code"], "invalid_credentials", "the first password stays");
}

#[test]
fn an_unconfirmed_user_cannot_sign_in_yet() {
    let email = format!("unconfirmed{}@example.test", uuid_like());
    let r = create_user(&service_key(), &json!({"email": email, "password": "admin-made-1"}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.json().get("email_confirmed_at").is_none(), "{}", r.body);
    assert_eq!(
        (sign_in(&email, "admin-made-1").status, sign_in(&email, "admin-made-1").json()),
        (400, json!({"code": "email_not_confirmed", "message": "Email not confirmed"}))
    );
}

#[test]
fn only_the_service_role_may_create_users_and_bad_input_writes_nothing() {
    let email = format!("refused{}@example.test", uuid_like());
    let body = json!({"email": email, "password": "admin-made-1", "email_confirm": true});
    let not_admin = json!({"code": "not_admin", "message": "User not allowed"});
    let r = create_user(ANON, &body);
    assert_eq!((r.status, r.json()), (403, not_admin.clone()));
    let (user_token, _, _, _) = new_user();
    let r =
        call("POST", "/auth/v1/admin/users", &[V, ("Authorization", &bearer(&user_token))], Some(&body.to_string()));
    assert_eq!((r.status, r.json()), (403, not_admin));
    let r = call("POST", "/auth/v1/admin/users", &[V, ("Authorization", "Basic abc")], Some(&body.to_string()));
    assert_eq!(
        (r.status, r.json()),
        (401, json!({"code": "no_authorization", "message": "This endpoint requires a valid Bearer token"}))
    );
    assert_eq!(sign_in(&email, "admin-made-1").json()["code"], "invalid_credentials", "nobody was created");

    let r = create_user(&service_key(), &json!({"password": "admin-made-1"}));
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "validation_failed", "message": "Cannot create a user without either an email or phone"}))
    );
    let bad = format!("bad<{email}");
    let r = create_user(&service_key(), &json!({"email": bad, "password": "admin-made-1", "email_confirm": true}));
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "validation_failed", "message": "Unable to validate email address: invalid format"}))
    );
    let r = create_user(&service_key(), &json!({"email": email, "password": "x".repeat(73), "email_confirm": true}));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("validation_failed")), "{}", r.body);
    let r = create_user(&service_key(), &json!({"email": email, "password": "admin-made-1", "user_metadata": "x"}));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("bad_json")), "{}", r.body);
    assert_eq!(sign_in(&email, "admin-made-1").json()["code"], "invalid_credentials", "nobody was created");
}
