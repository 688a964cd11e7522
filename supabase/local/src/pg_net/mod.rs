//! The sending half of the stack's pg_net (`sql/net.sql` is the SQL half): a dedicated
//! connection LISTENs on the channel `net.http_post` notifies, takes the committed requests from
//! `net.http_request_queue` (at start too, for requests queued while the stack was down), sends
//! each in a task of its own with its timeout, and records the outcome in `net._http_response`,
//! as pg_net's background worker does. A slow or hanging target only holds its own task.
//!
//! One `PgNet` per running stack: `serve` starts it and stops it before PostgreSQL stops.
pub mod send;
pub mod target;

use send::{Outcome, Queued};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, watch, Semaphore};
use tokio::task::JoinSet;
use tokio_postgres::{AsyncMessage, Client, NoTls};

/// The channel `net.wake()` notifies.
pub const CHANNEL: &str = "supabase_local_net";
/// Requests taken from the queue per query.
const BATCH: i64 = 200;
/// Requests in flight at once; more wait for a slot (their timeout starts when they are sent).
const IN_FLIGHT: usize = 32;
/// pg_net's `pg_net.ttl` default: older responses are deleted.
const RESPONSE_TTL: &str = "6 hours";

pub struct PgNet {
    stop: watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl PgNet {
    /// Starts sending for the database on `db_port` (reconnecting whenever the connection drops).
    pub fn start(db_port: u16) -> PgNet {
        let conninfo = format!("host=127.0.0.1 port={db_port} user=postgres password=postgres dbname=postgres application_name=supabase-local-net connect_timeout=5");
        let (stop, stopped) = watch::channel(false);
        PgNet { stop, task: tokio::spawn(run(conninfo, stopped)) }
    }

    /// Stops listening and abandons requests in flight (their rows are already out of the queue,
    /// as with pg_net when its worker restarts).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let abort = self.task.abort_handle();
        if tokio::time::timeout(Duration::from_secs(5), self.task).await.is_err() {
            abort.abort();
        }
    }
}

async fn run(conninfo: String, mut stopped: watch::Receiver<bool>) {
    let mut wait = Duration::from_millis(200);
    loop {
        tokio::select! {
            result = session(&conninfo) => match result {
                Ok(()) => wait = Duration::from_millis(200),
                Err(e) => {
                    eprintln!("pg_net: {e}");
                    wait = (wait * 2).min(Duration::from_secs(3));
                }
            },
            _ = stopped.changed() => return,
        }
        tokio::select! {
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => return,
        }
    }
}

/// One connection's life: listen, sweep, then take what each notification announces. Dropping
/// it (on stop) aborts the sends in flight.
async fn session(conninfo: &str) -> Result<(), tokio_postgres::Error> {
    let (client, mut conn) = tokio_postgres::connect(conninfo, NoTls).await?;
    let (wake, mut woken) = mpsc::unbounded_channel::<()>();
    tokio::spawn(async move {
        while let Some(Ok(msg)) = std::future::poll_fn(|cx| conn.poll_message(cx)).await {
            if matches!(msg, AsyncMessage::Notification(_)) && wake.send(()).is_err() {
                break;
            }
        }
    });
    // A database with the real extension has pg_net's own worker sending its queue.
    let real = "select exists (select 1 from pg_catalog.pg_extension where extname = 'pg_net')";
    if client.query_one(real, &[]).await?.get::<_, bool>(0) {
        while woken.recv().await.is_some() {}
        return Ok(());
    }
    client.batch_execute(&format!("listen {CHANNEL}")).await?;
    let client = Arc::new(client);
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    let mut sends = JoinSet::new();
    loop {
        // Listening started before this read, so a request committed meanwhile is either read
        // now or announced by a notification still to come.
        for request in take(&client).await? {
            sends.spawn(deliver(client.clone(), slots.clone(), request));
        }
        client
            .execute(&format!("delete from net._http_response where created < now() - interval '{RESPONSE_TTL}'"), &[])
            .await?;
        loop {
            tokio::select! {
                woke = woken.recv() => match woke {
                    Some(()) => {
                        while woken.try_recv().is_ok() {}
                        break;
                    }
                    None => return Ok(()), // the connection ended: reconnect
                },
                Some(_) = sends.join_next(), if !sends.is_empty() => {}
            }
        }
    }
}

/// Every committed request in the queue, oldest first, deleted as it is taken.
async fn take(client: &Client) -> Result<Vec<Queued>, tokio_postgres::Error> {
    let mut all = vec![];
    loop {
        let rows = client
            .query(
                "delete from net.http_request_queue q
                 where q.id in (select id from net.http_request_queue order by id limit $1 for update skip locked)
                 returning q.id, q.method::text, q.url, coalesce(q.headers, '{}'::jsonb), q.body, q.timeout_milliseconds",
                &[&BATCH],
            )
            .await?;
        let n = rows.len();
        all.extend(rows.iter().map(|r| Queued {
            id: r.get(0),
            method: r.get(1),
            url: r.get(2),
            headers: r.get(3),
            body: r.get(4),
            timeout: Duration::from_millis(r.get::<_, i32>(5).max(1) as u64),
        }));
        if (n as i64) < BATCH {
            all.sort_by_key(|q| q.id);
            return Ok(all);
        }
    }
}

async fn deliver(client: Arc<Client>, slots: Arc<Semaphore>, request: Queued) {
    let Ok(_slot) = slots.acquire_owned().await else { return };
    let outcome = send::send(&request).await;
    if let Err(e) = record(&client, request.id, &outcome).await {
        eprintln!("pg_net: cannot record the response of request {}: {e}", request.id);
    }
}

async fn record(client: &Client, id: i64, o: &Outcome) -> Result<u64, tokio_postgres::Error> {
    client
        .execute(
            "insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
             values ($1, $2, $3, $4, $5, $6, $7)",
            &[&id, &o.status_code, &o.content_type, &o.headers, &o.content, &o.timed_out, &o.error_msg],
        )
        .await
}
