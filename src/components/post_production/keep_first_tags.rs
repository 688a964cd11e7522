//! "Keep the first N": one hashtag list serves every chosen account, so when an account's
//! platform takes fewer tags than the list holds, this offers to cut the list to what the
//! lowest cap allows (the tags typed in the caption count too).

use leptos::prelude::*;

use super::account_fit::{lowest_hashtag_cap, tags_to_keep};
use crate::services::Services;
use crate::state::PlatformsState;

/// The offer; nothing while every chosen account takes the whole list.
#[component]
pub fn KeepFirstTags() -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let publish = app.publish;
    let chosen = Memo::new(move |_| publish.draft_accounts());
    let keep = Memo::new(move |_| {
        let cap = chosen.with(|accounts| platforms.limits.with(|limits| lowest_hashtag_cap(accounts, limits)))?;
        let n = publish.draft.with(|d| d.as_ref().and_then(|d| tags_to_keep(&d.caption, &d.hashtags, cap)))?;
        Some((cap, n))
    });
    move || {
        keep.get().map(|(cap, n)| {
            let tags = if cap == 1 { "hashtag" } else { "hashtags" };
            let label = if n == 0 { "Remove the listed hashtags".to_owned() } else { format!("Keep the first {n}") };
            view! {
                <div class="pp-keep">
                    <p>{format!("One list goes to every chosen account, and one of them takes at most {cap} {tags}.")}</p>
                    <button type="button" class="button button-small"
                        on:click=move |_| publish.edit(|d| d.hashtags.truncate(n))>{label}</button>
                </div>
            }
        })
    }
}
