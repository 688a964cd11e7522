//! Scheduling in a named time zone: a wall-clock date and time a creator picks, in their zone or
//! the account's, becomes one UTC instant for `publish_generation`'s `p_scheduled_at`.
//!
//! The zone rules are not compiled in (a zone database costs hundreds of KB of wasm): a
//! [`ZoneOffsets`] oracle answers "what is the offset at this instant", the browser's `Intl` in
//! the app (`services::time_zone`), a fixed rule in tests. The algorithm here handles the two
//! yearly changes: a time the clocks skip (spring forward) does not exist and is refused, naming
//! the zone; a time the clocks pass twice (autumn back) resolves to the earlier instant, and says
//! which UTC offset it took.

use super::time::{days_from_civil, days_in_month};
use std::fmt;

/// Milliseconds since 1970-01-01T00:00:00Z.
pub type EpochMillis = i64;

const MINUTE_MS: i64 = 60_000;
const DAY_MS: i64 = 86_400_000;

/// How soon a post may be scheduled: `publish_generation` refuses anything earlier than one
/// minute from now.
pub const MIN_LEAD_MS: i64 = MINUTE_MS;

/// A zone's UTC offset at any instant.
pub trait ZoneOffsets {
    /// Minutes east of UTC in effect at `utc_epoch_ms` (Berlin in winter: 60; New York: -300).
    fn offset_minutes_at(&self, utc_epoch_ms: EpochMillis) -> i32;
}

/// A wall-clock date and time to the minute, in no zone by itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LocalDateTime {
    pub year: i32,
    /// 1–12.
    pub month: u8,
    /// 1–31.
    pub day: u8,
    /// 0–23.
    pub hour: u8,
    /// 0–59.
    pub minute: u8,
}

/// Why a time cannot be scheduled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Not a date or time of the calendar (31 April, 24:00).
    #[error("{0} is not a valid date and time")]
    InvalidDate(String),
    /// The zone name is not one the browser (or the database) knows.
    #[error("Unknown time zone: {0}. Use a name such as Europe/Paris.")]
    UnknownZone(String),
    /// The clocks skip this time in the zone (spring forward).
    #[error(
        "{time} does not exist in {zone}: the clocks go forward from {gap_start} to {gap_end} that day. \
         Pick {gap_end} or later, or a time before {gap_start}."
    )]
    Nonexistent {
        /// The time asked for, as "Sun 29 Mar, 02:30".
        time: String,
        zone: String,
        /// Where the skipped hour starts and ends on the wall clock ("02:00", "03:00").
        gap_start: String,
        gap_end: String,
        /// The same time shifted past the gap, what most calendars pick.
        shifted: LocalDateTime,
    },
    /// The time has already passed.
    #[error("{0} has already passed: pick a later time, or publish now")]
    InPast(String),
    /// Sooner than the database accepts.
    #[error("Schedule at least one minute ahead: {0} is too soon. Pick a later time, or publish now")]
    TooSoon(String),
}

/// A local time resolved to one instant in a zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolved {
    pub utc_epoch_ms: EpochMillis,
    /// The UTC offset it resolved to, minutes east.
    pub offset_minutes: i32,
    /// When the wall clock passes this time twice (autumn), the offset of the later pass, which
    /// was not chosen; `None` when the time is unambiguous.
    pub later_offset_minutes: Option<i32>,
}

impl Resolved {
    /// Whether the clocks pass this time twice (the earlier instant was chosen).
    pub fn is_ambiguous(&self) -> bool {
        self.later_offset_minutes.is_some()
    }
}

impl LocalDateTime {
    /// A checked date and time: the day must exist in its month, hour 0–23, minute 0–59.
    pub fn new(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> Result<Self, ScheduleError> {
        let t = LocalDateTime { year, month, day, hour, minute };
        let valid = (1..=12).contains(&month)
            && day >= 1
            && u32::from(day) <= days_in_month(year.into(), month.into())
            && hour < 24
            && minute < 60;
        if valid {
            Ok(t)
        } else {
            Err(ScheduleError::InvalidDate(format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")))
        }
    }

    /// This wall-clock time read as if it were UTC, in ms since the epoch (no offset applied):
    /// an instant minus this is the zone's offset there.
    pub fn wall_clock_ms(self) -> EpochMillis {
        let days = days_from_civil(self.year.into(), self.month.into(), self.day.into());
        days * DAY_MS + (self.hour as i64 * 60 + self.minute as i64) * MINUTE_MS
    }

    /// The wall-clock time of an instant read as if it were UTC (seconds dropped).
    fn from_wall_clock_ms(ms: EpochMillis) -> Self {
        let (days, in_day) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
        let (year, month, day) = civil_from_days(days);
        let minutes = in_day / MINUTE_MS;
        LocalDateTime { year, month, day, hour: (minutes / 60) as u8, minute: (minutes % 60) as u8 }
    }

    /// The wall-clock time of a UTC instant under an offset.
    pub fn at_offset(utc_epoch_ms: EpochMillis, offset_minutes: i32) -> Self {
        Self::from_wall_clock_ms(utc_epoch_ms + offset_minutes as i64 * MINUTE_MS)
    }

    /// The wall-clock time of a UTC instant in a zone.
    pub fn in_zone(utc_epoch_ms: EpochMillis, zone: &impl ZoneOffsets) -> Self {
        Self::at_offset(utc_epoch_ms, zone.offset_minutes_at(utc_epoch_ms))
    }

    /// Monday = 0 … Sunday = 6.
    pub fn weekday(&self) -> u8 {
        // 1970-01-01 was a Thursday (3).
        (days_from_civil(self.year.into(), self.month.into(), self.day.into()) + 3).rem_euclid(7) as u8
    }

    /// "14:00".
    pub fn clock(&self) -> String {
        format!("{:02}:{:02}", self.hour, self.minute)
    }

    /// "Thu 3 Dec, 14:00".
    pub fn label(&self) -> String {
        const DAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        format!("{} {} {}, {}", DAYS[self.weekday() as usize], self.day, MONTHS[self.month as usize - 1], self.clock())
    }

    /// Minutes later on the wall clock (across days, months and years).
    pub fn plus_minutes(self, minutes: i64) -> Self {
        Self::from_wall_clock_ms(self.wall_clock_ms() + minutes * MINUTE_MS)
    }
}

/// "Thu 3 Dec, 14:00 (Europe/Berlin)".
pub fn format_in_zone(local: &LocalDateTime, zone: &str) -> String {
    format!("{} ({zone})", local.label())
}

/// "UTC+01:00", "UTC-05:00", "UTC+05:30", "UTC".
pub fn format_offset(offset_minutes: i32) -> String {
    if offset_minutes == 0 {
        return "UTC".into();
    }
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let m = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

/// "2026-12-03T13:00:00Z": an instant as `timestamptz` input (and ISO 8601).
pub fn to_rfc3339(utc_epoch_ms: EpochMillis) -> String {
    let t = LocalDateTime::from_wall_clock_ms(utc_epoch_ms);
    let seconds = utc_epoch_ms.rem_euclid(MINUTE_MS) / 1000;
    format!("{:04}-{:02}-{:02}T{:02}:{:02}:{seconds:02}Z", t.year, t.month, t.day, t.hour, t.minute)
}

/// The instant a wall-clock time names in a zone. A skipped time is [`ScheduleError::Nonexistent`];
/// a time passed twice is the earlier instant, with the later pass's offset reported.
pub fn resolve_local(local: LocalDateTime, zone: &str, offsets: &impl ZoneOffsets) -> Result<Resolved, ScheduleError> {
    let wall = local.wall_clock_ms();
    // Offsets change at most once within a day on either side of any real zone's transition.
    let before = offsets.offset_minutes_at(wall - DAY_MS);
    let after = offsets.offset_minutes_at(wall + DAY_MS);
    let mut fits: Vec<(EpochMillis, i32)> = [before, offsets.offset_minutes_at(wall), after]
        .into_iter()
        .map(|o| (wall - o as i64 * MINUTE_MS, o))
        .filter(|(utc, o)| offsets.offset_minutes_at(*utc) == *o)
        .collect();
    fits.sort();
    fits.dedup();
    match fits.as_slice() {
        [] => Err(nonexistent(local, zone, offsets, before, after)),
        [(utc, offset)] => Ok(Resolved { utc_epoch_ms: *utc, offset_minutes: *offset, later_offset_minutes: None }),
        [(utc, offset), .., (_, later)] => {
            Ok(Resolved { utc_epoch_ms: *utc, offset_minutes: *offset, later_offset_minutes: Some(*later) })
        }
    }
}

/// Describes the gap a skipped time falls in: where the wall clock jumps from and to.
fn nonexistent(local: LocalDateTime, zone: &str, offsets: &impl ZoneOffsets, before: i32, after: i32) -> ScheduleError {
    let wall = local.wall_clock_ms();
    // The transition lies between the two readings of the wall time; find its minute.
    let (mut lo, mut hi) = (wall - after as i64 * MINUTE_MS, wall - before as i64 * MINUTE_MS);
    if lo > hi {
        std::mem::swap(&mut lo, &mut hi);
    }
    while hi - lo > MINUTE_MS {
        let mid = lo + (hi - lo) / 2;
        if offsets.offset_minutes_at(mid) == before {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    let jump = (after - before) as i64;
    ScheduleError::Nonexistent {
        time: local.label(),
        zone: zone.to_owned(),
        gap_start: LocalDateTime::at_offset(hi, before).clock(),
        gap_end: LocalDateTime::at_offset(hi, after).clock(),
        shifted: local.plus_minutes(jump),
    }
}

/// The database's rule for a scheduled time: at least one minute after `now_ms`.
pub fn check_lead_time(utc_epoch_ms: EpochMillis, now_ms: EpochMillis, label: &str) -> Result<(), ScheduleError> {
    if utc_epoch_ms <= now_ms {
        Err(ScheduleError::InPast(label.to_owned()))
    } else if utc_epoch_ms < now_ms + MIN_LEAD_MS {
        Err(ScheduleError::TooSoon(label.to_owned()))
    } else {
        Ok(())
    }
}

/// A creator's pick made schedulable: resolved in the zone, then held to the lead-time rule.
/// Errors name the time as "Thu 3 Dec, 14:00 (Europe/Berlin)".
pub fn schedule_at(
    local: LocalDateTime,
    zone: &str,
    offsets: &impl ZoneOffsets,
    now_ms: EpochMillis,
) -> Result<Resolved, ScheduleError> {
    let resolved = resolve_local(local, zone, offsets)?;
    check_lead_time(resolved.utc_epoch_ms, now_ms, &format_in_zone(&local, zone))?;
    Ok(resolved)
}

/// The civil date of a day count since 1970-01-01 (the inverse of [`days_from_civil`]).
fn civil_from_days(days: i64) -> (i32, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u8;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 } as u8;
    let year = (year_of_era + era * 400 + (month <= 2) as i64) as i32;
    (year, month, day)
}

impl fmt::Display for LocalDateTime {
    /// "2026-12-03 14:00".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02} {:02}:{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Europe/Berlin by the EU rule: +2 h from the last Sunday of March 01:00 UTC to the last
    /// Sunday of October 01:00 UTC, +1 h otherwise.
    struct Berlin;
    /// America/New_York: -4 h from the second Sunday of March 07:00 UTC (02:00 EST) to the first
    /// Sunday of November 06:00 UTC (02:00 EDT), -5 h otherwise.
    struct NewYork;

    fn utc(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> EpochMillis {
        LocalDateTime::new(year, month, day, hour, minute).unwrap().wall_clock_ms()
    }

    fn sunday_on_or_before(year: i32, month: u8, day: u8) -> u8 {
        day - (LocalDateTime::new(year, month, day, 0, 0).unwrap().weekday() + 1) % 7
    }

    fn year_of(ms: EpochMillis) -> i32 {
        LocalDateTime::from_wall_clock_ms(ms).year
    }

    impl ZoneOffsets for Berlin {
        fn offset_minutes_at(&self, t: EpochMillis) -> i32 {
            let y = year_of(t);
            let start = utc(y, 3, sunday_on_or_before(y, 3, 31), 1, 0);
            let end = utc(y, 10, sunday_on_or_before(y, 10, 31), 1, 0);
            if (start..end).contains(&t) {
                120
            } else {
                60
            }
        }
    }

    impl ZoneOffsets for NewYork {
        fn offset_minutes_at(&self, t: EpochMillis) -> i32 {
            let y = year_of(t);
            let start = utc(y, 3, sunday_on_or_before(y, 3, 14), 7, 0);
            let end = utc(y, 11, sunday_on_or_before(y, 11, 7), 6, 0);
            if (start..end).contains(&t) {
                -240
            } else {
                -300
            }
        }
    }

    fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> LocalDateTime {
        LocalDateTime::new(year, month, day, hour, minute).unwrap()
    }

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
        assert_eq!(
            (r.utc_epoch_ms, r.offset_minutes, r.later_offset_minutes),
            (utc(2026, 10, 25, 0, 30), 120, Some(60))
        );
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
}

/// Reads the value of an `<input type="datetime-local">` (`2026-12-03T14:00`, seconds
/// allowed and ignored) as a wall-clock time.
pub fn parse_datetime_local(value: &str) -> Result<LocalDateTime, ScheduleError> {
    let bad = || ScheduleError::InvalidDate(value.to_owned());
    let (date, time) = value.trim().split_once(['T', ' ']).ok_or_else(bad)?;
    let mut d = date.split('-');
    let year: i32 = d.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let month: u8 = d.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let day: u8 = d.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let mut t = time.split(':');
    let hour: u8 = t.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    let minute: u8 = t.next().and_then(|v| v.parse().ok()).ok_or_else(bad)?;
    if d.next().is_some() {
        return Err(bad());
    }
    LocalDateTime::new(year, month, day, hour, minute)
}

#[cfg(test)]
mod datetime_local_tests {
    use super::*;

    #[test]
    fn reads_the_input_value() {
        assert_eq!(parse_datetime_local("2026-12-03T14:00").unwrap(), LocalDateTime::new(2026, 12, 3, 14, 0).unwrap());
        assert_eq!(parse_datetime_local("2026-12-03T14:05:30").unwrap().minute, 5);
        for bad in ["", "2026-12-03", "2026-02-30T10:00", "2026-12-03T25:00", "tomorrow"] {
            assert!(parse_datetime_local(bad).is_err(), "{bad}");
        }
    }
}
