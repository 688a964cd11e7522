//! The generate workspace's components.

mod new_session_form;
mod session_detail;
mod session_item;
mod session_list;
mod session_rail;

pub use new_session_form::NewSessionForm;
pub use session_detail::SessionDetail;
pub use session_item::SessionItem;
pub use session_list::SessionList;
pub use session_rail::SessionRail;
