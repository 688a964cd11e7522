//! Toasts: outcomes and errors, announced through an ARIA live region. Info and success
//! toasts dismiss themselves after a few seconds; errors stay until dismissed, because they
//! say what to do next.

use std::time::Duration;

use leptos::prelude::*;

/// How long an info or success toast stays up.
const INFO_TTL: Duration = Duration::from_secs(6);

/// What a toast reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

/// One message in the toast region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub text: String,
}

/// The toast stack, shared as context.
#[derive(Debug, Clone, Copy)]
pub struct UiState {
    /// Toasts currently shown, oldest first.
    pub toasts: RwSignal<Vec<Toast>>,
    next_id: StoredValue<u64>,
}

impl Default for UiState {
    fn default() -> Self {
        Self::new()
    }
}

impl UiState {
    /// No toasts.
    pub fn new() -> Self {
        Self { toasts: RwSignal::new(Vec::new()), next_id: StoredValue::new(1) }
    }

    /// The state provided by [`crate::state::provide_all`].
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// Shows an error toast; it stays until dismissed. The same text shown twice in a row
    /// is one toast, so a burst of identical failures does not pile up.
    pub fn push_error(&self, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into(), None);
    }

    /// Shows an info toast.
    pub fn push_info(&self, text: impl Into<String>) {
        self.push(ToastKind::Info, text.into(), Some(INFO_TTL));
    }

    /// Shows a success toast (an outcome: "Published to 2 accounts").
    pub fn push_success(&self, text: impl Into<String>) {
        self.push(ToastKind::Success, text.into(), Some(INFO_TTL));
    }

    /// Removes a toast (dismiss button or timeout).
    pub fn dismiss(&self, id: u64) {
        self.toasts.update(|toasts| toasts.retain(|t| t.id != id));
    }

    fn push(&self, kind: ToastKind, text: String, ttl: Option<Duration>) {
        let repeated =
            self.toasts.with_untracked(|t| t.last().is_some_and(|last| last.kind == kind && last.text == text));
        if repeated {
            return;
        }
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.toasts.update(|toasts| toasts.push(Toast { id, kind, text }));
        if let Some(ttl) = ttl {
            let this = *self;
            set_timeout(move || this.dismiss(id), ttl);
        }
    }
}
