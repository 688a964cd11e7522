//! The content of an unpublished post, kept in `sessionStorage` per user and generation: closing
//! the dialog, visiting the Accounts page, a reload or a connection's OAuth redirect (all in
//! the same tab) lose nothing typed. A successful publish, "Discard draft" and sign-out forget
//! it. Only the content is kept; the dialog itself always opens at step 1.
//!
//! Also decides the request key a send uses: the same key while the content is the one last
//! sent (so a retry or a lost answer never posts twice), a new one once it changed (so an
//! edited draft is a new post).

use serde::{Deserialize, Serialize};

use crate::domain::hashtags::HashtagSet;
use crate::domain::schedule::LocalDateTime;
use crate::domain::schedule_zones::ZoneChoice;

/// Every kept draft's storage key starts with this (sign-out removes them all).
const PREFIX: &str = "atelier.post-draft.";

/// What the creator composed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftContent {
    pub caption: String,
    /// Read back through the one parser: a stored value that is not a tag drops the draft.
    pub hashtags: HashtagSet,
    pub account_ids: Vec<String>,
    /// The time picked for "Schedule for", if any, kept as its `datetime-local` value (a kept
    /// value that is not a real date drops the draft).
    pub schedule_local: Option<LocalDateTime>,
    /// How that time is read across zones, once the creator chose (drafts kept before the
    /// choice existed read as not chosen).
    #[serde(default)]
    pub schedule_zone: Option<ZoneChoice>,
}

/// The last send of a draft: its key, what it carried, and whether its answer came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SentAttempt {
    pub request_key: String,
    pub content: DraftContent,
    /// True from the moment it is sent until an answer (success or refusal) arrives: a send
    /// whose answer was lost may have been written, so its posts are read before a new key goes.
    pub answer_pending: bool,
}

/// A draft as kept between opens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptDraft {
    pub content: DraftContent,
    pub request_key: String,
    #[serde(default)]
    pub sent: Option<SentAttempt>,
}

impl KeptDraft {
    /// The key to send `self.content` with: the current key unless a send with other content
    /// already used it, then `fresh`. Records the send as pending.
    pub fn key_for_send(&mut self, fresh: impl FnOnce() -> String) -> String {
        if self.sent.as_ref().is_some_and(|s| s.request_key == self.request_key && s.content != self.content) {
            self.request_key = fresh();
        }
        self.sent = Some(SentAttempt {
            request_key: self.request_key.clone(),
            content: self.content.clone(),
            answer_pending: true,
        });
        self.request_key.clone()
    }

    /// The key of an earlier send whose answer never came and that a new send would not reuse:
    /// its posts must be read before anything new is sent.
    pub fn lost_key(&self) -> Option<&str> {
        self.sent
            .as_ref()
            .filter(|s| s.answer_pending && (s.content != self.content || s.request_key != self.request_key))
            .map(|s| s.request_key.as_str())
    }

    /// The database answered the send with `request_key` (written or refused).
    pub fn answered(&mut self, request_key: &str) {
        if let Some(sent) = self.sent.as_mut().filter(|s| s.request_key == request_key) {
            sent.answer_pending = false;
        }
    }

    /// Parses a stored draft; `None` when absent or unreadable (an older shape is dropped).
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str(text).ok()
    }

    /// The stored form.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// The storage key of `user_id`'s draft for `generation_id`.
pub fn storage_key(user_id: &str, generation_id: &str) -> String {
    format!("{PREFIX}{user_id}.{generation_id}")
}

/// The kept draft of `user_id` for `generation_id`, if any.
pub fn load(user_id: &str, generation_id: &str) -> Option<KeptDraft> {
    let text = session_storage()?.get_item(&storage_key(user_id, generation_id)).ok()??;
    KeptDraft::parse(&text)
}

/// Keeps `draft` (a full storage is ignored: the draft still lives while the tab is open).
pub fn save(user_id: &str, generation_id: &str, draft: &KeptDraft) {
    if let Some(storage) = session_storage() {
        let _ = storage.set_item(&storage_key(user_id, generation_id), &draft.to_json());
    }
}

/// Forgets `user_id`'s draft for `generation_id`.
pub fn forget(user_id: &str, generation_id: &str) {
    if let Some(storage) = session_storage() {
        let _ = storage.remove_item(&storage_key(user_id, generation_id));
    }
}

/// Forgets every kept draft of this tab (on sign-out).
pub fn forget_all() {
    let Some(storage) = session_storage() else { return };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> =
        (0..count).filter_map(|i| storage.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect();
    for key in keys {
        let _ = storage.remove_item(&key);
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

#[cfg(test)]
#[path = "kept_draft_tests.rs"]
mod tests;
