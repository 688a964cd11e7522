//! One session in the rail: a link to it (thumbnail, title, relative time), and Rename (in
//! place) and Delete (after a confirmation in the page's own dialog).

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use crate::components::ConfirmDialog;
use crate::domain::models::validate_session_title;
use crate::domain::routes::Route;
use crate::services::{self, Services};

/// A rail entry for the session `id` (read from the sessions state, so a rename shows).
#[component]
pub fn SessionItem(
    /// The session's id.
    id: String,
) -> impl IntoView {
    let app = Services::expect_context();
    let navigate = use_navigate();
    let session = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.list.with(|list| list.iter().find(|s| s.id == id).cloned()))
    };
    let title = Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.title.clone()).unwrap_or_default()));
    let created =
        Signal::derive(move || session.with(|s| s.as_ref().map(|s| s.created_at.clone()).unwrap_or_default()));
    let current = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.current_id().as_deref() == Some(id.as_str()))
    };
    let thumbnail = {
        let id = id.clone();
        Memo::new(move |_| app.sessions.thumbnails.with(|t| t.get(&id).cloned()))
    };

    let renaming = RwSignal::new(false);
    let draft = RwSignal::new(String::new());
    let rename_error = RwSignal::new(None::<String>);
    let input = NodeRef::<html::Input>::new();
    let rename_button = NodeRef::<html::Button>::new();
    let rename = {
        let id = id.clone();
        Action::new_local(move |title: &String| {
            let (id, title) = (id.clone(), title.clone());
            async move { services::sessions::rename(app, id, title).await }
        })
    };
    Effect::new(move |_| match rename.value().get() {
        Some(Ok(_)) => {
            renaming.set(false);
            if let Some(b) = rename_button.get_untracked() {
                let _ = b.focus();
            }
        }
        Some(Err(e)) => rename_error.set(Some(e.user_message())),
        None => {}
    });
    Effect::new(move |_| {
        if renaming.get() {
            if let Some(el) = input.get() {
                let _ = el.focus();
                el.select();
            }
        }
    });
    let save = move || match validate_session_title(&draft.get_untracked()) {
        Ok(t) => {
            rename_error.set(None);
            rename.dispatch(t);
        }
        Err(e) => rename_error.set(Some(e.to_string())),
    };
    let cancel = move || {
        renaming.set(false);
        rename_error.set(None);
        if let Some(b) = rename_button.get_untracked() {
            let _ = b.focus();
        }
    };

    let confirming = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<String>);
    // A deleted session leaves the list, and this entry with it: what follows a success runs
    // in the action itself, not in an effect of this (by then disposed) component.
    let delete = {
        let id = id.clone();
        Action::new_local(move |_: &()| {
            let (id, navigate, was_current) = (id.clone(), navigate.clone(), current.get_untracked());
            async move {
                let result = services::sessions::delete(app, id).await;
                if result.is_ok() {
                    app.ui.push_success("Session deleted.");
                    if was_current {
                        navigate(&Route::Generate.href(), Default::default());
                    }
                }
                result
            }
        })
    };
    let deleting = delete.pending();
    Effect::new(move |_| {
        if let Some(Err(e)) = delete.value().get() {
            delete_error.set(Some(e.user_message()));
        }
    });

    let href = Route::Session(&id).href();
    let rename_field = format!("rename-{id}");
    view! {
        <li class="session-entry" class:session-current=move || current.get()>
            <Show
                when=move || renaming.get()
                fallback=move || {
                    let href = href.clone();
                    view! {
                        <a
                            href=href
                            class="session-link"
                            aria-current=move || current.get().then_some("page")
                        >
                            <span class="session-thumb" aria-hidden="true">
                                {move || thumbnail.get().map(|src| view! {
                                    <img src=src alt="" width="40" height="40" loading="lazy" decoding="async" />
                                })}
                            </span>
                            <span class="session-text">
                                <span class="session-title">{move || title.get()}</span>
                                <time class="session-date" datetime=move || created.get()>
                                    {move || short_date(&created.get())}
                                </time>
                            </span>
                        </a>
                    }
                }
            >
                <form
                    class="session-rename"
                    novalidate
                    on:submit=move |ev| {
                        ev.prevent_default();
                        save();
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            ev.prevent_default();
                            cancel();
                        }
                    }
                >
                    <label class="visually-hidden" for=rename_field.clone()>"Session title"</label>
                    <input id=rename_field.clone() type="text" maxlength="200" node_ref=input bind:value=draft />
                    <button type="submit" class="button button-small button-primary">"Save"</button>
                    <button type="button" class="button button-small button-ghost" on:click=move |_| cancel()>
                        "Cancel"
                    </button>
                    {move || rename_error.get().map(|t| view! { <p class="field-error" role="alert">{t}</p> })}
                </form>
            </Show>
            <div class="session-actions" hidden=move || renaming.get()>
                <button
                    type="button"
                    class="button button-ghost button-small"
                    node_ref=rename_button
                    on:click=move |_| {
                        draft.set(title.get_untracked());
                        renaming.set(true);
                    }
                >
                    "Rename"
                </button>
                <button
                    type="button"
                    class="button button-ghost button-small"
                    on:click=move |_| {
                        delete_error.set(None);
                        confirming.set(true);
                    }
                >
                    "Delete"
                </button>
            </div>
            <ConfirmDialog
                open=confirming
                title=Signal::derive(move || format!("Delete “{}”?", title.get()))
                message=Signal::derive(|| {
                    "Its outputs and their files are deleted for good. Sessions whose outputs were posted are kept."
                        .to_owned()
                })
                confirm_label="Delete session"
                error=delete_error
                busy=deleting
                on_confirm=move |_| {
                    delete.dispatch(());
                }
                on_close=move |_| confirming.set(false)
            />
        </li>
    }
}

/// "just now", "5 min ago", "3 h ago", "2 d ago", else a short locale date ("Nov 26").
pub fn short_date(timestamp: &str) -> String {
    let date = js_sys::Date::new(&timestamp.into());
    let millis = date.get_time();
    if millis.is_nan() {
        return String::new();
    }
    let age_secs = (js_sys::Date::now() - millis) / 1000.0;
    relative_label(age_secs).unwrap_or_else(|| {
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"month".into(), &"short".into());
        let _ = js_sys::Reflect::set(&options, &"day".into(), &"numeric".into());
        String::from(date.to_locale_date_string("default", &options))
    })
}

/// A relative label for an age in seconds, or `None` when a calendar date reads better.
fn relative_label(age_secs: f64) -> Option<String> {
    let age = age_secs.max(0.0) as u64;
    match age {
        0..60 => Some("just now".to_owned()),
        60..3600 => Some(format!("{} min ago", age / 60)),
        3600..86_400 => Some(format!("{} h ago", age / 3600)),
        86_400..604_800 => Some(format!("{} d ago", age / 86_400)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::relative_label;

    #[test]
    fn ages_read_naturally() {
        assert_eq!(relative_label(-5.0).as_deref(), Some("just now"));
        assert_eq!(relative_label(59.0).as_deref(), Some("just now"));
        assert_eq!(relative_label(150.0).as_deref(), Some("2 min ago"));
        assert_eq!(relative_label(7200.0).as_deref(), Some("2 h ago"));
        assert_eq!(relative_label(3.0 * 86_400.0).as_deref(), Some("3 d ago"));
        assert_eq!(relative_label(8.0 * 86_400.0), None);
    }
}
