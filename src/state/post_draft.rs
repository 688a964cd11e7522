//! The post being composed in the post dialog, how it maps to the content kept between
//! opens ([`super::kept_draft`]), and what the dialog shows for the generation the URL names.

use crate::domain::hashtags::HashtagSet;
use crate::domain::schedule::LocalDateTime;
use crate::domain::schedule_zones::ZoneChoice;
use crate::domain::{Generation, GenerationStatus, MediaKind, Platform};

use super::kept_draft::{DraftContent, KeptDraft, SentAttempt};

/// The post being composed. Its content is kept when the dialog closes; every retry of the
/// same content reuses its request key (a lost answer or a double click never posts twice),
/// and a send after an edit takes a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub generation_id: String,
    pub kind: MediaKind,
    pub caption: String,
    pub hashtags: HashtagSet,
    pub account_ids: Vec<String>,
    /// The platforms the generation was made for ("Made for"): their usable accounts are
    /// preselected once, as soon as both the accounts and the platform rules are known.
    pub made_for: Vec<Platform>,
    /// Whether `account_ids` may still be filled from `made_for`.
    pub selection: Selection,
    /// The wall-clock time the creator picked in "Schedule for", parsed from the field once;
    /// none for now.
    pub schedule_local: Option<LocalDateTime>,
    /// How `schedule_local` is read across zones, once the creator chose (part of the content:
    /// another choice is other times, so a new request key).
    pub schedule_zone: Option<ZoneChoice>,
    pub request_key: String,
    /// The last send of this draft, if any.
    pub sent: Option<SentAttempt>,
}

/// Who decides the draft's accounts: the preselection from "Made for" until it has run once,
/// then the creator alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// The accounts (or the platform rules) have not arrived yet: preselect when they do.
    AwaitingAccounts,
    /// Preselected, or changed by the creator: a list that arrives later changes nothing.
    Settled,
}

impl PostDraft {
    /// The part of the draft kept between opens.
    pub fn kept(&self) -> KeptDraft {
        KeptDraft {
            content: DraftContent {
                caption: self.caption.clone(),
                hashtags: self.hashtags.clone(),
                account_ids: self.account_ids.clone(),
                schedule_local: self.schedule_local,
                schedule_zone: self.schedule_zone,
            },
            request_key: self.request_key.clone(),
            sent: self.sent.clone(),
        }
    }

    /// Takes back a kept draft's content: the creator's accounts, not a new preselection.
    pub fn restore(&mut self, kept: KeptDraft) {
        self.caption = kept.content.caption;
        self.hashtags = kept.content.hashtags;
        self.account_ids = kept.content.account_ids;
        self.schedule_local = kept.content.schedule_local;
        self.schedule_zone = kept.content.schedule_zone;
        self.request_key = kept.request_key;
        self.sent = kept.sent;
        self.selection = Selection::Settled;
    }

    /// Sets the request key and last send from `kept` (after [`KeptDraft::key_for_send`] or
    /// [`KeptDraft::answered`]), leaving the content as it is.
    pub fn take_send_state(&mut self, kept: &KeptDraft) {
        self.request_key = kept.request_key.clone();
        self.sent = kept.sent.clone();
    }
}

/// What the post dialog shows. The URL decides it: `?post=<generation id>` on the Generate
/// page opens the dialog for that generation, no `post` closes it (so Back closes it, and
/// Forward or a reload opens it again).
#[derive(Debug, Clone, PartialEq)]
pub enum PostTarget {
    /// No `post` in the URL: the dialog is closed.
    Closed,
    /// The generation `post` names is being read.
    Loading(String),
    /// A finished generation of the creator's: its draft is open.
    Ready(Box<Generation>),
    /// Not a generation of the signed-in creator (another creator's, deleted, or not an id).
    NotFound,
    /// The creator's generation, not finished: nothing to post yet.
    Unfinished,
    /// The read failed; what to tell the creator (never the server's text).
    Failed(String),
}

impl PostTarget {
    /// What the dialog shows for `row`, the generation read by the id the URL names (none:
    /// no such row the creator may read), when `user_id` is signed in.
    pub fn of(row: Option<Generation>, user_id: &str) -> Self {
        match row {
            Some(g) if g.user_id != user_id => Self::NotFound,
            Some(g) if g.status != GenerationStatus::Completed => Self::Unfinished,
            Some(g) => Self::Ready(Box::new(g)),
            None => Self::NotFound,
        }
    }

    /// Whether the dialog is shown.
    pub fn is_open(&self) -> bool {
        *self != Self::Closed
    }

    /// The generation whose draft is open, if any.
    pub fn ready_id(&self) -> Option<&str> {
        match self {
            Self::Ready(g) => Some(g.id.as_str()),
            _ => None,
        }
    }
}

/// Whether `text` has a generation id's shape (a UUID, `8-4-4-4-12` hex digits): anything else
/// in `?post=` names no generation and is not sent to the database.
pub fn is_generation_id(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[cfg(test)]
#[path = "post_draft_tests.rs"]
mod tests;
