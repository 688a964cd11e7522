//! Step 3, "Distribution": a checkbox per usable account (named by handle and platform, with
//! its status and whether caption and hashtags fit it), connected accounts Atelier cannot send
//! to yet shown disabled with the reason, then "Publish now", or "Schedule for" (see
//! [`super::schedule_field`]: in the creator's zone or on each account's clock, with what the
//! time means beside each account). Both wait, saying why (one sentence per problem), while the
//! text does not fit a selected account or there is no account at all. Accounts not offered are
//! named with the reason; "Add an account" adds one without leaving the dialog.

use leptos::prelude::*;

use super::account_fit::{fit_problems, hidden_reason};
use super::schedule_field::{account_time_note, schedule_pick, ScheduleControls};
use super::{AddAccountInline, KeepFirstTags};
use crate::domain::platforms::{account_offer, AccountOffer};
use crate::domain::publishing::account_status_label;
use crate::domain::schedule_zones::ZonePlan;
use crate::domain::ConnectedAccount;
use crate::services::publish::{self as publishing, ScheduledFor};
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
    let problems_of = move |account: &ConnectedAccount| -> Vec<String> {
        let Some(limits) = platforms.of(account.platform) else { return Vec::new() };
        publish
            .draft
            .with(|d| d.as_ref().map(|d| fit_problems(&limits, account, &d.caption, &d.hashtags)).unwrap_or_default())
    };
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

    let send = Action::new_local(move |schedule: &Option<ScheduledFor>| {
        let schedule = schedule.clone();
        let draft = publish.draft.get_untracked();
        async move {
            let Some(draft) = draft else { return };
            let generation_id = draft.generation_id.clone();
            publish.error.set(None);
            match publishing::publish(app, draft, schedule).await {
                Ok(message) => {
                    app.ui.push_success(message);
                    publish.close();
                }
                Err(e) => {
                    let text = e.user_message();
                    // Said once: in the dialog while it shows this draft, otherwise as a toast.
                    let shown_inline =
                        publish.draft.with_untracked(|d| d.as_ref().is_some_and(|d| d.generation_id == generation_id));
                    if shown_inline {
                        publish.error.set(Some(text));
                    } else {
                        app.ui.push_error(format!("Nothing was posted: {text}"));
                    }
                }
            }
        }
    });
    let busy = send.pending();
    // Clicks queued back to back reach the handler before the first publish has started:
    // only the first one of a draft's request key is sent, the others are no-ops.
    let sending = StoredValue::new(None::<String>);
    let send_once = move |schedule: Option<ScheduledFor>| {
        let key = publish.draft.with_untracked(|d| d.as_ref().map(|d| d.request_key.clone()));
        let Some(key) = key else { return };
        if busy.get_untracked() || publish.is_in_flight_untracked(&key) || sending.get_value().as_deref() == Some(&key)
        {
            return;
        }
        sending.set_value(Some(key));
        send.dispatch(schedule);
    };
    Effect::new(move |_| {
        if !busy.get() {
            sending.set_value(None);
        }
    });
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
                        let id = account.id.clone();
                        let checked = { let id = id.clone(); move || selected.with(|s| s.contains(&id)) };
                        let reason = match offer { AccountOffer::Unavailable(reason) => Some(reason), _ => None };
                        let unavailable = reason.is_some();
                        let reason_id = format!("pp-why-{}", account.id);
                        let problems = { let account = account.clone(); move || problems_of(&account) };
                        let account_zone = zone_of(&account);
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
