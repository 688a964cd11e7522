//! `/rest/v1/rpc` against the real migrations: publish_generation, cancel_post,
//! compose_post_text, fail_stale_generations; success shapes and every refusal's status + code.
use crate::common::*;
use serde_json::{json, Value};

pub fn service() -> String {
    supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET)
}

/// A signed-in user with a session, a completed generation (completed by service_role, the
/// only role allowed to) and a mock account.
pub struct Fixture {
    pub auth: String,
    pub user_id: String,
    pub session_id: String,
    pub generation_id: String,
    pub account_id: String,
}

pub fn post(auth: &str, path: &str, prefer: &str, body: Value) -> Res {
    call("POST", path, &[("Authorization", auth), ("Prefer", prefer)], Some(&body.to_string()))
}

pub fn fixture() -> Fixture {
    let (token, _, user_id, _) = new_user();
    let auth = bearer(&token);
    let rep = "return=representation";
    let session_id = post(&auth, "/rest/v1/sessions", rep, json!({"title": "Fixture"})).json()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = post(&auth, "/rest/v1/generations", rep, json!({"session_id": session_id, "prompt": "a red fox"}));
    assert_eq!(r.status, 201, "{}", r.body);
    let generation_id = r.json()[0]["id"].as_str().unwrap().to_string();
    let svc = bearer(&service());
    let r = call(
        "PATCH",
        &format!("/rest/v1/generations?id=eq.{generation_id}"),
        &[("Authorization", &svc)],
        Some(r#"{"status":"completed","media_url":"https://cdn.test/fox.png"}"#),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let r = post(
        &auth,
        "/rest/v1/connected_accounts",
        rep,
        json!({"platform": "instagram", "handle": format!("h{}", uuid_like())}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let account_id = r.json()[0]["id"].as_str().unwrap().to_string();
    Fixture { auth, user_id, session_id, generation_id, account_id }
}

fn publish_args(f: &Fixture) -> Value {
    json!({"p_generation_id": f.generation_id, "p_account_ids": [f.account_id], "p_caption": "Hello", "p_hashtags": ["#fox"]})
}

fn publish(auth: &str, args: Value) -> Res {
    post(auth, "/rest/v1/rpc/publish_generation", "", args)
}

fn refusal(r: &Res) -> (u16, Value) {
    let j = r.json();
    assert!(
        j.get("details").is_some() && j.get("hint").is_some() && j.get("message").is_some(),
        "not PostgREST's error JSON: {}",
        r.body
    );
    (r.status, j["code"].clone())
}

#[test]
fn publish_generation_returns_its_posts_and_takes_select_and_count() {
    let f = fixture();
    let path = "/rest/v1/rpc/publish_generation?select=id,status,caption,account:connected_accounts(platform)";
    let r = call(
        "POST",
        path,
        &[("Authorization", &f.auth), ("Prefer", "count=exact")],
        Some(&publish_args(&f).to_string()),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let posts = r.json();
    assert_eq!(posts[0]["status"], "published");
    assert_eq!(posts[0]["caption"], "Hello");
    assert_eq!(posts[0]["account"], json!({"platform": "instagram"}));
    assert_eq!(r.header("content-range"), Some("0-0/1"));
    // Idempotent on p_request_key: the same key gives back the same post.
    let mut args = publish_args(&f);
    args["p_request_key"] = json!("8f14e45f-ceea-467a-9575-6c1e2b5d8a01");
    let (first, again) = (publish(&f.auth, args.clone()), publish(&f.auth, args));
    assert_eq!((first.status, again.status), (200, 200), "{} / {}", first.body, again.body);
    let (first, again) = (first.json(), again.json());
    assert_eq!(first[0]["id"], again[0]["id"]);
    // The posts are readable through /rest/v1 with their embeds.
    let r = call(
        "GET",
        &format!("/rest/v1/posts?select=id,generation:generations(prompt)&id=eq.{}", first[0]["id"].as_str().unwrap()),
        &[("Authorization", &f.auth)],
        None,
    );
    assert_eq!(r.json(), json!([{"id": first[0]["id"], "generation": {"prompt": "a red fox"}}]));
}

#[test]
fn publish_generation_refusals_have_postgrest_status_and_code() {
    let f = fixture();
    let other = fixture();
    let with = |k: &str, v: Value| {
        let mut a = publish_args(&f);
        a[k] = v;
        a
    };
    // Anonymous: 42501 → 401 with WWW-Authenticate.
    let r = call("POST", "/rest/v1/rpc/publish_generation", &[], Some(&publish_args(&f).to_string()));
    assert_eq!(refusal(&r), (401, json!("42501")));
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));
    // Someone else's generation or account: 42501 → 403.
    assert_eq!(refusal(&publish(&other.auth, publish_args(&f))), (403, json!("42501")));
    let r = publish(&f.auth, with("p_account_ids", json!([other.account_id])));
    assert_eq!(refusal(&r), (403, json!("42501")));
    assert_eq!(r.json()["hint"], "Publish only to accounts you have connected.");
    // Validation: 22023 → 400, with the function's message and hint.
    let r = publish(&f.auth, with("p_hashtags", json!(["not a tag"])));
    assert_eq!(refusal(&r), (400, json!("22023")));
    assert_eq!(r.json()["message"], "Hashtag \"not a tag\" is not valid");
    assert_eq!(refusal(&publish(&f.auth, with("p_account_ids", json!([])))), (400, json!("22023")));
    assert_eq!(
        refusal(&publish(&f.auth, with("p_scheduled_at", json!("2000-01-01T00:00:00Z")))),
        (400, json!("22023"))
    );
    let queued = post(
        &f.auth,
        "/rest/v1/generations",
        "return=representation",
        json!({"session_id": f.session_id, "prompt": "not yet"}),
    )
    .json()[0]["id"]
        .clone();
    let r = publish(&f.auth, with("p_generation_id", queued));
    assert_eq!(
        (refusal(&r), r.json()["message"].clone()),
        ((400, json!("22023")), json!("This generation is queued; only a completed one can be published"))
    );
    // A bad value for a typed argument: 22P02 → 400.
    assert_eq!(refusal(&publish(&f.auth, with("p_generation_id", json!("not-a-uuid")))), (400, json!("22P02")));
    // Missing or unknown arguments: 404 PGRST202 worded as PostgREST words it.
    let r = publish(&f.auth, json!({"p_generation_id": f.generation_id}));
    assert_eq!(
        r.json(),
        json!({
            "code": "PGRST202",
            "details": "Searched for the function public.publish_generation with parameters p_generation_id or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.",
            "hint": "Perhaps you meant to call the function public.publish_generation(p_account_ids, p_caption, p_generation_id, p_hashtags, p_request_key, p_scheduled_at, p_scheduled_at_by_account)",
            "message": "Could not find the function public.publish_generation(p_generation_id) in the schema cache"
        })
    );
    assert_eq!(r.status, 404);
    let r = post(&f.auth, "/rest/v1/rpc/no_such_function", "", json!({}));
    assert_eq!((refusal(&r), r.json()["hint"].clone()), ((404, json!("PGRST202")), Value::Null));
    assert_eq!(
        r.json()["message"],
        "Could not find the function public.no_such_function without parameters in the schema cache"
    );
    // Nothing was written by any refusal.
    let r = call("GET", "/rest/v1/posts?select=id", &[("Authorization", &f.auth), ("Prefer", "count=exact")], None);
    assert_eq!(r.header("content-range"), Some("*/0"));
}

#[test]
fn cancel_post_returns_an_object_and_refuses_twice() {
    let f = fixture();
    let mut args = publish_args(&f);
    // A day ahead: publish_generation takes times from one minute to 365 days ahead.
    args["p_scheduled_at"] = json!(utc_in_seconds(86_400));
    let post_id = publish(&f.auth, args).json()[0]["id"].clone();
    let r = post(&f.auth, "/rest/v1/rpc/cancel_post", "", json!({"p_post_id": post_id}));
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!((r.json()["id"].clone(), r.json()["status"].clone()), (post_id.clone(), json!("cancelled")));
    let r = post(&f.auth, "/rest/v1/rpc/cancel_post", "", json!({"p_post_id": post_id}));
    assert_eq!(refusal(&r), (400, json!("22023")));
    assert_eq!(r.json()["hint"], "It may already be published or cancelled.");
}

#[test]
fn stable_functions_answer_get_and_volatile_writes_via_get_are_405() {
    let f = fixture();
    let auth = [("Authorization", f.auth.as_str())];
    let r = call("GET", "/rest/v1/rpc/compose_post_text?p_caption=Hi&p_hashtags=%7B%23a,%23b%7D", &auth, None);
    assert_eq!((r.status, r.json()), (200, json!("Hi\n\n#a #b")));
    let r = post(&f.auth, "/rest/v1/rpc/compose_post_text", "", json!({"p_caption": "", "p_hashtags": ["#x"]}));
    assert_eq!((r.status, r.json()), (200, json!("#x")));
    // A volatile function called with GET runs read-only: its write fails with 25006 → 405.
    let q = format!(
        "p_generation_id={}&p_account_ids=%7B{}%7D&p_caption=x&p_hashtags=%7B%7D",
        f.generation_id, f.account_id
    );
    let r = call("GET", &format!("/rest/v1/rpc/publish_generation?{q}"), &auth, None);
    assert_eq!(refusal(&r), (405, json!("25006")));
    let svc = bearer(&service());
    let r = call("GET", "/rest/v1/rpc/fail_stale_generations", &[("Authorization", &svc)], None);
    assert_eq!(refusal(&r), (405, json!("25006")));
    let r = call("PATCH", "/rest/v1/rpc/compose_post_text", &auth, Some("{}"));
    assert_eq!(refusal(&r), (405, json!("PGRST101")));
}

#[test]
fn fail_stale_generations_is_service_role_only_and_returns_a_scalar() {
    let f = fixture();
    let r = post(&f.auth, "/rest/v1/rpc/fail_stale_generations", "", json!({}));
    assert_eq!(refusal(&r), (403, json!("42501")));
    let r = call("POST", "/rest/v1/rpc/fail_stale_generations", &[], Some("{}"));
    assert_eq!(refusal(&r), (401, json!("42501")));
    let svc = bearer(&service());
    let r = post(&svc, "/rest/v1/rpc/fail_stale_generations", "", json!({"p_max_age": "100 years"}));
    assert_eq!((r.status, r.json()), (200, json!(0)));
    assert!(r.json().is_number(), "a scalar comes back as a bare JSON value");
}

/// The UTC time `seconds` from now as RFC 3339 ("2026-12-04T16:20:00Z").
fn utc_in_seconds(seconds: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let t = now + seconds;
    let (days, rest) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3_600, rest % 3_600 / 60, rest % 60)
}
