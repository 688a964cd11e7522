//! Toasts: short messages that dismiss themselves after a few seconds.

use std::time::Duration;

use leptos::prelude::*;

/// How long an info toast stays up.
const INFO_TTL: Duration = Duration::from_secs(5);
/// How long an error toast stays up (longer: it says what to do next).
const ERROR_TTL: Duration = Duration::from_secs(8);

/// What a toast reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
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

    /// Shows an error toast.
    pub fn push_error(&self, text: impl Into<String>) {
        self.push(ToastKind::Error, text.into(), ERROR_TTL);
    }

    /// Shows an info toast.
    pub fn push_info(&self, text: impl Into<String>) {
        self.push(ToastKind::Info, text.into(), INFO_TTL);
    }

    /// Removes a toast (dismiss button or timeout).
    pub fn dismiss(&self, id: u64) {
        self.toasts.update(|toasts| toasts.retain(|t| t.id != id));
    }

    fn push(&self, kind: ToastKind, text: String, ttl: Duration) {
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.toasts.update(|toasts| toasts.push(Toast { id, kind, text }));
        let this = *self;
        set_timeout(move || this.dismiss(id), ttl);
    }
}
