//! Post-production: a dialog with three steps — caption, hashtags, distribution — for one
//! completed generation. It starts at step 1, empty, every time it opens.

mod account_fit;
mod caption_step;
mod distribution_step;
mod hashtags_step;
mod panel;

pub use caption_step::CaptionStep;
pub use distribution_step::DistributionStep;
pub use hashtags_step::HashtagsStep;
pub use panel::PostProduction;
