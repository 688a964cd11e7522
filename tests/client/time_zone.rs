//! `BrowserZone`, the app's zone oracle, on Chromium's real `Intl` data (the domain's own
//! tests use a hand-written rule). Past transitions only, so the zone data cannot move under
//! the test: the autumn hour the clocks pass twice (the domain takes the earlier instant and
//! reports the later offset), a half-hour zone, and southern-hemisphere zones whose summer
//! time runs from October to April.

use atelier::domain::schedule::{
    format_offset, resolve_local, EpochMillis, LocalDateTime, Resolved, ScheduleError, ZoneOffsets,
};
use atelier::services::time_zone::BrowserZone;
use wasm_bindgen_test::wasm_bindgen_test;

const HOUR_MS: EpochMillis = 3_600_000;

fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> LocalDateTime {
    LocalDateTime::new(year, month, day, hour, minute).unwrap()
}

/// An instant given as its UTC date and time.
fn utc(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> EpochMillis {
    at(year, month, day, hour, minute).wall_clock_ms()
}

fn zone(name: &str) -> BrowserZone {
    BrowserZone::new(name).unwrap_or_else(|e| panic!("Chromium knows {name}: {e}"))
}

/// Resolves `local` in `zone` through the app's scheduling path, with "now" a day before it.
fn schedule(zone: &BrowserZone, local: LocalDateTime) -> Result<Resolved, ScheduleError> {
    zone.schedule(local, local.wall_clock_ms() - 24 * HOUR_MS)
}

/// (instant, offset, later offset) of a resolved time, to compare in one line.
fn parts(r: Resolved) -> (EpochMillis, i32, Option<i32>) {
    (r.utc_epoch_ms, r.offset_minutes, r.later_offset_minutes)
}

/// Asserts the offset changes from `before` to `after` exactly at `instant` (to the millisecond).
fn assert_transition(zone: &BrowserZone, instant: EpochMillis, before: i32, after: i32) {
    assert_eq!(zone.offset_minutes_at(instant - 1), before, "{} just before the change", zone.name());
    assert_eq!(zone.offset_minutes_at(instant), after, "{} at the change", zone.name());
}

fn assert_skipped(zone: &BrowserZone, local: LocalDateTime, gap: (&str, &str), shifted_to: LocalDateTime) {
    match schedule(zone, local) {
        Err(ScheduleError::Nonexistent { zone: named, gap_start, gap_end, shifted, .. }) => {
            assert_eq!(named, zone.name());
            assert_eq!((gap_start.as_str(), gap_end.as_str()), gap, "the gap in {}", zone.name());
            assert_eq!(shifted, shifted_to);
        }
        other => panic!("{local:?} is skipped in {}: got {other:?}", zone.name()),
    }
}

#[wasm_bindgen_test]
fn berlins_repeated_autumn_hour_takes_the_earlier_instant_and_names_the_later_offset() {
    let berlin = zone("Europe/Berlin");
    // Sun 29 Oct 2023: at 01:00 UTC (03:00 CEST) the clocks go back to 02:00 CET.
    assert_transition(&berlin, utc(2023, 10, 29, 1, 0), 120, 60);
    let first_pass = utc(2023, 10, 29, 0, 30);
    let second_pass = utc(2023, 10, 29, 1, 30);
    assert_eq!(berlin.local_parts(first_pass), at(2023, 10, 29, 2, 30));
    assert_eq!(berlin.local_parts(second_pass), at(2023, 10, 29, 2, 30), "02:30 happens twice");

    let r = schedule(&berlin, at(2023, 10, 29, 2, 30)).expect("a repeated time is schedulable");
    assert_eq!(parts(r), (first_pass, 120, Some(60)), "the earlier pass (CEST), naming CET as the later");
    assert!(r.is_ambiguous());
    assert_eq!(format_offset(r.offset_minutes), "UTC+02:00");
    // The hour's edges: 02:00 is passed twice too; 01:59 and 03:00 once.
    assert_eq!(parts(schedule(&berlin, at(2023, 10, 29, 2, 0)).unwrap()), (utc(2023, 10, 29, 0, 0), 120, Some(60)));
    assert_eq!(parts(schedule(&berlin, at(2023, 10, 29, 1, 59)).unwrap()), (utc(2023, 10, 28, 23, 59), 120, None));
    assert_eq!(parts(schedule(&berlin, at(2023, 10, 29, 3, 0)).unwrap()), (utc(2023, 10, 29, 2, 0), 60, None));
    // And the same year's spring gap, for contrast: Sun 26 Mar 2023, 02:00 -> 03:00.
    assert_skipped(&berlin, at(2023, 3, 26, 2, 30), ("02:00", "03:00"), at(2023, 3, 26, 3, 30));
}

#[wasm_bindgen_test]
fn a_half_hour_zone_keeps_its_thirty_minutes() {
    let kolkata = zone("Asia/Kolkata");
    assert_eq!(kolkata.name(), "Asia/Kolkata", "the name as given, not Chromium's Asia/Calcutta");
    for instant in [utc(2023, 1, 15, 12, 0), utc(2023, 7, 15, 12, 0)] {
        assert_eq!(kolkata.offset_minutes_at(instant), 330, "no summer time in India");
    }
    let r = schedule(&kolkata, at(2023, 6, 15, 9, 0)).unwrap();
    assert_eq!(parts(r), (utc(2023, 6, 15, 3, 30), 330, None));
    assert_eq!(format_offset(r.offset_minutes), "UTC+05:30");
    assert_eq!(kolkata.local_parts(utc(2023, 12, 31, 18, 45)), at(2024, 1, 1, 0, 15), "across midnight and the year");

    // Adelaide: half an hour off with summer time (+10:30 to +09:30, Sun 2 Apr 2023, 03:00 ACDT).
    let adelaide = zone("Australia/Adelaide");
    assert_transition(&adelaide, utc(2023, 4, 1, 16, 30), 630, 570);
    let r = resolve_local(at(2023, 4, 2, 2, 30), adelaide.name(), &adelaide).unwrap();
    assert_eq!(parts(r), (utc(2023, 4, 1, 16, 0), 630, Some(570)));
    assert_eq!(format_offset(r.later_offset_minutes.unwrap()), "UTC+09:30");
    // Sun 1 Oct 2023: 02:00 ACST becomes 03:00 ACDT.
    assert_skipped(&adelaide, at(2023, 10, 1, 2, 30), ("02:00", "03:00"), at(2023, 10, 1, 3, 30));
}

#[wasm_bindgen_test]
fn southern_zones_have_summer_time_from_october_to_april() {
    let sydney = zone("Australia/Sydney");
    assert_eq!(sydney.offset_minutes_at(utc(2023, 1, 15, 0, 0)), 660, "January is summer (AEDT)");
    assert_eq!(sydney.offset_minutes_at(utc(2023, 7, 15, 0, 0)), 600, "July is winter (AEST)");
    // Sun 2 Apr 2023, 03:00 AEDT (16:00 UTC): back to 02:00 AEST, so 02:30 happens twice.
    assert_transition(&sydney, utc(2023, 4, 1, 16, 0), 660, 600);
    let r = schedule(&sydney, at(2023, 4, 2, 2, 30)).unwrap();
    assert_eq!(parts(r), (utc(2023, 4, 1, 15, 30), 660, Some(600)), "the earlier pass, in summer time");
    assert_eq!(sydney.local_parts(utc(2023, 4, 1, 16, 30)), at(2023, 4, 2, 2, 30), "the second pass");
    // Sun 1 Oct 2023, 02:00 AEST (16:00 UTC the day before): forward to 03:00 AEDT.
    assert_transition(&sydney, utc(2023, 9, 30, 16, 0), 600, 660);
    assert_skipped(&sydney, at(2023, 10, 1, 2, 30), ("02:00", "03:00"), at(2023, 10, 1, 3, 30));
    assert_eq!(parts(schedule(&sydney, at(2023, 10, 1, 3, 0)).unwrap()), (utc(2023, 9, 30, 16, 0), 660, None));

    // Santiago changes at midnight: Sat 1 Apr 2023 24:00 (-03) became 23:00 (-04), and
    // Sun 3 Sep 2023 00:00 (-04) became 01:00 (-03), a day without 00:30.
    let santiago = zone("America/Santiago");
    assert_transition(&santiago, utc(2023, 4, 2, 3, 0), -180, -240);
    let r = schedule(&santiago, at(2023, 4, 1, 23, 30)).unwrap();
    assert_eq!(parts(r), (utc(2023, 4, 2, 2, 30), -180, Some(-240)));
    assert_transition(&santiago, utc(2023, 9, 3, 4, 0), -240, -180);
    assert_skipped(&santiago, at(2023, 9, 3, 0, 30), ("00:00", "01:00"), at(2023, 9, 3, 1, 30));
}
