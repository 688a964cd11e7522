//! One component per file. Components read `state` and call `services`.

pub mod accounts;
mod app_shell;
mod config_error;
mod confirm_dialog;
mod display;
pub mod generate;
mod login_form;
mod modal;
pub mod post_production;
pub mod posts;
pub mod time_zone_picker;
mod toasts;

pub use app_shell::AppShell;
pub use config_error::ConfigError;
pub use confirm_dialog::ConfirmDialog;
pub use login_form::{LoginForm, LoginMode};
pub use modal::{FocusFallback, Modal, ModalName};
pub use toasts::Toasts;
