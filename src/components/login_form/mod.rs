//! The email + password form with "Sign in" and "Create account". The form is in one of two
//! modes, which the page's heading and the password field's `autocomplete` follow (a password
//! manager offers a saved password to sign in and a new one to sign up). Either button acts at
//! once when both fields are filled, and switches the mode; with a field empty it only switches.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;

use crate::domain::auth::safe_next_path;
use crate::domain::routes;
use crate::services::auth::{self as auth_service, SignUpResult};
use crate::state::AuthState;

mod mode;
pub use mode::LoginMode;

use LoginMode as Mode;

/// Signs in or up; shows the server's message inline on failure, and sends a signed-in user
/// on to `next` (when it is a path under `/app/`) or `/app/generate`.
#[component]
pub fn LoginForm(mode: RwSignal<LoginMode>) -> impl IntoView {
    let auth = AuthState::expect_context();
    let query = use_query_map();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let input_error = RwSignal::new(None::<String>);

    Effect::new(move |_| {
        if auth.guard() == Some(true) {
            let next = query.with_untracked(|q| q.get(routes::NEXT));
            let options = NavigateOptions { replace: true, ..Default::default() };
            navigate(&safe_next_path(next.as_deref()), options);
        }
    });

    let submit = Action::new_local(move |(mode, email, password): &(Mode, String, String)| {
        let (mode, email, password) = (*mode, email.clone(), password.clone());
        async move {
            match mode {
                Mode::SignIn => auth_service::sign_in(auth, email, password).await.map(|_| None),
                Mode::SignUp => auth_service::sign_up(auth, email, password).await.map(|r| match r {
                    SignUpResult::SignedIn => None,
                    SignUpResult::ConfirmEmail => {
                        Some("Account created. Confirm it from the email we sent, then sign in.")
                    }
                }),
            }
        }
    });
    let pending = submit.pending();

    // Enter runs the current mode; a click on the other mode's button switches to it, and
    // runs it too when both fields are filled.
    let run = move |chosen: Mode, switching: bool| {
        input_error.set(None);
        mode.set(chosen);
        let (e, p) = (email.get_untracked(), password.get_untracked());
        if e.trim().is_empty() || p.is_empty() {
            if !switching {
                input_error.set(Some("Enter your email and a password.".to_owned()));
            }
            return;
        }
        submit.dispatch((chosen, e, p));
    };
    let button_for = move |chosen: Mode| {
        let submits = move || mode.get() == chosen;
        view! {
            <button
                type=move || if submits() { "submit" } else { "button" }
                class="button"
                class:button-primary=submits
                disabled=move || pending.get()
                on:click=move |ev| {
                    if !submits() {
                        ev.prevent_default();
                        run(chosen, true);
                    }
                }
            >
                {match chosen {
                    Mode::SignIn => "Sign in",
                    Mode::SignUp => "Create account",
                }}
            </button>
        }
    };
    let error = move || {
        input_error.get().or_else(|| {
            submit.value().with(|v| match v {
                Some(Err(e)) if !pending.get() => Some(e.user_message()),
                _ => None,
            })
        })
    };
    let notice = move || submit.value().with(|v| v.as_ref().and_then(|r| r.clone().ok().flatten()));

    view! {
        <form
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                run(mode.get_untracked(), false);
            }
        >
            <div class="field">
                <label for="login-email">"Email"</label>
                <input id="login-email" name="email" type="email" autocomplete="email"
                    required bind:value=email />
            </div>
            <div class="field">
                <label for="login-password">"Password"</label>
                <input id="login-password" name="password" type="password"
                    autocomplete=move || mode.get().password_autocomplete()
                    aria-describedby=move || (mode.get() == Mode::SignUp).then_some("login-password-hint")
                    required bind:value=password />
                <Show when=move || mode.get() == Mode::SignUp>
                    <p id="login-password-hint" class="field-hint">"At least 6 characters."</p>
                </Show>
            </div>
            <div class="form-actions">
                {button_for(Mode::SignIn)}
                {button_for(Mode::SignUp)}
            </div>
            <Show when=move || pending.get()>
                <p class="form-status muted">"Working…"</p>
            </Show>
            {move || error().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
            {move || notice().map(|text| view! { <p class="form-notice">{text}</p> })}
        </form>
    }
}
