//! Step 3, "Distribution": a checkbox per usable account (named by handle and platform, with
//! its status and whether caption and hashtags fit it), connected accounts Atelier cannot send
//! to yet shown disabled with the reason, then "Publish now", or "Schedule for" (see
//! [`super::schedule_field`]: in the creator's zone or on each account's clock, with what the
//! time means beside each account). Both wait, saying why (one sentence per problem), while the
//! text does not fit a selected account or there is no account at all. Accounts not offered are
//! named with the reason; "Add an account" adds one without leaving the dialog.

use leptos::prelude::*;

use super::account_choice::{draft_problems, AccountChoice};
use super::account_fit::hidden_reason;
use super::schedule_field::ScheduleControls;
use super::send_once::use_send_once;
use super::{AddAccountInline, KeepFirstTags};
use crate::domain::platforms::{account_offer, AccountOffer};
use crate::domain::schedule_zones::ZonePlan;
use crate::domain::ConnectedAccount;
use crate::services::time_zone::browser_time_zone;
use crate::services::Services;
use crate::state::PlatformsState;

/// The distribution step.
#[component]
pub fn DistributionStep() -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let publish = app.publish;
    let own_zone = StoredValue::new(browser_time_zone().unwrap_or_else(|| "UTC".to_owned()));
    let kind = Memo::new(move |_| publish.draft.with(|d| d.as_ref().map(|d| d.kind)));
    // Every account the step shows, with whether it can be chosen.
    let offers = Memo::new(move |_| {
        let Some(kind) = kind.get() else { return Vec::new() };
        publish.accounts.with(|accounts| {
            platforms.limits.with(|limits| {
                accounts
                    .iter()
                    .map(|a| (a.clone(), account_offer(a, limits, kind)))
                    .filter(|(_, offer)| *offer != AccountOffer::Hidden)
                    .collect::<Vec<_>>()
            })
        })
    });
    // Accounts not offered, with why: an expired demo account should not just vanish.
    let hidden = Memo::new(move |_| {
        let Some(kind) = kind.get() else { return Vec::new() };
        publish.accounts.with(|accounts| {
            platforms.limits.with(|limits| {
                accounts
                    .iter()
                    .filter(|a| account_offer(a, limits, kind) == AccountOffer::Hidden)
                    .filter_map(|a| hidden_reason(a, limits, kind))
                    .collect::<Vec<_>>()
            })
        })
    });
    let usable = Memo::new(move |_| {
        offers.get().into_iter().filter(|(_, o)| *o == AccountOffer::Selectable).map(|(a, _)| a).collect::<Vec<_>>()
    });
    let selected =
        Memo::new(move |_| publish.draft.with(|d| d.as_ref().map(|d| d.account_ids.clone()).unwrap_or_default()));
    let problems_of = move |account: &ConnectedAccount| draft_problems(platforms, publish, account);
    // Why nothing can be sent yet: no account to send to, or the text does not fit a selected
    // account (its problems, one sentence each).
    let blocked = Memo::new(move |_| {
        if publish.accounts_loaded.get() && usable.with(Vec::is_empty) {
            return Some(("Add an account to publish to: use \"Add an account\" above.".to_owned(), Vec::new()));
        }
        usable.get().into_iter().filter(|a| selected.with(|s| s.contains(&a.id))).find_map(|a| {
            let problems = problems_of(&a);
            (!problems.is_empty()).then(|| (format!("Change the text for {} first:", a.label()), problems))
        })
    });
    let blocked_note = move || blocked.with(|b| b.as_ref().map(|_| "pp-blocked"));
    let zone_of = move |a: &ConnectedAccount| a.timezone.clone().unwrap_or_else(|| own_zone.get_value());
    // The draft's accounts with their zones, in its order (an account not held: the creator's).
    let draft_zones = Memo::new(move |_| {
        selected
            .get()
            .into_iter()
            .map(|id| (id.clone(), publish.account(&id).map_or(own_zone.get_value(), |a| zone_of(&a))))
            .collect()
    });
    let plan = Memo::new(move |_| {
        let zones = usable.get().into_iter().filter(|a| selected.with(|s| s.contains(&a.id))).map(|a| zone_of(&a));
        let picked = publish.draft.with(|d| d.as_ref().and_then(|d| d.schedule_zone));
        ZonePlan::new(zones, &own_zone.get_value(), picked)
    });

    let (busy, send_once) = use_send_once(app);
    view! {
        <section class="pp-step" aria-labelledby="pp-distribution">
            <h3 id="pp-distribution" tabindex="-1">"Distribution"</h3>
            <Show
                when=move || !offers.with(Vec::is_empty)
                fallback=|| view! {
                    <p class="muted">"No account can take this post yet. Add one below, or connect Bluesky or Mastodon on the Accounts page."</p>
                }
            >
                <fieldset class="pp-accounts">
                    <legend>"Accounts"</legend>
                    {move || offers.get().into_iter().map(|(account, offer)| {
                        let account_zone = zone_of(&account);
                        view! { <AccountChoice account offer account_zone selected plan /> }
                    }).collect_view()}
                </fieldset>
            </Show>
            {move || (!hidden.with(Vec::is_empty)).then(|| view! {
                <ul class="pp-hidden muted" aria-label="Accounts not offered">
                    {hidden.get().into_iter().map(|why| view! { <li>{why}</li> }).collect_view()}
                </ul>
            })}
            <AddAccountInline />
            <KeepFirstTags />
            {move || blocked.get().map(|(why, problems)| view! {
                <div id="pp-blocked" class="pp-blocked counter-over">
                    <p>{why}</p>
                    {(!problems.is_empty()).then(|| view! {
                        <ul>{problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}</ul>
                    })}
                </div>
            })}
            <div class="pp-actions">
                <button type="button" class="button button-primary" aria-describedby=blocked_note
                    disabled=move || busy.get() || blocked.with(Option::is_some)
                    on:click=move |_| send_once(None)>"Publish now"</button>
                <ScheduleControls plan accounts=draft_zones
                    disabled=Signal::derive(move || busy.get() || blocked.with(Option::is_some))
                    described_by=Signal::derive(blocked_note)
                    on_schedule=Callback::new(move |at| send_once(Some(at))) />
            </div>
        </section>
    }
}
