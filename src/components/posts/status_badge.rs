//! A post's status as a badge: its own colour and icon for each status (by `data-status`, in
//! style/generate.css; the icon is decorative CSS content), always with the word, so no
//! status is told by colour alone and the badge's text is exactly the word.

use leptos::prelude::*;

use crate::domain::publishing::post_badge_label;
use crate::domain::PostStatus;

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
            {label.unwrap_or_else(|| post_badge_label(status))}
        </span>
    }
}
