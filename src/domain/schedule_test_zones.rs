//! Zones with fixed yearly rules, for tests of scheduling without a browser: Europe/Berlin
//! (and Paris, on the same EU rule) and America/New_York.

use super::{EpochMillis, LocalDateTime, ZoneOffsets};

/// Europe/Berlin by the EU rule: +2 h from the last Sunday of March 01:00 UTC to the last
/// Sunday of October 01:00 UTC, +1 h otherwise.
pub struct Berlin;
/// America/New_York: -4 h from the second Sunday of March 07:00 UTC (02:00 EST) to the first
/// Sunday of November 06:00 UTC (02:00 EDT), -5 h otherwise.
pub struct NewYork;

pub fn utc(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> EpochMillis {
    LocalDateTime::new(year, month, day, hour, minute).unwrap().wall_clock_ms()
}

fn sunday_on_or_before(year: i32, month: u8, day: u8) -> u8 {
    day - (LocalDateTime::new(year, month, day, 0, 0).unwrap().weekday() + 1) % 7
}

fn year_of(ms: EpochMillis) -> i32 {
    LocalDateTime::at_offset(ms, 0).year
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

pub fn at(year: i32, month: u8, day: u8, hour: u8, minute: u8) -> LocalDateTime {
    LocalDateTime::new(year, month, day, hour, minute).unwrap()
}
