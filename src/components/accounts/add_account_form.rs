//! "Add a mock account": platform, handle and time zone. The handle is checked against its
//! platform's rule as it is typed (the message under it says what is wrong) and the zone is
//! picked from the browser's list; neither is sent until both are right. The database's
//! refusals (a duplicate handle) are shown inline.

use leptos::html;
use leptos::prelude::*;

use crate::components::time_zone_picker::{choose_time_zone, TimeZonePicker};
use crate::domain::handles::{check_handle, handle_rule, normalize_handle, HandleError, HandleProblem};
use crate::domain::publishing::platform_name;
use crate::domain::{ConnectedAccount, Platform};
use crate::services::{self, Services};

/// The add form on the accounts page (and inside the post dialog, which passes `on_added` to
/// select the account it just added).
#[component]
pub fn AddAccountForm(
    /// Called with the account after a successful add, besides the success message.
    #[prop(optional)]
    on_added: Option<Callback<ConnectedAccount>>,
) -> impl IntoView {
    let app = Services::expect_context();
    let platform = RwSignal::new(Platform::Instagram);
    let handle = RwSignal::new(String::new());
    let zone = RwSignal::new(String::new());
    let zone_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // An empty handle is only pointed out once the creator tried to add it.
    let tried = RwSignal::new(false);
    let handle_input = NodeRef::<html::Input>::new();
    let handle_problem = Memo::new(move |_| {
        let typed = normalize_handle(&handle.get());
        match check_handle(platform.get(), &typed) {
            Err(HandleError { problem: HandleProblem::Empty, .. }) if !tried.get() => None,
            checked => checked.err(),
        }
    });
    let add = Action::new_local(move |(p, h, z): &(Platform, String, Option<String>)| {
        let (p, h, z) = (*p, h.clone(), z.clone());
        async move {
            match services::accounts::add_mock(app, p, h, z).await {
                Ok(account) => {
                    error.set(None);
                    tried.set(false);
                    handle.set(String::new());
                    app.ui.push_success(format!("Added {}.", account.label()));
                    if let Some(on_added) = on_added {
                        on_added.run(account);
                    }
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        }
    });
    let submit = move || {
        tried.set(true);
        error.set(None);
        let (p, typed) = (platform.get_untracked(), normalize_handle(&handle.get_untracked()));
        let picked = choose_time_zone(&zone.get_untracked());
        zone_error.set(picked.clone().err());
        if check_handle(p, &typed).is_err() {
            if let Some(input) = handle_input.get_untracked() {
                let _ = input.focus();
            }
            return;
        }
        if let Ok(z) = picked {
            add.dispatch((p, typed, z));
        }
    };
    view! {
        <form class="card account-form" novalidate aria-labelledby="add-account-title"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }>
            <h2 id="add-account-title">"Add a mock account"</h2>
            <p class="muted">"Mock accounts publish instantly inside Atelier, to try the whole flow without a real connection."</p>
            <div class="canvas-row account-form-fields">
                <div class="field field-small">
                    <label for="account-platform">"Platform"</label>
                    <select id="account-platform" on:change=move |ev| {
                        if let Ok(p) = event_target_value(&ev).parse() { platform.set(p) }
                    }>
                        {Platform::ALL.iter().map(|p| view! {
                            <option value=p.as_str() selected=move || platform.get() == *p>{platform_name(*p)}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="account-handle">"Handle"</label>
                    <input id="account-handle" type="text" autocomplete="off" spellcheck="false" maxlength="101"
                        node_ref=handle_input
                        aria-invalid=move || handle_problem.with(Option::is_some).then_some("true")
                        aria-describedby="account-handle-message"
                        bind:value=handle />
                    <p id="account-handle-message" aria-live="polite"
                        class=move || if handle_problem.with(Option::is_some) { "field-error" } else { "field-help muted" }>
                        {move || match handle_problem.get() {
                            Some(problem) => problem.to_string(),
                            None => handle_rule(platform.get()).to_owned(),
                        }}
                    </p>
                </div>
                <div class="field">
                    <TimeZonePicker id="account-zone" label="Time zone" value=zone error=zone_error
                        placeholder="Empty: yours" />
                </div>
            </div>
            {move || error.get().map(|t| view! { <p class="form-error" role="alert">{t}</p> })}
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=move || add.pending().get()>"Add mock account"</button>
            </div>
        </form>
    }
}
