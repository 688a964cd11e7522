//! What the windowed grid reads from the page: its layout from the list's computed style, where
//! the list and the viewport are, and scrolling a row into view below the sticky header.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::grid_window::GridLayout;

/// The grid's columns and row pitch from the list's computed style (`None` before layout).
pub fn measure_layout(list: &web_sys::HtmlElement) -> Option<GridLayout> {
    let style = window().get_computed_style(list).ok()??;
    let columns = style.get_property_value("grid-template-columns").ok()?.split_whitespace().count();
    let row = pixels(&style.get_property_value("grid-auto-rows").ok()?)?;
    let gap = pixels(&style.get_property_value("row-gap").ok()?).unwrap_or(0.0);
    (columns > 0 && row > 0.0).then_some(GridLayout { columns, pitch: row + gap })
}

/// `"400px"` → 400. Read by the browser's own `parseFloat`: Rust's float parser and its
/// tables would add about 10 KB to the download for this one use.
fn pixels(value: &str) -> Option<f64> {
    let number = js_sys::parse_float(value.trim().strip_suffix("px")?);
    number.is_finite().then_some(number)
}

/// The element's top in the document (its offset parents' offsets added up).
pub fn document_top(el: &web_sys::HtmlElement) -> f64 {
    let mut top = 0.0;
    let mut node = Some(el.clone());
    while let Some(at) = node {
        top += f64::from(at.offset_top());
        node = at.offset_parent().and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok());
    }
    top
}

pub fn scroll_y() -> f64 {
    window().scroll_y().unwrap_or(0.0)
}

/// The viewport's width in CSS pixels.
pub fn inner_width() -> f64 {
    window().inner_width().ok().and_then(|w| w.as_f64()).unwrap_or(0.0)
}

/// The viewport's height in CSS pixels.
pub fn inner_height() -> f64 {
    window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0)
}

/// Scrolls the page so row `row` of the list is in view (below the sticky header), if it is not.
pub fn scroll_row_into_view(list: &web_sys::HtmlElement, layout: GridLayout, row: usize) {
    let header = document()
        .query_selector(".app-header")
        .ok()
        .flatten()
        .and_then(|h| h.dyn_into::<web_sys::HtmlElement>().ok())
        .map_or(0.0, |h| f64::from(h.offset_height()));
    let top = document_top(list) + row as f64 * layout.pitch;
    let bottom = top + layout.pitch;
    let (seen_top, seen_bottom) = (scroll_y() + header, scroll_y() + inner_height());
    if top < seen_top {
        window().scroll_to_with_x_and_y(window().scroll_x().unwrap_or(0.0), top - header - 8.0);
    } else if bottom > seen_bottom {
        window().scroll_to_with_x_and_y(window().scroll_x().unwrap_or(0.0), bottom - inner_height() + 8.0);
    }
}
