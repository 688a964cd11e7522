//! publish_generation's `p_request_key` beyond one caller at a time: the same key sent twice at
//! once (a double click, a retried request racing the first) posts once and both calls answer
//! with those posts; another user's identical key is theirs alone.
use crate::common::*;
use crate::rpc::{fixture, post, Fixture};
use serde_json::{json, Value};
use std::time::{Duration, Instant};
use tokio_postgres::Client;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

async fn connect() -> Client {
    let conninfo =
        format!("host=127.0.0.1 port={} user=postgres password=postgres dbname=postgres", instance().db_port);
    let (client, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await.expect("connect to postgres");
    tokio::spawn(conn);
    client
}

/// A second mock account of the fixture's user, so a publish writes a set of posts, not one.
fn second_account(f: &Fixture) -> String {
    let body = json!({"platform": "instagram", "handle": format!("h{}", uuid_like())});
    let r = post(&f.auth, "/rest/v1/connected_accounts", "return=representation", body);
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()[0]["id"].as_str().unwrap().to_string()
}

fn publish_keyed(auth: &str, generation: &str, accounts: &[&str], key: &str) -> Res {
    let args = json!({
        "p_generation_id": generation, "p_account_ids": accounts, "p_caption": "Once only",
        "p_hashtags": ["#fox"], "p_request_key": key,
    });
    post(auth, "/rest/v1/rpc/publish_generation", "", args)
}

/// The sorted ids of a 200 answer listing posts.
fn post_ids(r: &Res) -> Vec<String> {
    assert_eq!(r.status, 200, "{}", r.body);
    let mut ids: Vec<String> =
        r.json().as_array().expect("a list of posts").iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// The caller's posts carrying `key`, as read back through /rest/v1.
fn stored_with_key(auth: &str, key: &str) -> Vec<Value> {
    let path = format!("/rest/v1/posts?select=id,user_id,generation_id,account_id&request_key=eq.{key}&order=id");
    let r = call("GET", &path, &[("Authorization", auth)], None);
    assert_eq!(r.status, 200, "{}", r.body);
    r.json().as_array().unwrap().clone()
}

/// Both calls are let go together: a lock on `generations` (which a publish reads once it knows
/// its key is new) holds them until both are waiting inside the database. Without the per-key
/// lock both would find the key unused, and the second insert would hit the unique key (409).
#[test]
fn the_same_key_twice_at_once_posts_one_set_and_both_calls_answer_with_it() {
    let f = fixture();
    let second = second_account(&f);
    let key = uuid::Uuid::new_v4().to_string();
    let rt = runtime();
    // A transaction sees pg_stat_activity as of its first look: watch from outside the gate's.
    let (gate, watch) = (rt.block_on(connect()), rt.block_on(connect()));
    rt.block_on(gate.batch_execute("begin; lock table public.generations in access exclusive mode")).unwrap();
    let calls: Vec<_> = (0..2)
        .map(|_| {
            let (auth, generation, accounts, key) =
                (f.auth.clone(), f.generation_id.clone(), [f.account_id.clone(), second.clone()], key.clone());
            std::thread::spawn(move || publish_keyed(&auth, &generation, &[&accounts[0], &accounts[1]], &key))
        })
        .collect();
    let waiting_publishes = "select count(*) from pg_stat_activity
        where wait_event_type = 'Lock' and query like '%publish_generation%' and pid <> pg_backend_pid()";
    let started = Instant::now();
    loop {
        let waiting: i64 = rt.block_on(watch.query_one(waiting_publishes, &[])).unwrap().get(0);
        if waiting >= 2 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the two publishes never both reached the database");
        std::thread::sleep(Duration::from_millis(20));
    }
    rt.block_on(gate.batch_execute("commit")).unwrap();
    let answers: Vec<Res> = calls.into_iter().map(|c| c.join().expect("publish thread")).collect();
    let (first, again) = (post_ids(&answers[0]), post_ids(&answers[1]));
    assert_eq!(first.len(), 2, "one post per account: {}", answers[0].body);
    assert_eq!(first, again, "both calls answer with the same posts");
    let stored: Vec<String> =
        stored_with_key(&f.auth, &key).iter().map(|p| p["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(stored, first, "exactly one set of posts was written");
}

#[test]
fn another_users_same_key_writes_their_own_posts_and_never_returns_the_first_users() {
    let (ana, bo) = (fixture(), fixture());
    let key = uuid::Uuid::new_v4().to_string();
    let anas = post_ids(&publish_keyed(&ana.auth, &ana.generation_id, &[&ana.account_id], &key));
    let r = publish_keyed(&bo.auth, &bo.generation_id, &[&bo.account_id], &key);
    let bos = post_ids(&r);
    assert_eq!(bos.len(), 1, "{}", r.body);
    assert!(!bos.iter().any(|id| anas.contains(id)), "Bo was handed Ana's posts: {}", r.body);
    let row = &r.json()[0];
    assert_eq!(
        (row["user_id"].as_str(), row["generation_id"].as_str(), row["account_id"].as_str()),
        (Some(bo.user_id.as_str()), Some(bo.generation_id.as_str()), Some(bo.account_id.as_str())),
        "Bo's post is of Bo's generation, to Bo's account"
    );
    // Each user's retry still answers with their own posts, and each has exactly one set.
    assert_eq!(post_ids(&publish_keyed(&bo.auth, &bo.generation_id, &[&bo.account_id], &key)), bos);
    assert_eq!(post_ids(&publish_keyed(&ana.auth, &ana.generation_id, &[&ana.account_id], &key)), anas);
    let ids = |rows: Vec<Value>| rows.iter().map(|p| p["id"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!((ids(stored_with_key(&ana.auth, &key)), ids(stored_with_key(&bo.auth, &key))), (anas, bos));
}
