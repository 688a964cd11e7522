//! The open post dialog lives in the URL: `?post=<generation id>` on the Generate page. "Post…"
//! pushes that entry; closing the dialog takes it away again, so browser Back closes the
//! dialog and Forward or a reload opens it once more. Nothing else opens the dialog.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::domain::routes::{self, POST};

type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

/// The Generate page's `post` query, shared as context by [`PostUrl::provide`].
#[derive(Clone, Copy)]
pub struct PostUrl {
    /// The generation id the URL names, if any.
    pub wanted: Memo<Option<String>>,
    path: Memo<String>,
    /// The id of the `?post=` entry "Post…" pushed on this page: closing that entry goes back
    /// to the one below it (the same page without `post`), so Forward reopens the dialog.
    pushed: StoredValue<Option<String>>,
    /// Set while a [`PostUrl::leave`] is on its way (going back is asynchronous): a second
    /// Close or Escape meanwhile must not go back a second entry.
    leaving: StoredValue<bool>,
    navigate: StoredValue<Navigate, LocalStorage>,
}

impl PostUrl {
    /// Reads the query of the current route; call once in the Generate page.
    pub fn provide() -> Self {
        let query = use_query_map();
        let location = use_location();
        let navigate = use_navigate();
        let url = Self {
            wanted: Memo::new(move |_| query.with(|q| q.get(POST))),
            path: location.pathname,
            pushed: StoredValue::new(None),
            leaving: StoredValue::new(false),
            navigate: StoredValue::new_local(Box::new(navigate)),
        };
        Effect::new(move |_| {
            url.wanted.track();
            url.leaving.set_value(false);
        });
        provide_context(url);
        url
    }

    /// The context of the current Generate page.
    pub fn expect_context() -> Self {
        expect_context::<Self>()
    }

    /// "Post…": a new history entry that opens the dialog for generation `id`.
    pub fn open(&self, id: &str) {
        self.pushed.set_value(Some(id.to_owned()));
        self.go(&routes::with_post(&self.path.get_untracked(), id), false);
    }

    /// Closes the dialog through the URL: back to the entry below when "Post…" pushed this
    /// one, otherwise (opened by a link or a reload) this entry becomes the page without `post`.
    pub fn leave(&self) {
        let Some(id) = self.wanted.get_untracked() else { return };
        if self.leaving.get_value() {
            return;
        }
        self.leaving.set_value(true);
        if self.pushed.get_value().as_deref() == Some(id.as_str()) {
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                if history.back().is_ok() {
                    return;
                }
            }
        }
        self.go(&self.path.get_untracked(), true);
    }

    fn go(&self, url: &str, replace: bool) {
        // The grid stays where it was scrolled: the dialog is over it, not a new page.
        let options = NavigateOptions { replace, scroll: false, ..Default::default() };
        self.navigate.with_value(|navigate| navigate(url, options));
    }
}
