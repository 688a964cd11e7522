//! Keeping focus on a card the windowed list moved. When the window moves up, the keyed list
//! re-inserts the cards it keeps after the new ones, and Chromium blurs a focused element it
//! moves: focus goes back to it, unless the pointer just took it elsewhere.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The list's `focusout` handler that puts focus back on a card the list moved.
pub fn refocus_moved_cards() -> impl Fn(ev::FocusEvent) + Copy + 'static {
    let pointed_at = StoredValue::new(0.0_f64);
    let on_pointer = window_event_listener(ev::pointerdown, move |_| pointed_at.set_value(js_sys::Date::now()));
    on_cleanup(move || on_pointer.remove());
    move |ev: ev::FocusEvent| {
        // Also fired as the list goes (its cards are removed): nothing to restore then.
        let Some(pointed) = pointed_at.try_get_value() else { return };
        if ev.related_target().is_some() || js_sys::Date::now() - pointed < 500.0 {
            return;
        }
        let Some(left) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
        request_animation_frame(move || {
            let body: Option<web_sys::Element> = document().body().map(Into::into);
            let lost = document().active_element().is_none_or(|active| Some(active) == body);
            if lost && left.is_connected() {
                let _ = left.focus();
            }
        });
    }
}
