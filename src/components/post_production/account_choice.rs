//! One account in the Distribution step: its checkbox (named by handle and platform), status
//! and zone, and either why it cannot be chosen or whether caption and hashtags fit it, with
//! what a scheduled time means on its clock.

use leptos::prelude::*;

use super::account_fit::fit_problems;
use super::schedule_field::{account_time_note, schedule_pick};
use crate::domain::platforms::AccountOffer;
use crate::domain::publishing::account_status_label;
use crate::domain::schedule_zones::ZonePlan;
use crate::domain::ConnectedAccount;
use crate::services::Services;
use crate::state::{PlatformsState, PublishState};

/// What does not fit `account` in the draft's caption and hashtags, one sentence each (none
/// while its platform's limits are unknown).
pub fn draft_problems(platforms: PlatformsState, publish: PublishState, account: &ConnectedAccount) -> Vec<String> {
    let Some(limits) = platforms.of(account.platform) else { return Vec::new() };
    publish
        .draft
        .with(|d| d.as_ref().map(|d| fit_problems(&limits, account, &d.caption, &d.hashtags)).unwrap_or_default())
}

/// The row of `account` as `offer` says it can be offered; `account_zone` is its clock.
#[component]
pub fn AccountChoice(
    account: ConnectedAccount,
    offer: AccountOffer,
    account_zone: String,
    selected: Memo<Vec<String>>,
    plan: Memo<ZonePlan>,
) -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let publish = app.publish;
    let id = account.id.clone();
    let checked = {
        let id = id.clone();
        move || selected.with(|s| s.contains(&id))
    };
    let reason = match offer {
        AccountOffer::Unavailable(reason) => Some(reason),
        _ => None,
    };
    let unavailable = reason.is_some();
    let reason_id = format!("pp-why-{}", account.id);
    let problems = {
        let account = account.clone();
        move || draft_problems(platforms, publish, &account)
    };
    view! {
        <div class="pp-account" class:pp-account-unavailable=unavailable>
            <label>
                <input type="checkbox" prop:checked=checked disabled=unavailable
                    aria-describedby=unavailable.then(|| reason_id.clone())
                    on:change=move |ev| {
                        publish.choose_account(&id, event_target_checked(&ev));
                    } />
                {account.label()}
            </label>
            <span class="muted">{format!(" · {} · {}", account_status_label(account.status), account_zone)}</span>
            {match reason {
                Some(reason) => view! { <p class="pp-fit muted" id=reason_id>{reason}</p> }.into_any(),
                None => (move || {
                    let list = problems();
                    if list.is_empty() {
                        view! { <p class="pp-fit">"Caption and hashtags fit."</p> }.into_any()
                    } else {
                        view! {
                            <ul class="pp-fit pp-problems counter-over">
                                {list.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }).into_any(),
            }}
            {let zone = account_zone.clone(); move || plan.with(|p| account_time_note(p, schedule_pick(publish), &zone)).map(|t| view! { <p class="muted">{t}</p> })}
        </div>
    }
}
