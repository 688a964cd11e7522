//! The actions an output offers wherever it is shown — on its card and in the large view —
//! under the same accessible names: Download, Star (pressed when starred) and Post…. On a card
//! they are Tab stops only while the card is the grid's (see [`CardTabStop`]).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::post_production::PostUrl;
use crate::domain::Generation;
use crate::services::{self, Services};

/// Provided by a card: whether it is the grid's Tab stop. The result grid is one Tab stop (the
/// arrow keys move between cards), so the actions of the other cards leave the Tab order.
#[derive(Debug, Clone, Copy)]
pub struct CardTabStop(pub Signal<bool>);

/// The `tabindex` of an action: `-1` on a card that is not the Tab stop; none elsewhere.
pub fn action_tabindex() -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
    let stop = use_context::<CardTabStop>();
    move || stop.and_then(|CardTabStop(on)| (!on.get()).then_some("-1"))
}

/// "Download": the output's file under a readable name.
#[component]
pub fn DownloadLink(
    /// The output.
    generation: Generation,
) -> impl IntoView {
    let href = services::generation::download_link(&generation);
    let tabindex = action_tabindex();
    view! { <a class="button button-small" href=href download=generation.download_name() tabindex=tabindex>"Download"</a> }
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
    let tabindex = action_tabindex();
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
            tabindex=tabindex
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
    let tabindex = action_tabindex();
    // Only the id is kept, not the whole row.
    let id = generation.id;
    view! {
        <button
            type="button"
            class="button button-small button-primary"
            tabindex=tabindex
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
