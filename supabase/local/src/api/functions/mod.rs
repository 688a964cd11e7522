//! `/functions/v1/<name>`: the project's Edge Functions (`supabase/functions/<name>/index.ts`)
//! run on Deno, one warm worker per function, started on first call and restarted when it
//! died or its files changed. `verify_jwt` is enforced here as the CLI's edge runtime does.
//! Functions get the `EdgeRuntime` global (`edge_runtime.js`): a worker replaced because its
//! files changed first finishes its `waitUntil` tasks, as a hosted instance would.
pub mod body_limit;
#[cfg(test)]
mod body_limit_tests;
#[cfg(test)]
mod env_tests;
mod proxy;
pub mod settings;
#[cfg(test)]
mod tests;
mod worker;

use super::error::ApiError;
use super::SharedState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use settings::FnSettings;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;
use worker::{BootError, Worker};

type Slot = Arc<tokio::sync::Mutex<Option<Arc<Worker>>>>;

/// The functions runtime of one stack (part of its `AppState`): settings, a worker slot per
/// function, and the process groups its shutdown kills.
pub struct Functions {
    settings: FnSettings,
    slots: Mutex<HashMap<String, Slot>>,
    groups: Arc<worker::Groups>,
}

/// Supabase's gateway puts no api-key check in front of Edge Functions (only `verify_jwt`, which
/// the runtime enforces): a call that carries just `Authorization: Bearer <JWT>`, as pg_net's
/// calls from the database do in Supabase's scheduled-functions guide, reaches the function.
pub fn is_keyless(path: &str) -> bool {
    path.starts_with("/functions/v1/")
}

/// The route handler for `/functions/v1/{*path}`.
pub async fn invoke(State(state): State<SharedState>, req: Request) -> Result<Response, CallError> {
    state.functions.handle(&state.secret, req).await
}
/// Why a call got no answer from its function: the gateway's refusal (Kong's JSON), or the
/// edge runtime's relay error (`{"msg": ...}` JSON).
#[derive(Debug)]
pub enum CallError {
    Gateway(ApiError),
    Relay(StatusCode, String),
}

impl From<ApiError> for CallError {
    fn from(e: ApiError) -> CallError {
        CallError::Gateway(e)
    }
}

impl IntoResponse for CallError {
    fn into_response(self) -> Response {
        match self {
            CallError::Gateway(e) => e.into_response(),
            CallError::Relay(status, msg) => {
                let mut r = (status, json!({ "msg": msg }).to_string()).into_response();
                r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                r
            }
        }
    }
}

fn relay_error(status: StatusCode, msg: impl Into<String>) -> CallError {
    CallError::Relay(status, msg.into())
}

const NO_DENO: &str = "Deno is not installed: Edge Functions need it. Run `npm install` in the project (the `deno` npm package provides node_modules/.bin/deno) or set DENO_BIN.";

impl Functions {
    pub fn new(settings: FnSettings) -> Functions {
        Functions { settings, slots: Mutex::new(HashMap::new()), groups: Arc::default() }
    }

    /// Fills Deno's module cache for every function in the background (`deno cache`), so the
    /// first call does not wait for npm downloads. Call once the stack serves.
    pub fn prewarm(&self) {
        let fs = &self.settings;
        let Some(deno) = fs.deno_bin.clone().or_else(|| settings::resolve_deno(&fs.project_dir)) else {
            return;
        };
        let Ok(dirs) = std::fs::read_dir(&fs.functions_dir) else {
            return;
        };
        let mut names: Vec<String> = dirs.flatten().filter_map(|d| d.file_name().into_string().ok()).collect();
        names.sort();
        let entries = names.iter().filter_map(|n| fs.entrypoint(n)).collect();
        worker::prewarm(fs, &deno, entries, &self.groups);
    }

    /// Kills every Deno process this runtime started (call on shutdown).
    pub fn shutdown(&self) {
        self.groups.kill_all();
    }

    pub async fn handle(&self, secret: &str, req: Request) -> Result<Response, CallError> {
        let req = body_limit::within_limit(req).await?;
        let path = req.uri().path();
        let rest = path.strip_prefix("/functions/v1").unwrap_or(path).trim_start_matches('/');
        let (name, sub) = rest.split_once('/').map(|(n, s)| (n, format!("/{s}"))).unwrap_or((rest, String::new()));
        let name = name.to_string();
        let Some(entry) = self.settings.entrypoint(&name) else {
            return Err(relay_error(StatusCode::NOT_FOUND, "Function not found"));
        };
        if req.method() != Method::OPTIONS && self.settings.function_flag(&name, "verify_jwt") {
            match super::bearer(req.headers()) {
                None => return Err(relay_error(StatusCode::UNAUTHORIZED, "Error: Missing authorization header")),
                Some(token) if crate::jwt::verify(token, secret, crate::jwt::now(), 0).is_err() => {
                    return Err(relay_error(StatusCode::UNAUTHORIZED, "Invalid JWT"));
                }
                Some(_) => {}
            }
        }
        let timeout = self.settings.timeout;
        let deadline = Instant::now() + timeout;
        let Some(deno) = self.settings.deno_bin.clone().or_else(|| settings::resolve_deno(&self.settings.project_dir))
        else {
            return Err(relay_error(StatusCode::SERVICE_UNAVAILABLE, NO_DENO));
        };
        let worker = match self.worker(&name, &entry, &deno, deadline).await {
            Ok(w) => w,
            Err(BootError::Spawn(e)) if !deno.is_file() => {
                return Err(relay_error(StatusCode::SERVICE_UNAVAILABLE, format!("{NO_DENO} ({e})")))
            }
            Err(BootError::Spawn(e)) => {
                return Err(relay_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("Cannot start Deno for function `{name}`: {e}"),
                ))
            }
            Err(BootError::Exited(log)) => {
                return Err(relay_error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    format!("Function `{name}` failed to boot (see the supabase-local log): {log}"),
                ));
            }
            Err(BootError::TimedOut) => return Err(timed_out(&name, timeout)),
        };
        let query = req.uri().query().map(|q| format!("?{q}")).unwrap_or_default();
        let target = format!("/{name}{sub}{query}");
        match tokio::time::timeout_at(deadline.into(), proxy::forward(worker.port, req, &target)).await {
            Ok(Ok(res)) => Ok(res),
            Ok(Err(proxy::ProxyError::Failed(e))) => {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                Err(if worker.alive() {
                    relay_error(
                        StatusCode::BAD_GATEWAY,
                        format!("Function `{name}` closed the connection without a response: {e}"),
                    )
                } else {
                    let log = worker.last_lines();
                    relay_error(StatusCode::BAD_GATEWAY, format!("Function `{name}` crashed while handling the request (it restarts on the next call): {log}"))
                })
            }
            Err(_) => Err(timed_out(&name, timeout)),
        }
    }

    /// The warm worker of `name`, (re)started if it is missing, dead or older than its files.
    async fn worker(
        &self,
        name: &str,
        entry: &std::path::Path,
        deno: &std::path::Path,
        deadline: Instant,
    ) -> Result<Arc<Worker>, BootError> {
        let slot = self.slots.lock().unwrap_or_else(|e| e.into_inner()).entry(name.to_string()).or_default().clone();
        let mut current =
            tokio::time::timeout_at(deadline.into(), slot.lock()).await.map_err(|_| BootError::TimedOut)?;
        if let Some(w) = current.as_ref() {
            if w.alive() && w.started_from >= self.settings.fingerprint() {
                return Ok(w.clone());
            }
        }
        if let Some(old) = current.take() {
            retire(old, self.settings.timeout);
        }
        let w = Arc::new(Worker::start(name, entry, &self.settings, deno, deadline, &self.groups).await?);
        *current = Some(w.clone());
        Ok(w)
    }
}

/// Stops a replaced worker once its background tasks are done, or after `limit` (a hosted
/// background task is bounded by the wall-clock limit too). Idle workers stop at once.
fn retire(old: Arc<Worker>, limit: std::time::Duration) {
    if !old.alive() || old.pending() == 0 {
        return;
    }
    tokio::spawn(async move {
        let until = Instant::now() + limit;
        while old.alive() && old.pending() > 0 && Instant::now() < until {
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        drop(old); // kills its process group
    });
}

fn timed_out(name: &str, timeout: std::time::Duration) -> CallError {
    let secs = timeout.as_secs_f64();
    relay_error(StatusCode::GATEWAY_TIMEOUT, format!("Function `{name}` did not respond within {secs} s"))
}
