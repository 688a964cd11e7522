//! The post being composed in the post dialog, and how it maps to the content kept between
//! opens ([`super::kept_draft`]).

use crate::domain::schedule_zones::ZoneChoice;
use crate::domain::{MediaKind, Platform};

use super::kept_draft::{DraftContent, KeptDraft, SentAttempt};

/// The post being composed. Its content is kept when the dialog closes; every retry of the
/// same content reuses its request key (a lost answer or a double click never posts twice),
/// and a send after an edit takes a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub generation_id: String,
    pub kind: MediaKind,
    pub caption: String,
    pub hashtags: Vec<String>,
    pub account_ids: Vec<String>,
    /// The platforms the generation was made for ("Made for"): their usable accounts are
    /// preselected once, as soon as both the accounts and the platform rules are known.
    pub made_for: Vec<Platform>,
    /// Whether `account_ids` may still be filled from `made_for`.
    pub selection: Selection,
    /// The `datetime-local` value the creator picked (`2026-12-03T14:00`), or none for now.
    pub schedule_local: Option<String>,
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
                schedule_local: self.schedule_local.clone(),
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
