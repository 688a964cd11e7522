//! The runtime config, read once at start from `window.ATELIER_CONFIG`
//! (`{ supabaseUrl, supabaseAnonKey }`, set by `config.js`), so one build serves any project.

use std::sync::OnceLock;
use wasm_bindgen::JsValue;

/// Where the Supabase project lives and the public (anon) key to call it with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`.
    pub supabase_url: String,
    /// The anon (publishable) key sent as `apikey`.
    pub anon_key: String,
}

/// Why the config could not be used; shown as a full-page error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("window.ATELIER_CONFIG is missing. Is config.js served next to index.html and loaded before the app?")]
    Missing,
    #[error("window.ATELIER_CONFIG.{0} is missing or empty.")]
    MissingField(&'static str),
    #[error("window.ATELIER_CONFIG.supabaseUrl must be an http(s) URL, got {0:?}.")]
    BadUrl(String),
    #[error("window.ATELIER_CONFIG.supabaseAnonKey contains characters that cannot be sent in a header.")]
    BadKey,
}

static CONFIG: OnceLock<Config> = OnceLock::new();

impl Config {
    /// Checks raw values: an http(s) URL (trailing slashes dropped) and a header-safe key.
    pub fn parse(url: Option<String>, key: Option<String>) -> Result<Config, ConfigError> {
        let url = url.map(|u| u.trim().trim_end_matches('/').to_owned()).unwrap_or_default();
        let key = key.map(|k| k.trim().to_owned()).unwrap_or_default();
        if url.is_empty() {
            return Err(ConfigError::MissingField("supabaseUrl"));
        }
        if key.is_empty() {
            return Err(ConfigError::MissingField("supabaseAnonKey"));
        }
        let scheme_ok = url.starts_with("http://") || url.starts_with("https://");
        if !scheme_ok || url.contains(char::is_whitespace) {
            return Err(ConfigError::BadUrl(url));
        }
        if !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ConfigError::BadKey);
        }
        Ok(Config { supabase_url: url, anon_key: key })
    }

    /// `<url>/auth/v1`.
    pub fn auth_url(&self) -> String {
        format!("{}/auth/v1", self.supabase_url)
    }

    /// `<url>/rest/v1`.
    pub fn rest_url(&self) -> String {
        format!("{}/rest/v1", self.supabase_url)
    }
}

/// Reads `window.ATELIER_CONFIG` and keeps it for [`get`]. Call once, before anything else.
pub fn init() -> Result<&'static Config, ConfigError> {
    if let Some(config) = CONFIG.get() {
        return Ok(config);
    }
    let window = web_sys::window().ok_or(ConfigError::Missing)?;
    let raw = js_sys::Reflect::get(&window, &JsValue::from_str("ATELIER_CONFIG"))
        .ok()
        .filter(|v| v.is_object())
        .ok_or(ConfigError::Missing)?;
    let field = |name: &str| js_sys::Reflect::get(&raw, &JsValue::from_str(name)).ok().and_then(|v| v.as_string());
    let config = Config::parse(field("supabaseUrl"), field("supabaseAnonKey"))?;
    Ok(CONFIG.get_or_init(|| config))
}

/// The config read by [`init`]. The app only renders (and so only calls this) after a
/// successful `init`.
pub fn get() -> &'static Config {
    CONFIG.get().expect("supabase::config::init must succeed before the client is used")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Option<String> {
        Some(v.to_owned())
    }

    #[test]
    fn trailing_slashes_are_dropped() {
        let c = Config::parse(s("http://127.0.0.1:54321/ "), s("key")).unwrap();
        assert_eq!(c.rest_url(), "http://127.0.0.1:54321/rest/v1");
        assert_eq!(c.auth_url(), "http://127.0.0.1:54321/auth/v1");
    }

    #[test]
    fn bad_values_are_named() {
        assert_eq!(Config::parse(None, s("k")), Err(ConfigError::MissingField("supabaseUrl")));
        assert_eq!(Config::parse(s("http://x"), s(" ")), Err(ConfigError::MissingField("supabaseAnonKey")));
        assert!(matches!(Config::parse(s("ftp://x"), s("k")), Err(ConfigError::BadUrl(_))));
        assert_eq!(Config::parse(s("https://x"), s("k\u{e9}y")), Err(ConfigError::BadKey));
    }
}
