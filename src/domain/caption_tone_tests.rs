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
