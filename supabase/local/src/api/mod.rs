//! The HTTP API: one origin, Supabase's prefixes, CORS and the api-key gate (Kong's job).
pub mod auth;
pub mod error;
pub mod functions;
pub mod gate;
pub mod realtime;
pub mod rest;
mod route_errors;
pub mod server;
pub mod storage;

pub use gate::new_key_jwt;

use crate::config::{Settings, JWT_SECRET};
use crate::postgres::pool::Pool;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

/// Request bodies above this size get 413.
pub const MAX_BODY: usize = 1 << 20;

const ALLOW_HEADERS: &str = "apikey, authorization, content-type, x-client-info, x-supabase-api-version, prefer, range, range-unit, accept-profile, content-profile, x-upsert, cache-control, x-region, accept, x-client-ip, x-use-cookie";
const EXPOSE_HEADERS: &str = "Content-Range, Content-Location, Location, X-Supabase-Api-Version, Preference-Applied, Range-Unit, Content-Type, Content-Encoding, Date, X-Total-Count, Link";

/// Connections per pool. PostgreSQL runs with `max_connections=100` (3 reserved for
/// superusers); the pools together hold at most 50, plus realtime's one capture connection,
/// which leaves room for tests' and tools' direct connections (psql, pgTAP, migrations).
/// pg_cron runs as a background worker, outside `max_connections`.
pub mod pool_sizes {
    pub const AUTH: usize = 12;
    pub const REST: usize = 24;
    pub const STORAGE: usize = 10;
    pub const STORAGE_ADMIN: usize = 4;
}

pub struct AppState {
    pub settings: Settings,
    /// Superuser connections, used by the auth service (GoTrue owns the auth schema).
    pub admin: Pool,
    /// `authenticator` connections for REST, as PostgREST connects.
    pub rest: Pool,
    /// `authenticator` connections for Storage's caller transactions.
    pub storage: Pool,
    /// Superuser connections for what Storage reads without RLS (buckets, public objects).
    pub storage_admin: Pool,
    /// Auth's per-IP request limits (`[auth.rate_limit]`), owned by `auth::rate_limit`.
    pub auth_limits: auth::rate_limit::AuthLimits,
    pub secret: String,
    pub anon_key: String,
    pub service_key: String,
    /// This stack's Edge Functions runtime (its warm Deno workers).
    pub functions: functions::Functions,
    /// This stack's Realtime change capture, started by `realtime::start`.
    pub realtime: OnceLock<Arc<realtime::changes::Hub>>,
}

pub type SharedState = Arc<AppState>;

impl AppState {
    pub fn new(settings: Settings) -> SharedState {
        let port = settings.db_port;
        let (anon_key, service_key) = (crate::jwt::anon_key(JWT_SECRET), crate::jwt::service_role_key(JWT_SECRET));
        let functions =
            functions::Functions::new(functions::settings::FnSettings::from_stack(&settings, &anon_key, &service_key));
        Arc::new(AppState {
            // GoTrue's database/sql pool has no acquisition timeout of its own: sign-ins queue
            // longer than REST reads before answering 504.
            admin: Pool::new("auth", port, "postgres", pool_sizes::AUTH).with_acquire_timeout(Duration::from_secs(30)),
            rest: Pool::new("rest", port, "authenticator", pool_sizes::REST),
            storage: Pool::new("storage", port, "authenticator", pool_sizes::STORAGE),
            storage_admin: Pool::new("storage-admin", port, "postgres", pool_sizes::STORAGE_ADMIN),
            auth_limits: auth::rate_limit::AuthLimits::new(&settings),
            secret: JWT_SECRET.to_string(),
            anon_key,
            service_key,
            functions,
            realtime: OnceLock::new(),
            settings,
        })
    }
}

pub fn app(state: SharedState) -> Router {
    Router::new()
        .merge(auth::router(state.clone()))
        .route("/rest/v1/{table}", any(rest::handler::table))
        .route("/rest/v1/rpc/{function}", any(rest::rpc::call))
        .nest("/storage/v1", storage::router())
        .route("/functions/v1/", any(functions::invoke))
        .route("/functions/v1/{*path}", any(functions::invoke))
        .route("/realtime/v1/websocket", get(realtime::websocket))
        .fallback(route_errors::no_route)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn(route_errors::json_routing_errors))
        .layer(middleware::from_fn_with_state(state.clone(), gate::api_key))
        .layer(middleware::from_fn(cors))
        .layer(middleware::from_fn_with_state(state.clone(), log))
        .with_state(state)
}

/// One line per request: method, path, status, milliseconds (none with `--quiet`).
async fn log(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    if state.settings.quiet {
        return next.run(req).await;
    }
    let (method, path, started) = (req.method().clone(), req.uri().path().to_string(), Instant::now());
    let res = next.run(req).await;
    eprintln!("{method} {path} {} {}ms", res.status().as_u16(), started.elapsed().as_millis());
    res
}

/// Preflights are answered here; every response gets the allow-origin and expose headers.
async fn cors(req: Request, next: Next) -> Response {
    let preflight = req.method() == Method::OPTIONS;
    let requested = req.headers().get(header::ACCESS_CONTROL_REQUEST_HEADERS).cloned();
    let mut res = if preflight { StatusCode::OK.into_response() } else { next.run(req).await };
    let h = res.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSE_HEADERS));
    if preflight {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"),
        );
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, requested.unwrap_or(HeaderValue::from_static(ALLOW_HEADERS)));
        h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("3600"));
    }
    res
}

/// The bearer token of a request, if any.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}
