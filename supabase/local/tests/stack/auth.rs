//! `/auth/v1` against GoTrue's documented behaviour (<https://supabase.com/docs/reference/self-hosting-auth/introduction>).
use crate::common::*;
use serde_json::json;

const V: (&str, &str) = ("X-Supabase-Api-Version", "2024-01-01");

#[test]
fn missing_api_key_is_rejected_like_kong() {
    let r = call("GET", "/rest/v1/sessions", &[("apikey", "-")], None);
    assert_eq!(r.status, 401);
    assert_eq!(r.json(), json!({"message": "No API key found in request"}));
}

#[test]
fn cors_preflight_and_exposed_headers() {
    let r = call(
        "OPTIONS",
        "/rest/v1/sessions",
        &[
            ("Origin", "http://localhost:8080"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "apikey, prefer"),
        ],
        None,
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    assert_eq!(r.header("access-control-allow-headers"), Some("apikey, prefer"));
    let r = call("GET", "/rest/v1/nope", &[], None);
    assert!(r.header("access-control-expose-headers").unwrap().contains("Content-Range"));
}

#[test]
fn signup_sign_in_user_and_errors() {
    let email = format!("Mixed{}@Example.test", uuid_like());
    let body = format!(r#"{{"email":"{email}","password":"secret123","data":{{"name":"A"}}}}"#);
    let r = call("POST", "/auth/v1/signup", &[V], Some(&body));
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.json();
    assert_eq!(s["token_type"], "bearer");
    assert_eq!(s["expires_in"], 3600);
    assert_eq!(s["user"]["email"], email.to_lowercase());
    assert_eq!(s["user"]["user_metadata"]["name"], "A");
    assert_eq!(s["user"]["identities"][0]["provider"], "email");
    assert_eq!(s["user"]["app_metadata"], json!({"provider": "email", "providers": ["email"]}));

    // Duplicate, in both error formats.
    let r = call("POST", "/auth/v1/signup", &[V], Some(&body));
    assert_eq!(
        (r.status, r.json()),
        (422, json!({"code": "user_already_exists", "message": "User already registered"}))
    );
    assert_eq!(r.header("x-supabase-api-version"), Some("2024-01-01"));
    let r = call("POST", "/auth/v1/signup", &[], Some(&body));
    assert_eq!(
        (r.status, r.json()),
        (422, json!({"code": 422, "error_code": "user_already_exists", "msg": "User already registered"}))
    );

    let r = call("POST", "/auth/v1/signup", &[V], Some(r#"{"email":"x@y.test","password":"abc"}"#));
    assert_eq!(r.status, 422);
    assert_eq!(r.json()["code"], "weak_password");
    assert_eq!(r.json()["weak_password"]["reasons"], json!(["length"]));
    let r = call("POST", "/auth/v1/signup", &[V], Some(r#"{"email":"x@y.test","password":""}"#));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("validation_failed")));
    let r = call("POST", "/auth/v1/signup", &[V], Some(r#"{"email":"not-an-email","password":"secret123"}"#));
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "validation_failed", "message": "Unable to validate email address: invalid format"}))
    );
    let r = call("POST", "/auth/v1/signup", &[V], Some("{not json"));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("bad_json")));

    // Password grant.
    let login = |pw: &str| {
        call(
            "POST",
            "/auth/v1/token?grant_type=password",
            &[V],
            Some(&format!(r#"{{"email":"{email}","password":"{pw}"}}"#)),
        )
    };
    let r = login("secret123");
    assert_eq!(r.status, 200, "{}", r.body);
    let token = r.json()["access_token"].as_str().unwrap().to_string();
    let r = login("wrong-password");
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "invalid_credentials", "message": "Invalid login credentials"}))
    );
    let r = call(
        "POST",
        "/auth/v1/token?grant_type=password",
        &[V],
        Some(r#"{"email":"nobody@example.test","password":"secret123"}"#),
    );
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("invalid_credentials")));
    let r = call("POST", "/auth/v1/token?grant_type=magic", &[V], Some("{}"));
    assert_eq!(r.status, 400);

    // GET /user.
    let r = call("GET", "/auth/v1/user", &[V, ("Authorization", &bearer(&token))], None);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["email"], email.to_lowercase());
    let r = call("GET", "/auth/v1/user", &[V], None);
    assert_eq!((r.status, r.json()), (403, json!({"code": "bad_jwt", "message": "invalid claim: missing sub claim"})));
}

#[test]
fn seeded_demo_user_signs_in() {
    let r = call(
        "POST",
        "/auth/v1/token?grant_type=password",
        &[V],
        Some(r#"{"email":"demo@atelier.test","password":"atelier-demo"}"#),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["user"]["email"], "demo@atelier.test");
}

#[test]
fn refresh_rotation_reuse_and_errors() {
    let (_, refresh, _, _) = new_user();
    let grant = |t: &str| {
        call("POST", "/auth/v1/token?grant_type=refresh_token", &[V], Some(&format!(r#"{{"refresh_token":"{t}"}}"#)))
    };
    let r = grant(&refresh);
    assert_eq!(r.status, 200, "{}", r.body);
    let next = r.json()["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(next, refresh);
    // Reuse inside the 10 s window gives a valid session with the current token.
    let r = grant(&refresh);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["refresh_token"], next.as_str());
    let r = grant("zzzzzzzzzzzzzzzzzzzzzzzz");
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("refresh_token_not_found")));
    let r = grant("short");
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "validation_failed", "message": "Refresh token is not valid"}))
    );
}

#[test]
fn logout_revokes_the_session() {
    let (token, refresh, _, _) = new_user();
    let auth = bearer(&token);
    let r = call("POST", "/auth/v1/logout?scope=global", &[V, ("Authorization", &auth)], None);
    assert_eq!(r.status, 204, "{}", r.body);
    let r = call("GET", "/auth/v1/user", &[V, ("Authorization", &auth)], None);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("session_not_found")));
    let r = call(
        "POST",
        "/auth/v1/token?grant_type=refresh_token",
        &[V],
        Some(&format!(r#"{{"refresh_token":"{refresh}"}}"#)),
    );
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("refresh_token_not_found")));
}

#[test]
fn expired_and_forged_tokens() {
    let secret = "super-secret-jwt-token-with-at-least-32-characters-long";
    let (_, _, user_id, _) = new_user();
    let now = supabase_local::jwt::now();
    let expired =
        supabase_local::jwt::sign(&json!({"sub": user_id, "role": "authenticated", "exp": now - 3600}), secret);
    let forged = supabase_local::jwt::sign(
        &json!({"sub": user_id, "role": "service_role", "exp": now + 3600}),
        "not-the-secret-not-the-secret-not-the-secret",
    );
    let r = call("GET", "/auth/v1/user", &[V, ("Authorization", &bearer(&expired))], None);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("bad_jwt")));
    let r = call("GET", "/auth/v1/user", &[V, ("Authorization", &bearer(&forged))], None);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("bad_jwt")));
    let r = call("GET", "/rest/v1/sessions", &[("Authorization", &bearer(&expired))], None);
    assert_eq!(
        (r.status, r.json()["code"].clone(), r.json()["message"].clone()),
        (401, json!("PGRST303"), json!("JWT expired"))
    );
    assert!(r.header("www-authenticate").unwrap().starts_with("Bearer"));
    let r = call("GET", "/rest/v1/sessions", &[("Authorization", &bearer(&forged))], None);
    assert_eq!((r.status, r.json()["code"].clone()), (401, json!("PGRST301")));
    assert!(r.header("www-authenticate").is_some());
}

/// GoTrue: an older refresh token replayed after the reuse window ends the whole session, so
/// neither the newest refresh token nor the session's access token works any more.
#[test]
fn reuse_after_the_window_ends_the_session() {
    let (_, r0, _, _) = new_user();
    let grant = |t: &str| {
        call("POST", "/auth/v1/token?grant_type=refresh_token", &[V], Some(&format!(r#"{{"refresh_token":"{t}"}}"#)))
    };
    let r = grant(&r0);
    assert_eq!(r.status, 200, "{}", r.body);
    let r1 = r.json()["refresh_token"].as_str().unwrap().to_string();
    let r = grant(&r1);
    assert_eq!(r.status, 200, "{}", r.body);
    let (r2, access) = (
        r.json()["refresh_token"].as_str().unwrap().to_string(),
        r.json()["access_token"].as_str().unwrap().to_string(),
    );
    std::thread::sleep(std::time::Duration::from_secs(REUSE_INTERVAL_SECS + 1));
    // The parent of the active token may still be replayed (a client that lost the last answer).
    let r = grant(&r1);
    assert_eq!((r.status, r.json()["refresh_token"].as_str()), (200, Some(r2.as_str())), "{}", r.body);
    // R0 is two rotations behind: a replay after the window is refused and ends the session.
    let r = grant(&r0);
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "refresh_token_already_used", "message": "Invalid Refresh Token: Already Used"}))
    );
    let r = grant(&r2);
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("refresh_token_not_found")), "{}", r.body);
    let r = call("GET", "/auth/v1/user", &[V, ("Authorization", &bearer(&access))], None);
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("session_not_found")), "{}", r.body);
}

#[test]
fn nul_characters_are_refused_without_writing_anything() {
    let email = format!("nul{}@example.test", uuid_like());
    let signup = |body: serde_json::Value| call("POST", "/auth/v1/signup", &[V], Some(&body.to_string()));
    // A NUL in the metadata or the password cannot be stored: a 400 that says so, not
    // "User already registered" for an address nobody has.
    let r = signup(json!({"email": email, "password": "secret123", "data": {"k": "a\u{0}b"}}));
    assert_eq!(
        (r.status, r.json()),
        (
            400,
            json!({"code": "validation_failed", "message": "User metadata must not contain NUL (U+0000) characters"})
        )
    );
    let r = signup(json!({"email": email, "password": "secret\u{0}123"}));
    assert_eq!(
        (r.status, r.json()),
        (400, json!({"code": "validation_failed", "message": "Password must not contain NUL (U+0000) characters"}))
    );
    let r = signup(json!({"email": format!("a\u{0}{email}"), "password": "secret123"}));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("validation_failed")));
    // Nothing was written: the address is still free.
    let r = signup(json!({"email": email, "password": "secret123"}));
    assert_eq!(r.status, 200, "{}", r.body);
    // At sign-in a NUL matches no account: GoTrue's invalid_credentials, not a 500.
    for (e, p) in [(format!("{email}\u{0}"), "secret123"), (email.clone(), "secret\u{0}123")] {
        let body = json!({"email": e, "password": p}).to_string();
        let r = call("POST", "/auth/v1/token?grant_type=password", &[V], Some(&body));
        assert_eq!(
            (r.status, r.json()),
            (400, json!({"code": "invalid_credentials", "message": "Invalid login credentials"}))
        );
    }
}

/// GoTrue checks addresses with one pattern (letters, digits and ``.!#$%&'*+/=?^_`{|}~-`` before
/// the `@`; dot-separated host labels of letters, digits and inner hyphens after it).
#[test]
fn signup_refuses_addresses_gotrue_refuses_and_writes_nothing() {
    let id = uuid_like();
    let refused = [
        format!("a<b{id}@example.test"),
        format!("a>b{id}@example.test"),
        format!("\"q{id}\"@example.test"),
        format!("a(b){id}@example.test"),
        format!("a b{id}@example.test"),
        format!(" lead{id}@example.test"),
        format!("semi;{id}@example.test"),
        format!("u{id}@exa_mple.test"),
        format!("u{id}@-example.test"),
        format!("u{id}@example..test"),
        format!("u{id}@example.test."),
        format!("u{id}@@example.test"),
        format!("ü{id}@example.test"),
    ];
    for email in &refused {
        let body = json!({"email": email, "password": "secret123"}).to_string();
        let r = call("POST", "/auth/v1/signup", &[V], Some(&body));
        assert_eq!(
            (r.status, r.json()),
            (400, json!({"code": "validation_failed", "message": "Unable to validate email address: invalid format"})),
            "{email:?}"
        );
        let r = call("POST", "/auth/v1/token?grant_type=password", &[V], Some(&body));
        assert_eq!(r.json()["code"], "invalid_credentials", "{email:?} was not stored");
    }
    for email in [format!("o'brien+tag{id}@example.test"), format!("u{id}@localhost")] {
        let body = json!({"email": email, "password": "secret123"}).to_string();
        let r = call("POST", "/auth/v1/signup", &[V], Some(&body));
        assert_eq!((r.status, r.json()["user"]["email"].as_str()), (200, Some(email.as_str())), "{}", r.body);
    }
}
