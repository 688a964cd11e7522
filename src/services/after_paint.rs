//! Work that must not hold the first screen up: run once the next frame has been painted (an
//! animation frame runs just before the paint, so a timer queued from it runs after). A hidden
//! tab paints no frames, so a timer runs the work there instead, as it would the first paint.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::{request_animation_frame, set_timeout};

/// How long work waits for a frame before it runs anyway (a tab in the background).
const NO_FRAME_AFTER: Duration = Duration::from_secs(1);

/// Runs `work` once, after the next frame is painted (or after [`NO_FRAME_AFTER`] without one).
pub fn after_next_paint(work: impl FnOnce() + 'static) {
    let work = Rc::new(Cell::new(Some(work)));
    let run = move || {
        if let Some(work) = work.take() {
            work();
        }
    };
    let painted = run.clone();
    request_animation_frame(move || set_timeout(painted, Duration::ZERO));
    set_timeout(run, NO_FRAME_AFTER);
}
