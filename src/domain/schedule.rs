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

/// How far ahead a post may be scheduled: `publish_generation` refuses anything later than 365
/// days from now (`private.schedule_horizon()`), so a mistyped year never makes a post that
/// never goes out.
pub const MAX_LEAD_MS: i64 = 365 * DAY_MS;

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
    /// Later than the database accepts.
    #[error("Schedule within a year: {0} is more than 365 days ahead. Pick an earlier time")]
    TooFar(String),
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

/// The database's rule for a scheduled time: at least one minute after `now_ms`, and at most
/// 365 days after it.
pub fn check_lead_time(utc_epoch_ms: EpochMillis, now_ms: EpochMillis, label: &str) -> Result<(), ScheduleError> {
    if utc_epoch_ms <= now_ms {
        Err(ScheduleError::InPast(label.to_owned()))
    } else if utc_epoch_ms < now_ms + MIN_LEAD_MS {
        Err(ScheduleError::TooSoon(label.to_owned()))
    } else if utc_epoch_ms > now_ms + MAX_LEAD_MS {
        Err(ScheduleError::TooFar(label.to_owned()))
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
#[path = "schedule_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "schedule_test_zones.rs"]
pub(crate) mod test_zones;
