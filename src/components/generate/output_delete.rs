//! "Delete this output?": the confirmation a card's Delete asks for (the card names the output
//! in the grid's state), and the delete it runs; a refusal stays in the dialog.

use leptos::prelude::*;

use super::GridUi;
use crate::components::ConfirmDialog;
use crate::services::{self, Services};

/// The dialog; open while the grid holds an output to delete.
#[component]
pub fn DeleteOutputDialog() -> impl IntoView {
    let app = Services::expect_context();
    let grid = GridUi::expect_context();
    let delete = Action::new_local(move |id: &String| services::sessions::delete_output(app, id.clone()));
    let delete_error = RwSignal::new(None::<String>);
    Effect::new(move |_| match delete.value().get() {
        Some(Ok(())) => {
            grid.confirm_delete.set(None);
            app.ui.push_success("Output deleted.");
        }
        Some(Err(e)) => delete_error.set(Some(e.user_message())),
        None => {}
    });

    view! {
        <ConfirmDialog
            open=Signal::derive(move || grid.confirm_delete.with(Option::is_some))
            title=Signal::derive(|| "Delete this output?".to_owned())
            message=Signal::derive(|| "The output and its file are deleted for good.".to_owned())
            confirm_label="Delete output"
            error=delete_error
            busy=delete.pending()
            on_confirm=move |_| {
                if let Some(id) = grid.confirm_delete.get_untracked() {
                    delete_error.set(None);
                    delete.dispatch(id);
                }
            }
            on_close=move |_| {
                grid.confirm_delete.set(None);
                delete_error.set(None);
            }
        />
    }
}
