//! A minimal connection pool: idle clients in a stack; closed ones are dropped on checkout.
//! Connections must be returned only when idle (no open transaction), see `Pooled::discard`.
use std::sync::{Arc, Mutex};
use tokio_postgres::{Client, NoTls};

#[derive(Clone)]
pub struct Pool {
    conninfo: Arc<String>,
    idle: Arc<Mutex<Vec<Client>>>,
}

pub struct Pooled {
    client: Option<Client>,
    /// False while a transaction may be open: such a connection is never reused.
    pub clean: bool,
    idle: Arc<Mutex<Vec<Client>>>,
}

impl Pool {
    pub fn new(port: u16, user: &str, password: &str, dbname: &str) -> Pool {
        let conninfo = format!(
            "host=127.0.0.1 port={port} user={user} password={password} dbname={dbname} application_name=supabase-local connect_timeout=5"
        );
        Pool { conninfo: Arc::new(conninfo), idle: Arc::default() }
    }

    pub async fn get(&self) -> Result<Pooled, tokio_postgres::Error> {
        loop {
            let next = self.idle.lock().expect("pool lock").pop();
            match next {
                Some(c) if !c.is_closed() => {
                    return Ok(Pooled { client: Some(c), clean: true, idle: self.idle.clone() })
                }
                Some(_) => continue,
                None => break,
            }
        }
        let (client, conn) = tokio_postgres::connect(&self.conninfo, NoTls).await?;
        tokio::spawn(async move {
            let _ = conn.await;
        });
        Ok(Pooled { client: Some(client), clean: true, idle: self.idle.clone() })
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
        if let Some(c) = self.client.take() {
            if self.clean && !c.is_closed() {
                let mut idle = self.idle.lock().expect("pool lock");
                if idle.len() < 16 {
                    idle.push(c);
                }
            }
        }
    }
}
