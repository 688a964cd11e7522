//! Toasts: outcomes and errors, announced through an ARIA live region.
//!
//! Lifetimes: info and success toasts go after 6 s, errors after 15 s (they say what to do
//! next, so they stay at least 10 s); no toast times out while the pointer is over it or focus
//! is in it, and it gets its full time again when left. An error about a [`ToastTopic`] goes
//! as soon as a success about the same topic arrives. Errors belong to the page they were
//! raised on: when the creator moves to another page (another path), they go, except errors
//! about topics that span pages (signing in). The rules live in [`ToastStack`].

mod toast_stack;

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use leptos::prelude::*;

pub use toast_stack::{Toast, ToastKind, ToastStack, ToastTopic};

/// What keeps a toast from timing out: each is released on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ToastHold {
    /// The pointer is over the toast.
    Pointer,
    /// Focus is inside the toast.
    Focus,
}

/// How long an info or success toast stays up.
const INFO_TTL: Duration = Duration::from_secs(6);
/// How long an error stays up when nobody is reading it.
pub const ERROR_TTL: Duration = Duration::from_secs(15);

/// The toast stack, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct UiState {
    /// Toasts currently shown, oldest first (a copy of the stack's list, for rendering).
    pub toasts: RwSignal<Vec<Toast>>,
    stack: StoredValue<ToastStack>,
    /// Toasts the pointer or focus is in: their timers do not dismiss them.
    held: StoredValue<HashSet<(u64, ToastHold)>>,
    /// The latest timer armed for each toast; an older timer firing does nothing.
    timers: StoredValue<HashMap<u64, u64>>,
    next_timer: StoredValue<u64>,
}

impl Default for UiState {
    fn default() -> Self {
        Self::new()
    }
}

impl UiState {
    /// No toasts.
    pub fn new() -> Self {
        Self {
            toasts: RwSignal::new(Vec::new()),
            stack: StoredValue::new(ToastStack::new()),
            held: StoredValue::new(HashSet::new()),
            timers: StoredValue::new(HashMap::new()),
            next_timer: StoredValue::new(1),
        }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Shows an error toast. The same text shown twice in a row is one toast, so a burst of
    /// identical failures does not pile up.
    pub fn push_error(&self, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into(), None);
    }

    /// Shows an error about `topic`; it replaces an earlier error about the same topic and
    /// goes when a success about it arrives ([`Self::push_success_about`]).
    pub fn push_error_about(&self, topic: ToastTopic, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into(), Some(topic));
    }

    /// Shows an info toast.
    pub fn push_info(&self, text: impl Into<String>) {
        self.push(ToastKind::Info, text.into(), None);
    }

    /// Shows a success toast (an outcome: "Published to 2 accounts").
    pub fn push_success(&self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into(), None);
    }

    /// Shows a success about `topic` and removes the errors about it.
    pub fn push_success_about(&self, topic: ToastTopic, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into(), Some(topic));
    }

    /// Removes the errors about `topic` without announcing anything.
    pub fn clear_topic(&self, topic: ToastTopic) {
        self.change(|stack| stack.clear_topic(&topic));
    }

    /// The creator is on the page at `path`: errors raised on other pages go.
    pub fn enter_page(&self, path: &str) {
        self.change(|stack| stack.enter_page(path));
    }

    /// Removes a toast (dismiss button or timeout).
    pub fn dismiss(&self, id: u64) {
        self.held.update_value(|held| held.retain(|(held_id, _)| *held_id != id));
        self.timers.update_value(|timers| {
            timers.remove(&id);
        });
        self.change(|stack| stack.dismiss(id));
    }

    /// The pointer entered the toast or focus moved into it: it stays while held.
    pub fn hold(&self, id: u64, hold: ToastHold) {
        self.held.update_value(|held| {
            held.insert((id, hold));
        });
    }

    /// The pointer or focus left the toast: once neither is in it, it gets its full time again.
    pub fn release(&self, id: u64, hold: ToastHold) {
        let was_held = self.held.try_update_value(|held| held.remove(&(id, hold))).unwrap_or(false);
        let still_held = self.is_held(id);
        let kind = self.stack.with_value(|s| s.toasts().iter().find(|t| t.id == id).map(|t| t.kind));
        if let (true, false, Some(kind)) = (was_held, still_held, kind) {
            self.arm(id, kind);
        }
    }

    fn is_held(&self, id: u64) -> bool {
        self.held.with_value(|held| held.iter().any(|(held_id, _)| *held_id == id))
    }

    fn push(&self, kind: ToastKind, text: String, topic: Option<ToastTopic>) {
        let mut added = None;
        self.change(|stack| added = stack.push(kind, text, topic));
        if let Some(id) = added {
            self.arm(id, kind);
        }
    }

    fn change(&self, edit: impl FnOnce(&mut ToastStack)) {
        self.stack.update_value(edit);
        let shown = self.stack.with_value(|s| s.toasts().to_vec());
        self.toasts.set(shown);
    }

    fn arm(&self, id: u64, kind: ToastKind) {
        let ttl = if kind == ToastKind::Error { ERROR_TTL } else { INFO_TTL };
        let timer = self.next_timer.get_value();
        self.next_timer.set_value(timer + 1);
        self.timers.update_value(|timers| {
            timers.insert(id, timer);
        });
        let this = *self;
        set_timeout(
            move || {
                let latest = this.timers.with_value(|t| t.get(&id) == Some(&timer));
                let held = this.is_held(id);
                if latest && !held {
                    this.dismiss(id);
                }
            },
            ttl,
        );
    }
}
