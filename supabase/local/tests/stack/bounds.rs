//! REST paging with client numbers at the edge of i64: answered as PostgREST answers (its
//! integers are unbounded, so a huge limit or range simply reads everything), never a
//! dropped connection; numbers beyond i64 are PostgREST's 400.
use crate::common::*;
use serde_json::json;

fn sessions(token: &str, n: usize) -> Vec<String> {
    let rows: Vec<_> = (0..n).map(|i| json!({"title": format!("b{i}")})).collect();
    let r = call(
        "POST",
        "/rest/v1/sessions",
        &[("authorization", &bearer(token)), ("prefer", "return=representation")],
        Some(&json!(rows).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json().as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn huge_limits_offsets_and_ranges_are_answered() {
    let (token, _, _, _) = new_user();
    let auth = bearer(&token);
    sessions(&token, 3);
    let get = |q: &str, extra: &[(&str, &str)]| {
        let mut h = vec![("authorization", auth.as_str())];
        h.extend_from_slice(extra);
        call("GET", &format!("/rest/v1/sessions?select=title&order=title{q}"), &h, None)
    };
    let max = i64::MAX;
    let r = get(&format!("&limit={max}&offset=1"), &[]);
    assert_eq!((r.status, r.json()), (200, json!([{"title": "b1"}, {"title": "b2"}])), "{}", r.body);
    let r = get(&format!("&limit={max}&offset={max}"), &[]);
    assert_eq!((r.status, r.json()), (200, json!([])), "{}", r.body);
    let range = format!("0-{max}");
    let r = get("", &[("range", &range)]);
    assert_eq!((r.status, r.json().as_array().map(Vec::len)), (200, Some(3)), "{}", r.body);
    let range = format!("{max}-{max}");
    let r = get("", &[("range", &range), ("prefer", "count=exact")]);
    assert_eq!(r.status, 416, "{}", r.body);
    let r = get(&format!("&limit={max}"), &[("range", "1-"), ("prefer", "count=exact")]);
    assert_eq!((r.status, r.header("content-range")), (206, Some("1-2/3")), "{}", r.body);
    // Beyond i64: PostgREST's parse error.
    let r = get("&limit=9223372036854775808", &[]);
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("PGRST100")), "{}", r.body);
    let r = get("", &[("range", "0-9223372036854775808")]);
    assert_eq!((r.status, r.json()["code"].clone()), (416, json!("PGRST103")), "{}", r.body);
}

#[test]
fn a_signed_jwt_with_an_unknown_role_is_a_rest_401() {
    let now = supabase_local::jwt::now();
    let secret = "super-secret-jwt-token-with-at-least-32-characters-long";
    let token = supabase_local::jwt::sign(&json!({"role": "no_such_role", "exp": now + 600}), secret);
    let r = call("GET", "/rest/v1/sessions", &[("authorization", &bearer(&token))], None);
    assert_eq!(r.status, 401, "{}", r.body);
}
