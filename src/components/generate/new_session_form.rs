//! The inline "New session" form in the rail.

use leptos::html;
use leptos::prelude::*;

use crate::domain::models::validate_session_title;
use crate::domain::routes::Route;
use crate::services::{self, ServiceError, Services};

/// Asks for a title and creates the session; the new session appears at the top and opens.
/// Escape or "Cancel" closes it.
#[component]
pub fn NewSessionForm(
    /// Called when the form should close (created or cancelled).
    #[prop(into)]
    on_close: Callback<()>,
) -> impl IntoView {
    let app = Services::expect_context();
    let ui = app.ui;
    let navigate = leptos_router::hooks::use_navigate();
    let title = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();

    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let _ = el.focus();
        }
    });

    let create = Action::new_local(move |raw: &String| {
        let raw = raw.clone();
        let navigate = navigate.clone();
        async move {
            let result = services::sessions::create(app, raw).await;
            if let Ok(session) = &result {
                navigate(&Route::Session(&session.id).href(), Default::default());
            }
            if let Err(e) = &result {
                if let ServiceError::Api(api) = e {
                    ui.push_error(format!("Could not create the session: {}", api.user_message()));
                }
                error.set(Some(e.user_message()));
            }
            result.is_ok()
        }
    });
    let pending = create.pending();

    // Close only once the action has settled, so nothing writes to this form after it is gone.
    Effect::new(move |_| {
        if create.value().get() == Some(true) {
            on_close.run(());
        }
    });

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let raw = title.get_untracked();
        match validate_session_title(&raw) {
            Ok(_) => {
                error.set(None);
                create.dispatch(raw);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            on_close.run(());
        }
    };

    view! {
        <form class="new-session" novalidate on:submit=on_submit on:keydown=on_keydown>
            <label for="new-session-title">"Session title"</label>
            <input
                id="new-session-title"
                type="text"
                autocomplete="off"
                maxlength="200"
                node_ref=input
                bind:value=title
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby="new-session-error"
            />
            <p id="new-session-error" class="field-error" role="alert">{move || error.get()}</p>
            <div class="form-actions">
                <button type="submit" class="button button-primary button-small" disabled=move || pending.get()>
                    "Create"
                </button>
                <button type="button" class="button button-ghost button-small" on:click=move |_| on_close.run(())>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
