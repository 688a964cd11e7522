//! The windowed `list` "Outputs": only the cards near the viewport (plus a few rows of
//! overscan) exist in the page; padding above and below stands in for the rows that do not, so
//! the scrollbar is as if every output the server counts were there, read or not. Every card has one height (the CSS fixes
//! the row), so the layout is read once from the list's computed style (columns, row height,
//! gap) and again on resize. A viewport nearing or past the end of the rows held asks for the
//! next keyset page, and the next, until the rows it wants are read.
//!
//! The list is one Tab stop (a roving `tabindex`): the arrow keys move by one card or by a row,
//! PageUp/PageDown by a screenful, Home/End to the first and the last output (End reads the pages
//! it needs); Enter opens a finished card in the large view; Tab inside a card reaches its actions.

use std::collections::HashMap;

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::grid_focus::refocus_moved_cards;
use super::grid_measure::{document_top, inner_height, inner_width, measure_layout, scroll_row_into_view, scroll_y};
use super::grid_window::{
    card_window, moved, screen_rows, unmeasured_cards, CardWindow, GridLayout, GridMove, Viewport, OVERSCAN_ROWS,
};
use super::{GridUi, ResultCard};
use crate::domain::GenerationStatus;
use crate::services::{self, Services};
use crate::state::sessions::ListingKind;

/// The list of `shown` (all held in order), `setsize` the server's count.
#[component]
pub fn OutputList(
    /// The ids shown, newest first.
    shown: Memo<Vec<String>>,
    /// The listing they come from.
    kind: Signal<ListingKind>,
    /// How many outputs the listing has on the server.
    setsize: Signal<usize>,
) -> impl IntoView {
    let app = Services::expect_context();
    let grid = GridUi::expect_context();
    let list = NodeRef::<leptos::html::Ul>::new();
    let layout = RwSignal::new(None::<GridLayout>);
    let viewport = RwSignal::new(Viewport { top: 0.0, height: 0.0 });
    // Also called from a frame callback or after a page was read: the list may be gone by then.
    let measure = move || {
        let Some(el) = list.try_get_untracked().flatten() else { return };
        let measured = measure_layout(&el);
        if measured.is_some() && layout.try_get_untracked().is_some_and(|held| held != measured) {
            layout.try_set(measured);
        }
        let seen = Viewport { top: scroll_y() - document_top(&el), height: inner_height() };
        if viewport.try_get_untracked().is_some_and(|held| held != seen) {
            viewport.try_set(seen);
        }
    };
    let on_scroll = window_event_listener(ev::scroll, move |_| measure());
    let on_resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    let on_focus_out = refocus_moved_cards();
    // Measured once the list is in the page, and again whenever the rows held change.
    Effect::new(move |_| {
        shown.track();
        if list.get().is_some() {
            request_animation_frame(measure);
        }
    });

    // Before the first measure: the first screen's worth of cards, at most.
    let first_screen = unmeasured_cards(inner_width(), inner_height());
    let span = Memo::new(move |_| {
        let count = shown.with(Vec::len);
        match layout.get() {
            Some(layout) => card_window(count, setsize.get(), layout, viewport.get(), OVERSCAN_ROWS),
            None => CardWindow::plain(0..count.min(first_screen)),
        }
    });
    let rendered = Memo::new(move |_| {
        let cards = span.with(|w| w.cards.clone());
        shown.with(|ids| ids.get(cards.clone()).map(<[String]>::to_vec).unwrap_or_default())
    });
    let positions = Memo::new(move |_| {
        let start = span.with(|w| w.cards.start);
        rendered
            .with(|ids| ids.iter().enumerate().map(|(i, id)| (id.clone(), start + i + 1)).collect::<HashMap<_, _>>())
    });
    // The Tab stop: the active card while it is rendered, else the first rendered.
    let tab_stop = Memo::new(move |_| {
        let active = grid.active.get();
        rendered.with(|ids| match active {
            Some(id) if ids.contains(&id) => Some(id),
            _ => ids.first().cloned(),
        })
    });

    read_older_near_end(app, layout, span, shown, kind);

    let go_to = move |index: usize| {
        let Some(ids) = shown.try_get_untracked() else { return };
        let Some(id) = ids.get(index.min(ids.len().saturating_sub(1))).cloned() else { return };
        let index = index.min(ids.len() - 1);
        grid.active.try_set(Some(id));
        grid.focus_active.try_set(true);
        if let (Some(el), Some(layout)) = (list.try_get_untracked().flatten(), layout.try_get_untracked().flatten()) {
            scroll_row_into_view(&el, layout, index / layout.columns.max(1));
        }
        measure();
    };
    let on_key = move |ev: ev::KeyboardEvent| {
        let Some(card) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()) else { return };
        let Some(id) = card.get_attribute("data-generation-id").filter(|_| card.tag_name() == "LI") else { return };
        if ev.key() == "Enter" {
            let done = app.sessions.get_untracked(&id).is_some_and(|g| g.status == GenerationStatus::Completed);
            if done {
                ev.prevent_default();
                grid.lightbox.set(Some(id));
            }
            return;
        }
        let Some(step) = GridMove::from_key(&ev.key()) else { return };
        ev.prevent_default();
        let Some(index) = shown.with_untracked(|ids| ids.iter().position(|held| *held == id)) else { return };
        let fit = layout.get_untracked().unwrap_or(GridLayout { columns: 1, pitch: 0.0 });
        let total = setsize.get_untracked().max(shown.with_untracked(Vec::len));
        let to = moved(index, step, total, fit.columns, screen_rows(fit, inner_height()));
        let kind = kind.get_untracked();
        spawn_local(async move {
            if to >= shown.try_with_untracked(Vec::len).unwrap_or(0) {
                if let Err(e) = services::sessions::load_through(app, kind, to + 1).await {
                    app.ui.push_error(format!("Could not load more outputs: {}", e.user_message()));
                }
            }
            go_to(to);
        });
    };

    view! {
        <ul
            class="result-list"
            aria-label="Outputs"
            node_ref=list
            style:padding-top=move || css_pixels(span.with(|w| w.before))
            style:padding-bottom=move || css_pixels(span.with(|w| w.after))
            on:keydown=on_key
            on:focusout=on_focus_out
        >
            <For each=move || rendered.get() key=|id| id.clone() let:id>
                {
                    let (mine, place) = (id.clone(), id.clone());
                    let is_stop = Signal::derive(move || tab_stop.with(|t| t.as_deref() == Some(mine.as_str())));
                    let posinset = Signal::derive(move || positions.with(|p| p.get(&place).copied().unwrap_or(0)));
                    view! { <ResultCard id tab_stop=is_stop posinset setsize /> }
                }
            </For>
            // The cells of outputs not read yet (the scrollbar dragged past the pages read): out
            // of the accessibility tree, there until their page arrives.
            <For each=move || span.with(|w| w.unread.clone()) key=|place| *place let:_place>
                <li class="result-unread" aria-hidden="true"></li>
            </For>
        </ul>
    }
}

/// A length in whole CSS pixels ("1200px"): integers, since formatting an `f64` would pull
/// Rust's float printing (and its tables) into the download for two paddings.
fn css_pixels(length: f64) -> String {
    format!("{}px", length.round() as i64)
}

/// While the cards the viewport wants reach (or pass) the end of the rows held, reads the next
/// page of listing `kind`, one page at a time (never before the grid is measured): each page
/// read runs this again, so a viewport dragged far down reads on until its rows are there.
fn read_older_near_end(
    app: Services,
    layout: RwSignal<Option<GridLayout>>,
    span: Memo<CardWindow>,
    shown: Memo<Vec<String>>,
    kind: Signal<ListingKind>,
) {
    Effect::new(move |_| {
        let near_end = layout.with(Option::is_some)
            && span
                .with(|w| w.wanted.end + OVERSCAN_ROWS * layout.get().map_or(1, |l| l.columns) >= shown.with(Vec::len));
        let kind = kind.get();
        let more = app.sessions.listing_of(kind).with(|l| l.started && l.more);
        if near_end && more && !app.sessions.paging.get() {
            spawn_local(async move {
                if let Err(e) = services::sessions::load_older(app, kind).await {
                    app.ui.push_error(format!("Could not load more outputs: {}", e.user_message()));
                }
            });
        }
    });
}
