//! Tests of `hashtags`, kept beside it so the rules stay readable in one sitting.

use super::*;

fn tag(raw: &str) -> String {
    Hashtag::parse(raw).map(|t| t.to_string()).unwrap_or_else(|e| format!("error: {e}"))
}

#[test]
fn normalises_to_one_leading_hash_without_spaces_or_punctuation() {
    assert_eq!(tag("fox"), "#fox");
    assert_eq!(tag("##Fox"), "#Fox");
    assert_eq!(tag("  summer vibes "), "#summervibes");
    assert_eq!(tag("rock'n'roll!"), "#rocknroll");
    assert_eq!(tag("#new-york.city"), "#newyorkcity");
    assert_eq!(tag("snake_case"), "#snake_case");
}

#[test]
fn keeps_letters_and_digits_of_any_script() {
    assert_eq!(tag("café"), "#café");
    assert_eq!(tag("#東京"), "#東京");
    assert_eq!(tag("2026"), "#2026");
    assert_eq!(tag("Straße"), "#Straße");
    assert_eq!(tag("한국"), "#한국");
    assert_eq!(tag("٣"), "#٣");
}

#[test]
fn drops_emoji_and_numbers_that_are_not_digits() {
    assert_eq!(tag("fox🦊"), "#fox");
    assert_eq!(tag("👍🏽 great"), "#great");
    assert_eq!(tag("x²"), "#x");
    assert_eq!(tag("½price"), "#price");
    // A decomposed accent is a mark, not a letter: the database would refuse it.
    assert_eq!(tag("cafe\u{301}"), "#cafe");
}

#[test]
fn refuses_what_has_nothing_left() {
    assert_eq!(Hashtag::parse("🦊🦊"), Err(HashtagError::Empty { raw: "🦊🦊".into() }));
    assert_eq!(Hashtag::parse("  # "), Err(HashtagError::Empty { raw: "#".into() }));
    assert_eq!(Hashtag::parse("!?"), Err(HashtagError::Empty { raw: "!?".into() }));
    assert_eq!(Hashtag::parse("🦊").unwrap_err().to_string(), "\"🦊\" has no letters or digits to make a hashtag");
}

#[test]
fn refuses_tags_longer_than_the_database_stores() {
    assert_eq!(tag(&"a".repeat(99)).chars().count(), 100);
    assert!(matches!(Hashtag::parse(&"a".repeat(100)), Err(HashtagError::TooLong { .. })));
}

#[test]
fn merges_duplicates_case_insensitively_keeping_the_first_spelling() {
    let set = HashtagSet::from_raw(["Fox", "#fox", "FOX", "wildlife", "#Wildlife", "Café", "#CAFÉ"]).unwrap();
    assert_eq!(set.to_strings(), ["#Fox", "#wildlife", "#Café"]);
    assert!(set.contains("fOx") && set.contains("#café") && !set.contains("#dog"));
}

#[test]
fn one_bad_tag_is_the_error_and_input_adds_nothing_when_a_piece_is_unusable() {
    assert!(matches!(HashtagSet::from_raw(["ok", "🦊"]), Err(HashtagError::Empty { .. })));
    let mut set = HashtagSet::from_raw(["fox"]).unwrap();
    assert!(set.insert_input("#dog, 🎉").is_err());
    assert_eq!(set.to_strings(), ["#fox"]);
}

#[test]
fn typed_input_splits_on_hashes_commas_and_lines() {
    let mut set = HashtagSet::new();
    assert_eq!(set.insert_input("#summer vibes #beach, sun;\nFOX #fox"), Ok(4));
    assert_eq!(set.to_strings(), ["#summervibes", "#beach", "#sun", "#FOX"]);
    assert_eq!(set.insert_input("#Beach"), Ok(0));
    assert!(set.remove("beach") && !set.remove("beach"));
    assert_eq!(set.len(), 3);
}

#[test]
fn finds_tags_in_a_caption_as_the_database_does() {
    assert_eq!(hashtags_in_text("Dawn #fox, #Wild_life! ##x a#b #"), ["#fox", "#Wild_life", "#x", "#b"]);
    assert_eq!(hashtags_in_text("#東京 at night #2026🎉"), ["#東京", "#2026"]);
    assert!(hashtags_in_text("no tags # here").is_empty());
}

#[test]
fn tags_in_the_caption_count_toward_the_cap() {
    let list = HashtagSet::from_raw(["#e", "#f"]).unwrap();
    // publish_generation's own example: 4 in the caption + 2 in the list = 6 on Instagram.
    assert_eq!(post_hashtag_count("#a #b #c #d", &list), 6);
    // Written in both, or twice in any case, a tag counts once.
    assert_eq!(post_hashtag_count("Hello #E #a #A", &list), 3);
    let cap = HashtagCap::check("#a #b #c #d", &list, 5);
    assert!(!cap.fits());
    assert_eq!(cap.over_by(), 1);
    assert_eq!(cap.message("Instagram").unwrap(), "Instagram allows at most 5 hashtags; this post has 6: remove 1");
    let threads = HashtagCap::check("", &HashtagSet::from_raw(["#one", "#two"]).unwrap(), 1);
    assert_eq!(threads.message("Threads").unwrap(), "Threads allows at most 1 hashtag; this post has 2: remove 1");
    assert_eq!(HashtagCap::check("#a", &list, 30).message("TikTok"), None);
}

/// One case of `supabase/functions/generate-caption/suggestion_cases.json`, which
/// generate-caption's `suggest_test.ts` runs too.
#[derive(serde::Deserialize)]
struct SuggestionCase {
    why: String,
    prompt: String,
    max: usize,
    hashtags: Vec<String>,
}

#[test]
fn suggestions_follow_the_cases_generate_caption_passes() {
    let cases: Vec<SuggestionCase> =
        serde_json::from_str(include_str!("../../supabase/functions/generate-caption/suggestion_cases.json")).unwrap();
    assert!(cases.len() >= 5);
    for case in cases {
        let got: Vec<String> =
            suggest_hashtags(&case.prompt, "", &HashtagSet::new(), case.max).iter().map(|t| t.to_string()).collect();
        assert_eq!(got, case.hashtags, "{}", case.why);
    }
}

#[test]
fn suggestions_read_the_prompt_only_and_skip_tags_the_post_has() {
    let existing = HashtagSet::from_raw(["#Fox"]).unwrap();
    let caption = "A red fox at dawn ✨ Couldn't stop thinking about it. Tell us below #dawn #forest";
    let got =
        suggest_hashtags("A red fox in the snowy forest at dawn, highly detailed 4k photo", caption, &existing, 5);
    let got: Vec<String> = got.iter().map(|t| t.to_string()).collect();
    // fox is in the list, forest and dawn in the caption; nothing of the caption's words.
    assert_eq!(got, ["#red", "#snowy"]);
    let two: Vec<String> =
        suggest_hashtags("red fox snowy forest", "", &existing, 2).iter().map(|t| t.to_string()).collect();
    assert_eq!(two, ["#red", "#snowy"], "max counts the suggestions shown, after skipping #fox");
}

fn set(tags: &[&str]) -> HashtagSet {
    HashtagSet::from_raw(tags).unwrap()
}

#[test]
fn a_field_is_read_once_into_a_set_and_shown_back_as_typed() {
    let tags = HashtagSet::from_input("#fox #Noon, dawn #FOX").unwrap();
    assert_eq!(tags.to_strings(), ["#fox", "#Noon", "#dawn"]);
    assert_eq!(tags.to_string(), "#fox #Noon #dawn");
    assert_eq!(HashtagSet::from_input(&tags.to_string()).unwrap(), tags, "what a field shows reads back the same");
    assert!(HashtagSet::from_input("  ").unwrap().is_empty());
    assert_eq!(HashtagSet::from_input("#fox #!!!"), Err(HashtagError::Empty { raw: "!!!".into() }));
    assert_eq!(tags.first(2), set(&["#fox", "#Noon"]));
    let mut cut = tags.clone();
    cut.truncate(1);
    assert_eq!(cut, set(&["#fox"]));
}

#[test]
fn sets_round_trip_through_serde_as_the_stored_text() {
    let tags = set(&["#fox", "#東京", "#snake_case"]);
    let json = serde_json::to_string(&tags).unwrap();
    assert_eq!(json, r##"["#fox","#東京","#snake_case"]"##);
    assert_eq!(serde_json::from_str::<HashtagSet>(&json).unwrap(), tags);
    assert_eq!(serde_json::from_str::<HashtagSet>(r##"["#fox","#Fox"]"##).unwrap(), set(&["#fox"]), "each once");
    for bad in [r##"["fox"]"##, r##"["#!!!"]"##, r##"["#new york"]"##, r##"[3]"##] {
        assert!(serde_json::from_str::<HashtagSet>(bad).is_err(), "{bad} is not a stored tag list");
    }
}

#[test]
fn suggested_tags_are_normalised_and_odd_ones_left_out() {
    #[derive(serde::Deserialize)]
    struct Suggestion {
        #[serde(default, deserialize_with = "lenient_hashtags")]
        hashtags: HashtagSet,
    }
    let read = |json: &str| serde_json::from_str::<Suggestion>(json).unwrap().hashtags;
    assert_eq!(read(r##"{"hashtags": ["fox", "#!!!", "#Fox", "summer vibes"]}"##), set(&["#fox", "#summervibes"]));
    assert!(read("{}").is_empty());
    assert!(read(r#"{"hashtags": null}"#).is_empty());
}
