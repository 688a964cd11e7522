//! The app's tones against the ones `generate-caption` accepts, read from the function's source.

use super::*;

/// The function's tone list: the JSON array of `export const TONES = [...]` in its `tones.ts`.
fn function_tones() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/supabase/functions/generate-caption/tones.ts");
    let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let start =
        source.find("export const TONES = [").unwrap_or_else(|| panic!("no `export const TONES = [` in {path}"));
    let list = &source[start + "export const TONES = ".len()..];
    let end = list.find(']').expect("the list closes") + 1;
    serde_json::from_str(&list[..end]).unwrap_or_else(|e| panic!("{path}: TONES is not a JSON list of strings: {e}"))
}

#[test]
fn the_app_offers_exactly_the_tones_generate_caption_accepts() {
    let ours: Vec<&str> = CaptionTone::ALL.iter().map(|t| t.as_str()).collect();
    assert_eq!(ours, function_tones(), "src/domain/caption_tone.rs differs from generate-caption/tones.ts");
}

#[test]
fn every_tone_has_its_own_value_and_label() {
    let mut values: Vec<&str> = CaptionTone::ALL.iter().map(|t| t.as_str()).collect();
    let labels: Vec<&str> = CaptionTone::ALL.iter().map(|t| t.label()).collect();
    assert_eq!(labels, ["Playful", "Professional", "Inspiring", "Minimal"]);
    values.dedup();
    assert_eq!(values.len(), CaptionTone::ALL.len());
    for t in CaptionTone::ALL {
        assert_eq!(t.label().to_lowercase(), t.as_str());
    }
}

#[test]
fn tones_parse_from_and_serialise_as_the_functions_value() {
    assert_eq!(CaptionTone::default(), CaptionTone::ALL[0], "the first offered is the default");
    for &tone in CaptionTone::ALL {
        assert_eq!(tone.as_str().parse::<CaptionTone>(), Ok(tone));
        let json = serde_json::to_string(&tone).unwrap();
        assert_eq!(json, format!("\"{}\"", tone.as_str()));
        assert_eq!(serde_json::from_str::<CaptionTone>(&json).unwrap(), tone, "round trip");
    }
}

#[test]
fn other_text_is_not_a_tone() {
    for bad in ["", "Playful", "sarcastic", " minimal"] {
        let err = bad.parse::<CaptionTone>().unwrap_err();
        assert_eq!(err, ToneError::Unknown(bad.to_owned()));
        assert!(err.to_string().starts_with(&format!("\"{bad}\" is not a tone")), "{err}");
    }
    assert!(serde_json::from_str::<CaptionTone>("\"sarcastic\"").is_err());
}
