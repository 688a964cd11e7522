//! `PUT /auth/v1/user` (supabase-js `auth.updateUser`): a signed-in user changes their
//! password (and user metadata), as GoTrue answers it.
use crate::common::*;
use serde_json::{json, Value};

const V: (&str, &str) = ("X-Supabase-Api-Version", "2024-01-01");

fn update(token: &str, body: &Value) -> Res {
    call("PUT", "/auth/v1/user", &[V, ("Authorization", &bearer(token))], Some(&body.to_string()))
}

fn sign_in(email: &str, password: &str) -> Res {
    let body = json!({"email": email, "password": password}).to_string();
    call("POST", "/auth/v1/token?grant_type=password", &[V], Some(&body))
}

fn refresh(token: &str) -> Res {
    let body = json!({"refresh_token": token}).to_string();
    call("POST", "/auth/v1/token?grant_type=refresh_token", &[V], Some(&body))
}

#[test]
fn a_signed_in_user_changes_their_password() {
    let (access, own_refresh, user_id, email) = new_user();
    // A second session of the same user, e.g. another browser.
    let other = sign_in(&email, "secret123");
    assert_eq!(other.status, 200, "{}", other.body);
    let other_refresh = other.json()["refresh_token"].as_str().unwrap().to_string();

    let r = update(&access, &json!({"password": "new-secret-456", "data": {"theme": "dark"}}));
    assert_eq!(r.status, 200, "{}", r.body);
    let user = r.json();
    assert_eq!((user["id"].as_str(), user["email"].as_str()), (Some(user_id.as_str()), Some(email.as_str())));
    assert_eq!(user["user_metadata"]["theme"], "dark");

    assert_eq!(sign_in(&email, "new-secret-456").status, 200, "the new password signs in");
    assert_eq!(
        (sign_in(&email, "secret123").status, sign_in(&email, "secret123").json()["code"].clone()),
        (400, json!("invalid_credentials")),
        "the old password does not"
    );
    // GoTrue signs the user's other sessions out; the one that changed the password stays.
    assert_eq!(refresh(&other_refresh).json()["code"], "refresh_token_not_found");
    assert_eq!(refresh(&own_refresh).status, 200);
    let r = call("GET", "/auth/v1/user", &[V, ("Authorization", &bearer(&access))], None);
    assert_eq!((r.status, r.json()["user_metadata"]["theme"].clone()), (200, json!("dark")));
}

#[test]
fn weak_same_and_refused_changes_keep_the_old_password() {
    let (access, _, _, email) = new_user();
    let r = update(&access, &json!({"password": "abc"}));
    assert_eq!(
        (r.status, r.json()),
        (
            422,
            json!({"code": "weak_password", "message": "Password should be at least 6 characters.",
                   "weak_password": {"reasons": ["length"]}})
        )
    );
    let r = update(&access, &json!({"password": "secret123"}));
    assert_eq!(
        (r.status, r.json()),
        (422, json!({"code": "same_password", "message": "New password should be different from the old password."}))
    );
    let r = call("PUT", "/auth/v1/user", &[("Authorization", &bearer(&access))], Some(r#"{"password":"secret123"}"#));
    assert_eq!(
        (r.status, r.json()),
        (
            422,
            json!({"code": 422, "error_code": "same_password", "msg": "New password should be different from the old password."})
        )
    );
    let r = update(&access, &json!({"password": "new-secret-456", "app_metadata": {"role": "admin"}}));
    assert_eq!(
        (r.status, r.json()),
        (403, json!({"code": "not_admin", "message": "Updating app_metadata requires admin privileges"}))
    );
    let r = call("PUT", "/auth/v1/user", &[V, ("Authorization", &bearer(&access))], Some("{\"password\":"));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("bad_json")));
    assert_eq!(sign_in(&email, "new-secret-456").json()["code"], "invalid_credentials", "nothing was changed");
    assert_eq!(sign_in(&email, "secret123").status, 200);
}

#[test]
fn a_password_change_needs_a_valid_token_of_the_user() {
    let (_, _, user_id, email) = new_user();
    let body = json!({"password": "new-secret-456"});
    let expired = supabase_local::jwt::sign(
        &json!({"sub": user_id, "role": "authenticated", "exp": supabase_local::jwt::now() - 60}),
        supabase_local::config::JWT_SECRET,
    );
    let r = update(&expired, &body);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("bad_jwt")), "{}", r.body);
    let r = update("not.a.jwt", &body);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("bad_jwt")), "{}", r.body);
    let r = call("PUT", "/auth/v1/user", &[V, ("Authorization", "Basic abc")], Some(&body.to_string()));
    assert_eq!(
        (r.status, r.json()),
        (401, json!({"code": "no_authorization", "message": "This endpoint requires a valid Bearer token"}))
    );
    // The anon key names no user.
    let r = update(ANON, &body);
    assert_eq!((r.status, r.json()), (403, json!({"code": "bad_jwt", "message": "invalid claim: missing sub claim"})));
    // After sign-out the access token's session is gone.
    let (access, _, _, email2) = new_user();
    let r = call("POST", "/auth/v1/logout", &[V, ("Authorization", &bearer(&access))], None);
    assert_eq!(r.status, 204);
    let r = update(&access, &body);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("session_not_found")));
    for e in [email, email2] {
        assert_eq!(sign_in(&e, "secret123").status, 200, "the password is unchanged");
    }
}
