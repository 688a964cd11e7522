//! The window's arithmetic: which cards exist for a scroll position, that the spaces keep the
//! list as tall as if every card were there, and where each key moves.

use super::*;

const FOUR_WIDE: GridLayout = GridLayout { columns: 4, pitch: 400.0 };

fn at(top: f64) -> Viewport {
    Viewport { top, height: 1000.0 }
}

#[test]
fn the_top_of_the_list_renders_the_rows_in_view_and_the_overscan_below() {
    // 1,000 cards in 250 rows; the viewport shows rows 0..3 (1000 / 400 → 2.5 rows).
    let w = card_window(1000, 1000, FOUR_WIDE, at(0.0), 2);
    assert_eq!(w.cards, 0..20, "rows 0..5: three in view, two of overscan");
    assert_eq!(w.before, 0.0);
    assert_eq!(w.after, 245.0 * 400.0);
}

#[test]
fn a_scrolled_list_renders_around_the_viewport_and_the_spaces_keep_its_height() {
    let w = card_window(1000, 1000, FOUR_WIDE, at(40_000.0), 2);
    // Rows 100..103 in view (40,000 / 400 = 100; 41,000 / 400 → 103), two more either side.
    assert_eq!(w.cards, 98 * 4..105 * 4);
    assert_eq!(w.before, 98.0 * 400.0);
    let rendered_rows = (w.cards.len() / 4) as f64;
    assert_eq!(w.before + rendered_rows * 400.0 + w.after, 250.0 * 400.0, "as tall as all the rows");
}

#[test]
fn the_last_row_may_be_short_and_a_viewport_past_the_end_keeps_the_last_rows() {
    let w = card_window(10, 10, FOUR_WIDE, at(0.0), 2);
    assert_eq!(w.cards, 0..10, "three rows, the last of two cards: all rendered");
    assert_eq!(w.after, 0.0);
    let past = card_window(1000, 1000, FOUR_WIDE, at(1e9), 2);
    assert_eq!(past.cards.end, 1000);
    assert!(!past.cards.is_empty(), "at least the last row");
}

#[test]
fn a_list_below_the_viewport_renders_its_first_rows_only() {
    let w = card_window(1000, 1000, FOUR_WIDE, Viewport { top: -5000.0, height: 1000.0 }, 2);
    assert_eq!(w.cards, 0..8, "no row in view: the overscan rows below its top");
}

#[test]
fn an_unmeasured_grid_renders_everything() {
    let w = card_window(7, 7, GridLayout { columns: 0, pitch: 0.0 }, at(0.0), 2);
    assert_eq!(w.cards, 0..7);
    assert_eq!(card_window(0, 0, FOUR_WIDE, at(0.0), 2).cards, 0..0);
}

#[test]
fn the_spaces_cover_the_outputs_not_read_yet_so_the_scrollbar_is_the_whole_sessions() {
    // 10,000 outputs on the server, the first 200 read (50 rows of 4).
    let top = card_window(200, 10_000, FOUR_WIDE, at(0.0), 2);
    assert_eq!(top.cards, 0..20);
    assert!(top.unread.is_empty());
    assert_eq!(top.before + 5.0 * 400.0 + top.after, 2500.0 * 400.0, "as tall as all 2,500 rows");
    // Scrolled to the last rows read: rows 46..53 wanted, 50..53 not read yet.
    let edge = card_window(200, 10_000, FOUR_WIDE, at(48.0 * 400.0), 2);
    assert_eq!(edge.cards, 46 * 4..200);
    assert_eq!(edge.wanted, 46 * 4..53 * 4);
    assert_eq!(edge.unread, 200..53 * 4, "placeholders after the last card read");
    assert_eq!(edge.before + 7.0 * 400.0 + edge.after, 2500.0 * 400.0);
    // Dragged far past them: no card read there, placeholders in every wanted cell.
    let far = card_window(200, 10_000, FOUR_WIDE, at(2000.0 * 400.0), 2);
    assert!(far.cards.is_empty(), "no card of those rows is read: {:?}", far.cards);
    assert_eq!(far.wanted, 1998 * 4..2005 * 4);
    assert_eq!(far.unread, far.wanted);
    assert_eq!(far.before, 1998.0 * 400.0);
    assert_eq!(far.before + 7.0 * 400.0 + far.after, 2500.0 * 400.0, "placeholder rows and spaces: the whole list");
}

#[test]
fn more_read_than_counted_keeps_every_row_read() {
    // A count taken before the newest outputs arrived: the rows read still all have their space.
    let w = card_window(1000, 990, FOUR_WIDE, at(1e9), 2);
    assert_eq!(w.cards.end, 1000);
    assert_eq!(w.after, 0.0);
}

#[test]
fn keys_move_by_one_by_a_row_by_a_screen_and_to_the_ends() {
    use GridMove::*;
    let move_from = |index, step| moved(index, step, 2000, 4, 3);
    assert_eq!(move_from(0, Previous), 0, "not before the first");
    assert_eq!(move_from(0, Next), 1);
    assert_eq!(move_from(5, RowUp), 1);
    assert_eq!(move_from(2, RowUp), 2, "the first row has none above");
    assert_eq!(move_from(5, RowDown), 9);
    assert_eq!(move_from(1998, RowDown), 1998, "no card below in the last row");
    assert_eq!(move_from(20, PageUp), 8);
    assert_eq!(move_from(5, PageUp), 0);
    assert_eq!(move_from(5, PageDown), 17);
    assert_eq!(move_from(1995, PageDown), 1999);
    assert_eq!(move_from(700, First), 0);
    assert_eq!(move_from(3, Last), 1999, "the server's last, read or not");
    assert_eq!(moved(0, Last, 0, 4, 3), 0);
    assert_eq!(GridMove::from_key("End"), Some(Last));
    assert_eq!(GridMove::from_key("Enter"), None);
}

#[test]
fn a_screen_is_the_whole_rows_that_fit() {
    assert_eq!(screen_rows(FOUR_WIDE, 1000.0), 2);
    assert_eq!(screen_rows(FOUR_WIDE, 100.0), 1, "at least one");
}

#[test]
fn before_it_is_measured_the_grid_renders_what_the_window_could_show_at_most() {
    // 1280 × 800: five columns of 240 px (with gaps) across the window, two rows and a cut one.
    assert_eq!(unmeasured_cards(1280.0, 800.0), 5 * 3);
    // A phone: one column, two rows and a cut one.
    assert_eq!(unmeasured_cards(360.0, 740.0), 3);
    // Narrower than one card, or no height yet: still one column, one row.
    assert_eq!(unmeasured_cards(200.0, 0.0), 1);
    assert_eq!(unmeasured_cards(1920.0, 1080.0), 7 * 4);
}
