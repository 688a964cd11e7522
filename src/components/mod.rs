//! One component per file. Components read `state` and call `services`.

mod app_shell;
mod config_error;
mod confirm_dialog;
pub mod generate;
mod login_form;
mod toasts;

pub use app_shell::AppShell;
pub use config_error::ConfigError;
pub use confirm_dialog::ConfirmDialog;
pub use login_form::LoginForm;
pub use toasts::Toasts;
