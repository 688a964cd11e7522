//! The one modal dialog every dialog of the app is built on: a native `<dialog>` opened with
//! `showModal()`, so the browser makes the rest of the page inert (neither clickable, nor
//! focusable, nor read by screen readers; see
//! <https://developer.mozilla.org/en-US/docs/Web/API/HTMLDialogElement/showModal>).
//! The owner holds whether it is open; the modal owns the rest of the lifecycle: focus moves in
//! on opening, Tab cycles inside, Escape asks the owner to close (unless busy), and focus goes
//! back to what had it before — or to a given fallback when that element is gone.

mod focus;

use leptos::html;
use leptos::prelude::*;
use web_sys::HtmlElement;

/// Where focus goes when the dialog closed and the element that opened it is no longer in the
/// page (a row redrawn by a save): the owner finds its new one.
pub type FocusFallback = Callback<(), Option<HtmlElement>>;

/// How the dialog is named for assistive technology.
#[derive(Debug, Clone)]
pub enum ModalName {
    /// The id of the heading inside the dialog (`aria-labelledby`): the usual case.
    LabelledBy(String),
    /// A text of its own (`aria-label`), for a dialog without a heading (the lightbox).
    Label(Signal<String>),
}

/// A modal `<dialog>` shown while `open` is true.
#[component]
pub fn Modal(
    /// Whether the dialog is shown; the owner sets it (false closes the dialog).
    #[prop(into)]
    open: Signal<bool>,
    /// The dialog asks to close (Escape): the owner sets `open` to false. Also called when the
    /// browser closed the dialog by itself while `open` was still true, so the owner follows.
    #[prop(into)]
    on_close: Callback<()>,
    /// After the dialog closed and focus went back (every close that was not undone by a new
    /// opening meanwhile).
    #[prop(into, optional)]
    on_closed: Option<Callback<()>>,
    /// The dialog's accessible name.
    name: ModalName,
    /// The id of the text that describes the dialog (`aria-describedby`), if any.
    #[prop(into, optional)]
    described_by: Option<String>,
    /// While true, Escape does not close the dialog (its action is running).
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// Where focus goes after closing when the opener has left the page.
    #[prop(optional)]
    return_focus: Option<FocusFallback>,
    /// Extra keys the dialog handles (the lightbox's arrows); Tab is the modal's own.
    #[prop(into, optional)]
    on_keydown: Option<Callback<leptos::ev::KeyboardEvent>>,
    /// The dialog's own classes, beside `dialog`.
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    let dialog = NodeRef::<html::Dialog>::new();
    let opener: StoredValue<Option<HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        let open = open.get();
        if open && !el.open() {
            opener.set_value(focus::active_element());
            let _ = el.show_modal();
            focus::enter(&el);
        } else if !open && el.open() {
            el.close();
        }
    });
    // Escape: the browser's `cancel`. Never closed here; the owner decides through `open`.
    let cancel = move |ev: leptos::ev::Event| {
        ev.prevent_default();
        if !busy.get_untracked() {
            on_close.run(());
        }
    };
    // Where focus goes back: the opener, or the owner's fallback when the opener has gone.
    // (Chromium already gives focus back to the opener when a modal closes; not when the opener
    // was redrawn, nor when the owner takes the open dialog out of the page: see below.)
    let focus_back = move || {
        let back = opener.try_get_value().flatten().filter(|el| el.is_connected());
        back.or_else(|| return_focus.and_then(|find| find.try_run(()).flatten()))
    };
    let closed = move |_| {
        // `close` runs in a task after the dialog closed: when it was opened again meanwhile
        // (Escape, then Enter on the button that opens it), acting on it would undo that
        // opening. (Gone: the owner took the dialog out of the page; see below.)
        let Some(el) = dialog.try_get_untracked().flatten() else { return };
        if el.open() {
            return;
        }
        if let Some(el) = focus_back() {
            let _ = el.focus();
        }
        // A browser may close the dialog itself (a second Escape whose `cancel` it would not
        // let be refused): the owner follows.
        if open.try_get_untracked().unwrap_or(false) {
            on_close.try_run(());
        }
        if let Some(after) = on_closed {
            after.try_run(());
        }
    };
    // An owner that mounts the dialog only while open (`<Show>`) removes it open: no `close`
    // comes, so focus goes back once the removal is done (the page is no longer inert).
    on_cleanup(move || {
        if let Some(el) = dialog.try_get_untracked().flatten().filter(|el| el.open()).and(focus_back()) {
            queue_microtask(move || {
                let _ = el.focus();
            });
        }
    });
    let keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Tab" {
            if let Some(el) = dialog.get_untracked() {
                focus::keep_inside(&el, &ev);
            }
        } else if let Some(handle) = on_keydown {
            handle.run(ev);
        }
    };
    let (labelled_by, label) = match name {
        ModalName::LabelledBy(id) => (Some(id), None),
        ModalName::Label(text) => (None, Some(text)),
    };
    view! {
        <dialog
            class=format!("dialog {class}")
            node_ref=dialog
            aria-labelledby=labelled_by
            aria-label=move || label.map(|text| text.get())
            aria-describedby=described_by
            on:cancel=cancel
            on:close=closed
            on:keydown=keydown
        >
            {children()}
        </dialog>
    }
}
