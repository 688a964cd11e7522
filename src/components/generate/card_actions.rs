//! The actions an output offers wherever it is shown — on its card and in the large view —
//! under the same accessible names: Download, Star (pressed when starred) and Post….

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::post_production::PostUrl;
use crate::domain::Generation;
use crate::services::{self, Services};

/// "Download": the output's file under a readable name.
#[component]
pub fn DownloadLink(
    /// The output.
    generation: Generation,
) -> impl IntoView {
    let href = services::generation::download_link(&generation);
    view! { <a class="button button-small" href=href download=generation.download_name()>"Download"</a> }
}

/// "Star", pressed while the output is starred; a failure is toasted.
#[component]
pub fn StarButton(
    /// The output's id.
    id: String,
    /// Whether it is starred now.
    #[prop(into)]
    starred: Signal<bool>,
) -> impl IntoView {
    let app = Services::expect_context();
    // A task per click, not an `Action` per card: a grid of a thousand cards owns none.
    let star = move |id: String, on: bool| {
        spawn_local(async move {
            if let Err(e) = services::generation::set_starred(app, id, on).await {
                app.ui.push_error(format!("Could not change the star: {}", e.user_message()));
            }
        })
    };
    view! {
        <button
            type="button"
            class="button button-small"
            aria-pressed=move || starred.get().to_string()
            on:click=move |_| {
                star(id.clone(), !starred.get_untracked());
            }
        >
            <span aria-hidden="true">{move || if starred.get() { "★ " } else { "☆ " }}</span>
            "Star"
        </button>
    }
}

/// "Post…": opens the post dialog for the output by putting it in the URL (`?post=<id>`, see
/// [`PostUrl`]); `before` runs first (the large view closes).
#[component]
pub fn PostButton(
    /// The output.
    generation: Generation,
    /// Runs before the dialog opens.
    #[prop(optional, into)]
    before: Option<Callback<()>>,
) -> impl IntoView {
    let url = PostUrl::expect_context();
    // Only the id is kept, not the whole row.
    let id = generation.id;
    view! {
        <button
            type="button"
            class="button button-small button-primary"
            on:click=move |_| {
                if let Some(before) = before {
                    before.run(());
                }
                url.open(&id);
            }
        >
            "Post…"
        </button>
    }
}
