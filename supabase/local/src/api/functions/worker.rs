//! One Deno process per function, in its own process group, listening on a loopback port
//! the stack chooses (`DENO_SERVE_ADDRESS`). Every live worker is registered with its runtime's
//! `Groups` so `shutdown` can kill them all, and Linux's parent-death signal covers a stack that is killed outright.
//! Every worker is started with `edge_runtime.js` preloaded: the `EdgeRuntime` global hosted
//! functions have, whose background tasks the worker counts here (`pending`).
use super::settings::FnSettings;
use base64::Engine;
use std::collections::{HashSet, VecDeque};
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};
use tokio::io::{AsyncBufReadExt, BufReader};

/// Process groups of every live worker (and `deno cache` run) of one functions runtime, so
/// its stack's shutdown kills them all and no other stack's.
#[derive(Default)]
pub struct Groups(Mutex<HashSet<i32>>);

impl Groups {
    fn register(&self, pid: i32, live: bool) {
        let mut set = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if live {
            set.insert(pid)
        } else {
            set.remove(&pid)
        };
    }

    /// Kills every worker group registered here.
    pub fn kill_all(&self) {
        let pids = std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()));
        for pid in pids {
            kill_group(pid);
        }
    }
}

fn kill_group(pid: i32) {
    // SAFETY: signals to a process group this process created (pgid == child pid).
    unsafe { libc::kill(-pid, libc::SIGKILL) };
}

#[derive(Debug)]
pub enum BootError {
    Spawn(String),
    /// The process exited before listening; carries the last lines it printed.
    Exited(String),
    TimedOut,
}

pub struct Worker {
    pub port: u16,
    pub started_from: SystemTime,
    pid: i32,
    child: Mutex<tokio::process::Child>,
    tail: Arc<Mutex<VecDeque<String>>>,
    pending: Arc<AtomicUsize>,
    groups: Arc<Groups>,
}

/// The prefix of the lines on which `edge_runtime.js` reports its unfinished tasks.
const PENDING_MARK: &str = "\u{1}supabase-local:pending=";

/// `edge_runtime.js` as a `data:` URL, so the preload needs no file and no read permission.
fn prelude_url() -> String {
    let js = include_str!("edge_runtime.js");
    format!("data:application/javascript;base64,{}", base64::engine::general_purpose::STANDARD.encode(js))
}

impl Worker {
    pub fn alive(&self) -> bool {
        matches!(self.child.lock().unwrap_or_else(|e| e.into_inner()).try_wait(), Ok(None))
    }

    /// The last lines the worker wrote to stderr (for crash messages).
    pub fn last_lines(&self) -> String {
        last_lines(&self.tail)
    }

    /// Background tasks (`EdgeRuntime.waitUntil`) the worker has not finished yet.
    pub fn pending(&self) -> usize {
        self.pending.load(Ordering::SeqCst)
    }

    /// Starts `deno run` for one function and waits until its port answers.
    pub async fn start(
        name: &str,
        entry: &Path,
        s: &FnSettings,
        deno: &Path,
        deadline: Instant,
        groups: &Arc<Groups>,
    ) -> Result<Worker, BootError> {
        let port = free_port().map_err(|e| BootError::Spawn(e.to_string()))?;
        let started_from = s.fingerprint();
        let mut cmd = deno_command(deno, s);
        cmd.arg("run").args(permissions(s)).arg("--preload").arg(prelude_url()).arg(entry);
        cmd.env("DENO_SERVE_ADDRESS", format!("tcp:127.0.0.1:{port}"));
        cmd.envs(s.function_env());
        cmd.current_dir(entry.parent().unwrap_or(&s.functions_dir)).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().map_err(|e| BootError::Spawn(format!("{}: {e}", deno.display())))?;
        let pid = child.id().map(|p| p as i32).ok_or_else(|| BootError::Spawn("no pid".into()))?;
        groups.register(pid, true);
        let tail = Arc::new(Mutex::new(VecDeque::new()));
        let pending = Arc::new(AtomicUsize::new(0));
        pipe_lines(name, child.stdout.take(), Sink::Pending(pending.clone()));
        pipe_lines(name, child.stderr.take(), Sink::Tail(tail.clone()));
        let worker =
            Worker { port, started_from, pid, child: Mutex::new(child), tail, pending, groups: groups.clone() };
        loop {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Ok(worker);
            }
            if !worker.alive() {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await; // let the pipes drain
                return Err(BootError::Exited(worker.last_lines()));
            }
            if Instant::now() >= deadline {
                return Err(BootError::TimedOut);
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        kill_group(self.pid);
        self.groups.register(self.pid, false);
        let _ = self.child.lock().unwrap_or_else(|e| e.into_inner()).try_wait();
    }
}

/// Deno with a clean environment (only PATH, HOME and DENO_DIR of ours), its own process
/// group, and a parent-death signal.
fn deno_command(deno: &Path, s: &FnSettings) -> tokio::process::Command {
    let mut cmd = tokio::process::Command::new(deno);
    cmd.env_clear();
    for key in ["PATH", "HOME"] {
        if let Some(v) = std::env::var_os(key) {
            cmd.env(key, v);
        }
    }
    cmd.env("DENO_DIR", &s.deno_dir).env("NO_COLOR", "1").env("DENO_NO_UPDATE_CHECK", "1");
    cmd.stdin(Stdio::null()).kill_on_drop(true).process_group(0);
    // SAFETY: prctl is async-signal-safe; it only sets a flag on the child.
    unsafe {
        cmd.pre_exec(|| {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    cmd
}

fn permissions(s: &FnSettings) -> Vec<String> {
    vec![
        "--allow-net".into(),
        "--allow-env".into(),
        format!("--allow-read={}", s.functions_dir.display()),
        "--no-prompt".into(),
    ]
}

/// Fills Deno's module cache for every function in the background, so a first call does not
/// wait for npm downloads.
pub fn prewarm(s: &FnSettings, deno: &Path, entries: Vec<std::path::PathBuf>, groups: &Arc<Groups>) {
    if entries.is_empty() {
        return;
    }
    let mut cmd = deno_command(deno, s);
    cmd.arg("cache").args(&entries).current_dir(&s.functions_dir).stdout(Stdio::null()).stderr(Stdio::null());
    if let Ok(mut child) = cmd.spawn() {
        let pid = child.id().map(|p| p as i32);
        if let Some(p) = pid {
            groups.register(p, true);
        }
        let groups = groups.clone();
        tokio::spawn(async move {
            let _ = child.wait().await;
            if let Some(p) = pid {
                groups.register(p, false);
            }
        });
    }
}

/// What a worker's output feeds besides the stack's log.
enum Sink {
    /// stdout: `edge_runtime.js`'s pending-task reports.
    Pending(Arc<AtomicUsize>),
    /// stderr: the last lines, for crash messages.
    Tail(Arc<Mutex<VecDeque<String>>>),
}

fn pipe_lines<R: tokio::io::AsyncRead + Unpin + Send + 'static>(name: &str, r: Option<R>, sink: Sink) {
    let Some(r) = r else { return };
    let name = name.to_string();
    tokio::spawn(async move {
        let mut lines = BufReader::new(r).lines();
        while let Ok(Some(line)) = lines.next_line().await {
            if let Sink::Pending(p) = &sink {
                if let Some(n) = line.strip_prefix(PENDING_MARK).and_then(|n| n.trim().parse().ok()) {
                    p.store(n, Ordering::SeqCst);
                    continue;
                }
            }
            eprintln!("[functions/{name}] {line}");
            if let Sink::Tail(t) = &sink {
                let mut t = t.lock().unwrap_or_else(|e| e.into_inner());
                t.push_back(line);
                if t.len() > 8 {
                    t.pop_front();
                }
            }
        }
    });
}

fn last_lines(tail: &Mutex<VecDeque<String>>) -> String {
    let t = tail.lock().unwrap_or_else(|e| e.into_inner());
    t.iter().filter(|l| !l.trim().is_empty()).cloned().collect::<Vec<_>>().join("\n")
}

fn free_port() -> std::io::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
