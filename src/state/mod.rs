//! Reactive state, one concern per file, shared as typed context newtypes. Knows only `domain`.

pub mod auth;
pub mod kept_draft;
pub mod platforms;
pub mod post_draft;
pub mod publish;
pub mod sessions;
pub mod ui;

pub use auth::AuthState;
pub use platforms::PlatformsState;
pub use publish::PublishState;
pub use sessions::SessionsState;
pub use ui::UiState;

/// Creates every state and provides it as context; call once at the top of the app.
pub fn provide_all() {
    leptos::prelude::provide_context(AuthState::new());
    leptos::prelude::provide_context(SessionsState::new());
    leptos::prelude::provide_context(PublishState::new());
    leptos::prelude::provide_context(PlatformsState::new());
    leptos::prelude::provide_context(UiState::new());
}
