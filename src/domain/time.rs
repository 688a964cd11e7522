//! Timestamps as PostgREST and Realtime send them (`2026-11-26T10:00:00.123456+00:00`, or
//! with `Z`), read into microseconds since the Unix epoch so they compare as instants, not
//! as strings: Postgres trims trailing zeros of the fraction and may use any UTC offset.

/// Microseconds since 1970-01-01T00:00:00Z.
pub type EpochMicros = i64;

/// Parses an RFC 3339 / ISO 8601 timestamp with a date, a time, an optional fraction and a
/// `Z` or `±HH:MM` (or `±HH`, `±HHMM`) offset. `None` when it is not one.
pub fn parse_timestamp(text: &str) -> Option<EpochMicros> {
    let text = text.trim();
    let (date, rest) = text.split_at_checked(10)?;
    let mut d = date.split('-');
    let year: i64 = d.next()?.parse().ok()?;
    let month: u32 = d.next()?.parse().ok()?;
    let day: u32 = d.next()?.parse().ok()?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let (clock, offset_secs) = split_offset(rest)?;
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, fraction),
        None => (clock, ""),
    };
    let mut t = hms.split(':');
    let hour: i64 = t.next()?.parse().ok()?;
    let minute: i64 = t.next()?.parse().ok()?;
    let second: i64 = t.next().map_or(Some(0), |s| s.parse().ok())?;
    if !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let micros: i64 = format!("{:0<6}", &fraction[..fraction.len().min(6)]).parse().ok()?;
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_secs;
    Some(secs * 1_000_000 + micros)
}

/// Splits `HH:MM:SS.fff+01:00` into the clock part and the offset in seconds east of UTC.
fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let at = rest.rfind(['+', '-'])?;
    let (clock, offset) = rest.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let digits: String = offset[1..].chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) {
        return None;
    }
    let hours: i64 = digits[..2].parse().ok()?;
    let minutes: i64 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
    Some((clock, sign * (hours * 3600 + minutes * 60)))
}

/// Whether `year` is a leap year in the proleptic Gregorian calendar.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in a month of a year.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to a civil date (Howard Hinnant's well-known algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_postgrest_and_realtime_shapes() {
        let a = parse_timestamp("2026-11-26T10:00:00+00:00").unwrap();
        assert_eq!(a, 1_795_687_200 * 1_000_000);
        assert_eq!(parse_timestamp("2026-11-26T10:00:00Z"), Some(a));
        assert_eq!(parse_timestamp("2026-11-26 11:00:00+01"), Some(a));
        assert_eq!(parse_timestamp("2026-11-26T10:00:00.5+00:00"), Some(a + 500_000));
        assert_eq!(parse_timestamp("2026-11-26T10:00:00.123456+00:00"), Some(a + 123_456));
        assert_eq!(parse_timestamp("2026-11-26T05:30:00-04:30"), Some(a));
    }

    #[test]
    fn orders_as_instants_where_strings_would_not() {
        // Same instant in two offsets, and a trimmed fraction: string order would lie.
        let later = parse_timestamp("2026-11-26T10:00:00.1+00:00").unwrap();
        let earlier = parse_timestamp("2026-11-26T11:00:00.09+01:00").unwrap();
        assert!(later > earlier);
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for bad in
            ["", "2026-11-26", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-26T10:00:00.x+00:00", "nope"]
        {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
        assert!(parse_timestamp("2024-02-29T00:00:00Z").is_some());
    }
}
