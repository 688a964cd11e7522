//! `/rest/v1` against PostgREST's documented behaviour (reference §3) and the sessions RLS.
use crate::common::*;
use serde_json::json;

fn create(token: &str, title: &str) -> serde_json::Value {
    let r = call("POST", "/rest/v1/sessions", &[("Authorization", &bearer(token)), ("Prefer", "return=representation")], Some(&json!({"title": title}).to_string()));
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()[0].clone()
}

#[test]
fn crud_on_sessions() {
    let (token, _, user_id, _) = new_user();
    let auth = bearer(&token);
    let row = create(&token, "First");
    assert_eq!(row["user_id"], user_id.as_str(), "user_id defaults to auth.uid()");
    let id = row["id"].as_str().unwrap().to_string();

    let r = call("POST", "/rest/v1/sessions", &[("Authorization", &auth)], Some(r#"[{"title":"Second"},{"title":"Third"}]"#));
    assert_eq!((r.status, r.body.as_str()), (201, ""));

    let r = call("GET", "/rest/v1/sessions?select=title&order=title.desc", &[("Authorization", &auth)], None);
    assert_eq!((r.status, r.json()), (200, json!([{"title": "Third"}, {"title": "Second"}, {"title": "First"}])));
    let r = call("GET", "/rest/v1/sessions?select=name:title,id::text&title=in.(First,%22Third%22)&order=title", &[("Authorization", &auth)], None);
    assert_eq!(r.json()[0]["name"], "First");
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    let r = call("GET", "/rest/v1/sessions?title=neq.First&title=gte.T&select=title", &[("Authorization", &auth)], None);
    assert_eq!(r.json(), json!([{"title": "Third"}]));

    // Count, range and 206.
    let r = call("GET", "/rest/v1/sessions?select=id&order=title&limit=2", &[("Authorization", &auth), ("Prefer", "count=exact")], None);
    assert_eq!((r.status, r.header("content-range")), (206, Some("0-1/3")));
    let r = call("GET", "/rest/v1/sessions?select=id&order=title", &[("Authorization", &auth), ("Range", "1-5"), ("Prefer", "count=exact")], None);
    assert_eq!((r.status, r.header("content-range")), (206, Some("1-2/3")));
    let r = call("GET", "/rest/v1/sessions?select=id", &[("Authorization", &auth), ("Prefer", "count=exact")], None);
    assert_eq!((r.status, r.header("content-range")), (200, Some("0-2/3")));
    let r = call("HEAD", "/rest/v1/sessions", &[("Authorization", &auth), ("Prefer", "count=exact")], None);
    assert_eq!((r.status, r.header("content-range"), r.body.as_str()), (200, Some("0-2/3"), ""));

    // Singular.
    let single = [("Authorization", auth.as_str()), ("Accept", "application/vnd.pgrst.object+json")];
    let r = call("GET", &format!("/rest/v1/sessions?id=eq.{id}"), &single, None);
    assert_eq!((r.status, r.json()["title"].clone()), (200, json!("First")));
    let r = call("GET", "/rest/v1/sessions", &single, None);
    assert_eq!((r.status, r.json()), (406, json!({"code": "PGRST116", "details": "The result contains 3 rows", "hint": null, "message": "Cannot coerce the result to a single JSON object"})));

    // Update, delete.
    let r = call("PATCH", &format!("/rest/v1/sessions?id=eq.{id}"), &[("Authorization", &auth), ("Prefer", "return=representation")], Some(r#"{"title":"Renamed"}"#));
    assert_eq!((r.status, r.json()[0]["title"].clone()), (200, json!("Renamed")));
    let r = call("PATCH", "/rest/v1/sessions?title=eq.Second", &[("Authorization", &auth)], Some(r#"{"title":"Second!"}"#));
    assert_eq!(r.status, 204);
    let r = call("DELETE", "/rest/v1/sessions?title=is.null", &[("Authorization", &auth)], None);
    assert_eq!(r.status, 204);
    let r = call("DELETE", &format!("/rest/v1/sessions?id=eq.{id}"), &[("Authorization", &auth), ("Prefer", "return=representation")], None);
    assert_eq!((r.status, r.json()[0]["id"].clone()), (200, json!(id)));
    let r = call("GET", "/rest/v1/sessions?select=title&order=title", &[("Authorization", &auth)], None);
    assert_eq!(r.json(), json!([{"title": "Second!"}, {"title": "Third"}]));
    let r = call("DELETE", "/rest/v1/sessions", &[("Authorization", &auth)], None);
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("21000")));
}

#[test]
fn errors_have_postgrest_codes() {
    let (token, _, _, _) = new_user();
    let auth = bearer(&token);
    let get = |path: &str| call("GET", path, &[("Authorization", &auth)], None);
    let r = get("/rest/v1/nope");
    assert_eq!((r.status, r.json()["code"].clone()), (404, json!("PGRST205")));
    let r = get("/rest/v1/sessions?select=nope");
    assert_eq!((r.status, r.json()), (400, json!({"code": "42703", "details": null, "hint": null, "message": "column sessions.nope does not exist"})));
    let r = get("/rest/v1/sessions?nope=eq.1");
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("42703")));
    let r = get("/rest/v1/sessions?id=eq.not-a-uuid");
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("22P02")));
    let r = get("/rest/v1/sessions?id=eqq.1");
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("PGRST100")));
    // Hostile input: 400, and the table is still there afterwards.
    let r = get("/rest/v1/sessions?title=eq.x%27;drop%20table%20sessions;--&select=title");
    assert_eq!((r.status, r.json()), (200, json!([])));
    let r = get("/rest/v1/sessions?select=title%22;drop%20table%20sessions;--");
    assert_eq!(r.status, 400);
    let post = |body: &str| call("POST", "/rest/v1/sessions", &[("Authorization", &auth)], Some(body));
    assert_eq!(post("").json()["code"], "PGRST102");
    assert_eq!(post("[1]").json()["code"], "PGRST102");
    let r = post(r#"[{"title":"a"},{"title":"b","id":null}]"#);
    assert_eq!((r.status, r.json()["message"].clone()), (400, json!("All object keys must match")));
    let r = post(r#"{"title":""}"#);
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("23514")));
    let r = get("/rest/v1/sessions?select=title");
    assert_eq!(r.status, 200, "a failed request must not poison the connection");
}

#[test]
fn rls_isolates_users_and_anon() {
    let (a, _, _, _) = new_user();
    let (b, _, b_id, _) = new_user();
    let row = create(&a, "A's session");
    let id = row["id"].as_str().unwrap();
    let as_b = bearer(&b);
    let r = call("GET", &format!("/rest/v1/sessions?id=eq.{id}"), &[("Authorization", &as_b)], None);
    assert_eq!((r.status, r.json()), (200, json!([])));
    let r = call("PATCH", &format!("/rest/v1/sessions?id=eq.{id}"), &[("Authorization", &as_b), ("Prefer", "return=representation")], Some(r#"{"title":"hijacked"}"#));
    assert_eq!((r.status, r.json()), (200, json!([])));
    let r = call("DELETE", &format!("/rest/v1/sessions?id=eq.{id}"), &[("Authorization", &as_b)], None);
    assert_eq!(r.status, 204);
    let r = call("GET", &format!("/rest/v1/sessions?id=eq.{id}&select=title"), &[("Authorization", &bearer(&a))], None);
    assert_eq!(r.json(), json!([{"title": "A's session"}]), "B changed A's row");

    // Anon: no grant at all.
    let r = call("GET", "/rest/v1/sessions", &[], None);
    assert_eq!((r.status, r.json()["code"].clone()), (401, json!("42501")));
    let r = call("POST", "/rest/v1/sessions", &[], Some(r#"{"title":"anon"}"#));
    assert_eq!((r.status, r.json()["code"].clone()), (401, json!("42501")));

    // A cannot attach a row to B.
    let r = call("POST", "/rest/v1/sessions", &[("Authorization", &bearer(&a))], Some(&json!({"title": "x", "user_id": b_id}).to_string()));
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("42501")));
}
