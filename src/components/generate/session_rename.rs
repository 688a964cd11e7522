//! A rail session's title edited in place: Save renames it, Escape or Cancel leave it as it
//! was; either way focus goes back to the entry's "Rename" button.

use leptos::html;
use leptos::prelude::*;

use crate::domain::models::validate_session_title;
use crate::services::{self, Services};

/// The rename form of session `id`, shown while `renaming` is set; it starts from the title
/// the entry showed when Rename was pressed (`draft`).
#[component]
pub fn SessionRename(
    id: String,
    renaming: RwSignal<bool>,
    draft: RwSignal<String>,
    /// The entry's "Rename" button, where focus returns once the form closes.
    rename_button: NodeRef<html::Button>,
) -> impl IntoView {
    let app = Services::expect_context();
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();
    let focus_rename_button = move || {
        if let Some(b) = rename_button.get_untracked() {
            let _ = b.focus();
        }
    };
    let rename = {
        let id = id.clone();
        Action::new_local(move |title: &String| {
            let (id, title) = (id.clone(), title.clone());
            async move { services::sessions::rename(app, id, title).await }
        })
    };
    Effect::new(move |_| match rename.value().get() {
        Some(Ok(_)) => {
            renaming.set(false);
            focus_rename_button();
        }
        Some(Err(e)) => error.set(Some(e.user_message())),
        None => {}
    });
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
            el.select();
        }
    });
    let save = move || match validate_session_title(&draft.get_untracked()) {
        Ok(t) => {
            error.set(None);
            rename.dispatch(t);
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let cancel = move || {
        renaming.set(false);
        error.set(None);
        focus_rename_button();
    };

    let field = format!("rename-{id}");
    view! {
        <form
            class="session-rename"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                save();
            }
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    cancel();
                }
            }
        >
            <label class="visually-hidden" for=field.clone()>"Session title"</label>
            <input id=field type="text" maxlength="200" node_ref=input bind:value=draft />
            <button type="submit" class="button button-small button-primary">"Save"</button>
            <button type="button" class="button button-small button-ghost" on:click=move |_| cancel()>
                "Cancel"
            </button>
            {move || error.get().map(|t| view! { <p class="field-error" role="alert">{t}</p> })}
        </form>
    }
}
