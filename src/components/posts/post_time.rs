//! A post's time as the posts page shows it: on the creator's own clock (the browser's zone),
//! with the account's clock beside it when the account lives in another zone —
//! "Tue 8 Dec, 09:00 · 15:00 in Europe/Paris", the account's date repeated only when it is
//! another day there ("Tue 8 Dec, 20:00 · Wed 9 Dec, 04:00 in Asia/Tokyo").

use crate::domain::schedule::{EpochMillis, LocalDateTime};
use crate::services::time_zone::{browser_time_zone, BrowserZone};

/// The creator's zone: the browser's, or UTC when it reports none.
pub fn own_zone() -> String {
    browser_time_zone().unwrap_or_else(|| "UTC".to_owned())
}

/// An instant on the creator's clock, with the account's beside it when `account_zone` is set
/// and differs from the creator's. `None` only when the creator's zone is unknown to the browser.
pub fn post_time_label(utc_ms: EpochMillis, account_zone: Option<&str>) -> Option<String> {
    let own = own_zone();
    let mine = BrowserZone::new(&own).ok()?.local_parts(utc_ms);
    let theirs = account_zone
        .filter(|zone| *zone != own)
        .and_then(|zone| Some((BrowserZone::new(zone).ok()?.local_parts(utc_ms), zone)));
    Some(beside(&mine, theirs.as_ref().map(|(t, z)| (t, *z))))
}

/// "Tue 8 Dec, 09:00", then " · 15:00 in Europe/Paris" (or " · Wed 9 Dec, 04:00 in Asia/Tokyo"
/// on another day there) for the account's clock.
fn beside(mine: &LocalDateTime, theirs: Option<(&LocalDateTime, &str)>) -> String {
    match theirs {
        None => mine.label(),
        Some((there, zone)) => {
            let same_day = (there.year, there.month, there.day) == (mine.year, mine.month, mine.day);
            let shown = if same_day { there.clock() } else { there.label() };
            format!("{} · {shown} in {zone}", mine.label())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(day: u8, hour: u8) -> LocalDateTime {
        LocalDateTime::new(2026, 12, day, hour, 0).unwrap()
    }

    #[test]
    fn the_creators_time_alone_when_the_account_shares_the_zone() {
        assert_eq!(beside(&at(8, 9), None), "Tue 8 Dec, 09:00");
    }

    #[test]
    fn the_accounts_clock_beside_it_with_its_zone() {
        assert_eq!(beside(&at(8, 9), Some((&at(8, 15), "Europe/Paris"))), "Tue 8 Dec, 09:00 · 15:00 in Europe/Paris");
    }

    #[test]
    fn the_accounts_date_when_it_is_another_day_there() {
        assert_eq!(
            beside(&at(8, 20), Some((&at(9, 4), "Asia/Tokyo"))),
            "Tue 8 Dec, 20:00 · Wed 9 Dec, 04:00 in Asia/Tokyo"
        );
    }
}
