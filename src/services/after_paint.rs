//! Work that must not hold the first screen up: run once the next frame has been painted (an
//! animation frame runs just before the paint, so a timer queued from it runs after).

use std::time::Duration;

use leptos::prelude::{request_animation_frame, set_timeout};

/// Runs `work` after the next frame is painted.
pub fn after_next_paint(work: impl FnOnce() + 'static) {
    request_animation_frame(move || set_timeout(work, Duration::ZERO));
}
