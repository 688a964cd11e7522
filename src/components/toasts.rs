//! The toast region: a polite live region listing current toasts. A toast does not time out
//! while the pointer is over it or focus is inside it (see [`crate::state::ui`]).

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::state::ui::{ToastHold, ToastKind};
use crate::state::UiState;

/// Renders the toasts from [`UiState`], each with a dismiss button.
#[component]
pub fn Toasts() -> impl IntoView {
    let ui = UiState::expect_context();
    view! {
        <div class="toasts" role="status" aria-live="polite">
            <For each=move || ui.toasts.get() key=|toast| toast.id let:toast>
                <div
                    class="toast"
                    class:toast-error=toast.kind == ToastKind::Error
                    on:mouseenter=move |_| ui.hold(toast.id, ToastHold::Pointer)
                    on:mouseleave=move |_| ui.release(toast.id, ToastHold::Pointer)
                    on:focusin=move |_| ui.hold(toast.id, ToastHold::Focus)
                    on:focusout=move |ev| {
                        if !focus_stays_inside(&ev) {
                            ui.release(toast.id, ToastHold::Focus)
                        }
                    }
                >
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

/// Whether focus moves to another element of the same toast.
fn focus_stays_inside(ev: &web_sys::FocusEvent) -> bool {
    let toast = ev.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
    let next = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
    matches!((toast, next), (Some(toast), Some(next)) if toast.contains(Some(&next)))
}
