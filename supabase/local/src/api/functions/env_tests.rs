//! The environment functions get: the stack's defaults (keys, the development token key, the
//! app origins from config.toml), under `supabase/functions/.env`, under the stack's
//! `SUPABASE_LOCAL_FUNCTION_ENV_*` — checked on the merged list and inside a real Deno worker.
use super::settings::{resolve_deno, FnSettings};
use super::Functions;
use crate::config::{Overrides, Settings, DEV_TOKEN_KEY};
use axum::body::Body;
use axum::extract::Request;
use axum::response::IntoResponse;
use base64::Engine;
use std::path::PathBuf;
use std::time::Duration;

const ENV_DUMP: &str = r#"Deno.serve(() => Response.json({
  key: Deno.env.get("ATELIER_TOKEN_KEY") ?? null,
  site: Deno.env.get("SITE_URL") ?? null,
  redirects: Deno.env.get("ADDITIONAL_REDIRECT_URLS") ?? null,
}));"#;

/// A project folder with `config.toml` (`auth` is its `[auth]` body) and an `envdump` function.
fn project(auth: &str, dot_env: Option<&str>) -> (PathBuf, Settings) {
    let n = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let root = std::env::temp_dir().join(format!("fn-env-test-{}-{n}", std::process::id()));
    let functions = root.join("supabase/functions");
    std::fs::create_dir_all(functions.join("envdump")).unwrap();
    std::fs::write(functions.join("envdump/index.ts"), ENV_DUMP).unwrap();
    std::fs::write(
        root.join("supabase/config.toml"),
        format!("[auth]\n{auth}\n[functions.envdump]\nverify_jwt = false\n"),
    )
    .unwrap();
    if let Some(text) = dot_env {
        std::fs::write(functions.join(".env"), text).unwrap();
    }
    let overrides = Overrides {
        workdir: Some(root.clone()),
        data_dir: Some(root.join("data")),
        api_port: Some(1),
        db_port: Some(2),
        ..Overrides::default()
    };
    (root, Settings::resolve(&overrides).unwrap())
}

fn value<'a>(env: &'a [(String, String)], key: &str) -> Option<&'a str> {
    let mut found = env.iter().filter(|(k, _)| k == key);
    let first = found.next().map(|(_, v)| v.as_str());
    assert!(found.next().is_none(), "{key} is set once");
    first
}

#[test]
fn the_stack_supplies_a_token_key_and_the_app_origins_from_config() {
    let (root, s) = project(
        r#"site_url = "http://app.test:3000"
additional_redirect_urls = ["http://a.test", "http://b.test/cb"]"#,
        None,
    );
    let mut fs = FnSettings::from_stack(&s, "anon", "service");
    fs.overrides.clear();
    let env = fs.function_env();
    let key = value(&env, "ATELIER_TOKEN_KEY").expect("a token key");
    assert_eq!(key, DEV_TOKEN_KEY);
    assert_eq!(base64::engine::general_purpose::STANDARD.decode(key).unwrap().len(), 32, "an AES-256 key");
    assert_eq!(value(&env, "SITE_URL"), Some("http://app.test:3000"));
    assert_eq!(value(&env, "ADDITIONAL_REDIRECT_URLS"), Some("http://a.test,http://b.test/cb"));
    assert_eq!(value(&env, "SUPABASE_SERVICE_ROLE_KEY"), Some("service"));
    let _ = std::fs::remove_dir_all(root);

    // Without [auth] settings: the CLI's default site URL and no additional URLs.
    let (root, s) = project("", None);
    let env = FnSettings::from_stack(&s, "anon", "service").function_env();
    assert_eq!(value(&env, "SITE_URL"), Some("http://127.0.0.1:3000"));
    assert_eq!(value(&env, "ADDITIONAL_REDIRECT_URLS"), Some(""));
    let _ = std::fs::remove_dir_all(root);
}

#[test]
fn dot_env_beats_the_defaults_and_the_stack_environment_beats_both() {
    let (root, s) = project(
        r#"site_url = "http://app.test:3000""#,
        Some("SITE_URL=http://from-dot-env.test\nATELIER_TOKEN_KEY=from-dot-env\n"),
    );
    let mut fs = FnSettings::from_stack(&s, "anon", "service");
    fs.overrides = vec![("ATELIER_TOKEN_KEY".into(), "from-stack-env".into())];
    let env = fs.function_env();
    assert_eq!(value(&env, "SITE_URL"), Some("http://from-dot-env.test"));
    assert_eq!(value(&env, "ATELIER_TOKEN_KEY"), Some("from-stack-env"));
    let _ = std::fs::remove_dir_all(root);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_function_sees_the_defaults_and_the_overrides() {
    let (root, s) = project(r#"site_url = "http://app.test:3000""#, Some("SITE_URL=http://from-dot-env.test\n"));
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let deno = resolve_deno(&repo).expect("Deno (node_modules/.bin/deno) is installed: run npm install");
    let mut fs = FnSettings::from_stack(&s, "anon", "service");
    fs.deno_bin = Some(deno);
    fs.deno_dir = repo.join("supabase/.temp/test-deno");
    fs.timeout = Duration::from_secs(20);
    fs.overrides = vec![("ADDITIONAL_REDIRECT_URLS".into(), "http://from-stack-env.test".into())];
    let functions = Functions::new(fs);
    let req = Request::builder().method("GET").uri("/functions/v1/envdump").body(Body::empty()).unwrap();
    let res = functions.handle(crate::config::JWT_SECRET, req).await.into_response();
    let status = res.status().as_u16();
    let body = axum::body::to_bytes(res.into_body(), 1 << 20).await.unwrap();
    let text = String::from_utf8_lossy(&body);
    assert_eq!(status, 200, "{text}");
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(j["key"], DEV_TOKEN_KEY);
    assert_eq!(j["site"], "http://from-dot-env.test");
    assert_eq!(j["redirects"], "http://from-stack-env.test");
    let _ = std::fs::remove_dir_all(root);
}
