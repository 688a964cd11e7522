//! The PostgreSQL 15 cluster: initdb, start, stop. Runs as the `postgres` OS user when we are root
//! (PostgreSQL refuses to run as root).
use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = "/usr/lib/postgresql/15/bin";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    #[error("{cmd} failed: {output}")]
    Command { cmd: String, output: String },
}

/// Where the cluster lives and how its processes are launched.
#[derive(Clone, Debug)]
pub struct Cluster {
    pub pgdata: PathBuf,
    pub port: u16,
    as_postgres_user: bool,
}

fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions.
    unsafe { libc::geteuid() == 0 }
}

fn io(ctx: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> ClusterError {
    let ctx = ctx.to_string();
    move |e| ClusterError::Io(ctx, e)
}

/// Whether Debian's pg_cron for this PostgreSQL is installed.
fn pg_cron_installed() -> bool {
    Path::new(BIN).parent().is_some_and(|version_dir| version_dir.join("lib/pg_cron.so").exists())
}

impl Cluster {
    /// Picks the PG data folder: `<data_dir>/pg`, or `/var/tmp/supabase-local/<hash>/pg` when we run
    /// as root and the `postgres` user cannot reach `data_dir`.
    pub fn locate(data_dir: &Path, port: u16) -> Result<Cluster, ClusterError> {
        std::fs::create_dir_all(data_dir).map_err(io(data_dir.display()))?;
        let as_postgres_user = is_root();
        let mut base = data_dir.to_path_buf();
        if as_postgres_user {
            let reachable = Command::new("runuser")
                .args(["-u", "postgres", "--", "test", "-x"])
                .arg(data_dir)
                .status()
                .map(|s| s.success())
                .unwrap_or(false);
            if !reachable {
                use sha2::Digest;
                let hash = sha2::Sha256::digest(data_dir.as_os_str().as_encoded_bytes());
                let hex: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
                base = PathBuf::from("/var/tmp/supabase-local").join(hex);
                std::fs::create_dir_all(&base).map_err(io(base.display()))?;
            }
        }
        Ok(Cluster { pgdata: base.join("pg"), port, as_postgres_user })
    }

    fn command(&self, program: &str) -> Command {
        let path = format!("{BIN}/{program}");
        if self.as_postgres_user {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--", &path]);
            c
        } else {
            Command::new(path)
        }
    }

    fn run(&self, mut cmd: Command) -> Result<String, ClusterError> {
        let shown = format!("{cmd:?}");
        let out = cmd.output().map_err(io(&shown))?;
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        if out.status.success() {
            Ok(text)
        } else {
            Err(ClusterError::Command { cmd: shown, output: text })
        }
    }

    pub fn is_initialized(&self) -> bool {
        self.pgdata.join("PG_VERSION").is_file()
    }

    pub fn log_file(&self) -> PathBuf {
        self.pgdata.join("postgresql.log")
    }

    /// `initdb` with superuser `postgres`/`postgres`, scram over TCP, trust on the private socket.
    pub fn init(&self) -> Result<(), ClusterError> {
        std::fs::create_dir_all(&self.pgdata).map_err(io(self.pgdata.display()))?;
        let pwfile = self.pgdata.with_file_name("pwfile");
        std::fs::write(&pwfile, "postgres\n").map_err(io(pwfile.display()))?;
        if self.as_postgres_user {
            self.run({
                let mut c = Command::new("chown");
                c.args(["-R", "postgres:postgres"]).arg(self.pgdata.parent().unwrap_or(&self.pgdata));
                c
            })?;
        }
        let mut c = self.command("initdb");
        c.arg("-D").arg(&self.pgdata).args([
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--auth-host=scram-sha-256",
            "--auth-local=trust",
            "--no-instructions",
        ]);
        c.arg(format!("--pwfile={}", pwfile.display()));
        let result = self.run(c);
        let _ = std::fs::remove_file(&pwfile);
        result.map(|_| ())
    }

    pub fn is_running(&self) -> bool {
        let mut c = self.command("pg_ctl");
        c.arg("status").arg("-D").arg(&self.pgdata);
        c.output().map(|o| o.status.success()).unwrap_or(false)
    }

    /// Starts the server (loopback only, socket in the data folder) and waits until it accepts connections.
    pub fn start(&self) -> Result<(), ClusterError> {
        if self.is_running() {
            return Ok(());
        }
        let mut opts = format!(
            "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c wal_level=logical -c max_connections=100 -c track_commit_timestamp=on",
            self.port,
            self.pgdata.display()
        );
        // Supabase's Postgres ships pg_cron; with Debian's postgresql-15-cron installed, migrations
        // that schedule jobs behave here as they do on a hosted project.
        if pg_cron_installed() {
            opts.push_str(
                " -c shared_preload_libraries=pg_cron -c cron.database_name=postgres -c cron.use_background_workers=on",
            );
        }
        let mut c = self.command("pg_ctl");
        c.arg("start").arg("-D").arg(&self.pgdata).arg("-l").arg(self.log_file()).args(["-w", "-t", "60", "-o", &opts]);
        self.run(c).map(|_| ()).map_err(|e| match e {
            ClusterError::Command { cmd, output } => {
                let log = std::fs::read_to_string(self.log_file()).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(10).collect::<Vec<_>>().into_iter().rev().collect();
                ClusterError::Command { cmd, output: format!("{output}\n{}", tail.join("\n")) }
            }
            e => e,
        })
    }

    /// Fast shutdown; a no-op when the server is not running.
    pub fn stop(&self) -> Result<(), ClusterError> {
        if !self.pgdata.join("postmaster.pid").exists() {
            return Ok(());
        }
        let mut c = self.command("pg_ctl");
        c.arg("stop").arg("-D").arg(&self.pgdata).args(["-m", "fast", "-w", "-t", "60"]);
        match self.run(c) {
            Ok(_) => Ok(()),
            Err(_) if !self.is_running() => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// Removes the cluster files (used by throwaway test instances).
    pub fn destroy(&self) {
        let _ = std::fs::remove_dir_all(&self.pgdata);
    }
}
