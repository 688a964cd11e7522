//! Focus inside a modal dialog: where it lands on opening, and Tab cycling through the
//! dialog's controls (the last one's Tab goes to the first, the first one's Shift+Tab to the
//! last) rather than leaving for the browser's own toolbar.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement};

/// What can take focus by Tab (disabled and hidden controls are left out below).
const FOCUSABLE: &str = "a[href], button, input:not([type=hidden]), select, textarea, video[controls], \
    audio[controls], summary, [tabindex]:not([tabindex='-1']), [contenteditable=true]";

/// The focused element, if it is an HTML element (not the body's absence).
pub fn active_element() -> Option<HtmlElement> {
    leptos::prelude::document().active_element().and_then(|e| e.dyn_into().ok())
}

/// Makes sure focus is inside the freshly opened dialog. The browser has put it on the control
/// marked `autofocus` (the dialog's named first stop), else on the first focusable one
/// (<https://html.spec.whatwg.org/multipage/interactive-elements.html#dialog-focusing-steps>);
/// when it left focus outside, the first focusable control takes it.
pub fn enter(dialog: &HtmlDialogElement) {
    let inside = active_element().is_some_and(|el| dialog.contains(Some(&el)));
    if !inside {
        if let Some(first) = tab_stops(dialog).first() {
            let _ = first.focus();
        }
    }
}

/// On Tab: wraps focus round from the last control to the first (Shift+Tab: first to last).
pub fn keep_inside(dialog: &HtmlDialogElement, ev: &web_sys::KeyboardEvent) {
    let stops = tab_stops(dialog);
    let (Some(first), Some(last)) = (stops.first(), stops.last()) else {
        ev.prevent_default();
        return;
    };
    let active = active_element();
    let inside = active.as_ref().is_some_and(|el| dialog.contains(Some(el)));
    let at = |el: &HtmlElement| active.as_ref() == Some(el);
    let to = match (ev.shift_key(), inside) {
        (true, true) if at(first) => last,
        (false, true) if at(last) => first,
        (true, false) => last,
        (false, false) => first,
        _ => return,
    };
    ev.prevent_default();
    let _ = to.focus();
}

/// The dialog's controls Tab stops on, in document order (a walk over its elements, leaving
/// out hidden and inert parts).
fn tab_stops(dialog: &HtmlDialogElement) -> Vec<HtmlElement> {
    let mut stops = Vec::new();
    let mut next = dialog.first_element_child();
    while let Some(el) = next {
        let skip = el.matches("[hidden], [inert]").unwrap_or(false);
        if !skip && el.matches(FOCUSABLE).unwrap_or(false) {
            if let Some(html) = el.dyn_ref::<HtmlElement>().filter(|html| takes_focus(html)) {
                stops.push(html.clone());
            }
        }
        next = if skip { None } else { el.first_element_child() }.or_else(|| after(&el, dialog));
    }
    stops
}

/// The element after `el`'s subtree in document order, staying inside `root`.
fn after(el: &Element, root: &HtmlDialogElement) -> Option<Element> {
    let mut at = el.clone();
    loop {
        if let Some(sibling) = at.next_element_sibling() {
            return Some(sibling);
        }
        at = at.parent_element()?;
        if at == ***root {
            return None;
        }
    }
}

/// In the Tab order (not `tabindex=-1`), not disabled, laid out (has a box), and for a radio
/// button the group's one stop: the checked one, or any while none of its group is checked.
fn takes_focus(el: &HtmlElement) -> bool {
    let element: &Element = el.as_ref();
    el.tab_index() >= 0
        && !element.matches(":disabled").unwrap_or(false)
        && (el.offset_width() > 0 || el.offset_height() > 0)
        && (!element.matches("input[type=radio]:not(:checked)").unwrap_or(false) || !group_checked(element))
}

/// Whether a radio button of `radio`'s group (same form or dialog, same name) is checked.
fn group_checked(radio: &Element) -> bool {
    let Some(name) = radio.get_attribute("name") else { return false };
    let scope = radio.closest("form, dialog").ok().flatten();
    let selector = format!("input[type=radio][name=\"{}\"]:checked", name.replace('"', "\\\""));
    scope.and_then(|s| s.query_selector(&selector).ok().flatten()).is_some()
}
