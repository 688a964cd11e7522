//! Tests of `caption`, kept beside it so the rules stay readable in one sitting. The samples
//! are the ones `supabase/tests/post_text.test.sql` asserts on the database's side.

use super::*;

const NONE: [&str; 0] = [];

#[test]
fn composes_as_the_database_does() {
    // Each case is what `select public.compose_post_text(caption, hashtags)` returns.
    assert_eq!(compose_post_text("Fox at dawn", &["#fox", "#wildlife"]), "Fox at dawn\n\n#fox #wildlife");
    assert_eq!(compose_post_text("Fox at dawn", &NONE), "Fox at dawn");
    assert_eq!(compose_post_text("", &["#fox", "#wildlife"]), "#fox #wildlife");
    assert_eq!(compose_post_text("", &NONE), "");
    assert_eq!(compose_post_text("#a #b #c #d", &["#e", "#f"]), "#a #b #c #d\n\n#e #f");
    // Not trimmed: a blank caption is not an empty one.
    assert_eq!(compose_post_text("  ", &["#x"]), "  \n\n#x");
    assert_eq!(compose_post_text("line one\n", &["#x"]), "line one\n\n\n#x");
}

#[test]
fn counts_code_points_like_char_length() {
    // char_length('Café 🦊') = 6; char_length of a flag (two regional indicators) = 2.
    assert_eq!(LengthUnit::Characters.measure("Café 🦊"), 6);
    assert_eq!(LengthUnit::Characters.measure("🇩🇪"), 2);
    assert_eq!(LengthUnit::Characters.measure("東京"), 2);
    // The blank line counts: 3 + 2 + 4.
    assert_eq!(TextLength::of_post("Fox", &["#fox"], 280, LengthUnit::Characters).length, 9);
}

#[test]
fn threads_counts_utf8_bytes_like_octet_length() {
    assert_eq!(LengthUnit::from_counts_bytes(true), LengthUnit::Bytes);
    assert_eq!(LengthUnit::Bytes.measure("Café 🦊"), 10);
    assert_eq!(LengthUnit::Bytes.measure("東京"), 6);
    // publish_generation's own case: 126 foxes are 126 characters but 504 bytes.
    let foxes = "🦊".repeat(126);
    let threads = TextLength::of(&foxes, 500, LengthUnit::Bytes);
    assert_eq!((threads.length, threads.fits(), threads.over_by()), (504, false, 4));
    assert!(TextLength::of(&foxes, 500, LengthUnit::Characters).fits());
    assert_eq!(TextLength::of(&"🦊".repeat(125), 500, LengthUnit::Bytes).remaining(), 0);
    assert!(TextLength::of(&"🦊".repeat(125), 500, LengthUnit::Bytes).fits());
}

#[test]
fn says_how_far_over_and_how_much_is_left() {
    let x = TextLength::of(&"x".repeat(281), 280, LengthUnit::Characters);
    assert_eq!((x.fits(), x.over_by(), x.remaining()), (false, 1, 0));
    assert_eq!(x.to_string(), "281 / 280 characters");
    assert_eq!(x.message("X").unwrap(), "The text is too long for X (280 characters max): shorten it by 1 character");
    let exact = TextLength::of(&"x".repeat(280), 280, LengthUnit::Characters);
    assert!(exact.fits() && exact.message("X").is_none());
    // Hashtags push a caption that fits alone over the limit.
    let with_tags = TextLength::of_post(&"x".repeat(270), &["#toolongnow"], 280, LengthUnit::Characters);
    assert_eq!(with_tags.over_by(), 3);
    let bytes = TextLength::of(&"🦊".repeat(126), 500, LengthUnit::Bytes);
    assert_eq!(
        bytes.message("Threads").unwrap(),
        "The text is too long for Threads (500 bytes max): shorten it by 4 bytes"
    );
}

// --- Links, byte caps and account limits (private.post_text_length / post_text_fits) -------

/// Bluesky's row: 300 code points and 3,000 bytes, links as written.
const BLUESKY: TextRule = TextRule { max: 300, unit: LengthUnit::Characters, max_bytes: Some(3000), url_length: None };
/// Mastodon's row: 500 code points, every link 23.
const MASTODON: TextRule = TextRule { max: 500, unit: LengthUnit::Characters, max_bytes: None, url_length: Some(23) };

/// A family (man, woman, girl, boy joined by three zero-width joiners): one grapheme, 7 code
/// points, 25 bytes.
const FAMILY: &str = "👨\u{200d}👩\u{200d}👧\u{200d}👦";

#[test]
fn emoji_families_flags_and_accents_count_in_code_points() {
    assert_eq!(BLUESKY.length(FAMILY), 7);
    assert_eq!(FAMILY.len(), 25);
    assert_eq!(BLUESKY.length("🇩🇪🇫🇷"), 4, "a flag is two regional indicators");
    assert_eq!(BLUESKY.length("Café"), 4, "a precomposed é is one code point");
    assert_eq!(BLUESKY.length("Cafe\u{301}"), 5, "an e and a combining accent are two");
    assert_eq!(BLUESKY.length("🦊"), 1);
}

#[test]
fn bluesky_takes_300_code_points_and_refuses_301() {
    for unit in ["x", "é", "🦊", "🇩"] {
        let at_limit = BLUESKY.measure(&unit.repeat(300));
        assert!(at_limit.fits(), "300 × {unit}: {at_limit}");
        let over = BLUESKY.measure(&unit.repeat(301));
        assert!(!over.fits(), "301 × {unit}");
        assert_eq!(
            over.message("Bluesky").unwrap(),
            "The text is too long for Bluesky (300 characters max): shorten it by 1 character"
        );
    }
    // 42 families are 294 code points (42 graphemes: cautious, never fewer than Bluesky counts).
    assert!(BLUESKY.measure(&FAMILY.repeat(42)).fits());
    assert!(!BLUESKY.measure(&format!("{}🦊🦊🦊🦊🦊🦊🦊", FAMILY.repeat(42))).fits());
}

#[test]
fn a_byte_cap_refuses_what_the_character_limit_allows() {
    // An account allowed 1,000 characters, on a platform capping 3,000 bytes: 750 foxes are
    // 3,000 bytes and fit; 751 are 3,004 bytes and do not, though only 751 characters.
    let rule = TextRule { max: 1000, ..BLUESKY };
    let fits = rule.measure(&"🦊".repeat(750));
    assert_eq!((fits.length, fits.bytes, fits.fits()), (750, 3000, true));
    let over = rule.measure(&"🦊".repeat(751));
    assert_eq!((over.length, over.bytes, over.fits(), over.over_by(), over.bytes_over()), (751, 3004, false, 0, 4));
    assert_eq!(
        over.message("Bluesky").unwrap(),
        "The text is too long for Bluesky (3000 bytes max): shorten it by 4 bytes"
    );
    assert_eq!(over.to_string(), "751 / 1000 characters, 3004 / 3000 bytes");
    assert_eq!(fits.to_string(), "750 / 1000 characters");
    // Without a cap, bytes do not matter.
    assert!(TextRule { max_bytes: None, ..rule }.measure(&"🦊".repeat(751)).fits());
}

#[test]
fn bluesky_counts_links_as_written() {
    let link = format!("https://example.com/{}", "a".repeat(580));
    assert_eq!(BLUESKY.length(&link), 600);
    assert!(!BLUESKY.measure(&link).fits());
}

#[test]
fn mastodon_counts_every_link_as_23() {
    let link = format!("https://example.com/{}", "a".repeat(580));
    assert_eq!(link.chars().count(), 600);
    assert_eq!(MASTODON.length(&link), 23);
    assert_eq!(MASTODON.length(&format!("Look: {link}")), 6 + 23);
    assert_eq!(MASTODON.length("a http://b.example and https://c.example/é?x=1 end"), 2 + 23 + 5 + 23 + 4);
    assert_eq!(MASTODON.length("short http://x"), 6 + 23, "a short link weighs 23 too");
    // A link ends at any Unicode whitespace, as the database's pattern spells it out.
    assert_eq!(MASTODON.length("https://a.example\u{a0}rest"), 23 + 5);
    assert_eq!(MASTODON.length("https://a.example\u{3000}東京"), 23 + 3);
    // Not links: a bare scheme, another scheme, another case (the database's match is case-sensitive).
    assert_eq!(MASTODON.length("http:// x"), 9);
    assert_eq!(MASTODON.length("ftp://a.example"), 15);
    assert_eq!(MASTODON.length("HTTPS://A.EXAMPLE"), 17);
    // Emoji and accents outside links still count in code points, inside they vanish into the 23.
    assert_eq!(MASTODON.length(&format!("{FAMILY} https://e.example/🦊🦊 café")), 7 + 1 + 23 + 5);
    // A link glued to a word still starts at its scheme.
    assert_eq!(MASTODON.length("seehttps://a.example"), 3 + 23);
    let many = format!("{} https://x.example/{}", "x".repeat(476), "y".repeat(900));
    assert!(MASTODON.measure(&many).fits(), "476 + 1 + 23 = 500");
}

#[test]
fn link_spans_are_leftmost_and_never_overlap() {
    let text = "a https://x.example/p?q=1 http://y b https:// c";
    let found: Vec<&str> = link_spans(text).into_iter().map(|r| &text[r]).collect();
    assert_eq!(found, ["https://x.example/p?q=1", "http://y"]);
    assert_eq!(link_spans("https://a.example/http://b.example").len(), 1);
    assert!(link_spans("").is_empty() && link_spans("no links, 🦊").is_empty());
}

#[test]
fn an_accounts_own_limit_replaces_the_platforms() {
    // A Mastodon instance allowing 1,000 characters: 800 fit there, not on the platform's 500.
    let text = "x".repeat(800);
    assert!(!MASTODON.measure(&text).fits());
    assert!(TextRule { max: 1000, ..MASTODON }.measure(&text).fits());
}
