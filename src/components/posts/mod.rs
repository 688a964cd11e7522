//! The posts page's components.

mod post_row;

pub use post_row::PostRow;
