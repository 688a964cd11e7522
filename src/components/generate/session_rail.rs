//! The left rail: heading, "New session", and the user's sessions with loading, error
//! (inline retry) and empty states. On a narrow screen the rail sits above the session and
//! its list is folded behind "All sessions", so the session's results reach the first screen.

use leptos::html;
use leptos::prelude::*;

use super::{NewSessionForm, SessionList};
use crate::services::{self, ServiceError, Services};

/// The session rail, `<nav aria-label="Sessions">`. Loads the sessions once per signed-in user.
#[component]
pub fn SessionRail() -> impl IntoView {
    let app = Services::expect_context();
    let user_id = Memo::new(move |_| app.auth.user_id());
    let loader = LocalResource::new(move || {
        let signed_in = user_id.get().is_some();
        async move {
            if signed_in {
                services::sessions::load(app).await
            } else {
                Ok(())
            }
        }
    });
    let creating = RwSignal::new(false);
    // Folded on narrow screens only (CSS); a session picked from the list folds it again.
    let list_open = RwSignal::new(false);
    Effect::new(move |previous: Option<Option<String>>| {
        let current = app.sessions.current_id();
        if previous.is_some_and(|p| p != current) {
            list_open.set(false);
        }
        current
    });
    let new_button = NodeRef::<html::Button>::new();
    let close_form = Callback::new(move |_| {
        creating.set(false);
        if let Some(button) = new_button.get_untracked() {
            let _ = button.focus();
        }
    });

    // A thumbnail that failed while offline loads again once the browser is back online.
    let rail = NodeRef::<leptos::html::Nav>::new();
    super::retry_broken_images_when_online(rail);
    view! {
        <nav class="rail" class:rail-open=move || list_open.get() aria-label="Sessions" node_ref=rail>
            <div class="rail-head">
                <h2>"Sessions"</h2>
                <button
                    type="button"
                    class="button button-small rail-toggle"
                    aria-expanded=move || list_open.get().to_string()
                    aria-controls="rail-sessions"
                    on:click=move |_| list_open.update(|open| *open = !*open)
                >
                    "All sessions"
                </button>
                <button
                    type="button"
                    class="button button-primary button-small"
                    aria-expanded=move || creating.get().to_string()
                    node_ref=new_button
                    on:click=move |_| creating.set(true)
                >
                    "New session"
                </button>
            </div>
            <Show when=move || creating.get()>
                <NewSessionForm on_close=close_form />
            </Show>
            <div class="rail-body" id="rail-sessions">
                <Suspense fallback=|| view! { <p class="rail-note" aria-busy="true">"Loading sessions…"</p> }>
                    <ErrorBoundary fallback=move |errors| {
                        let message = move || {
                            errors.with(|errors| {
                                errors
                                    .iter()
                                    .next()
                                    .map(|(_, e)| match e.downcast_ref::<ServiceError>() {
                                        Some(failure) => failure.user_message(),
                                        None => e.to_string(),
                                    })
                                    .unwrap_or_default()
                            })
                        };
                        view! {
                            <div class="rail-error">
                                <p>"Your sessions could not be loaded. " {message}</p>
                                <button type="button" class="button button-small" on:click=move |_| loader.refetch()>
                                    "Retry"
                                </button>
                            </div>
                        }
                    }>
                        {move || Suspend::new(async move { loader.await.map(|_| view! { <SessionList /> }) })}
                    </ErrorBoundary>
                </Suspense>
            </div>
        </nav>
    }
}
