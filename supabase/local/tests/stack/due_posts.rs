//! Scheduled posts go out exactly once: two sweeps of `public.publish_due_posts()` at the same
//! time never take the same post, and pg_cron runs the sweep with no caller at all.
use crate::common::instance;
use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, Instant};
use tokio_postgres::Client;
use uuid::Uuid;

/// The exactly-once test pauses the cron job; the cron test needs it running.
static CRON: Mutex<()> = Mutex::new(());

const JOB: &str = "publish-due-posts";

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

/// A creator with a completed generation and a mock Instagram account: (generation, account).
async fn creator(db: &Client) -> (Uuid, Uuid) {
    let user = Uuid::new_v4();
    let (session, generation, account) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
    db.execute(
        "insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at)
         values ($1, 'authenticated', 'authenticated', $2, '', now())",
        &[&user, &format!("{user}@due.test")],
    )
    .await
    .unwrap();
    db.execute("insert into public.sessions (id, user_id, title) values ($1, $2, 'due posts')", &[&session, &user])
        .await
        .unwrap();
    db.execute(
        "insert into public.generations (id, session_id, user_id, kind, prompt, status, media_url, completed_at)
         values ($1, $2, $3, 'image', 'a lighthouse', 'completed', 'http://media.test/l.png', now())",
        &[&generation, &session, &user],
    )
    .await
    .unwrap();
    db.execute(
        "insert into public.connected_accounts (id, user_id, platform, handle, status)
         values ($1, $2, 'instagram', $3, 'mock')",
        &[&account, &user, &format!("due_{}", &user.simple().to_string()[..8])],
    )
    .await
    .unwrap();
    (generation, account)
}

/// `n` posts of the creator that fell due a little while ago (oldest first), committed.
async fn due_posts(db: &Client, (generation, account): (Uuid, Uuid), n: i32) -> HashSet<Uuid> {
    db.query(
        "insert into public.posts (user_id, generation_id, account_id, caption, status, scheduled_at)
         select c.user_id, $1, c.id, 'post ' || i, 'scheduled', now() - interval '1 hour' + i * interval '1 ms'
         from public.connected_accounts c, generate_series(1, $3) as i where c.id = $2
         returning id",
        &[&generation, &account, &n],
    )
    .await
    .unwrap()
    .iter()
    .map(|r| r.get(0))
    .collect()
}

/// One sweep; returns the ids it settled among `mine` (other tests' due posts may be swept too).
async fn sweep(db: &Client, limit: i32, mine: &HashSet<Uuid>) -> Vec<Uuid> {
    let rows = db.query("select id from public.publish_due_posts($1)", &[&limit]).await.expect("publish_due_posts");
    rows.iter().map(|r| r.get::<_, Uuid>(0)).filter(|id| mine.contains(id)).collect()
}

/// Asserts that the two claims split `all` with no post in both, and every post is published.
async fn assert_exactly_once(db: &Client, all: &HashSet<Uuid>, a: &[Uuid], b: &[Uuid]) {
    let (set_a, set_b): (HashSet<Uuid>, HashSet<Uuid>) = (a.iter().copied().collect(), b.iter().copied().collect());
    assert_eq!(set_a.len(), a.len(), "the first caller got a post twice");
    assert_eq!(set_b.len(), b.len(), "the second caller got a post twice");
    assert!(set_a.is_disjoint(&set_b), "both callers claimed {:?}", set_a.intersection(&set_b).collect::<Vec<_>>());
    assert_eq!(a.len() + b.len(), all.len(), "claims {} + {} for {} due posts", a.len(), b.len(), all.len());
    let ids: Vec<Uuid> = all.iter().copied().collect();
    let left = db
        .query_one(
            "select count(*) filter (where status <> 'published' or published_at is null) from public.posts where id = any($1)",
            &[&ids],
        )
        .await
        .unwrap();
    assert_eq!(left.get::<_, i64>(0), 0, "every due post is published");
}

async fn set_cron_job_active(db: &Client, active: bool) {
    let n = db
        .execute("select cron.alter_job(jobid, active => $2) from cron.job where jobname = $1", &[&JOB, &active])
        .await
        .expect("pg_cron is installed in the local stack");
    assert_eq!(n, 1, "the {JOB} job exists");
    if !active {
        // A run already started finishes before the test takes the queue to itself.
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let running: i64 = db
                .query_one(
                    "select count(*) from cron.job_run_details d join cron.job j using (jobid)
                     where j.jobname = $1 and d.status in ('starting', 'running')",
                    &[&JOB],
                )
                .await
                .unwrap()
                .get(0);
            if running == 0 {
                break;
            }
            assert!(Instant::now() < deadline, "a {JOB} run did not finish");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

#[test]
fn two_sweeps_at_once_claim_each_due_post_exactly_once() {
    let _cron = CRON.lock().unwrap_or_else(|e| e.into_inner());
    runtime().block_on(async {
        let (a, b, admin) = (connect().await, connect().await, connect().await);
        set_cron_job_active(&admin, false).await;
        let owner = creator(&admin).await;

        // Two open transactions: A claims the older half and holds it; B, while A is still open,
        // takes the rest without waiting for A's locks, and none of A's.
        let all = due_posts(&admin, owner, 120).await;
        a.batch_execute("begin").await.unwrap();
        b.batch_execute("begin").await.unwrap();
        let from_a = sweep(&a, 60, &all).await;
        let from_b = tokio::time::timeout(Duration::from_secs(10), sweep(&b, 1000, &all))
            .await
            .expect("the second sweep skips locked posts instead of waiting");
        let (at_a, at_b): (String, String) = (
            a.query_one("select now()::text", &[]).await.unwrap().get(0),
            b.query_one("select now()::text", &[]).await.unwrap().get(0),
        );
        a.batch_execute("commit").await.unwrap();
        b.batch_execute("commit").await.unwrap();
        assert!(
            !from_a.is_empty() && !from_b.is_empty(),
            "each caller claimed a share: {} and {}",
            from_a.len(),
            from_b.len()
        );
        assert_exactly_once(&admin, &all, &from_a, &from_b).await;
        // Each post carries the time of the transaction that reported it: nobody overwrote it.
        for (ids, at) in [(&from_a, &at_a), (&from_b, &at_b)] {
            let stamped: i64 = admin
                .query_one(
                    "select count(*) from public.posts where id = any($1) and published_at = $2::text::timestamptz",
                    &[ids, at],
                )
                .await
                .unwrap()
                .get(0);
            assert_eq!(stamped as usize, ids.len(), "published_at of the posts claimed at {at}");
        }

        // Two workers draining the queue in small batches at the same moment.
        let all = due_posts(&admin, owner, 400).await;
        let drain = |db: Client, all: HashSet<Uuid>| async move {
            let mut got = Vec::new();
            loop {
                let rows = db.query("select id from public.publish_due_posts(25)", &[]).await.unwrap();
                if rows.is_empty() {
                    return got;
                }
                got.extend(rows.iter().map(|r| r.get::<_, Uuid>(0)).filter(|id| all.contains(id)));
            }
        };
        let (from_a, from_b) = tokio::join!(tokio::spawn(drain(a, all.clone())), tokio::spawn(drain(b, all.clone())));
        let (from_a, from_b) = (from_a.unwrap(), from_b.unwrap());
        assert_exactly_once(&admin, &all, &from_a, &from_b).await;
        assert!(sweep(&admin, 1000, &all).await.is_empty(), "nothing is claimed a second time");

        set_cron_job_active(&admin, true).await;
    });
}

#[test]
fn pg_cron_publishes_a_due_post_with_no_caller() {
    let _cron = CRON.lock().unwrap_or_else(|e| e.into_inner());
    runtime().block_on(async {
        let admin = connect().await;
        set_cron_job_active(&admin, true).await;
        let owner = creator(&admin).await;
        let post = *due_posts(&admin, owner, 1).await.iter().next().unwrap();
        // pg_cron schedules by the minute: the next run is at most a minute away.
        let deadline = Instant::now() + Duration::from_secs(75);
        let (status, published): (String, bool) = loop {
            let row = admin
                .query_one(
                    "select status::text, published_at is not null and published_at >= scheduled_at
                     from public.posts where id = $1",
                    &[&post],
                )
                .await
                .unwrap();
            if row.get::<_, String>(0) != "scheduled" {
                break (row.get(0), row.get(1));
            }
            assert!(Instant::now() < deadline, "a due post was still scheduled after 75 s");
            tokio::time::sleep(Duration::from_millis(500)).await;
        };
        assert_eq!((status.as_str(), published), ("published", true));
        let succeeded: i64 = admin
            .query_one(
                "select count(*) from cron.job_run_details d join cron.job j using (jobid)
                 where j.jobname = $1 and d.status = 'succeeded'",
                &[&JOB],
            )
            .await
            .unwrap()
            .get(0);
        assert!(succeeded >= 1, "pg_cron recorded a successful {JOB} run");
    });
}
