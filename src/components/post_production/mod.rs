//! The post dialog ("Post"): three steps — caption, hashtags, distribution — for one completed
//! generation, opened by the URL (`?post=<generation id>`). It starts at step 1 every time it
//! opens; an unpublished draft's content is kept.

mod account_choice;
mod account_fit;
mod add_account_inline;
mod caption_step;
mod distribution_step;
mod hashtags_step;
mod keep_first_tags;
mod panel;
mod post_steps;
mod post_url;
mod schedule_field;
mod send_once;

pub use add_account_inline::AddAccountInline;
pub use caption_step::CaptionStep;
pub use distribution_step::DistributionStep;
pub use hashtags_step::HashtagsStep;
pub use keep_first_tags::KeepFirstTags;
pub use panel::PostProduction;
pub use post_url::PostUrl;
