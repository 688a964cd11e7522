//! The toast list as plain data: which toasts are shown, which errors a success resolves,
//! which errors belong to the page the creator is leaving. No timers or signals here, so the
//! rules are unit-tested on the host; [`super::UiState`] drives it.

/// What a toast reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ToastKind {
    Info,
    Success,
    Error,
}

/// What an error is about, so a later success about the same thing removes it
/// ("Nothing was posted" goes when "Published to 1 account" arrives).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ToastTopic {
    /// Publishing or scheduling one generation (the post dialog).
    Publish { generation_id: String },
    /// Writing a caption for one generation.
    Caption { generation_id: String },
    /// Starting a batch in one session.
    Generate { session_id: String },
    /// Creating a session.
    NewSession,
    /// Loading or changing the creator's connected accounts.
    Accounts,
    /// The sign-in session itself ("You were signed out"): not tied to a page, because
    /// the creator is sent to the sign-in page to resolve it.
    SignIn,
}

impl ToastTopic {
    /// Whether an error about this topic outlives the page it was raised on.
    fn spans_pages(&self) -> bool {
        matches!(self, Self::SignIn)
    }
}

/// One message in the toast region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Toast {
    pub id: u64,
    pub kind: ToastKind,
    pub text: String,
    pub topic: Option<ToastTopic>,
    /// The path (`/app/posts`) of the page it was raised on; `None` for a toast that
    /// stays across pages.
    pub page: Option<String>,
}

/// The toasts shown, oldest first, plus the page the creator is on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ToastStack {
    toasts: Vec<Toast>,
    next_id: u64,
    page: Option<String>,
}

impl ToastStack {
    pub fn new() -> Self {
        Self { toasts: Vec::new(), next_id: 1, page: None }
    }

    pub fn toasts(&self) -> &[Toast] {
        &self.toasts
    }

    pub fn contains(&self, id: u64) -> bool {
        self.toasts.iter().any(|t| t.id == id)
    }

    /// Adds a toast and returns its id, or `None` when it repeats the newest toast (a burst of
    /// identical failures is one toast). A success about a topic first removes that topic's
    /// errors; an error about a topic replaces the topic's older error.
    pub fn push(&mut self, kind: ToastKind, text: String, topic: Option<ToastTopic>) -> Option<u64> {
        if let Some(topic) = &topic {
            self.toasts.retain(|t| !(t.kind == ToastKind::Error && t.topic.as_ref() == Some(topic)));
        }
        let repeated = self.toasts.last().is_some_and(|last| last.kind == kind && last.text == text);
        if repeated {
            return None;
        }
        let id = self.next_id.max(1);
        self.next_id = id + 1;
        let page = match (&topic, kind) {
            (Some(topic), _) if topic.spans_pages() => None,
            (_, ToastKind::Error) => self.page.clone(),
            _ => None,
        };
        self.toasts.push(Toast { id, kind, text, topic, page });
        Some(id)
    }

    /// Removes one toast (dismiss button or timeout).
    pub fn dismiss(&mut self, id: u64) {
        self.toasts.retain(|t| t.id != id);
    }

    /// Removes every error about `topic` (its cause is gone, e.g. the dialog that raised it closed).
    pub fn clear_topic(&mut self, topic: &ToastTopic) {
        self.toasts.retain(|t| !(t.kind == ToastKind::Error && t.topic.as_ref() == Some(topic)));
    }

    /// The creator is now on `path`: errors raised on another page go, because what they
    /// asked the creator to do was on that page. Errors raised before any page was known, and
    /// errors about topics that span pages, stay.
    pub fn enter_page(&mut self, path: &str) {
        self.toasts.retain(|t| t.page.as_deref().is_none_or(|page| page == path));
        self.page = Some(path.to_owned());
    }
}

#[cfg(test)]
#[path = "toast_stack_tests.rs"]
mod tests;
