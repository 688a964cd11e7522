//! A bounded connection pool: at most `max` connections exist at once; a request beyond that
//! waits in line (FIFO) for one to come back, for at most `acquire_timeout`, like PostgREST's
//! pool (`db-pool`, `db-pool-acquisition-timeout`). Idle clients sit in a stack; closed ones
//! are dropped on checkout. Connections must be returned only when idle (no open
//! transaction), see `Pooled::discard`.
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_postgres::{Client, NoTls};

/// PostgREST's default `db-pool-acquisition-timeout`.
pub const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum PoolError {
    /// Every connection stayed busy for the whole acquisition timeout.
    #[error("timed out acquiring a connection from the {0} pool")]
    Timeout(&'static str),
    #[error(transparent)]
    Connect(#[from] tokio_postgres::Error),
}

#[derive(Clone)]
pub struct Pool {
    /// The service the pool belongs to, for messages.
    name: &'static str,
    conninfo: Arc<String>,
    idle: Arc<Mutex<Vec<Client>>>,
    /// One permit per connection that may exist; a checked-out connection holds one.
    slots: Arc<Semaphore>,
    max: usize,
    acquire_timeout: Duration,
}

pub struct Pooled {
    client: Option<Client>,
    /// False while a transaction may be open: such a connection is never reused.
    pub clean: bool,
    idle: Arc<Mutex<Vec<Client>>>,
    _slot: OwnedSemaphorePermit,
}

impl Pool {
    pub fn new(name: &'static str, port: u16, user: &str, max: usize) -> Pool {
        let conninfo = format!(
            "host=127.0.0.1 port={port} user={user} password=postgres dbname=postgres application_name=supabase-local-{name} connect_timeout=5"
        );
        let max = max.max(1);
        Pool {
            name,
            conninfo: Arc::new(conninfo),
            idle: Arc::default(),
            slots: Arc::new(Semaphore::new(max)),
            max,
            acquire_timeout: ACQUIRE_TIMEOUT,
        }
    }

    /// The same pool with another acquisition timeout (tests).
    pub fn with_acquire_timeout(mut self, timeout: Duration) -> Pool {
        self.acquire_timeout = timeout;
        self
    }

    pub fn max_size(&self) -> usize {
        self.max
    }

    /// A connection: an idle one, or a new one while fewer than `max` exist; otherwise waits.
    pub async fn get(&self) -> Result<Pooled, PoolError> {
        let slot = tokio::time::timeout(self.acquire_timeout, self.slots.clone().acquire_owned())
            .await
            .map_err(|_| PoolError::Timeout(self.name))?
            .expect("the pool's semaphore is never closed");
        loop {
            let next = self.idle.lock().expect("pool lock").pop();
            match next {
                Some(c) if !c.is_closed() => {
                    return Ok(Pooled { client: Some(c), clean: true, idle: self.idle.clone(), _slot: slot })
                }
                Some(_) => continue,
                None => break,
            }
        }
        let (client, conn) = tokio_postgres::connect(&self.conninfo, NoTls).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Pooled { client: Some(client), clean: true, idle: self.idle.clone(), _slot: slot })
    }
}

impl Pooled {
    /// Drop the connection instead of returning it (its state is unknown).
    pub fn discard(mut self) {
        self.client.take();
    }
}

impl std::ops::Deref for Pooled {
    type Target = Client;
    fn deref(&self) -> &Client {
        self.client.as_ref().expect("client present until drop")
    }
}

impl Drop for Pooled {
    fn drop(&mut self) {
        // The idle stack never outgrows the pool: only permit holders return connections.
        if let Some(c) = self.client.take() {
            if self.clean && !c.is_closed() {
                self.idle.lock().expect("pool lock").push(c);
            }
        }
    }
}
