//! Change capture and fan-out. A dedicated connection installs `sql/realtime.sql`, LISTENs, and
//! on each notification (one per committed transaction, in commit order) takes that
//! transaction's queued rows in statement order and delivers them. Delivery applies Realtime's
//! rules (Realtime's `apply_rls.sql`) per subscriber role: column privileges, filters, and
//! for INSERT/UPDATE on RLS tables a visibility check run as the subscriber.
use super::channel::Binding;
use super::filter;
use super::meta::{Column, MetaCache};
use super::serializer::{encode, Frame, Vsn};
use crate::postgres::caller_tx::Caller;
use crate::postgres::quote_ident;
use serde_json::{json, Map, Value};
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, Client, NoTls};

const INSTALL_SQL: &str = include_str!("../../../sql/realtime.sql");
/// `commit_timestamp` is the transaction's real commit time when the cluster tracks it (the
/// stack starts PostgreSQL with `track_commit_timestamp=on`), else the time of the change.
const TAKE_COLUMNS: &str = r#"id, schema_name, table_name, action, record, old_record,
    to_char(coalesce(case when current_setting('track_commit_timestamp') = 'on'
                          then pg_xact_commit_timestamp(xid(xid)) end, changed_at) at time zone 'utc',
            'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), xid::text"#;
/// Notifications taken together in one round trip when delivery falls behind.
const MAX_BATCH: usize = 256;

pub use super::outbox::Outbox;

/// One joined channel with `postgres_changes` bindings.
pub struct Sub {
    /// Set by `Hub::add`.
    pub id: u64,
    pub topic: String,
    pub vsn: Vsn,
    pub bindings: Vec<Binding>,
    pub caller: Caller,
    pub out: Outbox,
}

pub struct Hub {
    subs: Mutex<HashMap<u64, Arc<Sub>>>,
    next: AtomicU64,
    conninfo: String,
    meta: MetaCache,
}

struct Change {
    id: i64,
    /// The writing transaction, as text: batches are delivered in notification (commit) order.
    xid: String,
    schema: String,
    table: String,
    action: String,
    record: Map<String, Value>,
    old: Map<String, Value>,
    at: String,
}

fn text_of(v: &Value) -> String {
    v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())
}

impl Hub {
    pub fn new(db_port: u16) -> Arc<Hub> {
        let conninfo = format!("host=127.0.0.1 port={db_port} user=postgres password=postgres dbname=postgres application_name=supabase-local-realtime connect_timeout=5");
        Arc::new(Hub { subs: Mutex::default(), next: AtomicU64::new(1), conninfo, meta: MetaCache::default() })
    }

    pub fn add(&self, mut sub: Sub) -> u64 {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        sub.id = id;
        self.subs.lock().expect("hub lock").insert(id, Arc::new(sub));
        id
    }

    /// A refreshed token: later events are checked with the new claims.
    pub fn set_caller(&self, id: u64, caller: Caller) {
        let mut subs = self.subs.lock().expect("hub lock");
        if let Some(old) = subs.get(&id) {
            let sub = Sub {
                id,
                topic: old.topic.clone(),
                vsn: old.vsn,
                bindings: old.bindings.clone(),
                caller,
                out: old.out.clone(),
            };
            subs.insert(id, Arc::new(sub));
        }
    }

    pub fn remove(&self, id: u64) {
        self.subs.lock().expect("hub lock").remove(&id);
    }

    /// Forever: (re)connect, install capture, listen, deliver. Survives Postgres restarts and resets.
    pub async fn run(self: Arc<Self>) {
        let mut first = true;
        let mut wait = Duration::from_millis(200);
        loop {
            match self.session(first).await {
                Ok(()) => wait = Duration::from_millis(200),
                Err(e) => {
                    eprintln!("realtime: change capture connection: {e}");
                    wait = (wait * 2).min(Duration::from_secs(3));
                }
            }
            first = false;
            tokio::time::sleep(wait).await;
        }
    }

    async fn session(&self, first: bool) -> Result<(), tokio_postgres::Error> {
        let (client, mut conn) = tokio_postgres::connect(&self.conninfo, NoTls).await?;
        let (tx, mut rx) = mpsc::unbounded_channel::<String>();
        tokio::spawn(async move {
            while let Some(Ok(msg)) = std::future::poll_fn(|cx| conn.poll_message(cx)).await {
                if let AsyncMessage::Notification(n) = msg {
                    if tx.send(n.payload().to_string()).is_err() {
                        break;
                    }
                }
            }
        });
        client.batch_execute(INSTALL_SQL).await?;
        client.batch_execute("listen supabase_local_realtime").await?;
        // Rows left from before this connection: a previous process's are stale; after a
        // reconnect they are delivered (in queue order, the notifications having been lost).
        let left = take(&client, "delete from realtime.local_changes").await?;
        if !first {
            for c in &left {
                self.deliver(&client, c).await?;
            }
        }
        while let Some(first) = rx.recv().await {
            // Under load, take every transaction already notified in one query, then deliver
            // them in notification order (commit order) and each in statement order.
            let mut xids = vec![first];
            while xids.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(x) => xids.push(x),
                    Err(_) => break,
                }
            }
            for c in take_xids(&client, &xids).await? {
                self.deliver(&client, &c).await?;
            }
        }
        Ok(())
    }

    /// Sends one change to every subscription that may see it.
    async fn deliver(&self, client: &Client, c: &Change) -> Result<(), tokio_postgres::Error> {
        let subs: Vec<Arc<Sub>> = {
            let subs = self.subs.lock().expect("hub lock");
            subs.values()
                .filter(|s| s.bindings.iter().any(|b| b.wants(&c.schema, &c.table, &c.action)))
                .cloned()
                .collect()
        };
        if subs.is_empty() {
            return Ok(());
        }
        let roles: Vec<String> =
            subs.iter().map(|s| s.caller.role.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let meta = self.meta.get(client, &c.schema, &c.table, &roles).await?;
        let (columns, rls, replident) = (&meta.columns, meta.rls, meta.replident.as_str());
        if columns.is_empty() {
            return Ok(());
        }
        let pk: Vec<&Column> = columns.iter().filter(|c| c.pk).collect();
        // The old row as the WAL identity would carry it.
        let identity: Map<String, Value> = c
            .old
            .iter()
            .filter(|(k, _)| replident == "f" || (replident != "n" && pk.iter().any(|p| &p.name == *k)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let base = || json!({"schema": c.schema, "table": c.table, "type": c.action});
        for role in &roles {
            let mine: Vec<&Arc<Sub>> = subs.iter().filter(|s| &s.caller.role == role).collect();
            let readable = |col: &Column| col.readers.contains(role);
            let error = if c.action == "DELETE" {
                None
            } else if pk.is_empty() {
                Some("Error 400: Bad Request, no primary key")
            } else if !pk.iter().all(|p| readable(p)) {
                Some("Error 401: Unauthorized")
            } else {
                None
            };
            if let Some(error) = error {
                let mut data = base();
                data["columns"] = json!([]);
                data["commit_timestamp"] = Value::Null;
                data["errors"] = json!([error]);
                data["record"] = json!({});
                if c.action == "UPDATE" {
                    data["old_record"] = json!({});
                }
                for s in &mine {
                    let ids: Vec<u32> =
                        s.bindings.iter().filter(|b| b.wants(&c.schema, &c.table, &c.action)).map(|b| b.id).collect();
                    send(s, ids, &data);
                }
                continue;
            }
            // Filters see the new row, or for DELETE the old identity.
            let mut targets: Vec<(&Arc<Sub>, Vec<u32>)> = mine
                .iter()
                .map(|s| {
                    let ids = s
                        .bindings
                        .iter()
                        .filter(|b| b.wants(&c.schema, &c.table, &c.action))
                        .filter(|b| {
                            if c.action == "DELETE" {
                                filter::matches(&b.filters, &identity)
                            } else {
                                filter::matches(&b.filters, &c.record)
                            }
                        })
                        .map(|b| b.id)
                        .collect();
                    (*s, ids)
                })
                .filter(|(_, ids): &(_, Vec<u32>)| !ids.is_empty())
                .collect();
            if targets.is_empty() {
                continue;
            }
            if rls && c.action != "DELETE" {
                let visible =
                    self.visible_to(client, c, &pk, targets.iter().map(|(s, _)| s.caller.clone()).collect()).await;
                targets.retain(|(s, _)| visible.get(&s.caller.claims).copied().unwrap_or(false));
            }
            let keep = |m: &Map<String, Value>, pk_only: bool| -> Value {
                let out: Map<String, Value> = columns
                    .iter()
                    .filter(|col| readable(col) && (!pk_only || col.pk))
                    .filter_map(|col| m.get(&col.name).map(|v| (col.name.clone(), v.clone())))
                    .collect();
                if out.is_empty() {
                    Value::Null
                } else {
                    Value::Object(out)
                }
            };
            let cols: Vec<Value> = columns
                .iter()
                .filter(|col| readable(col))
                .map(|col| json!({"name": col.name, "type": col.typname}))
                .collect();
            let mut data = base();
            data["commit_timestamp"] = json!(c.at);
            data["columns"] = if cols.is_empty() { Value::Null } else { json!(cols) };
            data["errors"] = Value::Null;
            match c.action.as_str() {
                "INSERT" => data["record"] = keep(&c.record, false),
                "UPDATE" => {
                    data["record"] = keep(&c.record, false);
                    data["old_record"] = keep(&identity, false);
                }
                _ => data["old_record"] = keep(&identity, rls),
            }
            for (s, ids) in targets {
                send(s, ids, &data);
            }
        }
        Ok(())
    }

    /// Whether each distinct caller (by claims) can select the changed row under RLS, as
    /// Realtime's `walrus_rls_stmt`: one call on the capture connection for all callers.
    async fn visible_to(
        &self,
        client: &Client,
        c: &Change,
        pk: &[&Column],
        callers: Vec<Caller>,
    ) -> HashMap<String, bool> {
        let cond: Vec<String> = pk
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{} = ($1)[{}]::{}", quote_ident(&p.name), i + 1, p.sql_type))
            .collect();
        let sql = format!(
            "select exists(select 1 from {}.{} where {})",
            quote_ident(&c.schema),
            quote_ident(&c.table),
            cond.join(" and ")
        );
        let key: Vec<String> = pk.iter().map(|p| c.record.get(&p.name).map(text_of).unwrap_or_default()).collect();
        let mut distinct: HashMap<String, String> = HashMap::new();
        for caller in callers {
            distinct.entry(caller.claims).or_insert(caller.role);
        }
        let (claims, roles): (Vec<String>, Vec<String>) = distinct.into_iter().unzip();
        let seen: Vec<bool> = match client
            .query_one("select realtime.local_visible($1, $2, $3, $4)", &[&sql, &key, &roles, &claims])
            .await
        {
            Ok(row) => row.get(0),
            Err(e) => {
                eprintln!("realtime: RLS check: {e}");
                vec![]
            }
        };
        claims.into_iter().zip(seen.into_iter().chain(std::iter::repeat(false))).collect()
    }
}

fn send(s: &Sub, ids: Vec<u32>, data: &Value) {
    let frame = Frame::push(None, &s.topic, "postgres_changes", json!({"ids": ids, "data": data}));
    // The id travels with the frame so a socket can drop frames of a channel it has left.
    s.out.send(s.id, encode(s.vsn, &frame));
}

async fn take(client: &Client, delete: &str) -> Result<Vec<Change>, tokio_postgres::Error> {
    let rows = client.query(&format!("{delete} returning {TAKE_COLUMNS}"), &[]).await?;
    Ok(to_changes(rows))
}

/// The queued rows of these transactions, in the order of `xids`, then of their statements.
async fn take_xids(client: &Client, xids: &[String]) -> Result<Vec<Change>, tokio_postgres::Error> {
    let sql =
        format!("delete from realtime.local_changes where xid = any($1::text[]::xid8[]) returning {TAKE_COLUMNS}");
    let mut changes = to_changes(client.query(&sql, &[&xids]).await?);
    let rank: HashMap<&str, usize> = xids.iter().enumerate().map(|(i, x)| (x.as_str(), i)).collect();
    changes.sort_by_key(|c| (rank.get(c.xid.as_str()).copied().unwrap_or(usize::MAX), c.id));
    Ok(changes)
}

fn to_changes(rows: Vec<tokio_postgres::Row>) -> Vec<Change> {
    let obj = |v: Option<Value>| match v {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut out: Vec<Change> = rows
        .into_iter()
        .map(|r| Change {
            id: r.get(0),
            schema: r.get(1),
            table: r.get(2),
            action: r.get(3),
            record: obj(r.get(4)),
            old: obj(r.get(5)),
            at: r.get(6),
            xid: r.get(7),
        })
        .collect();
    out.sort_by_key(|c| c.id);
    out
}
