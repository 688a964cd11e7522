//! The toast region: a polite live region listing current toasts.

use leptos::prelude::*;

use crate::state::ui::ToastKind;
use crate::state::UiState;

/// Renders the toasts from [`UiState`], each with a dismiss button.
#[component]
pub fn Toasts() -> impl IntoView {
    let ui = UiState::expect_context();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || ui.toasts.get() key=|toast| toast.id let:toast>
                <div class="toast" class:toast-error=toast.kind == ToastKind::Error>
                    <p>{toast.text}</p>
                    <button
                        type="button"
                        class="toast-dismiss"
                        aria-label="Dismiss notification"
                        on:click=move |_| ui.dismiss(toast.id)
                    >
                        "×"
                    </button>
                </div>
            </For>
        </div>
    }
}
