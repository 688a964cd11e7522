//! The posts page's components, and the post status badge the Generate page's cards share.

mod post_row;
mod status_badge;

pub use post_row::{PostAction, PostRow};
pub use status_badge::StatusBadge;
