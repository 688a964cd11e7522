//! Tests of `aspect_ratio`: the parser, serde in the database's spelling, and the lenient read
//! of a generation's `params`.

use super::*;

#[derive(Debug, Deserialize)]
struct Params {
    #[serde(default, deserialize_with = "lenient_ratio")]
    aspect_ratio: Option<AspectRatio>,
}

fn params(json: &str) -> Option<AspectRatio> {
    serde_json::from_str::<Params>(json).unwrap().aspect_ratio
}

#[test]
fn every_ratio_parses_from_and_prints_as_its_database_text() {
    for &ratio in AspectRatio::ALL {
        assert_eq!(ratio.as_str().parse::<AspectRatio>(), Ok(ratio));
        let json = serde_json::to_string(&ratio).unwrap();
        assert_eq!(json, format!("\"{}\"", ratio.as_str()));
        assert_eq!(serde_json::from_str::<AspectRatio>(&json).unwrap(), ratio, "round trip");
    }
}

#[test]
fn other_text_is_refused_in_words() {
    for bad in ["3:2", "", "1:1 ", "4/5", "square"] {
        let err = bad.parse::<AspectRatio>().unwrap_err();
        assert_eq!(err, AspectRatioError::Unknown(bad.to_owned()));
        assert!(err.to_string().contains("pick 1:1, 4:5, 9:16, 16:9 or 2:3"), "{err}");
    }
    assert!(serde_json::from_str::<AspectRatio>("\"3:2\"").is_err(), "serde is as strict as the parser");
}

#[test]
fn a_generations_params_read_an_odd_ratio_as_none() {
    assert_eq!(params(r#"{"aspect_ratio": "9:16"}"#), Some(AspectRatio::Vertical9x16));
    assert_eq!(params(r#"{}"#), None);
    assert_eq!(params(r#"{"aspect_ratio": null}"#), None);
    assert_eq!(params(r#"{"aspect_ratio": "3:2"}"#), None, "not one Atelier makes: the row still reads");
    assert_eq!(params(r#"{"aspect_ratio": 1.5}"#), None, "not even text");
}
