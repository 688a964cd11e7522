//! Tests of `handles`: the pgTAP file's table of cases (the database's rule) must give the same
//! answers here, plus the messages the creator reads.

use super::*;

/// The database test whose `handle_cases` rows both rules are held to.
const DATABASE_CASES: &str = include_str!("../../supabase/tests/account_handles.test.sql");

/// The rows `('platform', 'handle', true|false)` of the SQL file, SQL quotes undone.
fn shared_cases() -> Vec<(Platform, String, bool)> {
    DATABASE_CASES
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("('"))
        .map(|line| {
            let fields = sql_fields(line.trim_end_matches([',', ';']).trim_start_matches('(').trim_end_matches(')'));
            let [platform, handle, accepted] = fields.as_slice() else { panic!("a case is three fields: {line}") };
            let platform = platform.parse().unwrap_or_else(|_| panic!("unknown platform in {line}"));
            (platform, handle.clone(), accepted == "true")
        })
        .collect()
}

/// Splits `'a', 'b''c', true` into `a`, `b'c`, `true`.
fn sql_fields(row: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('\'', true) if chars.peek() == Some(&'\'') => {
                field.push('\'');
                chars.next();
            }
            ('\'', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, true) => field.push(c),
            (c, false) if !c.is_whitespace() => field.push(c),
            _ => {}
        }
    }
    fields.push(field);
    fields
}

#[test]
fn agrees_with_the_database_on_every_shared_case() {
    let cases = shared_cases();
    assert!(cases.len() >= 50, "the SQL table was read ({} cases)", cases.len());
    for platform in Platform::ALL {
        assert!(cases.iter().any(|(p, _, ok)| p == platform && *ok), "{platform} has an accepted case");
        assert!(cases.iter().any(|(p, _, ok)| p == platform && !ok), "{platform} has a refused case");
    }
    let disagreements: Vec<_> = cases
        .iter()
        .filter(|(platform, handle, accepted)| check_handle(*platform, handle).is_ok() != *accepted)
        .map(|(platform, handle, accepted)| format!("{platform} {handle:?}: database says {accepted}"))
        .collect();
    assert!(disagreements.is_empty(), "{disagreements:#?}");
}

#[test]
fn the_sql_reader_undoes_quotes() {
    assert_eq!(sql_fields("'facebook', 'o''brien', false"), ["facebook", "o'brien", "false"]);
    assert_eq!(sql_fields("'x', '   ', false"), ["x", "   ", "false"]);
}

#[test]
fn a_typed_handle_loses_its_at_and_outer_spaces_only() {
    assert_eq!(normalize_handle("  @atelier.demo "), "atelier.demo");
    assert_eq!(normalize_handle("@ana@masto.example"), "ana@masto.example");
    assert_eq!(normalize_handle("@my cool handle"), "my cool handle");
}

#[test]
fn says_what_is_wrong_then_the_platform_rule() {
    let message = |platform, typed: &str| check_handle(platform, &normalize_handle(typed)).unwrap_err().to_string();
    assert_eq!(
        message(Platform::Instagram, "@my cool handle"),
        "A handle has no spaces. Instagram handles use letters, digits, periods and underscores (at most 30)."
    );
    assert_eq!(message(Platform::X, "far_too_long_for_x"), "X handles are at most 15 characters.");
    assert_eq!(message(Platform::X, "caption.x"), "X handles use letters, digits and underscores (at most 15).");
    assert_eq!(message(Platform::Mastodon, "ana"), "Mastodon handles are user@instance, like alice@mastodon.social.");
    assert_eq!(message(Platform::Bluesky, "alice"), "Bluesky handles are domain names, like alice.bsky.social.");
    assert_eq!(message(Platform::Tiktok, "@"), "Give the account a handle.");
}

#[test]
fn a_refusal_names_its_problem() {
    let problem = |platform, handle: &str| check_handle(platform, handle).unwrap_err().problem;
    assert_eq!(problem(Platform::Linkedin, "robin\tstudio"), HandleProblem::Whitespace);
    assert_eq!(problem(Platform::Youtube, &"a".repeat(31)), HandleProblem::TooLong { max: 30 });
    assert_eq!(problem(Platform::Bluesky, "alice!.test"), HandleProblem::Characters);
    assert_eq!(problem(Platform::Bluesky, "alice..test"), HandleProblem::Shape);
    assert_eq!(problem(Platform::Mastodon, "ana!@masto.example"), HandleProblem::Characters);
    assert_eq!(problem(Platform::Mastodon, "ana@masto.example:99x"), HandleProblem::Shape);
}
