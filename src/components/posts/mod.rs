//! The posts page's components, and the post status badge the Generate page's cards share.

mod edit_post_dialog;
mod edit_post_form;
mod post_action_dialogs;
mod post_row;
mod post_time;
mod status_badge;

pub use edit_post_dialog::{EditPostDialog, EditingPost};
pub use post_action_dialogs::{PostAction, PostActionDialogs};
pub use post_row::PostRow;
pub use status_badge::StatusBadge;
