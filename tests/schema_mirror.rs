//! One source of truth, checked: every `domain` enum equals its Postgres enum type in values
//! and order, and every limit the app and the database both enforce is the same number.
//! It reads the migrated database named by `DB_URL` (a superuser URL of a local stack
//! instance) through `psql`. `make test` runs it with `--ignored` once its stack is up; a
//! missing `DB_URL` fails the test rather than skipping it.

use std::process::Command;

use atelier::domain::caption::{LengthUnit, TextRule};
use atelier::domain::generation::PROMPT_MAX;
use atelier::domain::hashtags::HASHTAG_MAX_CHARS;
use atelier::domain::models::SESSION_TITLE_MAX;
use atelier::domain::platforms::{AspectRatio, PlatformLimits};
use atelier::domain::publishing::platform_name;
use atelier::domain::schedule::MAX_LEAD_MS;
use atelier::domain::{AccountStatus, GenerationStatus, MediaKind, Platform, PostStatus};
use atelier::state::platforms::cache::cached_limits;

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
    let horizon_ms: i64 = query("select (extract(epoch from private.schedule_horizon()) * 1000)::bigint")
        .parse()
        .expect("private.schedule_horizon() is an interval");
    assert_eq!(MAX_LEAD_MS, horizon_ms, "how far ahead a post may be scheduled");
}

#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn every_platform_has_limits() {
    let platforms = query("select string_agg(platform::text, ',' order by platform) from public.platform_limits");
    let ours: Vec<&str> = Platform::ALL.iter().map(|p| p.as_str()).collect();
    assert_eq!(platforms.split(',').collect::<Vec<_>>(), ours);
}

/// `platform_name`, what the app calls each platform, is the row's `display_name`.
#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn platform_names_equal_the_database_display_names() {
    let rows = query(
        "select string_agg(platform::text || '=' || display_name, ',' order by platform) from public.platform_limits",
    );
    let ours: Vec<String> = Platform::ALL.iter().map(|p| format!("{}={}", p.as_str(), platform_name(*p))).collect();
    assert_eq!(rows.split(',').collect::<Vec<_>>(), ours);
}

/// Every column of `platform_limits` (the byte cap, the URL weight, the connector flag …) is a
/// field of the app's `PlatformLimits` with the same value: the rows as PostgREST would return
/// them read into the struct and written back give the same JSON, key for key.
#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn platform_limits_rows_read_into_the_app_unchanged() {
    let json = query("select json_agg(l order by l.platform) from public.platform_limits l");
    let rows: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json rows");
    for row in rows {
        let parsed: PlatformLimits = serde_json::from_value(row.clone()).unwrap_or_else(|e| panic!("{row}: {e}"));
        assert_eq!(
            serde_json::to_value(&parsed).expect("serialises"),
            row,
            "the app's PlatformLimits differs from the row"
        );
    }
}

/// The rows the app ships compiled in (`state::platforms::cache`) are the database's rows,
/// field for field: the cache is never a second source. A difference names the platform, the
/// column and both values.
#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn compiled_platform_limits_equal_the_database_rows() {
    let json = query("select json_agg(l order by l.platform) from public.platform_limits l");
    let database: Vec<serde_json::Value> = serde_json::from_str(&json).expect("json rows");
    let compiled: Vec<serde_json::Value> =
        cached_limits().iter().map(|l| serde_json::to_value(l).expect("serialises")).collect();
    let diff = limits_diff(&compiled, &database);
    assert!(
        diff.is_empty(),
        "the compiled platform limits (src/state/platforms/cache.rs) differ from public.platform_limits:\n{}",
        diff.join("\n")
    );
}

/// Every difference between the compiled rows and the database's, one line each.
fn limits_diff(compiled: &[serde_json::Value], database: &[serde_json::Value]) -> Vec<String> {
    let platform = |row: &serde_json::Value| row["platform"].as_str().unwrap_or("?").to_owned();
    let mut diff = Vec::new();
    for row in database {
        let name = platform(row);
        let Some(ours) = compiled.iter().find(|c| platform(c) == name) else {
            diff.push(format!("  {name}: in the database, not compiled in"));
            continue;
        };
        let columns =
            row.as_object().expect("a row is an object").keys().chain(ours.as_object().expect("object").keys());
        let mut seen = std::collections::BTreeSet::new();
        for column in columns.filter(|c| seen.insert(c.as_str())) {
            let (app, db) = (&ours[column], &row[column]);
            if app != db {
                diff.push(format!("  {name}.{column}: compiled {app}, database {db}"));
            }
        }
    }
    for row in compiled.iter().filter(|c| !database.iter().any(|d| platform(d) == platform(c))) {
        diff.push(format!("  {}: compiled in, not in the database", platform(row)));
    }
    let order = |rows: &[serde_json::Value]| rows.iter().map(platform).collect::<Vec<_>>();
    if diff.is_empty() && order(compiled) != order(database) {
        diff.push(format!("  order: compiled {:?}, database {:?}", order(compiled), order(database)));
    }
    diff
}

/// A text as the database spells it, whatever it holds: hex of its UTF-8 bytes.
fn sql_text(text: &str) -> String {
    let hex: String = text.bytes().map(|b| format!("{b:02x}")).collect();
    format!("convert_from(decode('{hex}', 'hex'), 'UTF8')")
}

/// The app's caption counting (`TextRule`) and the database's (`private.post_text_length`,
/// `private.post_text_fits`) agree on every sample, for every platform row and for an account
/// with its own limit: emoji, ZWJ families, flags, combining accents, links of every shape.
#[test]
#[ignore = "needs DB_URL of a migrated database: make test runs it"]
fn text_length_rule_equals_the_database_rule() {
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
    let long_url = format!("https://example.com/{}", "a".repeat(580));
    let samples: Vec<String> = vec![
        String::new(),
        "Café 🦊".into(),
        family.into(),
        "🇩🇪🇫🇷".into(),
        "cafe\u{301}".into(),
        "a".repeat(300),
        "a".repeat(301),
        family.repeat(43),
        "🇩🇪".repeat(151),
        "🦊".repeat(751),
        format!("Look {long_url}"),
        format!("{} {long_url}", "x".repeat(476)),
        format!("{} {long_url}", "x".repeat(477)),
        "http://a.b/c and https://d.e".into(),
        "https://x.test/a\u{a0}b https://y.test\u{3000}c https://z.test\u{2009}d".into(),
        "https://x.test/a,b. ftp://q.test https:// x".into(),
        "http://https://x.test".into(),
        "🦊 https://x.test\n\n#fox #dawn".into(),
        format!("{}\n\n#fox", "x".repeat(800)),
    ];
    let limits: Vec<PlatformLimits> =
        serde_json::from_str(&query("select json_agg(l order by l.platform) from public.platform_limits l"))
            .expect("rows");
    for limit in &limits {
        for rule in [limit.text_rule(), TextRule { max: 1000, ..limit.text_rule() }] {
            let exprs: Vec<String> = samples
                .iter()
                .map(|s| {
                    format!(
                        "private.post_text_length({t}, {bytes}, {url})::text || ':' || private.post_text_fits({t}, {max}, {bytes}, {cap}, {url})::text",
                        t = sql_text(s),
                        bytes = rule.unit == LengthUnit::Bytes,
                        url = rule.url_length.map_or("null".into(), |u| u.to_string()),
                        cap = rule.max_bytes.map_or("null".into(), |b| b.to_string()),
                        max = rule.max,
                    )
                })
                .collect();
            let theirs = query(&format!("select concat_ws(',', {})", exprs.join(", ")));
            let ours: Vec<String> = samples
                .iter()
                .map(|s| {
                    let measured = rule.measure(s);
                    format!("{}:{}", rule.length(s), measured.fits())
                })
                .collect();
            assert_eq!(theirs.split(',').collect::<Vec<_>>(), ours, "{:?} with {rule:?}", limit.platform);
        }
    }
}
