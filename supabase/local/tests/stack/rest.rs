//! `/rest/v1` against PostgREST's documented behaviour (<https://docs.postgrest.org/en/v12/references/api.html>) and the sessions RLS.
use crate::common::*;
use serde_json::json;

fn create(token: &str, title: &str) -> serde_json::Value {
    let r = call(
        "POST",
        "/rest/v1/sessions",
        &[("Authorization", &bearer(token)), ("Prefer", "return=representation")],
        Some(&json!({"title": title}).to_string()),
    );
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

    let r = call(
        "POST",
        "/rest/v1/sessions",
        &[("Authorization", &auth)],
        Some(r#"[{"title":"Second"},{"title":"Third"}]"#),
    );
    assert_eq!((r.status, r.body.as_str()), (201, ""));

    let r = call("GET", "/rest/v1/sessions?select=title&order=title.desc", &[("Authorization", &auth)], None);
    assert_eq!((r.status, r.json()), (200, json!([{"title": "Third"}, {"title": "Second"}, {"title": "First"}])));
    let r = call(
        "GET",
        "/rest/v1/sessions?select=name:title,id::text&title=in.(First,%22Third%22)&order=title",
        &[("Authorization", &auth)],
        None,
    );
    assert_eq!(r.json()[0]["name"], "First");
    assert_eq!(r.json().as_array().unwrap().len(), 2);
    let r =
        call("GET", "/rest/v1/sessions?title=neq.First&title=gte.T&select=title", &[("Authorization", &auth)], None);
    assert_eq!(r.json(), json!([{"title": "Third"}]));

    // Count, range and 206.
    let r = call(
        "GET",
        "/rest/v1/sessions?select=id&order=title&limit=2",
        &[("Authorization", &auth), ("Prefer", "count=exact")],
        None,
    );
    assert_eq!((r.status, r.header("content-range")), (206, Some("0-1/3")));
    let r = call(
        "GET",
        "/rest/v1/sessions?select=id&order=title",
        &[("Authorization", &auth), ("Range", "1-5"), ("Prefer", "count=exact")],
        None,
    );
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
    assert_eq!(
        (r.status, r.json()),
        (
            406,
            json!({"code": "PGRST116", "details": "The result contains 3 rows", "hint": null, "message": "Cannot coerce the result to a single JSON object"})
        )
    );

    // Update, delete.
    let r = call(
        "PATCH",
        &format!("/rest/v1/sessions?id=eq.{id}"),
        &[("Authorization", &auth), ("Prefer", "return=representation")],
        Some(r#"{"title":"Renamed"}"#),
    );
    assert_eq!((r.status, r.json()[0]["title"].clone()), (200, json!("Renamed")));
    let r =
        call("PATCH", "/rest/v1/sessions?title=eq.Second", &[("Authorization", &auth)], Some(r#"{"title":"Second!"}"#));
    assert_eq!(r.status, 204);
    let r = call("DELETE", "/rest/v1/sessions?title=is.null", &[("Authorization", &auth)], None);
    assert_eq!(r.status, 204);
    let r = call(
        "DELETE",
        &format!("/rest/v1/sessions?id=eq.{id}"),
        &[("Authorization", &auth), ("Prefer", "return=representation")],
        None,
    );
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
    assert_eq!(
        (r.status, r.json()),
        (
            400,
            json!({"code": "42703", "details": null, "hint": null, "message": "column sessions.nope does not exist"})
        )
    );
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
    let r = call(
        "PATCH",
        &format!("/rest/v1/sessions?id=eq.{id}"),
        &[("Authorization", &as_b), ("Prefer", "return=representation")],
        Some(r#"{"title":"hijacked"}"#),
    );
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
    let r = call(
        "POST",
        "/rest/v1/sessions",
        &[("Authorization", &bearer(&a))],
        Some(&json!({"title": "x", "user_id": b_id}).to_string()),
    );
    assert_eq!((r.status, r.json()["code"].clone()), (403, json!("42501")));
}

fn get(auth: &str, path: &str) -> (u16, serde_json::Value) {
    let r = call("GET", path, &[("Authorization", auth)], None);
    (r.status, serde_json::from_str(&r.body).unwrap_or(json!(r.body)))
}

#[test]
fn filters_and_logic_trees() {
    let (token, _, _, _) = new_user();
    let auth = bearer(&token);
    for t in ["Alpha", "alpine", "Beta", "a,b (c)", "Gamma"] {
        create(&token, t);
    }
    let titles = |q: &str| {
        let (status, j) = get(&auth, &format!("/rest/v1/sessions?select=title&order=title&{q}"));
        assert_eq!(status, 200, "{q}: {j}");
        j.as_array().unwrap().iter().map(|r| r["title"].as_str().unwrap().to_string()).collect::<Vec<_>>()
    };
    assert_eq!(titles("title=like.Al*"), ["Alpha"]);
    assert_eq!(titles("title=ilike.al*"), ["Alpha", "alpine"]);
    assert_eq!(titles("title=in.(Beta,%22a,b%20(c)%22)"), ["Beta", "a,b (c)"]);
    assert_eq!(titles("title=not.in.(Beta,Gamma)&title=not.like.a*"), ["Alpha"]);
    assert_eq!(titles("or=(title.eq.Beta,title.eq.%22a,b%20(c)%22)"), ["Beta", "a,b (c)"]);
    assert_eq!(titles("or=(title.eq.Gamma,and(title.ilike.a*,title.neq.alpine))"), ["Alpha", "Gamma", "a,b (c)"]);
    assert_eq!(titles("not.or=(title.ilike.a*,title.eq.Beta)"), ["Gamma"]);
    assert_eq!(titles("and=(title.gte.B,title.lt.H)&title=is.not_null"), ["Beta", "Gamma"]);
    assert_eq!(titles("title=is.null"), Vec::<String>::new());
    // Malformed trees and hostile text are 400 and never run; the table is still there.
    for q in [
        "or=(title.eq.a",
        "or=(title.eq.a))",
        "or=(title.eq.a);drop%20table%20sessions",
        "or=(ti%22tle.eq.a)",
        "title=is.maybe",
        "select=title,generations(id,sessions(title))",
    ] {
        let (status, j) = get(&auth, &format!("/rest/v1/sessions?{q}"));
        assert_eq!(status, 400, "{q}: {j}");
    }
    assert_eq!(titles("or=(title.eq.%22x%27);%20drop%20table%20sessions;--%22,title.eq.Beta)"), ["Beta"]);
    assert_eq!(titles("title=eq.a)%20or%20(1=1"), Vec::<String>::new());
}

#[test]
fn order_nulls_range_and_head() {
    let (token, _, _, _) = new_user();
    let auth = bearer(&token);
    for (h, d) in [("a", Some("Zed")), ("b", None), ("c", Some("Amy"))] {
        let r = call(
            "POST",
            "/rest/v1/connected_accounts",
            &[("Authorization", &auth)],
            Some(&json!({"platform": "x", "handle": h, "display_name": d}).to_string()),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let handles = |q: &str| {
        get(&auth, &format!("/rest/v1/connected_accounts?select=handle&{q}"))
            .1
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["handle"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(handles("order=display_name.asc.nullsfirst"), ["b", "c", "a"]);
    assert_eq!(handles("order=display_name.desc.nullslast,handle"), ["a", "c", "b"]);
    let range = |r: &str, count: bool| {
        let mut h = vec![("Authorization", auth.as_str()), ("Range", r)];
        if count {
            h.push(("Prefer", "count=exact"));
        }
        let res = call("GET", "/rest/v1/connected_accounts?select=handle&order=handle", &h, None);
        (res.status, res.header("content-range").map(str::to_string), res.body)
    };
    assert_eq!(range("1-1", true), (206, Some("1-1/3".into()), r#"[{"handle":"b"}]"#.into()));
    assert_eq!(range("0-9", true).0, 200);
    assert_eq!(range("1-", false).1.as_deref(), Some("1-2/*"));
    let (status, _, body) = range("5-9", true);
    assert_eq!(
        (status, serde_json::from_str::<serde_json::Value>(&body).unwrap()["code"].clone()),
        (416, json!("PGRST103"))
    );
    let r = call(
        "HEAD",
        "/rest/v1/connected_accounts?display_name=not.is.null",
        &[("Authorization", &auth), ("Prefer", "count=exact")],
        None,
    );
    assert_eq!((r.status, r.header("content-range"), r.body.as_str()), (200, Some("0-1/2"), ""));
}

#[test]
fn embedding_both_directions_through_rls() {
    let f = crate::rpc::fixture();
    let r = crate::rpc::post(
        &f.auth,
        "/rest/v1/rpc/publish_generation",
        "",
        json!({"p_generation_id": f.generation_id, "p_account_ids": [f.account_id], "p_caption": "Cap", "p_hashtags": []}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let (status, j) = get(
        &f.auth,
        "/rest/v1/posts?select=caption,account:connected_accounts(platform),generation:generations(prompt,media_url)",
    );
    assert_eq!(
        (status, j),
        (
            200,
            json!([{"caption": "Cap", "account": {"platform": "instagram"}, "generation": {"prompt": "a red fox", "media_url": "https://cdn.test/fox.png"}}])
        )
    );
    let (_, j) = get(&f.auth, &format!("/rest/v1/sessions?select=title,generations(status)&id=eq.{}", f.session_id));
    assert_eq!(j, json!([{"title": "Fixture", "generations": [{"status": "completed"}]}]));
    let (_, j) = get(&f.auth, "/rest/v1/generations?select=prompt,session:sessions(title),posts(caption)");
    assert_eq!(j, json!([{"prompt": "a red fox", "session": {"title": "Fixture"}, "posts": [{"caption": "Cap"}]}]));
    // !inner with an embedded filter drops parents; without !inner the embed is just empty.
    let (_, j) = get(&f.auth, "/rest/v1/sessions?select=title,generations!inner(id)&generations.status=eq.failed");
    assert_eq!(j, json!([]));
    let (_, j) = get(&f.auth, "/rest/v1/sessions?select=title,generations(id)&generations.status=eq.failed");
    assert_eq!(j, json!([{"title": "Fixture", "generations": []}]));
    // Hints and errors.
    let (status, _) = get(&f.auth, "/rest/v1/posts?select=id,generations!posts_generation_id_fkey(id)");
    assert_eq!(status, 200);
    let (status, j) = get(&f.auth, "/rest/v1/sessions?select=title,connected_accounts(id)");
    assert_eq!((status, j["code"].clone()), (400, json!("PGRST200")));
    let (status, j) = get(&f.auth, "/rest/v1/sessions?select=title&generations.status=eq.queued");
    assert_eq!((status, j["code"].clone()), (400, json!("PGRST108")));
    // Embedded rows are read through RLS: another user's generation in this session stays hidden.
    let other = crate::rpc::fixture();
    let svc = bearer(&crate::rpc::service());
    let r = call(
        "POST",
        "/rest/v1/generations",
        &[("Authorization", &svc)],
        Some(&json!({"session_id": f.session_id, "user_id": other.user_id, "prompt": "intruder"}).to_string()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let (_, j) = get(&f.auth, &format!("/rest/v1/sessions?select=generations(prompt)&id=eq.{}", f.session_id));
    assert_eq!(j, json!([{"generations": [{"prompt": "a red fox"}]}]));
    let (_, j) = get(
        &svc,
        &format!("/rest/v1/sessions?select=generations(prompt)&id=eq.{}&generations.order=prompt", f.session_id),
    );
    assert_eq!(j, json!([{"generations": [{"prompt": "a red fox"}, {"prompt": "intruder"}]}]));
}

#[test]
fn upserts_columns_missing_default_and_put() {
    let (token, _, user_id, _) = new_user();
    let auth = bearer(&token);
    // A merge sets every payload column, id included, which clients may not update on sessions:
    // the merges and PUTs run as the service role (as the server side would upsert).
    let svc = bearer(&supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET));
    let row = create(&token, "Original");
    let id = row["id"].as_str().unwrap();
    let new_id = "0b8e7c9a-1d2e-4f3a-8b5c-6d7e8f9a0b1c";
    let upsert_as = |auth: &str, prefer: &str, q: &str, body: serde_json::Value| {
        call(
            "POST",
            &format!("/rest/v1/sessions{q}"),
            &[("Authorization", auth), ("Prefer", prefer)],
            Some(&body.to_string()),
        )
    };
    let upsert = |prefer: &str, q: &str, body: serde_json::Value| upsert_as(&auth, prefer, q, body);
    let merge = "resolution=merge-duplicates,return=representation";
    let r = upsert_as(&svc, merge, "?on_conflict=id", json!([{"id": id, "title": "Merged", "user_id": user_id}]));
    assert_eq!((r.status, r.json()[0]["title"].clone()), (200, json!("Merged")), "every row existed → 200");
    assert_eq!(r.header("preference-applied"), Some("resolution=merge-duplicates, return=representation"));
    let r = upsert_as(
        &svc,
        merge,
        "",
        json!([{"id": id, "title": "Again", "user_id": user_id}, {"id": new_id, "title": "Fresh", "user_id": user_id}]),
    );
    assert_eq!((r.status, r.json().as_array().unwrap().len()), (201, 2));
    let r = upsert("resolution=ignore-duplicates,return=representation", "", json!({"id": id, "title": "Ignored"}));
    assert_eq!((r.status, r.json()), (201, json!([])));
    let (_, j) = get(&auth, &format!("/rest/v1/sessions?select=title&id=eq.{id}"));
    assert_eq!(j, json!([{"title": "Again"}]));
    // columns=: keys may differ; only listed columns are written.
    let r = upsert(
        "return=representation",
        "?columns=%22title%22&select=title",
        json!([{"title": "C1", "user_id": "ignored"}, {"title": "C2", "extra": 1}]),
    );
    assert_eq!((r.status, r.json()), (201, json!([{"title": "C1"}, {"title": "C2"}])));
    // missing=default: an absent key takes the column default instead of null.
    let r = upsert(
        "return=representation,missing=default",
        "?columns=title,id&select=title,has_id:id",
        json!([{"title": "D1"}]),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.json()[0]["has_id"].is_string());
    let r = upsert("return=representation", "?columns=title,id", json!([{"title": "D2"}]));
    assert_eq!((r.status, r.json()["code"].clone()), (400, json!("23502")), "without missing=default it is null");
    // PUT: a single-row upsert addressed by the primary key.
    let put = |q: &str, body: serde_json::Value| {
        call(
            "PUT",
            &format!("/rest/v1/sessions?{q}"),
            &[("Authorization", &svc), ("Prefer", "return=representation")],
            Some(&body.to_string()),
        )
    };
    let r = put(&format!("id=eq.{new_id}"), json!({"id": new_id, "title": "Put", "user_id": user_id}));
    assert_eq!((r.status, r.json()[0]["title"].clone()), (200, json!("Put")));
    assert_eq!(put(&format!("id=eq.{id}"), json!({"id": new_id, "title": "x"})).json()["code"], "PGRST115");
    assert_eq!(put("title=eq.x", json!({"title": "x"})).status, 405);
}

#[test]
fn oversized_bodies_get_postgrest_shaped_413() {
    let (token, _, _, _) = new_user();
    let big = format!(r#"{{"title":"{}"}}"#, "x".repeat(2 << 20));
    let r = call("POST", "/rest/v1/sessions", &[("Authorization", &bearer(&token))], Some(&big));
    assert_eq!(r.status, 413);
    let j = r.json();
    assert_eq!((j["code"].clone(), j["message"].clone()), (json!("PGRST102"), json!("Payload Too Large")));
}
