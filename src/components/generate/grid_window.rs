//! The arithmetic of the windowed grid: which cards exist in the page for a scroll position,
//! how much space stands in for the rows above and below them — every output the server counts,
//! read or not, so the scrollbar is the whole session's from the start — and where a key moves
//! the active card. Every card has one height (the CSS fixes it), so a row's place is its index
//! times the row's pitch (height plus gap) and nothing needs measuring per card.

use std::ops::Range;

/// The grid's measured layout.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GridLayout {
    /// Cards per row (at least one).
    pub columns: usize,
    /// A card's height plus the gap between rows, in CSS pixels.
    pub pitch: f64,
}

/// The part of the list inside the viewport: `top` is how far the list's top is above the
/// viewport's (negative while the list starts below it), `height` the viewport's height.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub top: f64,
    pub height: f64,
}

/// The cards rendered and the space standing in for the rows that are not.
#[derive(Debug, Clone, PartialEq)]
pub struct CardWindow {
    /// Indices of the cards in the page: those of `wanted` that have been read.
    pub cards: Range<usize>,
    /// Indices of the cards around the viewport, read or not (reading stops short of them).
    pub wanted: Range<usize>,
    /// Indices of `wanted` not read yet: placeholders stand in their cells until they are.
    pub unread: Range<usize>,
    /// Space above the first rendered row (the rows skipped), in pixels.
    pub before: f64,
    /// Space below the last rendered row.
    pub after: f64,
}

impl CardWindow {
    /// `cards` rendered as they are: no space around them, nothing wanted beyond them.
    pub fn plain(cards: Range<usize>) -> Self {
        Self { wanted: cards.clone(), unread: cards.end..cards.end, cards, before: 0.0, after: 0.0 }
    }
}

/// Rows rendered beyond each edge of the viewport, so a short scroll never shows a gap.
pub const OVERSCAN_ROWS: usize = 2;

/// The narrowest card, the gap between cards and a row's pitch (card height plus gap) in CSS
/// pixels at the default 16 px rem, as `.result-list` in style/generate.css lays them out
/// (`minmax(15rem, 1fr)`, `gap: 1rem`, `grid-auto-rows: 25rem`).
const NARROWEST_CARD: f64 = 240.0;
const CARD_GAP: f64 = 16.0;
const ROW_PITCH: f64 = 416.0;

/// How many cards to render before the grid is measured, for a window of `width` × `height`
/// CSS pixels: as many as the grid could show in it at most — columns of the narrowest card
/// across the whole window (the list is narrower), rows down its whole height plus one cut at
/// the top — so the first screen is full without building more cards than it can hold (a page
/// read holds 200; a phone shows two or three).
pub fn unmeasured_cards(width: f64, height: f64) -> usize {
    let columns = ((width + CARD_GAP) / (NARROWEST_CARD + CARD_GAP)).floor().max(1.0) as usize;
    let rows = (height.max(0.0) / ROW_PITCH).ceil() as usize + 1;
    columns * rows
}

/// The window for `viewport` over a listing of `total` outputs of which the first `held` are
/// read, with `overscan` rows either side. The spaces cover every row of the larger of the two,
/// so reading more pages never moves what is on screen; the wanted cells not read yet are
/// `unread` (a viewport dragged past the rows read shows placeholders until its pages arrive).
pub fn card_window(held: usize, total: usize, layout: GridLayout, viewport: Viewport, overscan: usize) -> CardWindow {
    let columns = layout.columns.max(1);
    let all = held.max(total);
    let rows = all.div_ceil(columns);
    if rows == 0 || layout.pitch <= 0.0 {
        return CardWindow::plain(0..held);
    }
    let first_seen = (viewport.top.max(0.0) / layout.pitch).floor() as usize;
    let last_seen = ((viewport.top + viewport.height).max(0.0) / layout.pitch).ceil() as usize;
    let first = first_seen.saturating_sub(overscan).min(rows - 1);
    let end = (last_seen + overscan).clamp(first, rows).max((first + 1).min(rows));
    let wanted = first * columns..(end * columns).min(all);
    let cards = wanted.start.min(held)..wanted.end.min(held);
    let unread = wanted.start.max(held)..wanted.end.max(held);
    CardWindow { cards, wanted, unread, before: first as f64 * layout.pitch, after: (rows - end) as f64 * layout.pitch }
}

/// A key's move of the active card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridMove {
    Previous,
    Next,
    RowUp,
    RowDown,
    PageUp,
    PageDown,
    First,
    Last,
}

impl GridMove {
    /// The move a key makes (`ArrowLeft`, `End`, …), if any.
    pub fn from_key(key: &str) -> Option<Self> {
        Some(match key {
            "ArrowLeft" => Self::Previous,
            "ArrowRight" => Self::Next,
            "ArrowUp" => Self::RowUp,
            "ArrowDown" => Self::RowDown,
            "PageUp" => Self::PageUp,
            "PageDown" => Self::PageDown,
            "Home" => Self::First,
            "End" => Self::Last,
            _ => return None,
        })
    }
}

/// Where `step` moves the active card at `index` among `total` cards (the server's count, some
/// maybe not read yet): by one, by a row of `columns`, by `screen_rows` rows, or to either end;
/// never past the ends.
pub fn moved(index: usize, step: GridMove, total: usize, columns: usize, screen_rows: usize) -> usize {
    let last = total.saturating_sub(1);
    let row = columns.max(1);
    let page = row * screen_rows.max(1);
    let to = match step {
        GridMove::Previous => index.saturating_sub(1),
        GridMove::Next => index + 1,
        GridMove::RowUp => index.checked_sub(row).unwrap_or(index),
        GridMove::RowDown if index + row <= last => index + row,
        GridMove::RowDown => index,
        GridMove::PageUp => index.saturating_sub(page),
        GridMove::PageDown => index + page,
        GridMove::First => 0,
        GridMove::Last => last,
    };
    to.min(last)
}

/// How many whole rows fit in a viewport `height` high.
pub fn screen_rows(layout: GridLayout, height: f64) -> usize {
    if layout.pitch <= 0.0 {
        return 1;
    }
    ((height / layout.pitch).floor() as usize).max(1)
}

#[cfg(test)]
#[path = "grid_window_tests.rs"]
mod tests;
