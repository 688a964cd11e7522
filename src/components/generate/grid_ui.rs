//! What the result grid's parts share: which output the lightbox shows, which one awaits a
//! delete confirmation, the filter, the card the keyboard is on, the posts of each output, and
//! a clock for the elapsed time of unfinished cards.

use std::collections::HashMap;

use gloo_timers::callback::Interval;
use leptos::prelude::*;

use crate::domain::Post;
use crate::services::Services;
use crate::state::sessions::ListingKind;

/// Which outputs the grid lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultFilter {
    All,
    Starred,
}

impl ResultFilter {
    /// The listing of the session's outputs this filter shows.
    pub fn listing(self) -> ListingKind {
        match self {
            ResultFilter::All => ListingKind::All,
            ResultFilter::Starred => ListingKind::Starred,
        }
    }
}

/// The grid's UI state, provided by [`super::ResultGrid`].
#[derive(Debug, Clone, Copy)]
pub struct GridUi {
    /// The output open in the lightbox.
    pub lightbox: RwSignal<Option<String>>,
    /// The output whose delete is being confirmed.
    pub confirm_delete: RwSignal<Option<String>>,
    /// All or starred.
    pub filter: RwSignal<ResultFilter>,
    /// The card the keyboard is on (the grid's one Tab stop while it is rendered).
    pub active: RwSignal<Option<String>>,
    /// Set when a key moved `active`: the card takes focus once it is rendered.
    pub focus_active: RwSignal<bool>,
    /// Milliseconds since the epoch, ticking every second while something is unfinished:
    /// the one clock every waiting card reads (see [`GridUi::tick_while`]).
    pub now_ms: RwSignal<f64>,
    /// The posts held, by the output they came from (one pass over the posts for all cards).
    pub posts_by_output: Memo<HashMap<String, Vec<Post>>>,
}

impl GridUi {
    /// Provides a fresh grid state.
    pub fn provide() -> Self {
        let app = Services::expect_context();
        let posts_by_output = Memo::new(move |_| {
            let mut by_output: HashMap<String, Vec<Post>> = HashMap::new();
            for post in app.publish.all_posts() {
                by_output.entry(post.generation_id.clone()).or_default().push(post);
            }
            by_output
        });
        let ui = Self {
            lightbox: RwSignal::new(None),
            confirm_delete: RwSignal::new(None),
            filter: RwSignal::new(ResultFilter::All),
            active: RwSignal::new(None),
            focus_active: RwSignal::new(false),
            now_ms: RwSignal::new(js_sys::Date::now()),
            posts_by_output,
        };
        provide_context(ui);
        ui
    }

    /// The posts of output `id`, oldest first (tracked).
    pub fn posts_of(&self, id: &str) -> Vec<Post> {
        let mut posts = self.posts_by_output.with(|m| m.get(id).cloned().unwrap_or_default());
        posts.reverse();
        posts
    }

    /// Ticks `now_ms` every second while `running` holds, and not at all otherwise: the
    /// timer exists only while some output is unfinished, and goes with the grid.
    pub fn tick_while(&self, running: RwSignal<bool>) {
        let now_ms = self.now_ms;
        let timer: StoredValue<Option<Interval>, LocalStorage> = StoredValue::new_local(None);
        Effect::new(move |_| {
            if !running.get() {
                timer.set_value(None);
            } else if timer.with_value(Option::is_none) {
                now_ms.set(js_sys::Date::now());
                let tick = move || now_ms.set(js_sys::Date::now());
                timer.set_value(Some(Interval::new(1000, tick)));
            }
        });
        on_cleanup(move || {
            timer.try_set_value(None);
        });
    }

    /// The grid state of the current page.
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }
}
