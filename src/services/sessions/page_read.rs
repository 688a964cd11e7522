//! Waiting for the page read under way: one page of a session's listings is read at a time
//! (`SessionsState::paging`), and a caller that needs rows a running read may bring — End
//! pressed while a page is on its way, the Realtime join landing while the session's first page
//! is — waits for it instead of sending the same read again.

use std::cell::RefCell;

use std::future::Future;

use futures::channel::oneshot;
use leptos::prelude::*;

use crate::services::Services;

/// Runs `read` as the page read under way for session `id`: `paging` is set while it runs and
/// cleared after it, unless another session is shown by then (whose flag was reset with it).
pub async fn as_page_read<T>(app: Services, id: &str, read: impl Future<Output = T>) -> T {
    app.sessions.paging.set(true);
    let done = read.await;
    if app.sessions.current_id_untracked().as_deref() == Some(id) {
        app.sessions.paging.set(false);
    }
    done
}

/// Resolves once `flag` is false (at once when it already is).
pub async fn until_clear(flag: RwSignal<bool>) {
    if !flag.get_untracked() {
        return;
    }
    let (done, cleared) = oneshot::channel::<()>();
    let done = RefCell::new(Some(done));
    let watch = Effect::new(move |_| {
        // A disposed flag (its owner gone) counts as cleared: nothing will set it again.
        if !flag.try_get().unwrap_or(false) {
            if let Some(done) = done.borrow_mut().take() {
                let _ = done.send(());
            }
        }
    });
    let _ = cleared.await;
    watch.stop();
}
