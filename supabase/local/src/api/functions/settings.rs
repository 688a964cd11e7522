//! What the functions runtime needs to know: where functions live, which Deno to run, what
//! each function sees (env, `verify_jwt`), and how long a call may take.
use crate::config::Settings;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// Supabase's wall-clock limit for a request (150 s), overridable for tests.
pub const DEFAULT_TIMEOUT_MS: u64 = 150_000;
pub const TIMEOUT_ENV: &str = "SUPABASE_LOCAL_FUNCTION_TIMEOUT_MS";
/// `SUPABASE_LOCAL_FUNCTION_ENV_<NAME>=v` in the stack's own environment gives every function
/// `<NAME>=v`, over `supabase/functions/.env`: how a test instance sets what only tests use
/// (the file is the developer's, shared with `make dev`).
pub const FUNCTION_ENV_PREFIX: &str = "SUPABASE_LOCAL_FUNCTION_ENV_";

#[derive(Clone, Debug)]
pub struct FnSettings {
    /// `supabase/functions`: one folder per function, `_shared` and `.env` beside them.
    pub functions_dir: PathBuf,
    /// `supabase/config.toml`, read on each call for `[functions.<name>]`.
    pub config_toml: PathBuf,
    /// The project root, where `node_modules/.bin/deno` is looked for.
    pub project_dir: PathBuf,
    /// Deno's module cache (`DENO_DIR`).
    pub deno_dir: PathBuf,
    pub timeout: Duration,
    /// An explicit Deno binary; `None` resolves it on each boot (see `resolve_deno`).
    pub deno_bin: Option<PathBuf>,
    /// What every function gets: the API URL, keys and DB URL.
    pub env: Vec<(String, String)>,
    /// Set by the stack's environment (`FUNCTION_ENV_PREFIX`); wins over `.env`.
    pub overrides: Vec<(String, String)>,
}

impl FnSettings {
    pub fn from_stack(s: &Settings, anon_key: &str, service_key: &str) -> FnSettings {
        let timeout =
            std::env::var(TIMEOUT_ENV).ok().and_then(|v| v.trim().parse::<u64>().ok()).unwrap_or(DEFAULT_TIMEOUT_MS);
        let deno_dir = std::env::var_os("DENO_DIR")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
            .unwrap_or_else(|| s.data_dir.join("deno"));
        FnSettings {
            functions_dir: s.project_dir.join("supabase/functions"),
            config_toml: s.project_dir.join("supabase/config.toml"),
            project_dir: s.project_dir.clone(),
            deno_dir,
            timeout: Duration::from_millis(timeout.max(1)),
            deno_bin: None,
            env: vec![
                ("SUPABASE_URL".into(), s.api_url()),
                ("SUPABASE_ANON_KEY".into(), anon_key.into()),
                ("SUPABASE_SERVICE_ROLE_KEY".into(), service_key.into()),
                ("SUPABASE_DB_URL".into(), s.db_url()),
                ("SUPABASE_PUBLISHABLE_KEYS".into(), format!(r#"{{"default":"{}"}}"#, crate::config::PUBLISHABLE_KEY)),
                ("SUPABASE_SECRET_KEYS".into(), format!(r#"{{"default":"{}"}}"#, crate::config::SECRET_KEY)),
                // The project's own function settings, so `make dev` on a clean clone can connect
                // accounts: a development-only token key, and the app origins Auth knows.
                ("ATELIER_TOKEN_KEY".into(), crate::config::DEV_TOKEN_KEY.into()),
                ("SITE_URL".into(), s.site_url.clone()),
                ("ADDITIONAL_REDIRECT_URLS".into(), s.additional_redirect_urls.join(",")),
            ],
            overrides: prefixed(std::env::vars()),
        }
    }

    /// The entry file of a servable function: `<name>/index.ts` (or `.js`), where a name is
    /// a plain folder name not starting with `_` or `.` (`_shared` is not a function) and
    /// not disabled by `enabled = false`.
    pub fn entrypoint(&self, name: &str) -> Option<PathBuf> {
        let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plain || name.starts_with('_') || !self.function_flag(name, "enabled") {
            return None;
        }
        ["index.ts", "index.js", "index.mts", "index.mjs", "index.tsx"]
            .iter()
            .map(|f| self.functions_dir.join(name).join(f))
            .find(|p| p.is_file())
    }

    /// `[functions.<name>] <key>`; both `enabled` and `verify_jwt` default to true.
    pub fn function_flag(&self, name: &str, key: &str) -> bool {
        let text = std::fs::read_to_string(&self.config_toml).unwrap_or_default();
        let doc: toml::Table = text.parse().unwrap_or_default();
        doc.get("functions")
            .and_then(|f| f.get(name))
            .and_then(|f| f.get(key))
            .and_then(|v| v.as_bool())
            .unwrap_or(true)
    }

    /// What a function's process gets: the stack's values, then `.env` over them, then what the
    /// stack was started with (`FUNCTION_ENV_PREFIX`) over both; later wins.
    pub fn function_env(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = vec![];
        for (k, v) in self.env.iter().cloned().chain(self.secrets()).chain(self.overrides.iter().cloned()) {
            out.retain(|(existing, _)| *existing != k);
            out.push((k, v));
        }
        out
    }

    /// Secrets from the git-ignored `supabase/functions/.env`.
    pub fn secrets(&self) -> Vec<(String, String)> {
        parse_env_file(&std::fs::read_to_string(self.functions_dir.join(".env")).unwrap_or_default())
    }

    /// The newest modification time under the functions folder: a change restarts workers,
    /// as `supabase functions serve` reloads on edits.
    pub fn fingerprint(&self) -> SystemTime {
        newest(&self.functions_dir, 0)
    }
}

/// The `FUNCTION_ENV_PREFIX` variables of `vars`, with the prefix taken off.
pub fn prefixed(vars: impl Iterator<Item = (String, String)>) -> Vec<(String, String)> {
    let mut out: Vec<_> = vars
        .filter_map(|(k, v)| Some((k.strip_prefix(FUNCTION_ENV_PREFIX)?.to_string(), v)))
        .filter(|(k, _)| !k.is_empty())
        .collect();
    out.sort();
    out
}

fn newest(dir: &Path, depth: usize) -> SystemTime {
    let mut best = SystemTime::UNIX_EPOCH;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return best;
    };
    for e in entries.flatten() {
        let Ok(meta) = e.metadata() else { continue };
        let t = if meta.is_dir() {
            if depth > 6 || e.file_name() == "node_modules" {
                continue;
            }
            newest(&e.path(), depth + 1).max(meta.modified().unwrap_or(best))
        } else {
            meta.modified().unwrap_or(best)
        };
        best = best.max(t);
    }
    best
}

/// `KEY=VALUE` lines; blank lines, `#` comments and an `export ` prefix are allowed, and a
/// value may be wrapped in matching quotes.
pub fn parse_env_file(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line);
            if line.is_empty() || line.starts_with('#') {
                return None;
            }
            let (k, v) = line.split_once('=')?;
            let (k, v) = (k.trim(), v.trim());
            let unquoted = ['"', '\''].iter().find_map(|q| v.strip_prefix(*q)?.strip_suffix(*q)).unwrap_or(v);
            let valid = !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            valid.then(|| (k.to_string(), unquoted.to_string()))
        })
        .collect()
}

/// The Deno binary: `DENO_BIN`, then the npm package's `node_modules/.bin/deno`, then `PATH`.
pub fn resolve_deno(project_dir: &Path) -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("DENO_BIN").filter(|v| !v.is_empty()).map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let local = project_dir.join("node_modules/.bin/deno");
    if local.is_file() {
        return Some(local);
    }
    std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join("deno")).find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_file_lines() {
        let parsed = parse_env_file("# c\nA=1\nexport B = \"two words\"\n\nC='x=y'\nbad line\n=v\n");
        assert_eq!(
            parsed,
            vec![("A".into(), "1".into()), ("B".into(), "two words".into()), ("C".into(), "x=y".into())]
        );
    }

    #[test]
    fn prefixed_stack_variables_reach_functions_without_the_prefix() {
        let vars = [
            ("SUPABASE_LOCAL_FUNCTION_ENV_DEMO_DELAY_MS", "900"),
            ("SUPABASE_LOCAL_FUNCTION_TIMEOUT_MS", "5"),
            ("SUPABASE_LOCAL_FUNCTION_ENV_", "empty name"),
            ("PATH", "/bin"),
        ];
        let got = prefixed(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        assert_eq!(got, vec![("DEMO_DELAY_MS".to_string(), "900".to_string())]);
    }
}
