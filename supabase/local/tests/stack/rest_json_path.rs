//! JSON paths into a jsonb column (generations.params), as PostgREST reads them: `->` keeps
//! JSON, `->>` gives text, the output key is the last key unless aliased, `::cast` applies to
//! the value; the same paths work as filter keys, in logic trees and in `in` lists.
use crate::common::*;
use serde_json::{json, Value};

/// A user's generation with nested params; returns (Authorization value, generation id).
fn generation_with_params() -> (String, String) {
    let (token, _, _, _) = new_user();
    let auth = bearer(&token);
    let rep = [("Authorization", auth.as_str()), ("Prefer", "return=representation")];
    let r = call("POST", "/rest/v1/sessions", &rep, Some(r#"{"title":"json paths"}"#));
    let session = r.json()[0]["id"].as_str().unwrap().to_string();
    let params = json!({"aspect_ratio": "16:9", "size": {"w": 1024, "h": 576}, "tags": ["wide", "fox"]});
    let body = json!({"session_id": session, "prompt": "a fox", "params": params}).to_string();
    let r = call("POST", "/rest/v1/generations", &rep, Some(&body));
    assert_eq!(r.status, 201, "{}", r.body);
    (auth, r.json()[0]["id"].as_str().unwrap().to_string())
}

/// GETs `path` with `>` percent-encoded, as clients send it (a raw `>` is not valid in a URI).
fn get(auth: &str, path: &str) -> Res {
    call("GET", &path.replace('>', "%3E"), &[("Authorization", auth)], None)
}

#[test]
fn select_reads_values_inside_a_json_column() {
    let (auth, id) = generation_with_params();
    let one = |select: &str| -> Value {
        let r = get(&auth, &format!("/rest/v1/generations?id=eq.{id}&select={select}"));
        assert_eq!(r.status, 200, "{select}: {}", r.body);
        r.json()[0].clone()
    };
    assert_eq!(one("id,params->>aspect_ratio"), json!({"id": id, "aspect_ratio": "16:9"}));
    assert_eq!(one("params->size"), json!({"size": {"w": 1024, "h": 576}}));
    assert_eq!(one("params->size->w"), json!({"w": 1024}));
    assert_eq!(one("params->size->>w"), json!({"w": "1024"}));
    assert_eq!(one("ratio:params->>aspect_ratio"), json!({"ratio": "16:9"}));
    assert_eq!(one("width:params->size->>w::int"), json!({"width": 1024}));
    assert_eq!(one("params->tags->0"), json!({"tags": "wide"}));
    assert_eq!(one("params->tags->>-1"), json!({"tags": "fox"}));
    assert_eq!(one("params->>missing"), json!({"missing": null}));
    // Read through an embed too.
    let r = get(&auth, &format!("/rest/v1/sessions?select=generations(params->>aspect_ratio)&generations.id=eq.{id}"));
    assert_eq!(r.json()[0]["generations"], json!([{"aspect_ratio": "16:9"}]), "{}", r.body);
}

#[test]
fn filters_compare_values_inside_a_json_column() {
    let (auth, id) = generation_with_params();
    let ids = |filter: &str| -> Vec<Value> {
        let r = get(&auth, &format!("/rest/v1/generations?select=id&{filter}"));
        assert_eq!(r.status, 200, "{filter}: {}", r.body);
        r.json().as_array().unwrap().iter().map(|g| g["id"].clone()).collect()
    };
    assert_eq!(ids("params->>aspect_ratio=eq.16:9"), vec![json!(id)]);
    assert!(ids("params->>aspect_ratio=eq.1:1").is_empty());
    assert_eq!(ids("params->size->w=eq.1024"), vec![json!(id)], "`->` compares as JSON");
    assert_eq!(ids("params->size->>w=gt.1000"), vec![json!(id)], "`->>` compares as text");
    assert_eq!(ids("params->>aspect_ratio=in.(1:1,16:9)"), vec![json!(id)]);
    assert_eq!(ids("or=(params->>aspect_ratio.eq.4:3,params->tags->>0.eq.wide)"), vec![json!(id)]);
    assert_eq!(ids("params->>aspect_ratio=like.16*"), vec![json!(id)]);
    assert!(ids("params->>missing=not.is.null").is_empty());
}

#[test]
fn malformed_paths_are_a_parse_error() {
    let (auth, _) = generation_with_params();
    for path in ["/rest/v1/generations?select=params->", "/rest/v1/generations?params->>=eq.x"] {
        let r = get(&auth, path);
        assert_eq!((r.status, r.json()["code"].as_str()), (400, Some("PGRST100")), "{path}: {}", r.body);
    }
    let r = get(&auth, "/rest/v1/generations?select=nope->>a");
    assert_eq!((r.status, r.json()["code"].as_str()), (400, Some("42703")), "{}", r.body);
}
