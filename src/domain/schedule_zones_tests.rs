//! Tests of `schedule_zones`: the same wall-clock time on each account's clock.

use super::*;
use crate::domain::schedule::test_zones::{at, utc, Berlin, NewYork};

/// Two real zones as one type, as the browser's zones are.
enum Zone {
    /// Europe/Paris keeps the EU rule, as Berlin does.
    Paris,
    NewYork,
}

impl ZoneOffsets for Zone {
    fn offset_minutes_at(&self, t: EpochMillis) -> i32 {
        match self {
            Zone::Paris => Berlin.offset_minutes_at(t),
            Zone::NewYork => NewYork.offset_minutes_at(t),
        }
    }
}

fn both() -> Vec<(String, &'static str, &'static Zone)> {
    vec![
        ("paris-account".into(), "Europe/Paris", &Zone::Paris),
        ("ny-account".into(), "America/New_York", &Zone::NewYork),
    ]
}

fn instants(resolved: &[(String, Resolved)]) -> Vec<(&str, EpochMillis)> {
    resolved.iter().map(|(id, r)| (id.as_str(), r.utc_epoch_ms)).collect()
}

fn now() -> EpochMillis {
    utc(2026, 1, 10, 12, 0)
}

#[test]
fn the_same_time_is_one_instant_per_zone() {
    let each = schedule_each(at(2026, 12, 3, 9, 0), &both(), now()).unwrap();
    assert_eq!(instants(&each), [("paris-account", utc(2026, 12, 3, 8, 0)), ("ny-account", utc(2026, 12, 3, 14, 0))]);
    // Summer: both zones on daylight time.
    let each = schedule_each(at(2026, 7, 1, 9, 0), &both(), now()).unwrap();
    assert_eq!(instants(&each), [("paris-account", utc(2026, 7, 1, 7, 0)), ("ny-account", utc(2026, 7, 1, 13, 0))]);
}

#[test]
fn a_time_the_clocks_skip_in_one_zone_refuses_the_schedule_naming_that_zone() {
    // Paris springs forward on Sun 29 Mar 2026 (02:00 → 03:00); New York did on 8 Mar.
    let err = schedule_each(at(2026, 3, 29, 2, 30), &both(), now()).unwrap_err();
    assert!(matches!(&err, ScheduleError::Nonexistent { zone, .. } if zone == "Europe/Paris"), "{err}");
    let err = schedule_each(at(2026, 3, 8, 2, 30), &both(), now()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Sun 8 Mar, 02:30 does not exist in America/New_York: the clocks go forward from 02:00 to 03:00 that day. \
         Pick 03:00 or later, or a time before 02:00."
    );
}

#[test]
fn a_time_the_clocks_pass_twice_takes_the_earlier_instant_in_that_zone() {
    // Paris falls back on Sun 25 Oct 2026: 02:30 happens at +2 first.
    let each = schedule_each(at(2026, 10, 25, 2, 30), &both(), now()).unwrap();
    assert_eq!(
        instants(&each),
        [("paris-account", utc(2026, 10, 25, 0, 30)), ("ny-account", utc(2026, 10, 25, 6, 30))]
    );
    assert_eq!(each[0].1.later_offset_minutes, Some(60));
    assert!(!each[1].1.is_ambiguous());
    // New York falls back on Sun 1 Nov 2026: 01:30 is EDT first.
    let each = schedule_each(at(2026, 11, 1, 1, 30), &both(), now()).unwrap();
    assert_eq!(instants(&each), [("paris-account", utc(2026, 11, 1, 0, 30)), ("ny-account", utc(2026, 11, 1, 5, 30))]);
    assert_eq!(each[1].1.later_offset_minutes, Some(-300));
}

#[test]
fn each_account_is_held_to_the_one_year_bound() {
    // 09:00 a year ahead: 08:00 UTC in Paris is inside the year, 14:00 UTC in New York is not.
    let now = utc(2026, 12, 3, 12, 0);
    let paris_only = schedule_each(at(2027, 12, 3, 9, 0), &both()[..1], now).unwrap();
    assert_eq!(instants(&paris_only), [("paris-account", utc(2027, 12, 3, 8, 0))]);
    assert_eq!(
        schedule_each(at(2027, 12, 3, 9, 0), &both(), now).unwrap_err().to_string(),
        "Schedule within a year: Fri 3 Dec, 09:00 (America/New_York) is more than 365 days ahead. Pick an earlier time"
    );
    // And to the one-minute lead: 12:30 in Paris has passed, in New York it is hours ahead.
    let err = schedule_each(at(2026, 12, 3, 12, 30), &both(), now).unwrap_err();
    assert_eq!(err, ScheduleError::InPast("Thu 3 Dec, 12:30 (Europe/Paris)".into()));
}

#[test]
fn the_choice_is_offered_when_an_account_is_in_another_zone() {
    let zones = |z: &[&str]| z.iter().map(|z| z.to_string()).collect::<Vec<_>>();
    let own = "Asia/Tokyo";
    // Only the creator's zone: nothing to choose, read in it.
    let plan = ZonePlan::new(zones(&["Asia/Tokyo", "Asia/Tokyo"]), own, None);
    assert!(!plan.offers_choice());
    assert_eq!(plan.reading_zone(), Some("Asia/Tokyo"));
    // One other zone: read on the accounts' clock unless the creator picks their own.
    let plan = ZonePlan::new(zones(&["Europe/Paris"]), own, None);
    assert!(plan.offers_choice());
    assert_eq!((plan.choice, plan.reading_zone()), (ZoneChoice::EachAccount, Some("Europe/Paris")));
    let plan = ZonePlan::new(zones(&["Europe/Paris"]), own, Some(ZoneChoice::CreatorZone));
    assert_eq!(plan.reading_zone(), Some("Asia/Tokyo"));
    // Several zones: the creator's by default; on each account's clock there is no one zone.
    let plan = ZonePlan::new(zones(&["Europe/Paris", "America/New_York", "Europe/Paris"]), own, None);
    assert_eq!(plan.zones, zones(&["Europe/Paris", "America/New_York"]));
    assert_eq!((plan.choice, plan.reading_zone()), (ZoneChoice::CreatorZone, Some("Asia/Tokyo")));
    let plan = ZonePlan::new(zones(&["Europe/Paris", "Asia/Tokyo"]), own, Some(ZoneChoice::EachAccount));
    assert!(plan.offers_choice());
    assert_eq!(plan.reading_zone(), None);
    // No account chosen yet.
    assert_eq!(ZonePlan::new(Vec::new(), own, None).reading_zone(), Some("Asia/Tokyo"));
}

#[test]
fn per_account_times_are_looked_up_by_account() {
    let times = ScheduleTimes::PerAccount(vec![("a".into(), 1), ("b".into(), 2)]);
    assert_eq!((times.at_for("a"), times.at_for("b"), times.at_for("c")), (Some(1), Some(2), None));
    assert_eq!(ScheduleTimes::One(7).at_for("anything"), Some(7));
    assert_eq!(each_account_label(&at(2026, 12, 3, 9, 0)), "Thu 3 Dec, 09:00 local time");
}
