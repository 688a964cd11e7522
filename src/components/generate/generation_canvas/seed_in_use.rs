//! The seed Generate will use, said next to Generate (a Remix fills the seed field, and a fixed
//! seed repeats the same images), with a button to go back to random seeds.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::super::CanvasForm;

/// "Seed 1234 is in use" and "Use random seeds", or nothing while the seed is random.
#[component]
pub fn SeedInUse(form: CanvasForm) -> impl IntoView {
    let clear = move |_| {
        form.seed.set(String::new());
        // The button goes with the note: focus the field that now says "Random".
        if let Some(field) = document().get_element_by_id("seed") {
            let _ = field.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    };
    move || {
        form.parsed_seed().ok().flatten().map(|seed| {
            let text = if form.count.get() > 1 {
                format!("Seed {seed} is in use: the outputs get {seed}, {}, and so on.", seed + 1)
            } else {
                format!("Seed {seed} is in use: the same prompt gives the same image.")
            };
            view! {
                <p class="seed-in-use" id="seed-in-use">
                    <span>{text}</span>
                    <button type="button" class="button button-ghost button-small" on:click=clear>
                        "Use random seeds"
                    </button>
                </p>
            }
        })
    }
}
