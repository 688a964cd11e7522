//! Tests of `schedule`, kept beside it so the rules stay readable in one sitting.

use super::*;

use super::test_zones::{at, utc, Berlin, NewYork};

fn resolve(zone: &impl ZoneOffsets, name: &str, local: LocalDateTime) -> Result<(EpochMillis, i32), ScheduleError> {
    resolve_local(local, name, zone).map(|r| (r.utc_epoch_ms, r.offset_minutes))
}

#[test]
fn ordinary_times_take_the_offset_in_force() {
    assert_eq!(resolve(&Berlin, "Europe/Berlin", at(2026, 12, 3, 14, 0)), Ok((utc(2026, 12, 3, 13, 0), 60)));
    assert_eq!(resolve(&Berlin, "Europe/Berlin", at(2026, 7, 1, 12, 0)), Ok((utc(2026, 7, 1, 10, 0), 120)));
    assert_eq!(resolve(&NewYork, "America/New_York", at(2026, 1, 1, 0, 0)), Ok((utc(2026, 1, 1, 5, 0), -300)));
    // Crossing midnight and the year backwards.
    assert_eq!(resolve(&Berlin, "Europe/Berlin", at(2027, 1, 1, 0, 30)), Ok((utc(2026, 12, 31, 23, 30), 60)));
}

#[test]
fn spring_forward_times_do_not_exist() {
    // Berlin, Sun 29 Mar 2026: 02:00 becomes 03:00.
    let err = resolve(&Berlin, "Europe/Berlin", at(2026, 3, 29, 2, 30)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Sun 29 Mar, 02:30 does not exist in Europe/Berlin: the clocks go forward from 02:00 to 03:00 that day. \
         Pick 03:00 or later, or a time before 02:00."
    );
    assert!(matches!(err, ScheduleError::Nonexistent { shifted, .. } if shifted == at(2026, 3, 29, 3, 30)));
    assert!(resolve(&Berlin, "Europe/Berlin", at(2026, 3, 29, 2, 0)).is_err());
    assert_eq!(resolve(&Berlin, "Europe/Berlin", at(2026, 3, 29, 1, 59)), Ok((utc(2026, 3, 29, 0, 59), 60)));
    assert_eq!(resolve(&Berlin, "Europe/Berlin", at(2026, 3, 29, 3, 0)), Ok((utc(2026, 3, 29, 1, 0), 120)));
    // New York, Sun 8 Mar 2026.
    let ny = resolve(&NewYork, "America/New_York", at(2026, 3, 8, 2, 15)).unwrap_err();
    assert!(ny.to_string().starts_with("Sun 8 Mar, 02:15 does not exist in America/New_York"), "{ny}");
    assert_eq!(resolve(&NewYork, "America/New_York", at(2026, 3, 8, 3, 0)), Ok((utc(2026, 3, 8, 7, 0), -240)));
}

#[test]
fn autumn_back_times_take_the_earlier_instant_and_say_so() {
    // Berlin, Sun 25 Oct 2026: 02:00–02:59 happens at +2 and again at +1.
    let r = resolve_local(at(2026, 10, 25, 2, 30), "Europe/Berlin", &Berlin).unwrap();
    assert_eq!((r.utc_epoch_ms, r.offset_minutes, r.later_offset_minutes), (utc(2026, 10, 25, 0, 30), 120, Some(60)));
    assert!(r.is_ambiguous());
    assert_eq!(format_offset(r.offset_minutes), "UTC+02:00");
    let after = resolve_local(at(2026, 10, 25, 3, 0), "Europe/Berlin", &Berlin).unwrap();
    assert_eq!((after.utc_epoch_ms, after.later_offset_minutes), (utc(2026, 10, 25, 2, 0), None));
    // New York, Sun 1 Nov 2026: 01:30 is EDT first.
    let ny = resolve_local(at(2026, 11, 1, 1, 30), "America/New_York", &NewYork).unwrap();
    assert_eq!(
        (ny.utc_epoch_ms, ny.offset_minutes, ny.later_offset_minutes),
        (utc(2026, 11, 1, 5, 30), -240, Some(-300))
    );
}

#[test]
fn refuses_times_sooner_than_a_minute_as_the_database_does() {
    let now = utc(2026, 12, 3, 12, 0) + 15_000;
    let soon = schedule_at(at(2026, 12, 3, 13, 1), "Europe/Berlin", &Berlin, now).unwrap_err();
    assert_eq!(
        soon.to_string(),
        "Schedule at least one minute ahead: Thu 3 Dec, 13:01 (Europe/Berlin) is too soon. Pick a later time, or publish now"
    );
    let past = schedule_at(at(2026, 12, 3, 13, 0), "Europe/Berlin", &Berlin, now).unwrap_err();
    assert_eq!(
        past.to_string(),
        "Thu 3 Dec, 13:00 (Europe/Berlin) has already passed: pick a later time, or publish now"
    );
    assert!(schedule_at(at(2026, 12, 3, 13, 2), "Europe/Berlin", &Berlin, now).is_ok());
    // The boundary is exactly one minute, as `p_scheduled_at < now() + interval '1 minute'`.
    assert_eq!(check_lead_time(now + MIN_LEAD_MS, now, "x"), Ok(()));
    assert!(matches!(check_lead_time(now + MIN_LEAD_MS - 1, now, "x"), Err(ScheduleError::TooSoon(_))));
    assert_eq!(check_lead_time(now + MAX_LEAD_MS, now, "x"), Ok(()));
    assert_eq!(
        check_lead_time(now + MAX_LEAD_MS + 1, now, "Fri 3 Dec 2027, 14:00 (UTC)").unwrap_err().to_string(),
        "Schedule within a year: Fri 3 Dec 2027, 14:00 (UTC) is more than 365 days ahead. Pick an earlier time"
    );
}

#[test]
fn refuses_dates_that_do_not_exist() {
    assert!(LocalDateTime::new(2026, 2, 29, 12, 0).is_err());
    assert!(LocalDateTime::new(2028, 2, 29, 12, 0).is_ok());
    assert_eq!(
        LocalDateTime::new(2026, 4, 31, 9, 0).unwrap_err().to_string(),
        "2026-04-31 09:00 is not a valid date and time"
    );
    assert!(LocalDateTime::new(2026, 1, 1, 24, 0).is_err() && LocalDateTime::new(2026, 13, 1, 0, 0).is_err());
}

#[test]
fn formats_times_offsets_and_instants() {
    assert_eq!(format_in_zone(&at(2026, 12, 3, 14, 0), "Europe/Berlin"), "Thu 3 Dec, 14:00 (Europe/Berlin)");
    assert_eq!(at(2024, 2, 29, 9, 5).label(), "Thu 29 Feb, 09:05");
    assert_eq!(at(1970, 1, 1, 0, 0).label(), "Thu 1 Jan, 00:00");
    assert_eq!(
        (format_offset(-300), format_offset(330), format_offset(0)),
        ("UTC-05:00".into(), "UTC+05:30".into(), "UTC".into())
    );
    assert_eq!(to_rfc3339(utc(2026, 12, 3, 13, 0) + 7_000), "2026-12-03T13:00:07Z");
    assert_eq!(LocalDateTime::in_zone(utc(2026, 7, 1, 22, 30), &Berlin), at(2026, 7, 2, 0, 30));
    assert_eq!(at(2026, 12, 31, 23, 30).plus_minutes(60), at(2027, 1, 1, 0, 30));
    assert_eq!(at(2026, 12, 3, 14, 0).to_string(), "2026-12-03 14:00");
}

#[test]
fn civil_dates_round_trip_over_four_centuries() {
    for days in (-146_097..146_097).step_by(97) {
        let (y, m, d) = civil_from_days(days);
        assert_eq!(days_from_civil(y.into(), m.into(), d.into()), days, "{y}-{m}-{d}");
    }
    assert_eq!(days_from_civil(2026, 11, 26), 20_783);
}

#[test]
fn reads_the_input_value() {
    assert_eq!(parse_datetime_local("2026-12-03T14:00").unwrap(), LocalDateTime::new(2026, 12, 3, 14, 0).unwrap());
    assert_eq!(parse_datetime_local("2026-12-03T14:05:30").unwrap().minute, 5);
    for bad in ["", "2026-12-03", "2026-02-30T10:00", "2026-12-03T25:00", "tomorrow"] {
        assert!(parse_datetime_local(bad).is_err(), "{bad}");
    }
}
