//! The commands: serve (foreground), start (background re-exec), stop, status, reset.
use crate::api::{app, AppState};
use crate::cli::{self, Cli, Command};
use crate::config::{Settings, JWT_SECRET, PUBLISHABLE_KEY, SECRET_KEY};
use crate::postgres::{bootstrap, cluster::Cluster};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum StackError {
    #[error(transparent)]
    Cluster(#[from] crate::postgres::cluster::ClusterError),
    #[error(transparent)]
    Bootstrap(#[from] bootstrap::BootstrapError),
    #[error("{0}")]
    Other(String),
}

pub async fn run(cli: &Cli, s: Settings) -> Result<(), StackError> {
    match cli.command {
        Command::Serve => serve(&s, cli.test_instance).await,
        Command::Start => start(cli, &s),
        Command::Stop => stop(&s),
        Command::Status => status(&s, cli.env_output),
        Command::Reset => reset(&s).await,
    }
}

fn api_answers(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(300)).is_ok()
}

/// The pid of a live background `serve`, if any.
fn running_pid(s: &Settings) -> Option<i32> {
    let pid: i32 = std::fs::read_to_string(s.pid_file()).ok()?.trim().parse().ok()?;
    // SAFETY: signal 0 only checks that the process exists.
    (pid > 0 && unsafe { libc::kill(pid, 0) } == 0).then_some(pid)
}

/// Starts PostgreSQL (initdb on first run) and brings the database up to date.
async fn prepare_database(s: &Settings) -> Result<Cluster, StackError> {
    let cluster = Cluster::locate(&s.data_dir, s.db_port)?;
    if !cluster.is_initialized() {
        eprintln!("initialising PostgreSQL in {}", cluster.pgdata.display());
        cluster.init()?;
    }
    cluster.start()?;
    let result = async {
        let admin = bootstrap::connect_admin(s.db_port, "postgres").await?;
        let fresh = bootstrap::is_fresh(&admin).await?;
        let applied = bootstrap::migrate(&admin, &s.migrations_dir()).await?;
        for file in &applied {
            eprintln!("applied migration {file}");
        }
        if fresh {
            seed_all(&admin, s).await?;
        }
        record_worker_endpoint(&admin, s).await?;
        Ok::<_, StackError>(!applied.is_empty())
    }
    .await;
    match result {
        Err(e) => {
            let _ = cluster.stop();
            Err(e)
        }
        // Debian's pg_cron (1.4) can miss jobs that migrations scheduled while its scheduler was
        // idle: the burst of catalog changes overflows the invalidation queue, and the reset that
        // replaces them is not taken as a change of `cron.job` (fixed in pg_cron 1.5,
        // https://github.com/citusdata/pg_cron/pull/406), so those jobs would never run. A
        // restart makes the scheduler read every job afresh.
        Ok(true) => {
            cluster.stop()?;
            cluster.start()?;
            Ok(cluster)
        }
        Ok(false) => Ok(cluster),
    }
}

/// seed.sql (told the instance's API URL), then the buckets and objects of config.toml.
async fn seed_all(admin: &tokio_postgres::Client, s: &Settings) -> Result<(), StackError> {
    use crate::seed_storage::{expose_api_url, seed_buckets};
    expose_api_url(admin, &s.api_url()).await.map_err(|e| StackError::Other(e.to_string()))?;
    if bootstrap::seed(admin, &s.seed_file()).await? {
        eprintln!("seeded {}", s.seed_file().display());
    }
    for object in seed_buckets(admin, s).await.map_err(|e| StackError::Other(e.to_string()))? {
        eprintln!("seeded storage object {object}");
    }
    Ok(())
}

/// Points `private.worker_endpoint` at this instance's publish worker (its port changes per run).
async fn record_worker_endpoint(admin: &tokio_postgres::Client, s: &Settings) -> Result<(), StackError> {
    let service_key = crate::jwt::service_role_key(JWT_SECRET);
    if crate::worker_endpoint::record(admin, &s.api_url(), &service_key).await? {
        eprintln!("worker endpoint: {}", crate::worker_endpoint::url(&s.api_url()));
    }
    Ok(())
}

async fn shutdown_signal(watch_stdin: bool) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    let mut int = signal(SignalKind::interrupt()).expect("SIGINT handler");
    let stdin_closed = async {
        if watch_stdin {
            use tokio::io::AsyncReadExt;
            let mut buf = [0u8; 64];
            let mut stdin = tokio::io::stdin();
            while stdin.read(&mut buf).await.map(|n| n > 0).unwrap_or(false) {}
        } else {
            std::future::pending::<()>().await;
        }
    };
    tokio::select! {
        _ = term.recv() => {},
        _ = int.recv() => {},
        _ = stdin_closed => {},
    }
}

pub async fn serve(s: &Settings, test_instance: bool) -> Result<(), StackError> {
    let limits = crate::api::server::ConnectionLimits::from_env().map_err(StackError::Other)?;
    let cluster = prepare_database(s).await?;
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", s.api_port)).await {
        Ok(l) => l,
        Err(e) => {
            let _ = cluster.stop();
            return Err(StackError::Other(format!("cannot listen on 127.0.0.1:{}: {e}", s.api_port)));
        }
    };
    eprintln!("supabase-local API on {} (PostgreSQL on 127.0.0.1:{})", s.api_url(), s.db_port);
    let state = AppState::new(s.clone());
    state.functions.prewarm();
    crate::api::realtime::start(&state); // change capture: triggers re-synced, LISTEN started

    // Requests queued by net.http_post; started once the API listens, since they may call it.
    let net = crate::pg_net::PgNet::start(s.db_port);

    // The peer address (which keys Auth's per-IP rate limits) reaches handlers as ConnectInfo.
    let served = crate::api::server::serve(listener, app(state.clone()), limits, shutdown_signal(test_instance)).await;
    net.stop().await;
    state.functions.shutdown();
    eprintln!("stopping PostgreSQL");
    cluster.stop()?;
    if test_instance {
        cluster.destroy();
        let _ = std::fs::remove_dir_all(&s.data_dir);
    }
    served.map_err(|e| StackError::Other(e.to_string()))
}

fn start(cli: &Cli, s: &Settings) -> Result<(), StackError> {
    if running_pid(s).is_some() && api_answers(s.api_port) {
        return status(s, cli.env_output);
    }
    std::fs::create_dir_all(&s.data_dir).map_err(|e| StackError::Other(format!("{}: {e}", s.data_dir.display())))?;
    let log = std::fs::File::create(s.log_file())
        .map_err(|e| StackError::Other(format!("{}: {e}", s.log_file().display())))?;
    let exe = std::env::current_exe().map_err(|e| StackError::Other(e.to_string()))?;
    let mut overrides = cli.overrides.clone();
    // The child must see the same instance even though env vars may differ later.
    overrides.workdir = Some(s.project_dir.clone());
    overrides.data_dir = Some(s.data_dir.clone());
    overrides.api_port = Some(s.api_port);
    overrides.db_port = Some(s.db_port);
    use std::os::unix::process::CommandExt;
    let mut child = std::process::Command::new(exe)
        .arg("serve")
        .args(cli::forward_flags(&overrides))
        .stdin(std::process::Stdio::null())
        .stdout(log.try_clone().map_err(|e| StackError::Other(e.to_string()))?)
        .stderr(log)
        .process_group(0)
        .spawn()
        .map_err(|e| StackError::Other(format!("cannot spawn serve: {e}")))?;
    std::fs::write(s.pid_file(), child.id().to_string()).map_err(|e| StackError::Other(e.to_string()))?;
    s.write_ports_file().map_err(|e| StackError::Other(e.to_string()))?;
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        if api_answers(s.api_port) {
            break;
        }
        if let Ok(Some(code)) = child.try_wait() {
            let _ = std::fs::remove_file(s.pid_file());
            let log = std::fs::read_to_string(s.log_file()).unwrap_or_default();
            return Err(StackError::Other(format!("supabase-local serve exited ({code}):\n{log}")));
        }
        if Instant::now() > deadline {
            return Err(StackError::Other(format!("timed out waiting for the API; see {}", s.log_file().display())));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("Started supabase-local.\n");
    status(s, cli.env_output)
}

fn stop(s: &Settings) -> Result<(), StackError> {
    if let Some(pid) = running_pid(s) {
        // SAFETY: plain signal delivery to the pid we started.
        unsafe { libc::kill(pid, libc::SIGTERM) };
        let deadline = Instant::now() + Duration::from_secs(60);
        while running_pid(s).is_some() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    let _ = std::fs::remove_file(s.pid_file());
    // Covers a serve that died without stopping its PostgreSQL.
    Cluster::locate(&s.data_dir, s.db_port)?.stop()?;
    println!("Stopped supabase-local.");
    Ok(())
}

fn status(s: &Settings, env: bool) -> Result<(), StackError> {
    let (anon, service) = (crate::jwt::anon_key(JWT_SECRET), crate::jwt::service_role_key(JWT_SECRET));
    if env {
        println!("API_URL=\"{}\"\nREST_URL=\"{}/rest/v1\"\nDB_URL=\"{}\"\nPUBLISHABLE_KEY=\"{PUBLISHABLE_KEY}\"\nSECRET_KEY=\"{SECRET_KEY}\"\nJWT_SECRET=\"{JWT_SECRET}\"\nANON_KEY=\"{anon}\"\nSERVICE_ROLE_KEY=\"{service}\"", s.api_url(), s.api_url(), s.db_url());
        return Ok(());
    }
    if running_pid(s).is_none() || !api_answers(s.api_port) {
        return Err(StackError::Other("supabase-local is not running (use `supabase-local start`)".into()));
    }
    println!(
        "supabase-local is running.\n\n         API URL: {}\n        REST URL: {}/rest/v1\n          DB URL: {}\n Publishable key: {PUBLISHABLE_KEY}\n      Secret key: {SECRET_KEY}\n      JWT secret: {JWT_SECRET}\n        anon key: {anon}\nservice_role key: {service}",
        s.api_url(),
        s.api_url(),
        s.db_url()
    );
    Ok(())
}

/// Recreates the database whether or not the stack is running (a running API reconnects).
async fn reset(s: &Settings) -> Result<(), StackError> {
    let running = running_pid(s).is_some();
    let cluster = Cluster::locate(&s.data_dir, s.db_port)?;
    if !cluster.is_initialized() {
        cluster.init()?;
    }
    cluster.start()?;
    let result = async {
        bootstrap::recreate_database(s.db_port).await?;
        let admin = bootstrap::connect_admin(s.db_port, "postgres").await?;
        for file in bootstrap::migrate(&admin, &s.migrations_dir()).await? {
            eprintln!("applied migration {file}");
        }
        seed_all(&admin, s).await?;
        record_worker_endpoint(&admin, s).await?;
        Ok::<_, StackError>(())
    }
    .await;
    if !running {
        cluster.stop()?;
    }
    result?;
    println!("Finished supabase-local reset.");
    Ok(())
}
