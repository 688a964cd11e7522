//! A schedule time as the services pass it on: one instant, the IANA zone it was picked in and
//! the wall-clock time picked there, resolved and checked once ([`ScheduleTime::resolve`]) —
//! a time the clocks skip, or outside a minute to a year from now, never becomes one. The
//! wall-clock pick itself travels as a [`LocalDateTime`], written as a `datetime-local` value.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::schedule::{
    format_in_zone, format_offset, parse_datetime_local, schedule_at, to_rfc3339, EpochMillis, LocalDateTime, Resolved,
    ScheduleError, ZoneOffsets,
};

/// A time a post may be scheduled for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleTime {
    local: LocalDateTime,
    zone: String,
    resolved: Resolved,
}

impl ScheduleTime {
    /// `local` in the zone called `zone` (whose rules `offsets` answers), made schedulable at
    /// `now_ms` by the database's rules (see [`schedule_at`]).
    pub fn resolve(
        local: LocalDateTime,
        zone: &str,
        offsets: &impl ZoneOffsets,
        now_ms: EpochMillis,
    ) -> Result<Self, ScheduleError> {
        let resolved = schedule_at(local, zone, offsets, now_ms)?;
        Ok(ScheduleTime { local, zone: zone.to_owned(), resolved })
    }

    /// The instant, in ms since the epoch.
    pub fn at(&self) -> EpochMillis {
        self.resolved.utc_epoch_ms
    }

    /// The zone it was picked in.
    pub fn zone(&self) -> &str {
        &self.zone
    }

    /// The wall-clock time picked.
    pub fn local(&self) -> LocalDateTime {
        self.local
    }

    /// "Thu 3 Dec, 14:00 (Europe/Berlin)", with the UTC offset taken when the clocks pass that
    /// time twice ("…, UTC+02:00").
    pub fn label(&self) -> String {
        let label = format_in_zone(&self.local, &self.zone);
        if self.resolved.is_ambiguous() {
            format!("{label}, {}", format_offset(self.resolved.offset_minutes))
        } else {
            label
        }
    }

    /// "2026-12-03T13:00:00Z", as `timestamptz` input.
    pub fn to_rfc3339(&self) -> String {
        to_rfc3339(self.at())
    }
}

/// Written as the instant `p_scheduled_at` takes.
impl Serialize for ScheduleTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl LocalDateTime {
    /// "2026-12-08T09:00": the value of an `<input type="datetime-local">`.
    pub fn datetime_local(&self) -> String {
        format!("{:04}-{:02}-{:02}T{:02}:{:02}", self.year, self.month, self.day, self.hour, self.minute)
    }
}

/// Kept (a draft's "Schedule for") as its `datetime-local` value.
impl Serialize for LocalDateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.datetime_local())
    }
}

impl<'de> Deserialize<'de> for LocalDateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(deserializer)?;
        parse_datetime_local(&raw).map_err(D::Error::custom)
    }
}

#[cfg(test)]
#[path = "schedule_time_tests.rs"]
mod tests;
