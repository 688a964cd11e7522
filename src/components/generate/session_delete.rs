//! Deleting a rail session: its "Delete" button and the confirmation dialog that names it.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::ConfirmDialog;
use crate::domain::routes::Route;
use crate::services::{self, Services};

/// "Delete" for session `id` (titled `title`); when it is the open one (`current`), a
/// successful delete goes back to the Generate start page.
#[component]
pub fn SessionDelete(id: String, title: Signal<String>, current: Memo<bool>) -> impl IntoView {
    let app = Services::expect_context();
    let navigate = use_navigate();
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // A deleted session leaves the list, and its entry with it: what follows a success runs
    // in the action itself, not in an effect of this (by then disposed) component.
    let delete = Action::new_local(move |_: &()| {
        let (id, navigate, was_current) = (id.clone(), navigate.clone(), current.get_untracked());
        async move {
            let result = services::sessions::delete(app, id).await;
            if result.is_ok() {
                app.ui.push_success("Session deleted.");
                if was_current {
                    navigate(&Route::Generate.href(), Default::default());
                }
            }
            result
        }
    });
    Effect::new(move |_| {
        if let Some(Err(e)) = delete.value().get() {
            error.set(Some(e.user_message()));
        }
    });

    view! {
        <button
            type="button"
            class="button button-ghost button-small"
            on:click=move |_| {
                error.set(None);
                confirming.set(true);
            }
        >
            "Delete"
        </button>
        <ConfirmDialog
            open=confirming
            title=Signal::derive(move || format!("Delete “{}”?", title.get()))
            message=Signal::derive(|| {
                "Its outputs and their files are deleted for good. Sessions whose outputs were posted are kept."
                    .to_owned()
            })
            confirm_label="Delete session"
            error
            busy=delete.pending()
            on_confirm=move |_| {
                delete.dispatch(());
            }
            on_close=move |_| confirming.set(false)
        />
    }
}
