//! Ages as people say them: "just now", "5 min ago", then a calendar date; and how long
//! something has been waiting: "12 s", "3 min 5 s".

/// "just now", "5 min ago", "3 h ago", "2 d ago", else a short locale date ("Nov 26").
pub fn short_date(timestamp: &str) -> String {
    let date = js_sys::Date::new(&timestamp.into());
    let millis = date.get_time();
    if millis.is_nan() {
        return String::new();
    }
    let age_secs = (js_sys::Date::now() - millis) / 1000.0;
    relative_label(age_secs).unwrap_or_else(|| {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"month".into(), &"short".into());
        let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
        String::from(date.to_locale_date_string("default", &options))
    })
}

/// "12 s", "3 min 5 s": how long a card has been waiting.
pub fn elapsed_label(since_ms: f64, now_ms: f64) -> String {
    let secs = ((now_ms - since_ms) / 1000.0).max(0.0) as u64;
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} min {} s", secs / 60, secs % 60)
    }
}

/// A relative label for an age in seconds, or `None` when a calendar date reads better.
fn relative_label(age_secs: f64) -> Option<String> {
    let age = age_secs.max(0.0) as u64;
    match age {
        0..60 => Some("just now".to_owned()),
        60..3600 => Some(format!("{} min ago", age / 60)),
        3600..86_400 => Some(format!("{} h ago", age / 3600)),
        86_400..604_800 => Some(format!("{} d ago", age / 86_400)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{elapsed_label, relative_label};

    #[test]
    fn ages_read_naturally() {
        assert_eq!(relative_label(-5.0).as_deref(), Some("just now"));
        assert_eq!(relative_label(59.0).as_deref(), Some("just now"));
        assert_eq!(relative_label(150.0).as_deref(), Some("2 min ago"));
        assert_eq!(relative_label(7200.0).as_deref(), Some("2 h ago"));
        assert_eq!(relative_label(3.0 * 86_400.0).as_deref(), Some("3 d ago"));
        assert_eq!(relative_label(8.0 * 86_400.0), None);
    }

    #[test]
    fn waits_read_in_seconds_then_minutes() {
        assert_eq!(elapsed_label(1_000.0, 13_500.0), "12 s");
        assert_eq!(elapsed_label(0.0, 185_000.0), "3 min 5 s");
        assert_eq!(elapsed_label(5_000.0, 1_000.0), "0 s");
    }
}
