//! Publishing: the post being prepared (which generation, caption, hashtags, accounts,
//! schedule, and the request key that makes its publish idempotent), the publishes in flight
//! with their optimistic posts, and the posts and accounts the database holds.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::merge::{Applied, VersionedMap};
use crate::domain::publishing::{selected_platforms, PostSource};
use crate::domain::{ConnectedAccount, MediaKind, Platform, Post};

/// The three steps of post-production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostStep {
    Caption,
    Hashtags,
    Distribution,
}

/// The post being composed. A new draft — and so a new request key — each time the panel
/// opens; every retry of one draft reuses its key, so a lost answer or a double click never
/// posts twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostDraft {
    pub generation_id: String,
    pub kind: MediaKind,
    pub caption: String,
    pub hashtags: Vec<String>,
    pub account_ids: Vec<String>,
    /// The `datetime-local` value the creator picked (`2026-12-03T14:00`), or none for now.
    pub schedule_local: Option<String>,
    pub request_key: String,
}

/// A publish on its way: the posts shown optimistically until the database answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub request_key: String,
    pub optimistic: Vec<Post>,
}

/// Publishing state, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct PublishState {
    /// The draft while the post-production panel is open.
    pub draft: RwSignal<Option<PostDraft>>,
    /// The panel's current step.
    pub step: RwSignal<PostStep>,
    /// Publishes sent and not yet answered.
    pub in_flight: RwSignal<Vec<InFlight>>,
    /// The error of the last publish of this draft, shown in the panel.
    pub error: RwSignal<Option<String>>,
    /// The user's connected accounts.
    pub accounts: RwSignal<Vec<ConnectedAccount>>,
    /// Where each post came from, by generation id.
    pub sources: RwSignal<HashMap<String, PostSource>>,
    /// Ids of the user's posts, newest first; rows in `posts`.
    pub post_order: RwSignal<Vec<String>>,
    posts: RwSignal<VersionedMap<Post>>,
}

impl Default for PublishState {
    fn default() -> Self {
        Self::new()
    }
}

impl PublishState {
    /// Nothing prepared, nothing in flight.
    pub fn new() -> Self {
        Self {
            draft: RwSignal::new(None),
            step: RwSignal::new(PostStep::Caption),
            in_flight: RwSignal::new(Vec::new()),
            error: RwSignal::new(None),
            accounts: RwSignal::new(Vec::new()),
            sources: RwSignal::new(HashMap::new()),
            post_order: RwSignal::new(Vec::new()),
            posts: RwSignal::new(VersionedMap::default()),
        }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Starts a fresh draft at step 1, with nothing left over from the last one.
    pub fn open(&self, draft: PostDraft) {
        self.error.set(None);
        self.step.set(PostStep::Caption);
        self.draft.set(Some(draft));
    }

    /// Closes the panel and forgets the draft.
    pub fn close(&self) {
        self.draft.set(None);
        self.error.set(None);
        self.step.set(PostStep::Caption);
    }

    /// Changes the draft in place (no-op when the panel is closed).
    pub fn edit(&self, change: impl FnOnce(&mut PostDraft)) {
        self.draft.update(|draft| {
            if let Some(draft) = draft {
                change(draft);
            }
        });
    }

    /// Shows optimistic posts for a publish; false when this request key is already in flight.
    pub fn begin(&self, request_key: &str, optimistic: Vec<Post>) -> bool {
        if self.in_flight.with_untracked(|f| f.iter().any(|i| i.request_key == request_key)) {
            return false;
        }
        self.in_flight.update(|f| f.push(InFlight { request_key: request_key.to_owned(), optimistic }));
        true
    }

    /// Ends a publish: drops its optimistic posts (the database's rows replace them).
    pub fn end(&self, request_key: &str) {
        self.in_flight.update(|f| f.retain(|i| i.request_key != request_key));
    }

    /// Whether a publish with this key is on its way (tracked).
    pub fn is_in_flight(&self, request_key: &str) -> bool {
        self.in_flight.with(|f| f.iter().any(|i| i.request_key == request_key))
    }

    /// Whether a publish with this key is on its way, without tracking.
    pub fn is_in_flight_untracked(&self, request_key: &str) -> bool {
        self.in_flight.with_untracked(|f| f.iter().any(|i| i.request_key == request_key))
    }

    /// Applies posts the database returned or announced, by the merge rule.
    pub fn apply_posts(&self, posts: impl IntoIterator<Item = Post>) {
        let mut inserted = false;
        self.posts.update(|map| {
            for post in posts {
                inserted |= map.apply(post) == Applied::Inserted;
            }
        });
        if inserted {
            self.post_order.set(self.posts.with_untracked(VersionedMap::ids_newest_first));
        }
    }

    /// Removes a post (a DELETE event); ids not held are ignored.
    pub fn remove_post(&self, id: &str) {
        let mut held = false;
        self.posts.update(|map| held = map.remove(id));
        if held {
            self.post_order.update(|order| order.retain(|p| p != id));
        }
    }

    /// A post by id (tracked).
    pub fn post(&self, id: &str) -> Option<Post> {
        self.posts.with(|map| map.get(id).cloned())
    }

    /// Every post, newest first, optimistic ones first of all (tracked).
    pub fn all_posts(&self) -> Vec<Post> {
        let mut shown: Vec<Post> = self.in_flight.with(|f| f.iter().flat_map(|i| i.optimistic.clone()).collect());
        self.post_order.track();
        self.posts.with(|map| shown.extend(map.ids_newest_first().iter().filter_map(|id| map.get(id).cloned())));
        shown
    }

    /// The distinct platforms of the draft's selected accounts, in platform order (tracked).
    pub fn draft_platforms(&self) -> Vec<Platform> {
        let ids = self.draft.with(|d| d.as_ref().map(|d| d.account_ids.clone()).unwrap_or_default());
        self.accounts.with(|accounts| selected_platforms(accounts, &ids))
    }

    /// The draft's selected accounts the user has, in account order (tracked).
    pub fn draft_accounts(&self) -> Vec<ConnectedAccount> {
        let ids = self.draft.with(|d| d.as_ref().map(|d| d.account_ids.clone()).unwrap_or_default());
        self.accounts.with(|accounts| accounts.iter().filter(|a| ids.contains(&a.id)).cloned().collect())
    }

    /// The account with this id, if the user has it (tracked).
    pub fn account(&self, id: &str) -> Option<ConnectedAccount> {
        self.accounts.with(|a| a.iter().find(|a| a.id == id).cloned())
    }

    /// Forgets everything (on sign-out).
    pub fn clear(&self) {
        self.close();
        self.in_flight.set(Vec::new());
        self.accounts.set(Vec::new());
        self.sources.set(HashMap::new());
        self.post_order.set(Vec::new());
        self.posts.set(VersionedMap::default());
    }
}
