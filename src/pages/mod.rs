//! One routed view per file.

mod generate;
mod login;
mod not_found;

pub use generate::GeneratePage;
pub use login::LoginPage;
pub use not_found::NotFound;
