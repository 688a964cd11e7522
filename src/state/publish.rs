//! Publishing: the post being prepared (which generation, caption, hashtags, accounts,
//! schedule, and the request key that makes its publish idempotent), the publishes in flight
//! with their optimistic posts, and the posts and accounts the database holds.

use std::collections::HashMap;

use leptos::prelude::*;

use crate::domain::merge::{Applied, VersionedMap};
use crate::domain::publishing::{selected_platforms, PostSource};
use crate::domain::{ConnectedAccount, Platform, Post};

pub use super::post_draft::{PostDraft, Selection};

/// The most accounts the app reads for one creator. A creator connects a handful (one or two
/// per platform); the list is read whole, up to this bound, and the Accounts page says so when
/// a creator reaches it.
pub const MAX_ACCOUNTS: usize = 100;

/// The three steps of post-production.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostStep {
    Caption,
    Hashtags,
    Distribution,
}

/// One read of the accounts list, started by [`PublishState::start_accounts_read`].
#[derive(Debug, Clone)]
pub struct AccountsRead {
    seq: u64,
    held_at_start: Vec<ConnectedAccount>,
}

/// What became of a read's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOutcome {
    /// The rows are the list now.
    Applied,
    /// A newer read was started; its rows will be the list.
    Superseded,
    /// The list changed here while the read was on its way (an account added, changed or
    /// removed): the rows may predate that change, so they were not applied.
    ChangedMeanwhile,
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
    /// Whether `accounts` holds a list read from the database (and not just "none yet").
    pub accounts_loaded: RwSignal<bool>,
    /// The number of the newest accounts read started.
    accounts_read_seq: StoredValue<u64>,
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
            accounts_loaded: RwSignal::new(false),
            accounts_read_seq: StoredValue::new(0),
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

    /// Closes the panel. The draft's content stays kept (see [`super::kept_draft`]).
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

    /// The creator ticked or unticked an account: from now on the selection is theirs alone.
    pub fn choose_account(&self, id: &str, on: bool) {
        self.edit(|d| {
            d.account_ids.retain(|a| a != id);
            if on {
                d.account_ids.push(id.to_owned());
            }
            d.selection = Selection::Settled;
        });
    }

    /// Fills the draft's accounts from "Made for" with `preselected`, unless that already
    /// happened or the creator chose; returns whether it did.
    pub fn preselect(&self, preselected: Vec<String>) -> bool {
        let mut applied = false;
        self.edit(|d| {
            if d.selection == Selection::AwaitingAccounts {
                d.account_ids = preselected;
                d.selection = Selection::Settled;
                applied = true;
            }
        });
        applied
    }

    /// Starts a read of the accounts list: it supersedes every read started before it.
    pub fn start_accounts_read(&self) -> AccountsRead {
        let seq = self.accounts_read_seq.get_value() + 1;
        self.accounts_read_seq.set_value(seq);
        AccountsRead { seq, held_at_start: self.accounts.get_untracked() }
    }

    /// Applies a read's rows, unless a newer read was started meanwhile or the list changed here
    /// while it was on its way (then the rows could lack an account just added, or hold one
    /// just removed: the caller reads again).
    pub fn finish_accounts_read(&self, read: AccountsRead, rows: Vec<ConnectedAccount>) -> ReadOutcome {
        if read.seq != self.accounts_read_seq.get_value() {
            return ReadOutcome::Superseded;
        }
        if self.accounts.with_untracked(|now| *now != read.held_at_start) {
            return ReadOutcome::ChangedMeanwhile;
        }
        self.accounts.set(rows);
        self.accounts_loaded.set(true);
        ReadOutcome::Applied
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

    /// Forgets everything (on sign-out), kept drafts included.
    pub fn clear(&self) {
        self.close();
        super::kept_draft::forget_all();
        self.in_flight.set(Vec::new());
        self.accounts.set(Vec::new());
        self.accounts_loaded.set(false);
        self.accounts_read_seq.update_value(|seq| *seq += 1);
        self.sources.set(HashMap::new());
        self.post_order.set(Vec::new());
        self.posts.set(VersionedMap::default());
    }
}
