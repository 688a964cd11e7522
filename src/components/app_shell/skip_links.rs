//! "Skip to the prompt" and "Skip to the results": the first Tab stops of the Generate page,
//! shown only while focused, so a keyboard user does not walk the header and the session
//! rail first.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The prompt field's id (the canvas's textarea).
const PROMPT_ID: &str = "prompt";
/// Where the results start: the section the grid labels "Results".
const RESULTS_SELECTOR: &str = "#results, main section[aria-label='Results']";

/// Moves focus to `target` (made focusable from script if it is not) and shows it.
fn focus(target: web_sys::Element) {
    if !target.has_attribute("tabindex") && !target.has_type::<web_sys::HtmlTextAreaElement>() {
        let _ = target.set_attribute("tabindex", "-1");
    }
    target.scroll_into_view();
    if let Ok(el) = target.dyn_into::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
}

/// The two skip links; each moves focus itself, since the router would treat `#…` as a route.
#[component]
pub fn SkipLinks() -> impl IntoView {
    let to_prompt = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Some(prompt) = document().get_element_by_id(PROMPT_ID) {
            focus(prompt);
        }
    };
    let to_results = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        if let Ok(Some(results)) = document().query_selector(RESULTS_SELECTOR) {
            focus(results);
        }
    };
    view! {
        <div class="skip-links">
            <a class="skip-link" href="#prompt" on:click=to_prompt>"Skip to the prompt"</a>
            <a class="skip-link" href="#results" on:click=to_results>"Skip to the results"</a>
        </div>
    }
}
