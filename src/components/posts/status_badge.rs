//! A post's status as a badge: its own colour (by `data-status`, in style/generate.css) and
//! icon for each status, always with the word, so no status is told by colour alone.

use leptos::prelude::*;

use crate::domain::publishing::post_badge_label;
use crate::domain::PostStatus;

/// The icon beside a status's word (decorative: the word says it).
pub fn status_icon(status: PostStatus) -> &'static str {
    match status {
        PostStatus::Scheduled => "◷",
        PostStatus::Publishing => "↻",
        PostStatus::Published => "✓",
        PostStatus::Failed => "!",
        PostStatus::Cancelled => "⊘",
    }
}

/// The badge of a post in `status`; `label` overrides the word (a post still being sent).
#[component]
pub fn StatusBadge(
    /// The post's status.
    status: PostStatus,
    /// The word to show instead of the status's own.
    #[prop(optional_no_strip)]
    label: Option<&'static str>,
) -> impl IntoView {
    view! {
        <span class="status-badge post-status" data-status=status.as_str()>
            <span class="post-status-icon" aria-hidden="true">{status_icon(status)}</span>
            {label.unwrap_or_else(|| post_badge_label(status))}
        </span>
    }
}
