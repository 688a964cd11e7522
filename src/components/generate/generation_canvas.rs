//! The prompt canvas: prompt (with a counter against the database's limit; Ctrl/Cmd+Enter
//! submits), its options (see [`options`]) and Generate, which is disabled while the input is
//! invalid, with the reason next to it. Each session keeps its own prompt; the ratio "Made for"
//! picks and a fixed seed are said next to their controls.

mod made_for;
mod made_for_note;
mod options;
mod prompt_memory;
mod seed_in_use;

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::CanvasForm;
use crate::domain::generation::PROMPT_MAX;
use crate::domain::routes::Route;
use crate::services::{self, Services};
use crate::state::ui::ToastTopic;
use options::CanvasOptions;
use seed_in_use::SeedInUse;

/// The canvas above the results.
#[component]
pub fn GenerationCanvas() -> impl IntoView {
    let app = Services::expect_context();
    let form = CanvasForm::expect_context();
    let navigate = use_navigate();
    let prompt_ref = NodeRef::<html::Textarea>::new();
    prompt_memory::keep_prompt_per_session(app, form);

    Effect::new(move |previous: Option<u32>| {
        let n = form.remixed.get();
        if previous.is_some_and(|p| p != n) {
            if let Some(el) = prompt_ref.get_untracked() {
                let _ = el.focus();
            }
        }
        n
    });

    let chars = Memo::new(move |_| form.prompt.with(|p| p.trim().chars().count()));
    let problem = Memo::new(move |_| {
        if let Err(e) = form.parsed_seed() {
            return Some(e);
        }
        form.request().validate().err().map(|e| e.to_string())
    });
    let submit = Action::new_local(move |_: &()| {
        let request = form.request();
        let navigate = navigate.clone();
        // The error is about this session's Generate: the next batch that starts here clears it.
        let topic = ToastTopic::Generate { session_id: app.sessions.current_id_untracked().unwrap_or_default() };
        async move {
            let on_session = move |id: &str| navigate(&Route::Session(id).href(), Default::default());
            match services::generation::start_generation(app, request, on_session).await {
                Ok(_) => app.ui.clear_topic(topic),
                Err(e) => app.ui.push_error_about(topic, format!("Could not generate: {}", e.user_message())),
            }
        }
    });
    let pending = submit.pending();
    let send = move || {
        if problem.get_untracked().is_none() && !pending.get_untracked() {
            submit.dispatch(());
        }
    };

    view! {
        <form
            class="canvas"
            aria-label="Generate"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                send();
            }
            // A held Enter repeats its keydown, and each repeat after a quick batch would start
            // another one (implicit submission, or Ctrl+Enter in the prompt): one press, one batch.
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" && ev.repeat() {
                    ev.prevent_default();
                }
            }
        >
            <div class="field field-prompt">
                <label for="prompt">"Prompt"</label>
                <textarea
                    id="prompt"
                    rows="3"
                    node_ref=prompt_ref
                    placeholder="A ceramicist's studio at golden hour, bowls drying on wooden shelves"
                    aria-describedby="prompt-count"
                    bind:value=form.prompt
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.repeat() {
                            ev.prevent_default();
                            send();
                        }
                    }
                ></textarea>
                <p id="prompt-count" class="counter" class:counter-over=move || { chars.get() > PROMPT_MAX }>
                    {move || format!("{} / {PROMPT_MAX}", chars.get())}
                    <span class="muted">" · Ctrl+Enter to generate"</span>
                </p>
            </div>
            <CanvasOptions form />
            <div class="canvas-submit">
                <button type="submit" class="button button-primary"
                    disabled=move || problem.with(Option::is_some) || pending.get()
                    aria-describedby="generate-reason">
                    {move || if pending.get() { "Generating…" } else { "Generate" }}
                </button>
                <p id="generate-reason" class="muted" aria-live="polite">{move || problem.get()}</p>
            </div>
            <SeedInUse form />
        </form>
    }
}
