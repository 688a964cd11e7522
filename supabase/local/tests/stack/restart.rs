//! What a start does on an existing data folder: `private.worker_endpoint` is pointed at the
//! instance's own (new) API port, and requests queued while the stack was down are sent.
use crate::hook_server::HookServer;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use tokio_postgres::Client;

const WORKDIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// `supabase-local <command>` on the data folder, with the ports given.
fn stack(command: &str, data: &Path, ports: Option<(u16, u16)>) {
    let mut c = Command::new(env!("CARGO_BIN_EXE_supabase-local"));
    c.args([command, "--workdir", WORKDIR, "--data-dir"]).arg(data);
    if let Some((api, db)) = ports {
        c.args(["--api-port", &api.to_string(), "--db-port", &db.to_string(), "--auth-rate-limit", "1000000"]);
    }
    let out = c.output().expect("run supabase-local");
    assert!(
        out.status.success(),
        "supabase-local {command} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Stops the stack and deletes its data folder, even when the test fails.
struct Stopped(PathBuf);

impl Drop for Stopped {
    fn drop(&mut self) {
        let _ = Command::new(env!("CARGO_BIN_EXE_supabase-local"))
            .args(["stop", "--workdir", WORKDIR, "--data-dir"])
            .arg(&self.0)
            .output();
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn connect(db_port: u16) -> Client {
    let conninfo = format!("host=127.0.0.1 port={db_port} user=postgres password=postgres dbname=postgres");
    let (client, conn) = tokio_postgres::connect(&conninfo, tokio_postgres::NoTls).await.expect("connect to postgres");
    tokio::spawn(conn);
    client
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn a_restart_points_the_worker_endpoint_at_the_new_port_and_sends_what_was_queued() {
    let data = std::env::temp_dir().join(format!("supabase-local-restart-{}-{}", std::process::id(), free_port()));
    let _cleanup = Stopped(data.clone());
    let server = HookServer::start();
    let (first_api, db_port) = (free_port(), free_port());
    stack("start", &data, Some((first_api, db_port)));

    runtime().block_on(async {
        let db = connect(db_port).await;
        // The project's migration creates this table; the test does not depend on it being there yet.
        db.batch_execute(
            "create schema if not exists private;
             create table if not exists private.worker_endpoint (
               id boolean primary key default true check (id), url text not null, token text not null)",
        )
        .await
        .unwrap();
        // Queued without waking the sender, as if the stack had been down when it was committed.
        db.execute(
            "insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
             values ('POST', $1, '{\"Content-Type\": \"application/json\"}', convert_to('{\"swept\": true}', 'UTF8'), 5000)",
            &[&server.url("/swept")],
        )
        .await
        .unwrap();
        let waiting: i64 =
            db.query_one("select count(*) from net.http_request_queue where url = $1", &[&server.url("/swept")])
                .await
                .unwrap()
                .get(0);
        assert_eq!(waiting, 1);
    });
    stack("stop", &data, None);

    let second_api = free_port();
    stack("start", &data, Some((second_api, db_port)));
    let got = server.wait_for("/swept", Duration::from_secs(15));
    assert_eq!(String::from_utf8(got.body).unwrap(), r#"{"swept": true}"#);

    runtime().block_on(async {
        let db = connect(db_port).await;
        let rows = db.query("select url, token from private.worker_endpoint", &[]).await.unwrap();
        assert_eq!(rows.len(), 1);
        let (url, token): (String, String) = (rows[0].get(0), rows[0].get(1));
        assert_eq!(url, format!("http://127.0.0.1:{second_api}/functions/v1/publish-worker"));
        let service_key = supabase_local::jwt::service_role_key(supabase_local::config::JWT_SECRET);
        assert_eq!(token, service_key, "the legacy service-role JWT, as `status` prints it");
        // The swept request's outcome is recorded like any other.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let recorded: i64 = db
                .query_one("select count(*) from net._http_response where status_code = 201", &[])
                .await
                .unwrap()
                .get(0);
            if recorded == 1 {
                break;
            }
            assert!(Instant::now() < deadline, "the swept request's response was not recorded");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
}
