//! One routed view per file.

mod accounts;
mod generate;
mod login;
mod not_found;
mod posts;

pub use accounts::AccountsPage;
pub use generate::GeneratePage;
pub use login::LoginPage;
pub use not_found::NotFound;
pub use posts::PostsPage;
