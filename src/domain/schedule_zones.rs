//! Scheduling to accounts in several time zones. A typed time ("09:00") is read either in the
//! creator's own zone (one instant for every account) or on each account's own clock (one
//! instant per zone), an explicit choice offered as soon as a chosen account lives in another
//! zone. Each account's time is resolved by the same rules as the creator's
//! ([`super::schedule::schedule_at`]): a skipped time is refused naming the zone, a time passed
//! twice takes the earlier instant, and each must fall within a minute to a year from now.

use serde::{Deserialize, Serialize};

use super::schedule::{schedule_at, EpochMillis, LocalDateTime, Resolved, ScheduleError, ZoneOffsets};

/// How a typed schedule time is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ZoneChoice {
    /// In the creator's own zone: one instant for every account.
    CreatorZone,
    /// On each account's own clock: one instant per zone.
    EachAccount,
}

/// The zones a schedule involves and how its time is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZonePlan {
    /// The creator's zone (the browser's).
    pub own: String,
    /// The chosen accounts' distinct zones, in the order first seen.
    pub zones: Vec<String>,
    pub choice: ZoneChoice,
}

impl ZonePlan {
    /// The plan for accounts in `account_zones` (an account without a zone is in `own`).
    /// Without a `picked` choice: one shared zone is read on the accounts' clock (09:00 for a
    /// Berlin account is 09:00 in Berlin), several are read in the creator's zone.
    pub fn new(account_zones: impl IntoIterator<Item = String>, own: &str, picked: Option<ZoneChoice>) -> Self {
        let mut zones: Vec<String> = Vec::new();
        for zone in account_zones {
            if !zones.contains(&zone) {
                zones.push(zone);
            }
        }
        let choice = picked.unwrap_or(if zones.len() == 1 { ZoneChoice::EachAccount } else { ZoneChoice::CreatorZone });
        ZonePlan { own: own.to_owned(), zones, choice }
    }

    /// Whether the creator has a choice to make: a chosen account is in another zone.
    pub fn offers_choice(&self) -> bool {
        self.zones.iter().any(|z| *z != self.own)
    }

    /// The one zone the typed time is read in; `None` when each account reads it in its own
    /// and they differ.
    pub fn reading_zone(&self) -> Option<&str> {
        match (self.choice, self.zones.as_slice()) {
            (ZoneChoice::EachAccount, [one]) => Some(one),
            (ZoneChoice::EachAccount, [_, _, ..]) => None,
            _ => Some(&self.own),
        }
    }
}

/// When a schedule's posts go out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScheduleTimes {
    /// Every post at one instant.
    One(EpochMillis),
    /// Each account's post at its own instant, by account id.
    PerAccount(Vec<(String, EpochMillis)>),
}

impl ScheduleTimes {
    /// The instant the post to `account_id` goes out (`None` for an account not scheduled).
    pub fn at_for(&self, account_id: &str) -> Option<EpochMillis> {
        match self {
            ScheduleTimes::One(at) => Some(*at),
            ScheduleTimes::PerAccount(times) => times.iter().find(|(id, _)| id == account_id).map(|(_, at)| *at),
        }
    }
}

/// `local` on each account's clock: `accounts` are (account id, zone name, zone rules). Each is
/// resolved and held to the lead-time rule like the creator's own time; the first refusal
/// (which names its zone) refuses the whole schedule, so nothing is sent.
pub fn schedule_each<Z: ZoneOffsets>(
    local: LocalDateTime,
    accounts: &[(String, &str, &Z)],
    now_ms: EpochMillis,
) -> Result<Vec<(String, Resolved)>, ScheduleError> {
    accounts.iter().map(|(id, name, zone)| Ok((id.clone(), schedule_at(local, name, *zone, now_ms)?))).collect()
}

/// How a per-account schedule reads in messages: "Thu 3 Dec, 09:00 local time".
pub fn each_account_label(local: &LocalDateTime) -> String {
    format!("{} local time", local.label())
}

#[cfg(test)]
#[path = "schedule_zones_tests.rs"]
mod tests;
