//! The posts page's two confirmations — "Cancel this post?" and "Remove this post?" — and
//! the action each runs once confirmed; a row asks for one by setting the page's
//! [`PostAction`].

use leptos::prelude::*;

use crate::components::ConfirmDialog;
use crate::services::post_pages;
use crate::services::{self, Services};

/// A destructive action on a post, awaiting the page's confirmation (provided as context as
/// an `RwSignal<Option<PostAction>>` by the posts page).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PostAction {
    /// Cancel a scheduled post.
    Cancel { id: String },
    /// Remove a finished post from Atelier; `went_out_on` names the platform it was published
    /// on (it stays there), `None` when it never went out.
    Remove { id: String, went_out_on: Option<&'static str> },
}

/// The confirmation of whatever `confirm` holds; it is cleared when the action is done or the
/// dialog is closed, and an error stays in the dialog.
#[component]
pub fn PostActionDialogs(confirm: RwSignal<Option<PostAction>>) -> impl IntoView {
    let app = Services::expect_context();
    let confirm_error = RwSignal::new(None::<String>);
    let act = Action::new_local(move |action: &PostAction| {
        let action = action.clone();
        async move {
            let done = match &action {
                PostAction::Cancel { id } => {
                    services::publish::cancel_post(app, id.clone()).await.map(|()| "Post cancelled.".to_owned())
                }
                PostAction::Remove { id, went_out_on } => {
                    post_pages::remove_post(app, id.clone()).await.map(|()| match went_out_on {
                        Some(platform) => format!("Removed from Atelier; it stays on {platform}."),
                        None => "Post removed.".to_owned(),
                    })
                }
            };
            match done {
                Ok(message) => {
                    confirm.set(None);
                    app.ui.push_success(message);
                }
                Err(e) => confirm_error.set(Some(e.user_message())),
            }
        }
    });
    let removal_message = move || match confirm.get() {
        Some(PostAction::Remove { went_out_on: Some(platform), .. }) => {
            format!("It is removed from Atelier only: it stays on {platform}. Delete it there if you want it gone.")
        }
        _ => "It never went out; its record is removed from Atelier.".to_owned(),
    };
    let run = move |_| {
        if let Some(action) = confirm.get_untracked() {
            confirm_error.set(None);
            act.dispatch(action);
        }
    };
    let close = move |_| {
        confirm.set(None);
        confirm_error.set(None);
    };
    view! {
        <ConfirmDialog
            open=Signal::derive(move || matches!(confirm.get(), Some(PostAction::Cancel { .. })))
            title=Signal::derive(|| "Cancel this post?".to_owned())
            message=Signal::derive(|| "It will not go out. You can post the output again from the Generate page.".to_owned())
            confirm_label="Cancel post"
            cancel_label="Keep it"
            error=confirm_error
            busy=act.pending()
            on_confirm=run
            on_close=close
        />
        <ConfirmDialog
            open=Signal::derive(move || matches!(confirm.get(), Some(PostAction::Remove { .. })))
            title=Signal::derive(|| "Remove this post?".to_owned())
            message=Signal::derive(removal_message)
            confirm_label="Remove post"
            error=confirm_error
            busy=act.pending()
            on_confirm=run
            on_close=close
        />
    }
}
