//! One source of truth, checked: every `domain` enum equals its Postgres enum type in values
//! and order, and every limit the app and the database both enforce is the same number.
//! It reads the migrated database named by `DB_URL` (a superuser URL of a local stack
//! instance) through `psql`. `make test` runs it with `--ignored` once its stack is up; a
//! missing `DB_URL` fails the test rather than skipping it.

use std::process::Command;

use atelier::domain::generation::PROMPT_MAX;
use atelier::domain::hashtags::HASHTAG_MAX_CHARS;
use atelier::domain::models::SESSION_TITLE_MAX;
use atelier::domain::platforms::AspectRatio;
use atelier::domain::{AccountStatus, GenerationStatus, MediaKind, Platform, PostStatus};

fn query(sql: &str) -> String {
    let url = std::env::var("DB_URL").expect("DB_URL must name the migrated database (make test sets it)");
    let out = Command::new("psql")
        .args([url.as_str(), "-XAtq", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("psql runs");
    assert!(out.status.success(), "psql failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
}

/// The labels of `public.<type_name>` in declaration order.
fn enum_labels(type_name: &str) -> Vec<String> {
    let sql = format!("select array_to_string(enum_range(null::public.{type_name})::text[], ',')");
    query(&sql).split(',').map(str::to_owned).collect()
}

fn assert_mirrors(type_name: &str, ours: Vec<&str>) {
    assert_eq!(ours, enum_labels(type_name), "domain enum differs from public.{type_name}");
}

#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn domain_enums_equal_the_database_enums() {
    assert_mirrors("generation_status", GenerationStatus::ALL.iter().map(|v| v.as_str()).collect());
    assert_mirrors("post_status", PostStatus::ALL.iter().map(|v| v.as_str()).collect());
    assert_mirrors("account_status", AccountStatus::ALL.iter().map(|v| v.as_str()).collect());
    assert_mirrors("platform", Platform::ALL.iter().map(|v| v.as_str()).collect());
    assert_mirrors("media_kind", MediaKind::ALL.iter().map(|v| v.as_str()).collect());
    assert_mirrors("aspect_ratio", AspectRatio::ALL.iter().map(|v| v.as_str()).collect());
}

/// The upper bound of a `char_length(…) between 1 and N` (or `<= N`) check constraint.
fn upper_bound(table: &str, constraint: &str) -> usize {
    let def = query(&format!(
        "select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'public.{table}'::regclass and conname = '{constraint}'"
    ));
    let digits: Vec<usize> =
        def.split(|c: char| !c.is_ascii_digit()).filter(|d| !d.is_empty()).filter_map(|d| d.parse().ok()).collect();
    *digits.iter().max().unwrap_or_else(|| panic!("no bound in {constraint}: {def:?}"))
}

#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn shared_limits_equal_the_database_checks() {
    assert_eq!(PROMPT_MAX, upper_bound("generations", "generations_prompt_length"));
    assert_eq!(SESSION_TITLE_MAX, upper_bound("sessions", "sessions_title_length"));
    let tag_max: usize = query("select substring(prosrc from 'char_length\\(tag\\) <= (\\d+)') from pg_proc where proname = 'hashtags_are_valid'")
        .parse()
        .expect("hashtags_are_valid bounds a tag's length");
    assert_eq!(HASHTAG_MAX_CHARS, tag_max);
}

#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn every_platform_has_limits() {
    let platforms = query("select string_agg(platform::text, ',' order by platform) from public.platform_limits");
    let ours: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(platforms.split(',').collect::<Vec<_>>(), ours);
}
