//! Oversized and malformed REST input gets a 4xx PostgREST-shaped JSON error, never a 500:
//! select lists past PostgreSQL's 1,664 target-list entries (top level, embedded, echoed by a
//! write, HEAD), NUL bytes in filters, names and bodies, and methods a route does not serve.
use crate::common::*;

/// Asserts a 4xx whose body is PostgREST's error object; returns its `code`.
fn client_error(r: &Res, status: u16) -> String {
    assert_eq!(r.status, status, "{}", r.body);
    let j = r.json();
    for key in ["code", "message", "details", "hint"] {
        assert!(j.get(key).is_some(), "{key} missing: {}", r.body);
    }
    j["code"].as_str().unwrap().to_string()
}

fn service() -> String {
    bearer(&supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET))
}

#[test]
fn select_lists_past_the_target_list_limit_are_a_400() {
    let svc = service();
    let auth = [("Authorization", svc.as_str())];
    let ids = vec!["id"; 2001].join(",");
    let r = call("GET", &format!("/rest/v1/generations?select={ids}"), &auth, None);
    assert_eq!(client_error(&r, 400), "54011");
    assert_eq!(r.json()["message"], "target lists can have at most 1664 entries");
    let stars = vec!["*"; 300].join(",");
    let r = call("GET", &format!("/rest/v1/generations?select={stars}"), &auth, None);
    assert_eq!(client_error(&r, 400), "54011");
    let r = call("GET", &format!("/rest/v1/generations?select=id,sessions({ids})"), &auth, None);
    assert_eq!(client_error(&r, 400), "54011");
    let r = call("HEAD", &format!("/rest/v1/generations?select={ids}"), &auth, None);
    assert_eq!(r.status, 400);
    // A write echoing too wide a select writes nothing.
    let title = format!("wide-{}", uuid_like());
    let r = call(
        "POST",
        &format!("/rest/v1/sessions?select={ids}"),
        &[("Authorization", svc.as_str()), ("Prefer", "return=representation")],
        Some(&format!(r#"{{"title":"{title}","user_id":"00000000-0000-4000-8000-000000000000"}}"#)),
    );
    assert!(r.status == 400 || r.status == 409, "{} {}", r.status, r.body);
    let left = call("GET", &format!("/rest/v1/sessions?title=eq.{title}&select=id"), &auth, None);
    assert_eq!(left.json(), serde_json::json!([]));
}

#[test]
fn nul_bytes_are_a_400() {
    let svc = service();
    let auth = [("Authorization", svc.as_str())];
    for path in [
        "/rest/v1/generations?prompt=eq.a%00b",
        "/rest/v1/generations?id=in.(%00)",
        "/rest/v1/generations?or=(prompt.eq.%00)",
        "/rest/v1/generations?select=id%00",
        "/rest/v1/gen%00erations",
        "/rest/v1/rpc/x%00y",
        "/rest/v1/generations?params-%3E%3Ea%00=eq.x",
    ] {
        let r = call("GET", path, &auth, None);
        assert!(r.status == 400 || r.status == 404, "{path}: {} {}", r.status, r.body);
        client_error(&r, r.status);
    }
    let r = call("POST", "/rest/v1/sessions", &auth, Some(r#"{"title":"a\u0000b"}"#));
    client_error(&r, 400);
    let r = call("POST", "/rest/v1/sessions", &auth, Some("{\"title\":\"a\0b\"}"));
    assert_eq!(client_error(&r, 400), "PGRST102");
}

#[test]
fn methods_a_route_does_not_serve_are_a_405() {
    for m in ["TRACE", "FOO"] {
        let r = call(m, "/rest/v1/generations", &[], None);
        assert_eq!(client_error(&r, 405), "PGRST117");
    }
    for m in ["PUT", "PATCH", "DELETE", "FOO"] {
        let r = call(m, "/rest/v1/rpc/compose_post_text", &[], Some("{}"));
        assert_eq!(client_error(&r, 405), "PGRST101");
    }
}
