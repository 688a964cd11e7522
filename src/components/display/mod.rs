//! How values read on screen: relative times and dates. Components show these; the rules
//! live here so every place that shows an age or a date says it the same way.

mod relative_time;

pub use relative_time::{elapsed_label, short_date};
