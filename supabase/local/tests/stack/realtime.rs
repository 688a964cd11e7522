//! `/realtime/v1/websocket` (<https://supabase.com/docs/guides/realtime/protocol>): connect, framing in both vsn's, join, postgres_changes
//! with RLS per subscriber, token refresh, leave, and commit-order delivery.
use crate::common::*;
use serde_json::{json, Value};
use std::net::TcpStream;
use std::time::Duration;
use tungstenite::{Message, WebSocket};

struct Ws {
    ws: WebSocket<TcpStream>,
    v2: bool,
}

/// A message as (join_ref, ref, topic, event, payload), whatever the vsn.
type Msg = (Value, Value, String, String, Value);

impl Ws {
    fn connect(key: &str, vsn: &str) -> Result<Ws, u16> {
        let port = instance().port;
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let url = format!("ws://127.0.0.1:{port}/realtime/v1/websocket?apikey={key}&vsn={vsn}");
        match tungstenite::client(url.as_str(), stream) {
            Ok((ws, _)) => Ok(Ws { ws, v2: vsn.starts_with('2') }),
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(r))) => Err(r.status().as_u16()),
            Err(e) => panic!("handshake: {e}"),
        }
    }

    fn send(&mut self, join_ref: Option<&str>, r: &str, topic: &str, event: &str, payload: Value) {
        let text = if self.v2 {
            json!([join_ref, r, topic, event, payload]).to_string()
        } else {
            json!({"join_ref": join_ref, "ref": r, "topic": topic, "event": event, "payload": payload}).to_string()
        };
        self.ws.send(Message::text(text)).unwrap();
    }

    /// The next text message, or None after `wait` of silence.
    fn recv(&mut self, wait: Duration) -> Option<Msg> {
        self.ws.get_mut().set_read_timeout(Some(wait)).unwrap();
        loop {
            match self.ws.read() {
                Ok(Message::Text(t)) => {
                    let v: Value = serde_json::from_str(t.as_str()).unwrap();
                    return Some(if self.v2 {
                        assert!(v.is_array(), "vsn 2 frames are arrays: {v}");
                        (
                            v[0].clone(),
                            v[1].clone(),
                            v[2].as_str().unwrap().into(),
                            v[3].as_str().unwrap().into(),
                            v[4].clone(),
                        )
                    } else {
                        assert!(v.get("join_ref").is_none(), "vsn 1 replies carry no join_ref: {v}");
                        (
                            Value::Null,
                            v["ref"].clone(),
                            v["topic"].as_str().unwrap().into(),
                            v["event"].as_str().unwrap().into(),
                            v["payload"].clone(),
                        )
                    });
                }
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    fn expect(&mut self) -> Msg {
        self.recv(Duration::from_secs(5)).expect("a message within 5 s")
    }

    /// Joins `realtime:<name>` as `token`; returns the binding ids after the system message.
    fn join(&mut self, name: &str, token: &str, bindings: Value) -> Vec<u64> {
        let topic = format!("realtime:{name}");
        self.send(
            Some("1"),
            "1",
            &topic,
            "phx_join",
            json!({"config": {"postgres_changes": bindings}, "access_token": token}),
        );
        let (_, r, t, e, p) = self.expect();
        assert_eq!(
            (r, t.as_str(), e.as_str(), p["status"].clone()),
            (json!("1"), topic.as_str(), "phx_reply", json!("ok")),
            "{p}"
        );
        let ids =
            p["response"]["postgres_changes"].as_array().unwrap().iter().map(|b| b["id"].as_u64().unwrap()).collect();
        let (_, _, _, e, p) = self.expect();
        assert_eq!(
            (e.as_str(), p),
            (
                "system",
                json!({"extension": "postgres_changes", "status": "ok", "message": "Subscribed to PostgreSQL", "channel": name})
            )
        );
        ids
    }

    /// The next postgres_changes payload, or None after 1 s of silence.
    fn change(&mut self) -> Option<Value> {
        let (_, _, _, e, p) = self.recv(Duration::from_secs(1))?;
        assert_eq!(e, "postgres_changes");
        Some(p)
    }

    /// The next change about row `id`, skipping other tests' rows (their DELETEs reach every
    /// subscriber of the table, as in Realtime).
    fn change_of(&mut self, id: &str) -> Option<Value> {
        loop {
            let p = self.change()?;
            let d = &p["data"];
            if d["record"]["id"] == id || d["old_record"]["id"] == id {
                return Some(p);
            }
        }
    }
}

fn session(token: &str) -> String {
    let r = call(
        "POST",
        "/rest/v1/sessions",
        &[("Authorization", &bearer(token)), ("Prefer", "return=representation")],
        Some(r#"{"title":"rt"}"#),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()[0]["id"].as_str().unwrap().to_string()
}

fn insert_generation(token: &str, session: &str, prompt: &str) -> String {
    let body = json!({"session_id": session, "prompt": prompt}).to_string();
    let r = call(
        "POST",
        "/rest/v1/generations",
        &[("Authorization", &bearer(token)), ("Prefer", "return=representation")],
        Some(&body),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()[0]["id"].as_str().unwrap().to_string()
}

#[test]
fn connect_needs_a_valid_token_and_heartbeats_answer_in_both_vsns() {
    // Only the project's keys pass the gateway (Kong's 401 before any upgrade).
    assert_eq!(Ws::connect("not-a-jwt", "1.0.0").err(), Some(401));
    let no_exp = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoiYW5vbiJ9.x";
    assert_eq!(Ws::connect(no_exp, "2.0.0").err(), Some(401));
    for vsn in ["1.0.0", "2.0.0"] {
        let mut ws = Ws::connect(ANON, vsn).unwrap();
        ws.send(None, "7", "phoenix", "heartbeat", json!({}));
        let (_, r, t, e, p) = ws.expect();
        assert_eq!(
            (r, t.as_str(), e.as_str(), p),
            (json!("7"), "phoenix", "phx_reply", json!({"status": "ok", "response": {}}))
        );
        ws.send(Some("3"), "3", "rooms:x", "phx_join", json!({}));
        assert_eq!(ws.expect().4, json!({"status": "error", "response": {"reason": "unmatched topic"}}));
        ws.send(Some("4"), "4", "realtime:", "phx_join", json!({}));
        assert_eq!(ws.expect().4["response"]["reason"], "TopicNameRequired: You must provide a topic name");
        // A join without bindings replies an empty list and no system message.
        ws.send(Some("5"), "5", "realtime:plain", "phx_join", json!({"config": {}}));
        let (j, _, _, _, p) = ws.expect();
        assert_eq!(p, json!({"status": "ok", "response": {"postgres_changes": []}}));
        if vsn == "2.0.0" {
            assert_eq!(j, json!("5"), "vsn 2 replies echo join_ref");
        }
        // A bad filter: the join succeeds, then a postgres_changes system error.
        let bad = json!([{"event": "*", "schema": "public", "table": "generations", "filter": "status=like.x"}]);
        ws.send(Some("6"), "6", "realtime:bad", "phx_join", json!({"config": {"postgres_changes": bad}}));
        assert_eq!(ws.expect().4["status"], "ok");
        let p = ws.expect().4;
        assert_eq!(
            (p["status"].as_str(), p["message"].as_str()),
            (Some("error"), Some(r#"Error parsing `filter` params: ["like", "x"]"#))
        );
    }
}

#[test]
fn only_the_cli_secret_key_opens_a_service_role_socket() {
    // An invented `sb_` key is the gateway's 401 before any upgrade, whatever its prefix claims.
    assert_eq!(Ws::connect("sb_secret_anything", "1.0.0").err(), Some(401));
    assert_eq!(Ws::connect("sb_publishable_anything", "2.0.0").err(), Some(401));
    // The CLI's secret key is the service role: a join without a user token sees every user's rows.
    let (token, _, _, _) = new_user();
    let s = session(&token);
    let mut ws = Ws::connect(SECRET, "1.0.0").expect("the CLI's secret key connects");
    let topic = "realtime:svc";
    let bindings = json!([{"event": "INSERT", "schema": "public", "table": "generations", "filter": format!("session_id=eq.{s}")}]);
    ws.send(Some("1"), "1", topic, "phx_join", json!({"config": {"postgres_changes": bindings}}));
    assert_eq!(ws.expect().4["status"], "ok");
    assert_eq!(ws.expect().4["message"], "Subscribed to PostgreSQL");
    let g = insert_generation(&token, &s, "seen by the service role");
    assert_eq!(ws.change_of(&g).expect("the service role sees the row")["data"]["type"], "INSERT");
}

#[test]
fn changes_follow_rls_per_subscriber() {
    let (token_a, _, user_a, _) = new_user();
    let (token_b, _, _, _) = new_user();
    let s = session(&token_a);
    let mut a = Ws::connect(ANON, "2.0.0").unwrap();
    let ids = a.join(
        "a",
        &token_a,
        json!([
            {"event": "*", "schema": "public", "table": "generations", "filter": format!("session_id=eq.{s}")},
            {"event": "DELETE", "schema": "public", "table": "generations"},
        ]),
    );
    let mut b = Ws::connect(ANON, "1.0.0").unwrap();
    b.join("b", &token_b, json!([{"event": "*", "schema": "public", "table": "generations"}]));

    let g = insert_generation(&token_a, &s, "a fox");
    let p = a.change_of(&g).expect("INSERT for the owner");
    assert_eq!(p["ids"], json!([ids[0]]));
    let d = &p["data"];
    assert_eq!(
        (d["type"].as_str(), d["schema"].as_str(), d["table"].as_str(), d["errors"].clone()),
        (Some("INSERT"), Some("public"), Some("generations"), Value::Null)
    );
    assert_eq!(
        (d["record"]["id"].as_str(), d["record"]["user_id"].as_str(), d["record"]["attempts"].clone()),
        (Some(g.as_str()), Some(user_a.as_str()), json!(0))
    );
    assert!(d.get("old_record").is_none());
    assert!(d["columns"].as_array().unwrap().contains(&json!({"name": "session_id", "type": "uuid"})));
    assert!(d["columns"].as_array().unwrap().contains(&json!({"name": "status", "type": "generation_status"})));
    assert_eq!(d["commit_timestamp"].as_str().unwrap().len(), "2026-01-01T00:00:00.000Z".len());

    let svc = format!("Bearer {}", service_key());
    let r = call(
        "PATCH",
        &format!("/rest/v1/generations?id=eq.{g}"),
        &[("Authorization", &svc)],
        Some(r#"{"status":"completed","media_url":"https://m.test/x.png"}"#),
    );
    assert_eq!(r.status, 204, "{}", r.body);
    let d = a.change_of(&g).expect("UPDATE for the owner")["data"].clone();
    assert_eq!(
        (d["type"].as_str(), d["record"]["status"].as_str(), d["old_record"].clone()),
        (Some("UPDATE"), Some("completed"), json!({"id": g}))
    );

    let r = call("DELETE", &format!("/rest/v1/generations?id=eq.{g}"), &[("Authorization", &bearer(&token_a))], None);
    assert_eq!(r.status, 204);
    let p = a.change_of(&g).expect("DELETE for the owner");
    assert_eq!(p["ids"], json!([ids[1]]), "the session filter cannot match a DELETE (key-only identity)");
    assert_eq!((p["data"]["type"].as_str(), p["data"]["old_record"].clone()), (Some("DELETE"), json!({"id": g})));
    assert!(a.change_of(&g).is_none());

    // B never sees A's row; the DELETE (not RLS-checked in Realtime) carries the key only.
    let mut seen = vec![];
    while let Some(p) = b.change() {
        let d = &p["data"];
        assert_eq!(d["type"], "DELETE", "B got an {} (only DELETEs are unchecked): {d}", d["type"]);
        assert_eq!(d["old_record"].as_object().map(|o| o.len()), Some(1), "key only: {d}");
        seen.push(d["old_record"]["id"].clone());
    }
    assert!(seen.contains(&json!(g)), "the DELETE reaches every subscriber of the table");
}

/// Everything the socket receives up to the INSERT of row `sentinel` on the `sentinel` channel:
/// a row written after the one that must not arrive, on a channel allowed to see it. Changes
/// reach a socket in commit order, so a leak would come first. Each as "topic event prompt".
fn before_sentinel(ws: &mut Ws, sentinel: &str) -> Vec<String> {
    let mut before = vec![];
    loop {
        let (_, _, topic, event, p) = ws.recv(Duration::from_secs(30)).expect("the sentinel change arrives");
        if topic == "realtime:sentinel" && p["data"]["record"]["id"] == sentinel {
            return before;
        }
        before.push(format!("{topic} {event} {}", p["data"]["record"]["prompt"]));
    }
}

#[test]
fn refresh_leave_and_expiry() {
    let (token, _, user, _) = new_user();
    let (s, elsewhere) = (session(&token), session(&token));
    let mut ws = Ws::connect(ANON, "1.0.0").unwrap();
    ws.join("r", &token, json!([{"event": "INSERT", "schema": "public", "table": "generations"}]));
    // Stays joined throughout: it sees only the other session's rows, the sentinels below.
    let only_elsewhere = format!("session_id=eq.{elsewhere}");
    ws.join(
        "sentinel",
        &token,
        json!([{"event": "INSERT", "schema": "public", "table": "generations", "filter": only_elsewhere}]),
    );
    // A fresh valid token keeps the channel; an expired one closes it with a system error.
    let fresh = sign(json!({"sub": user, "role": "authenticated", "exp": now() + 3600}));
    ws.send(Some("1"), "2", "realtime:r", "access_token", json!({"access_token": fresh}));
    insert_generation(&token, &s, "still here");
    assert_eq!(ws.change().expect("delivery after refresh")["data"]["record"]["prompt"], "still here");
    let stale = sign(json!({"sub": user, "role": "authenticated", "exp": now() - 10}));
    ws.send(Some("1"), "3", "realtime:r", "access_token", json!({"access_token": stale}));
    let (_, _, _, e, p) = ws.expect();
    assert_eq!(e, "system");
    assert_eq!(
        (p["extension"].as_str(), p["status"].as_str(), p["channel"].as_str()),
        (Some("system"), Some("error"), Some("r"))
    );
    assert!(p["message"].as_str().unwrap().starts_with("Token has expired"), "{p}");
    assert_eq!(ws.expect().3, "phx_close");
    insert_generation(&token, &s, "gone");
    let sentinel = insert_generation(&token, &elsewhere, "after the expiry");
    assert_eq!(before_sentinel(&mut ws, &sentinel), Vec::<String>::new(), "the closed channel still received a change");

    // Leave: ok reply, phx_close, then nothing for that channel.
    ws.join("l", &token, json!([{"event": "INSERT", "schema": "public", "table": "generations"}]));
    ws.send(Some("1"), "9", "realtime:l", "phx_leave", json!({}));
    let (_, r, _, e, p) = ws.expect();
    assert_eq!((r, e.as_str(), p["status"].as_str()), (json!("9"), "phx_reply", Some("ok")));
    assert_eq!(ws.expect().3, "phx_close");
    insert_generation(&token, &s, "after leave");
    let sentinel = insert_generation(&token, &elsewhere, "after the leave");
    assert_eq!(before_sentinel(&mut ws, &sentinel), Vec::<String>::new(), "the left channel still received a change");
}

#[test]
fn delivery_follows_commit_order_not_statement_order() {
    let svc = service_key();
    let (token, _, _, _) = new_user();
    let s = session(&token);
    let (g1, g2) = (insert_generation(&token, &s, "first"), insert_generation(&token, &s, "second"));
    let mut ws = Ws::connect(&svc, "2.0.0").unwrap();
    ws.join("order", &svc, json!([{"event": "UPDATE", "schema": "public", "table": "generations", "filter": format!("session_id=eq.{s}")}]));
    // T1 changes g1 first but commits after T2 (which changes g2): delivery is T2 then T1.
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let connect = || async {
            let conninfo = format!("host=127.0.0.1 port={} user=postgres password=postgres dbname=postgres", db_port());
            let (c, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await.unwrap();
            tokio::spawn(conn);
            c
        };
        let (t1, t2) = (connect().await, connect().await);
        t1.batch_execute(&format!("begin; update public.generations set prompt = 'one' where id = '{g1}'"))
            .await
            .unwrap();
        // Gaps wide enough for millisecond timestamps to tell change time from commit time.
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        t2.batch_execute(&format!("begin; update public.generations set prompt = 'two' where id = '{g2}'; commit"))
            .await
            .unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        t1.batch_execute("commit").await.unwrap();
    });
    let first = ws.change().expect("first change")["data"].clone();
    let second = ws.change().expect("second change")["data"].clone();
    assert_eq!((&first["record"]["prompt"], &second["record"]["prompt"]), (&json!("two"), &json!("one")));
    // commit_timestamp is when each transaction committed, not when its row changed: T1
    // changed its row first but committed last.
    let at = |d: &Value| d["commit_timestamp"].as_str().unwrap().to_string();
    assert!(at(&first) < at(&second), "{} then {}", at(&first), at(&second));
}

/// The project's service_role key (the gateway takes it byte for byte).
fn service_key() -> String {
    supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET)
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

fn sign(claims: Value) -> String {
    supabase_local::jwt::sign(&claims, "super-secret-jwt-token-with-at-least-32-characters-long")
}

/// The test instance's PostgreSQL port.
fn db_port() -> u16 {
    instance().db_port
}
