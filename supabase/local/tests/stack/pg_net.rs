//! The stack's pg_net: `net.http_post` queues in the caller's transaction, the stack sends what
//! was committed to a server on 127.0.0.1 and records the outcome in `net._http_response`.
use crate::common::instance;
use crate::hook_server::HookServer;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio_postgres::Client;

const WAIT: Duration = Duration::from_secs(15);

async fn connect() -> Client {
    let conninfo =
        format!("host=127.0.0.1 port={} user=postgres password=postgres dbname=postgres", instance().db_port);
    let (client, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await.expect("connect to postgres");
    tokio::spawn(conn);
    client
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

/// `net._http_response` for `id`: (status_code, content_type, headers, content, timed_out, error_msg).
type Response = (Option<i32>, Option<String>, Option<Value>, Option<String>, Option<bool>, Option<String>);

/// The recorded response of request `id`, waiting for it to be written.
async fn response(db: &Client, id: i64) -> Response {
    let deadline = Instant::now() + WAIT;
    loop {
        let rows = db
            .query(
                "select status_code, content_type, headers, content, timed_out, error_msg from net._http_response where id = $1",
                &[&id],
            )
            .await
            .unwrap();
        if let Some(r) = rows.first() {
            assert_eq!(rows.len(), 1, "one response per request");
            return (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5));
        }
        assert!(Instant::now() < deadline, "no response recorded for request {id}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn queued(db: &Client, id: i64) -> i64 {
    db.query_one("select count(*) from net.http_request_queue where id = $1", &[&id]).await.unwrap().get(0)
}

async fn post(db: &Client, url: &str) -> i64 {
    db.query_one("select net.http_post($1)", &[&url]).await.unwrap().get(0)
}

/// Waits until the sender has swept the queue once (a request is answered), so that what a test
/// checks next is sent because `net.http_post` woke the sender, not by the start-up sweep.
async fn sender_running(db: &Client, server: &HookServer) {
    let id = post(db, &server.url("/warm-up")).await;
    assert_eq!(response(db, id).await.0, Some(201));
}

#[test]
fn a_committed_post_reaches_the_target_with_method_headers_body_and_query() {
    let server = HookServer::start();
    runtime().block_on(async {
        let db = connect().await;
        sender_running(&db, &server).await;
        let id: i64 = db
            .query_one(
                r#"select net.http_post(
                     url := $1,
                     body := '{"caption": "café ☕", "n": 1}'::jsonb,
                     params := '{"q": "a b&c/é"}'::jsonb,
                     headers := '{"Authorization": "Bearer t0ken", "X-Trace": "42"}'::jsonb,
                     timeout_milliseconds := 3000)"#,
                &[&server.url("/functions/v1/hook?x=1")],
            )
            .await
            .unwrap()
            .get(0);
        let got = server.wait_for("/functions/v1/hook", WAIT);
        assert_eq!(got.method, "POST");
        assert_eq!(got.target, "/functions/v1/hook?x=1&q=a%20b%26c%2F%C3%A9", "params appended, url-encoded");
        assert_eq!(got.headers.get("authorization").map(String::as_str), Some("Bearer t0ken"));
        assert_eq!(got.headers.get("x-trace").map(String::as_str), Some("42"));
        assert_eq!(
            got.headers.get("content-type").map(String::as_str),
            Some("application/json"),
            "headers without a content type get the JSON one, as pg_net adds it"
        );
        assert_eq!(got.headers.get("host"), Some(&format!("127.0.0.1:{}", server.port)));
        assert_eq!(String::from_utf8(got.body).unwrap(), r#"{"n": 1, "caption": "café ☕"}"#, "jsonb's text form");

        let (status, content_type, headers, content, timed_out, error) = response(&db, id).await;
        assert_eq!(status, Some(201));
        assert_eq!(content_type.as_deref(), Some("application/json"));
        assert_eq!(headers.unwrap()["x-hook"], "yes");
        assert_eq!(content.as_deref(), Some(r#"{"ok":true}"#));
        assert_eq!((timed_out, error), (Some(false), None));
        assert_eq!(queued(&db, id).await, 0, "a sent request leaves the queue");
    });
}

#[test]
fn a_rolled_back_post_sends_nothing() {
    let server = HookServer::start();
    runtime().block_on(async {
        let db = connect().await;
        sender_running(&db, &server).await;
        db.batch_execute("begin").await.unwrap();
        let rolled_back = post(&db, &server.url("/rolled-back")).await;
        db.batch_execute("rollback").await.unwrap();
        db.batch_execute("begin").await.unwrap();
        let committed = post(&db, &server.url("/committed")).await;
        assert_eq!(server.all().len(), 1, "nothing is sent before the transaction commits");
        db.batch_execute("commit").await.unwrap();

        assert!(committed > rolled_back);
        server.wait_for("/committed", WAIT);
        assert_eq!(response(&db, committed).await.0, Some(201));
        // The rolled-back request was never visible to the sender: it is in neither table.
        assert_eq!(queued(&db, rolled_back).await, 0);
        let answered: i64 = db
            .query_one("select count(*) from net._http_response where id = $1", &[&rolled_back])
            .await
            .unwrap()
            .get(0);
        assert_eq!(answered, 0);
        let paths: Vec<String> = server.all().into_iter().map(|r| r.target).collect();
        assert_eq!(paths, vec!["/warm-up".to_string(), "/committed".to_string()]);
    });
}

#[test]
fn unreachable_and_https_targets_record_an_error() {
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    runtime().block_on(async {
        let db = connect().await;
        let refused = post(&db, &format!("http://127.0.0.1:{closed}/nobody-home")).await;
        let https = post(&db, "https://127.0.0.1:9/tls").await;
        let (status, _, _, content, _, error) = response(&db, refused).await;
        assert_eq!((status, content), (None, None));
        let error = error.expect("an error message");
        assert!(error.starts_with(&format!("Couldn't connect to server 127.0.0.1:{closed}")), "{error}");
        let (status, _, _, _, _, error) = response(&db, https).await;
        assert_eq!(status, None);
        assert!(error.as_deref().unwrap_or("").contains("sends plain http only"), "{error:?}");
    });
}

/// A target that never answers times out with pg_net's message, and meanwhile a later request
/// to another target is sent and answered: one slow target holds up nothing else.
#[test]
fn a_hanging_target_times_out_without_holding_up_other_requests() {
    let server = HookServer::start();
    runtime().block_on(async {
        let db = connect().await;
        let hang: i64 = db
            .query_one("select net.http_post($1, timeout_milliseconds := 4000)", &[&server.url("/hang")])
            .await
            .unwrap()
            .get(0);
        server.wait_for("/hang", WAIT);
        let quick = post(&db, &server.url("/quick")).await;
        assert_eq!(response(&db, quick).await.0, Some(201));
        let (status, _, _, _, timed_out, error) = response(&db, hang).await;
        assert_eq!((status, timed_out), (None, Some(true)));
        assert!(error.as_deref().unwrap_or("").starts_with("Timeout of 4000 ms reached. Total time: "), "{error:?}");
        let quick_first: bool = db
            .query_one(
                "select (select created from net._http_response where id = $1) < (select created from net._http_response where id = $2)",
                &[&quick, &hang],
            )
            .await
            .unwrap()
            .get(0);
        assert!(quick_first, "the quick request was answered while the hanging one was still waiting");
    });
}

#[test]
fn http_post_refuses_what_pg_net_refuses_and_queues_nothing() {
    runtime().block_on(async {
        let db = connect().await;
        let before: i64 = db.query_one("select last_value from net.http_request_queue_id_seq", &[]).await.unwrap().get(0);
        let err = db
            .query_one(
                r#"select net.http_post('http://127.0.0.1:9/x', headers := '{"Content-Type": "text/plain"}'::jsonb)"#,
                &[],
            )
            .await
            .unwrap_err();
        assert_eq!(err.as_db_error().unwrap().message(), r#"Content-Type header must be "application/json""#);
        let err = db.query_one("select net.http_post('not a url')", &[]).await.unwrap_err();
        assert!(err.as_db_error().unwrap().message().contains("not a url"), "{err}");
        let left: i64 = db
            .query_one(
                "select count(*) from net.http_request_queue where id > $1 and url in ('http://127.0.0.1:9/x', 'not a url')",
                &[&before],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(left, 0);
    });
}

/// The signature and defaults pg_net declares, and its grants: API roles may call it, as on a
/// hosted project, but never read the queue (queued headers carry bearer keys).
#[test]
fn signature_defaults_and_privileges_match_pg_net() {
    runtime().block_on(async {
        let db = connect().await;
        let args: String = db
            .query_one("select pg_get_function_arguments('net.http_post'::regproc)", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(
            args,
            r#"url text, body jsonb DEFAULT '{}'::jsonb, params jsonb DEFAULT '{}'::jsonb, headers jsonb DEFAULT '{"Content-Type": "application/json"}'::jsonb, timeout_milliseconds integer DEFAULT 5000"#
        );
        let result: String = db
            .query_one("select pg_get_function_result('net.http_post'::regproc)", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(result, "bigint");
        let privileges = "select has_function_privilege($1, 'net.http_post(text, jsonb, jsonb, jsonb, integer)', 'execute'),
                                 has_table_privilege($1, 'net.http_request_queue', 'select'),
                                 has_table_privilege($1, 'net._http_response', 'select')";
        for (role, expected) in [
            ("postgres", (true, true, true)),
            ("service_role", (true, true, true)),
            ("authenticated", (true, false, false)),
            ("anon", (true, false, false)),
        ] {
            let r = db.query_one(privileges, &[&role]).await.unwrap();
            assert_eq!((r.get(0), r.get(1), r.get(2)), expected, "{role}");
        }
        // The grant works for service_role (rolled back: nothing is sent).
        db.batch_execute("begin; set local role service_role").await.unwrap();
        let id: i64 = db.query_one("select net.http_post('http://127.0.0.1:9/as-service-role')", &[]).await.unwrap().get(0);
        db.batch_execute("rollback").await.unwrap();
        assert!(id > 0);
    });
}

/// pg_cron runs its jobs in background workers; their NOTIFY must wake the sender too (the
/// scheduled publishing path). pg_cron schedules by the minute.
#[test]
fn a_post_made_by_a_pg_cron_job_is_sent() {
    let server = HookServer::start();
    let job = format!("pg-net-test-{}", server.port);
    runtime().block_on(async {
        let db = connect().await;
        let command = format!("select net.http_post('{}')", server.url("/from-cron"));
        db.execute("select cron.schedule($1, '* * * * *', $2)", &[&job, &command])
            .await
            .expect("pg_cron is installed in the local stack");
    });
    let got = server.wait_for("/from-cron", Duration::from_secs(75));
    runtime().block_on(async {
        let db = connect().await;
        db.execute("select cron.unschedule($1)", &[&job]).await.unwrap();
    });
    assert_eq!(got.method, "POST");
    assert_eq!(String::from_utf8(got.body).unwrap(), "{}");
}

/// On a fresh data folder too, the row `private.kick_publish_worker()` reads names this
/// instance's own publish-worker URL and the service-role key.
#[test]
fn a_fresh_instance_points_the_worker_endpoint_at_itself() {
    runtime().block_on(async {
        let db = connect().await;
        let rows = db.query("select url, token from private.worker_endpoint", &[]).await.unwrap();
        assert_eq!(rows.len(), 1, "the migrations create private.worker_endpoint and the stack fills it");
        let (url, token): (String, String) = (rows[0].get(0), rows[0].get(1));
        assert_eq!(url, format!("http://127.0.0.1:{}/functions/v1/publish-worker", instance().port));
        assert_eq!(token, supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET));
    });
}
