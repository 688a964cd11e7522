//! Tests of `schedule_time`: resolving once, what a resolved time says, and serde.

use super::*;
use crate::domain::schedule::test_zones::{at, utc, Berlin};

fn now() -> EpochMillis {
    utc(2026, 10, 1, 0, 0)
}

#[test]
fn a_pick_resolves_once_to_an_instant_in_its_zone() {
    let t = ScheduleTime::resolve(at(2026, 12, 3, 14, 0), "Europe/Berlin", &Berlin, now()).unwrap();
    assert_eq!(t.at(), utc(2026, 12, 3, 13, 0));
    assert_eq!((t.zone(), t.local()), ("Europe/Berlin", at(2026, 12, 3, 14, 0)));
    assert_eq!(t.label(), "Thu 3 Dec, 14:00 (Europe/Berlin)");
    assert_eq!(serde_json::to_string(&t).unwrap(), "\"2026-12-03T13:00:00Z\"", "as p_scheduled_at takes it");
    let twice = ScheduleTime::resolve(at(2026, 10, 25, 2, 30), "Europe/Berlin", &Berlin, now()).unwrap();
    assert_eq!(twice.label(), "Sun 25 Oct, 02:30 (Europe/Berlin), UTC+02:00", "the offset taken is named");
}

#[test]
fn a_time_that_cannot_be_scheduled_never_becomes_one() {
    let skipped = ScheduleTime::resolve(at(2026, 3, 29, 2, 30), "Europe/Berlin", &Berlin, utc(2026, 3, 1, 0, 0));
    assert!(matches!(skipped, Err(ScheduleError::Nonexistent { .. })), "{skipped:?}");
    let past = ScheduleTime::resolve(at(2026, 9, 30, 9, 0), "Europe/Berlin", &Berlin, now());
    assert!(matches!(past, Err(ScheduleError::InPast(_))), "{past:?}");
    let far = ScheduleTime::resolve(at(2027, 11, 1, 9, 0), "Europe/Berlin", &Berlin, now());
    assert!(matches!(far, Err(ScheduleError::TooFar(_))), "{far:?}");
}

#[test]
fn a_wall_clock_pick_is_kept_as_its_datetime_local_value() {
    let local = at(2026, 12, 8, 9, 5);
    assert_eq!(local.datetime_local(), "2026-12-08T09:05");
    assert_eq!(parse_datetime_local(&local.datetime_local()), Ok(local));
    let json = serde_json::to_string(&local).unwrap();
    assert_eq!(json, "\"2026-12-08T09:05\"");
    assert_eq!(serde_json::from_str::<LocalDateTime>(&json).unwrap(), local, "round trip");
    assert_eq!(serde_json::from_str::<LocalDateTime>("\"2026-12-08T09:05:30\"").unwrap(), local, "seconds dropped");
    for bad in ["\"2026-02-30T10:00\"", "\"2026-12-08T24:00\"", "\"tomorrow\"", "\"\"", "7"] {
        assert!(serde_json::from_str::<LocalDateTime>(bad).is_err(), "{bad}");
    }
}
