//! The accounts page's components.

mod account_row;
mod add_account_form;
mod connect_bluesky_form;
mod connect_forms;
mod connect_mastodon_form;

pub use account_row::AccountRow;
pub use add_account_form::AddAccountForm;
pub use connect_bluesky_form::ConnectBlueskyForm;
pub use connect_forms::ConnectForms;
pub use connect_mastodon_form::ConnectMastodonForm;
