//! The fields of "Edit post" for one scheduled post — caption, hashtags, account and time —
//! with "Save changes" and "Cancel"; a refusal shows inside the form and changes nothing.

use leptos::prelude::*;

use super::post_time::own_zone;
use crate::domain::platforms::usable_accounts;
use crate::domain::schedule::{format_in_zone, parse_datetime_local};
use crate::domain::time::parse_timestamp;
use crate::domain::Post;
use crate::services::edit_post::{self, PostEdit};
use crate::services::time_zone::BrowserZone;
use crate::services::Services;
use crate::state::PlatformsState;

/// The form of one post, filled with what it holds now.
#[component]
pub fn EditPostForm(post: Post, close: Callback<()>) -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let own = own_zone();
    let at_ms = post.scheduled_at.as_deref().and_then(parse_timestamp).map(|us| us / 1000);
    let initial_time = at_ms.and_then(|ms| Some(BrowserZone::new(&own).ok()?.local_parts(ms)));
    let caption = RwSignal::new(post.caption.clone());
    let tags = RwSignal::new(post.hashtags.join(" "));
    let account = RwSignal::new(post.account_id.clone());
    let when = RwSignal::new(initial_time);
    let error = RwSignal::new(None::<String>);

    // The creator's accounts this post's media can go to, its own account always among them.
    let choices = {
        let (generation, current) = (post.generation_id.clone(), post.account_id.clone());
        Memo::new(move |_| {
            let kind = app.publish.sources.with(|s| s.get(&generation).map(|s| s.kind));
            let mut usable = match kind {
                Some(kind) => app.publish.accounts.with(|a| platforms.limits.with(|l| usable_accounts(a, l, kind))),
                None => Vec::new(),
            };
            if !usable.iter().any(|a| a.id == current) {
                usable.extend(app.publish.account(&current));
            }
            usable.into_iter().map(|a| (a.id.clone(), a.label(), a.timezone.clone())).collect::<Vec<_>>()
        })
    };
    let account_zone = move || {
        let id = account.get();
        choices.with(|c| c.iter().find(|(i, ..)| *i == id).and_then(|(.., zone)| zone.clone()))
    };
    // What the typed time is on the account's clock, when that is another zone.
    let there = {
        let own = own.clone();
        move || {
            let zone = account_zone().filter(|z| *z != own)?;
            let at = edit_post::read_time(when.get(), &own).ok()?.at();
            let local = BrowserZone::new(&zone).ok()?.local_parts(at);
            Some(format!("{} on the account's clock", format_in_zone(&local, &zone)))
        }
    };

    let save = Action::new_local(move |edit: &PostEdit| {
        let edit = edit.clone();
        async move {
            match edit_post::save(app, edit).await {
                Ok(()) => {
                    app.ui.push_success("Changes saved.");
                    close.run(());
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        }
    });
    let submit = {
        let (id, own) = (post.id.clone(), own.clone());
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            error.set(None);
            let read = edit_post::read_hashtags(&tags.get_untracked())
                .and_then(|hashtags| Ok((hashtags, edit_post::read_time(when.get_untracked(), &own)?)));
            match read {
                Ok((hashtags, scheduled_at)) => {
                    save.dispatch(PostEdit {
                        post_id: id.clone(),
                        caption: caption.get_untracked(),
                        hashtags,
                        scheduled_at,
                        account_id: account.get_untracked(),
                    });
                }
                Err(e) => error.set(Some(e.user_message())),
            }
        }
    };
    let busy = move || save.pending().get();
    let described = move || error.with(Option::is_some).then_some("edit-post-error");
    view! {
        <form class="form edit-post-form" on:submit=submit novalidate>
            <div class="field">
                <label for="edit-post-caption">"Caption"</label>
                <textarea id="edit-post-caption" rows="4" autofocus aria-describedby=described
                    prop:value=move || caption.get()
                    on:input=move |ev| caption.set(event_target_value(&ev))></textarea>
            </div>
            <div class="field">
                <label for="edit-post-tags">"Hashtags"</label>
                <input id="edit-post-tags" type="text" autocomplete="off" aria-describedby="edit-post-tags-help"
                    prop:value=move || tags.get()
                    on:input=move |ev| tags.set(event_target_value(&ev)) />
                <p id="edit-post-tags-help" class="field-hint">"Separate them with spaces or commas: #fox #dawn"</p>
            </div>
            <div class="field">
                <label for="edit-post-account">"Account"</label>
                <select id="edit-post-account" on:change=move |ev| account.set(event_target_value(&ev))>
                    <For each=move || choices.get() key=|(id, label, _)| (id.clone(), label.clone()) let:choice>
                        {
                            let (id, label, _) = choice;
                            let value = id.clone();
                            view! {
                                <option value=value prop:selected=move || account.with(|a| *a == id)>{label}</option>
                            }
                        }
                    </For>
                </select>
            </div>
            <div class="field">
                <label for="edit-post-when">"Schedule for"</label>
                <input id="edit-post-when" type="datetime-local" aria-describedby="edit-post-zone edit-post-there"
                    prop:value=move || when.get().map(|t| t.datetime_local()).unwrap_or_default()
                    on:input=move |ev| when.set(parse_datetime_local(&event_target_value(&ev)).ok()) />
                <p id="edit-post-zone" class="field-hint">{format!("Times in {own}")}</p>
                {move || there().map(|t| view! { <p id="edit-post-there" class="field-hint">{t}</p> })}
            </div>
            {move || error.get().map(|text| view! {
                <p id="edit-post-error" class="form-error" role="alert">{text}</p>
            })}
            <div class="form-actions">
                <button type="submit" class="button button-primary" disabled=busy aria-busy=move || busy().to_string()>
                    "Save changes"
                </button>
                <button type="button" class="button" disabled=busy on:click=move |_| close.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
