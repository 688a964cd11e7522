//! "Edit post": a [`Modal`] with a scheduled post's caption, hashtags, account and time, "Save
//! changes" and "Cancel". The time is typed on the creator's clock, with the account's clock
//! beside it when it lives in another zone. A refusal (the worker took the post first, a text
//! too long for the platform…) shows inside the dialog in words and changes nothing; Escape and
//! Cancel close it, and focus goes back to the post's "Edit post" button — the row's new one
//! when the save redrew it.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::edit_post_form::EditPostForm;
use crate::components::{FocusFallback, Modal, ModalName};
use crate::domain::Post;

/// The post being edited (`None`: the dialog is closed), provided as context by the posts page.
#[derive(Debug, Clone, Copy)]
pub struct EditingPost(pub RwSignal<Option<Post>>);

/// The id of a post's "Edit post" button, where focus returns after the dialog.
pub fn edit_button_id(post_id: &str) -> String {
    format!("edit-post-{post_id}")
}

/// The dialog; open while [`EditingPost`] holds a post.
#[component]
pub fn EditPostDialog() -> impl IntoView {
    let EditingPost(editing) = expect_context::<EditingPost>();
    // The post last shown: its "Edit post" button takes focus back when a save redrew the row.
    let last = StoredValue::new(None::<String>);
    Effect::new(move |_| {
        if let Some(id) = editing.with(|p| p.as_ref().map(|p| p.id.clone())) {
            last.set_value(Some(id));
        }
    });
    let redrawn: FocusFallback = Callback::new(move |_| {
        let button = document().get_element_by_id(&edit_button_id(&last.get_value()?))?;
        button.dyn_into::<web_sys::HtmlElement>().ok()
    });
    let close = Callback::new(move |_| editing.set(None));
    view! {
        <Modal
            open=Signal::derive(move || editing.with(Option::is_some))
            on_close=close
            name=ModalName::LabelledBy("edit-post-title".to_owned())
            return_focus=redrawn
            class="edit-post-dialog"
        >
            <h2 id="edit-post-title">"Edit post"</h2>
            {move || editing.get().map(|post| view! { <EditPostForm post close /> })}
        </Modal>
    }
}
