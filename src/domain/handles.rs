//! What a handle may look like on each platform, checked as the creator types. The database
//! holds the same rule (`public.account_handle_is_valid`, the `connected_accounts_handle_format`
//! check): the unit tests read the pgTAP file's table of cases so the two cannot drift apart.
//!
//! Handles are stored without their leading `@`. The rules are the platforms' published ones,
//! kept simple (ASCII, a character set and a length bound):
//! - Instagram (Threads uses the Instagram username): letters, digits, periods and underscores,
//!   at most 30 — <https://help.instagram.com/583107688369069>
//! - X: letters, digits and underscores, at most 15 — <https://help.x.com/en/managing-your-account/x-username-rules>
//! - TikTok: letters, digits, underscores and periods, at most 24 — <https://support.tiktok.com/en/getting-started/setting-up-your-profile/changing-your-username>
//! - LinkedIn (custom profile URL, at most 100), Facebook (username, at most 50), YouTube
//!   (handle, at most 30), Pinterest (username, at most 30): letters, digits, periods,
//!   underscores and hyphens — <https://www.linkedin.com/help/linkedin/answer/a542685>,
//!   <https://www.facebook.com/help/105399436216001>, <https://support.google.com/youtube/answer/11585688>
//! - Bluesky: a domain name (`alice.bsky.social`) — <https://atproto.com/specs/handle>
//! - Mastodon: `user@instance` (the instance may carry a port) — <https://docs.joinmastodon.org/spec/webfinger/>
//!
//! Every handle also fits the table's older bound of 100 characters.

use std::fmt;

use super::publishing::platform_name;
use super::Platform;

/// The longest handle any platform gets (the table's length check).
pub const HANDLE_MAX: usize = 100;

/// Why a handle cannot be used on a platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandleProblem {
    /// Nothing typed (or only an `@`).
    Empty,
    /// A space, tab or line break inside it.
    Whitespace,
    /// Longer than the platform allows.
    TooLong { max: usize },
    /// A character the platform does not allow.
    Characters,
    /// The right characters in the wrong shape (a Bluesky handle that is not a domain name,
    /// a Mastodon handle without `@instance`).
    Shape,
}

/// A refused handle: the problem and the platform whose rule it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandleError {
    pub platform: Platform,
    pub problem: HandleProblem,
}

impl fmt::Display for HandleError {
    /// One sentence for the problem, one for the platform's rule.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = platform_name(self.platform);
        match self.problem {
            HandleProblem::Empty => write!(f, "Give the account a handle."),
            HandleProblem::Whitespace => write!(f, "A handle has no spaces. {}", handle_rule(self.platform)),
            HandleProblem::TooLong { max } => write!(f, "{name} handles are at most {max} characters."),
            HandleProblem::Characters | HandleProblem::Shape => f.write_str(handle_rule(self.platform)),
        }
    }
}

/// What a handle looks like on a platform, in the creator's words.
pub fn handle_rule(platform: Platform) -> &'static str {
    match platform {
        Platform::Instagram => "Instagram handles use letters, digits, periods and underscores (at most 30).",
        Platform::Threads => {
            "Threads handles are Instagram usernames: letters, digits, periods and underscores (at most 30)."
        }
        Platform::X => "X handles use letters, digits and underscores (at most 15).",
        Platform::Tiktok => "TikTok handles use letters, digits, periods and underscores (at most 24).",
        Platform::Linkedin => "LinkedIn handles use letters, digits, periods, underscores and hyphens (at most 100).",
        Platform::Facebook => "Facebook handles use letters, digits, periods, underscores and hyphens (at most 50).",
        Platform::Youtube => "YouTube handles use letters, digits, periods, underscores and hyphens (at most 30).",
        Platform::Pinterest => "Pinterest handles use letters, digits, periods, underscores and hyphens (at most 30).",
        Platform::Bluesky => "Bluesky handles are domain names, like alice.bsky.social.",
        Platform::Mastodon => "Mastodon handles are user@instance, like alice@mastodon.social.",
    }
}

/// The handle as typed, made ready to check and store: trimmed, without one leading `@`.
pub fn normalize_handle(typed: &str) -> String {
    let trimmed = typed.trim();
    trimmed.strip_prefix('@').unwrap_or(trimmed).to_owned()
}

/// Whether `handle` (already normalized, see [`normalize_handle`]) can be used on `platform`.
pub fn check_handle(platform: Platform, handle: &str) -> Result<(), HandleError> {
    let refuse = |problem| Err(HandleError { platform, problem });
    if handle.is_empty() {
        return refuse(HandleProblem::Empty);
    }
    if handle.chars().any(char::is_whitespace) {
        return refuse(HandleProblem::Whitespace);
    }
    let max = max_length(platform);
    if handle.chars().count() > max {
        return refuse(HandleProblem::TooLong { max });
    }
    let ok = match platform {
        Platform::Instagram | Platform::Threads | Platform::Tiktok => username(handle, "._"),
        Platform::X => username(handle, "_"),
        Platform::Linkedin | Platform::Facebook | Platform::Youtube | Platform::Pinterest => username(handle, "._-"),
        Platform::Bluesky => return shaped(platform, handle, "-.", is_domain_handle(handle)),
        Platform::Mastodon => return shaped(platform, handle, "_.-@:", is_fediverse_handle(handle)),
    };
    if ok {
        Ok(())
    } else {
        refuse(HandleProblem::Characters)
    }
}

/// The longest handle a platform accepts.
pub fn max_length(platform: Platform) -> usize {
    match platform {
        Platform::X => 15,
        Platform::Tiktok => 24,
        Platform::Instagram | Platform::Threads | Platform::Youtube | Platform::Pinterest => 30,
        Platform::Facebook => 50,
        Platform::Linkedin | Platform::Bluesky | Platform::Mastodon => HANDLE_MAX,
    }
}

/// ASCII letters and digits plus `extra`.
fn username(handle: &str, extra: &str) -> bool {
    handle.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

/// For the shaped handles: a foreign character is a character problem, else the shape is.
fn shaped(platform: Platform, handle: &str, extra: &str, shape_ok: bool) -> Result<(), HandleError> {
    let problem = if !username(handle, extra) {
        HandleProblem::Characters
    } else if !shape_ok {
        HandleProblem::Shape
    } else {
        return Ok(());
    };
    Err(HandleError { platform, problem })
}

/// A DNS label: 1–63 letters, digits or hyphens, not starting or ending with a hyphen.
fn is_label(label: &str) -> bool {
    (1..=63).contains(&label.len())
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-')
}

/// At least two labels, the last (the top-level domain) starting with a letter.
fn is_domain_handle(handle: &str) -> bool {
    let labels: Vec<&str> = handle.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| is_label(l))
        && labels.last().is_some_and(|tld| tld.starts_with(|c: char| c.is_ascii_alphabetic()))
}

/// `user@host` or `user@host:port`: a user of at most 30 letters, digits, `_`, `.` or `-`; a
/// host of one or more labels (a bare `localhost` or an IP address too).
fn is_fediverse_handle(handle: &str) -> bool {
    let Some((user, instance)) = handle.split_once('@') else {
        return false;
    };
    let (host, port) = match instance.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (instance, None),
    };
    let user_ok = (1..=30).contains(&user.len()) && username(user, "_.-");
    let port_ok = port.is_none_or(|p| (1..=5).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()));
    user_ok && port_ok && host.split('.').all(is_label)
}

#[cfg(test)]
#[path = "handles_tests.rs"]
mod tests;
