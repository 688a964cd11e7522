//! The accounts page's components.

mod account_row;
mod add_account_form;

pub use account_row::AccountRow;
pub use add_account_form::AddAccountForm;
