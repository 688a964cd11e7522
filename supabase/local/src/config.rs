//! Settings: project discovery, `supabase/config.toml` defaults, flag/env overrides.
use std::path::{Path, PathBuf};

/// The Supabase CLI's well-known local JWT secret.
pub const JWT_SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";
/// The Supabase CLI's local publishable key: the gateway maps exactly this value to the anon JWT.
pub const PUBLISHABLE_KEY: &str = "sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH";
/// The Supabase CLI's local secret key: the gateway maps exactly this value to the service_role JWT.
pub const SECRET_KEY: &str = "sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz";

/// The key Edge Functions encrypt stored platform tokens with (`ATELIER_TOKEN_KEY`, AES-256-GCM,
/// base64 of 32 bytes) when nothing else sets one. Like the keys above it is public, for local
/// development only: a hosted project sets its own secret, never this one.
pub const DEV_TOKEN_KEY: &str = "WlF/1Pm3H0TuYFIafXJRlSiiopVZlrHtXVY/qCPT6Xk=";
/// The Supabase CLI's default `[auth] site_url`.
pub const DEFAULT_SITE_URL: &str = "http://127.0.0.1:3000";

/// Everything a command needs to know about one instance.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Project root: the folder holding `supabase/config.toml`.
    pub project_dir: PathBuf,
    /// Our state folder (logs, pid file, and usually the PG cluster).
    pub data_dir: PathBuf,
    pub api_port: u16,
    pub db_port: u16,
    pub jwt_expiry: i64,
    pub min_password_length: usize,
    pub refresh_token_rotation: bool,
    pub refresh_token_reuse_interval: i64,
    /// `[auth.rate_limit] sign_in_sign_ups`: sign-ups plus password sign-ins per 5 minutes per IP.
    pub sign_in_sign_ups: u32,
    /// `[auth.rate_limit] token_refresh`: refresh-token grants per 5 minutes per IP.
    pub token_refresh: u32,
    /// No per-request log lines.
    pub quiet: bool,
    /// `[auth] site_url`: the app's origin, which Auth redirects to.
    pub site_url: String,
    /// `[auth] additional_redirect_urls`: other URLs Auth may redirect to.
    pub additional_redirect_urls: Vec<String>,
    /// `[api] max_rows`: PostgREST's `db-max-rows`, the most rows one read returns (None: no cap).
    pub max_rows: Option<i64>,
}

/// Overrides given on the command line (env vars are folded in by `resolve`).
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub workdir: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    pub api_port: Option<u16>,
    pub db_port: Option<u16>,
    /// Replaces `[auth.rate_limit] sign_in_sign_ups` and `token_refresh` (test instances sign
    /// up and refresh many users).
    pub auth_rate_limit: Option<u32>,
    pub quiet: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot find supabase/config.toml in {0} or any parent folder (use --workdir)")]
    NoProject(PathBuf),
    #[error("cannot read {0}: {1}")]
    Read(PathBuf, std::io::Error),
    #[error("invalid {0}: {1}")]
    Parse(PathBuf, String),
    #[error("invalid value for {0}: {1}")]
    Env(&'static str, String),
}

const PORTS_FILE: &str = "supabase-local.ports";

/// The (api, db) ports recorded in a data folder by `start`, if any.
fn read_ports_file(data_dir: &Path) -> (Option<u16>, Option<u16>) {
    let text = std::fs::read_to_string(data_dir.join(PORTS_FILE)).unwrap_or_default();
    let port = |key: &str| text.lines().find_map(|l| l.strip_prefix(key)?.strip_prefix('=')?.trim().parse().ok());
    (port("api"), port("db"))
}

/// The nearest ancestor of `start` that holds `supabase/config.toml`.
pub fn find_project(start: &Path) -> Option<PathBuf> {
    start.ancestors().find(|d| d.join("supabase/config.toml").is_file()).map(Path::to_path_buf)
}

fn env_number<T: std::str::FromStr>(name: &'static str) -> Result<Option<T>, ConfigError> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => v.trim().parse().map(Some).map_err(|_| ConfigError::Env(name, v)),
        _ => Ok(None),
    }
}

fn env_port(name: &'static str) -> Result<Option<u16>, ConfigError> {
    env_number(name)
}

impl Settings {
    /// Flags win over env vars, which win over config.toml, which wins over defaults.
    pub fn resolve(o: &Overrides) -> Result<Settings, ConfigError> {
        let project_dir = match &o.workdir {
            Some(w) => std::fs::canonicalize(w).map_err(|e| ConfigError::Read(w.clone(), e))?,
            None => {
                let cwd = std::env::current_dir().map_err(|e| ConfigError::Read(".".into(), e))?;
                find_project(&cwd).ok_or(ConfigError::NoProject(cwd))?
            }
        };
        let path = project_dir.join("supabase/config.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| ConfigError::Read(path.clone(), e))?;
        let doc: toml::Table =
            text.parse().map_err(|e: toml::de::Error| ConfigError::Parse(path.clone(), e.to_string()))?;
        let int = |section: &str, key: &str| doc.get(section).and_then(|s| s.get(key)).and_then(|v| v.as_integer());
        let boolean = |section: &str, key: &str| doc.get(section).and_then(|s| s.get(key)).and_then(|v| v.as_bool());
        let rate_limit = |key: &str| {
            let section = doc.get("auth").and_then(|a| a.get("rate_limit"));
            section.and_then(|r| r.get(key)).and_then(|v| v.as_integer()).and_then(|n| u32::try_from(n).ok())
        };
        let auth_text = |key: &str| doc.get("auth").and_then(|a| a.get(key));
        let site_url = auth_text("site_url").and_then(|v| v.as_str()).unwrap_or(DEFAULT_SITE_URL).to_string();
        let additional_redirect_urls = auth_text("additional_redirect_urls")
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|u| u.as_str()).map(str::to_string).collect())
            .unwrap_or_default();
        let data_dir = match o.data_dir.clone() {
            Some(d) => Some(d),
            None => std::env::var_os("SUPABASE_LOCAL_DATA_DIR").filter(|v| !v.is_empty()).map(PathBuf::from),
        }
        .unwrap_or_else(|| project_dir.join("supabase/.temp/local"));
        let data_dir =
            if data_dir.is_absolute() { data_dir } else { std::env::current_dir().unwrap_or_default().join(data_dir) };
        let (used_api, used_db) = read_ports_file(&data_dir);
        let auth_rate_limit = o.auth_rate_limit.or(env_number("SUPABASE_LOCAL_AUTH_RATE_LIMIT")?);
        Ok(Settings {
            api_port: o
                .api_port
                .or(env_port("SUPABASE_LOCAL_API_PORT")?)
                .or(used_api)
                .or(int("api", "port").map(|p| p as u16))
                .unwrap_or(54321),
            db_port: o
                .db_port
                .or(env_port("SUPABASE_LOCAL_DB_PORT")?)
                .or(used_db)
                .or(int("db", "port").map(|p| p as u16))
                .unwrap_or(54322),
            jwt_expiry: int("auth", "jwt_expiry").unwrap_or(3600),
            min_password_length: int("auth", "minimum_password_length").unwrap_or(6).max(1) as usize,
            refresh_token_rotation: boolean("auth", "enable_refresh_token_rotation").unwrap_or(true),
            // The env override lets a test instance wait seconds, not the configured 10, for the window.
            refresh_token_reuse_interval: env_number("SUPABASE_LOCAL_REFRESH_TOKEN_REUSE_INTERVAL")?
                .or(int("auth", "refresh_token_reuse_interval"))
                .unwrap_or(10)
                .max(0),
            sign_in_sign_ups: auth_rate_limit.or(rate_limit("sign_in_sign_ups")).unwrap_or(30),
            token_refresh: auth_rate_limit.or(rate_limit("token_refresh")).unwrap_or(150),
            quiet: o.quiet || std::env::var("SUPABASE_LOCAL_QUIET").is_ok_and(|v| !v.is_empty() && v != "0"),
            site_url,
            additional_redirect_urls,
            max_rows: int("api", "max_rows").filter(|n| *n >= 0),
            project_dir,
            data_dir,
        })
    }

    pub fn api_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.api_port)
    }
    pub fn db_url(&self) -> String {
        format!("postgresql://postgres:postgres@127.0.0.1:{}/postgres", self.db_port)
    }
    pub fn pid_file(&self) -> PathBuf {
        self.data_dir.join("supabase-local.pid")
    }
    pub fn log_file(&self) -> PathBuf {
        self.data_dir.join("supabase-local.log")
    }
    /// Records the ports an instance was started with, so `status`, `stop` and `reset` on the
    /// same data folder find it without repeating the flags.
    pub fn ports_file(&self) -> PathBuf {
        self.data_dir.join(PORTS_FILE)
    }
    pub fn write_ports_file(&self) -> std::io::Result<()> {
        std::fs::write(self.ports_file(), format!("api={}\ndb={}\n", self.api_port, self.db_port))
    }
    pub fn migrations_dir(&self) -> PathBuf {
        self.project_dir.join("supabase/migrations")
    }
    pub fn seed_file(&self) -> PathBuf {
        self.project_dir.join("supabase/seed.sql")
    }
}
