//! The Distribution step's schedule: "Schedule for" (a `datetime-local`), the zone its time is
//! read in, and — once a chosen account lives in another zone — an explicit choice between the
//! time in the creator's zone (one instant for all) and the same time on each account's clock
//! (one instant per zone). Each account line says what the time means there, or, read on each
//! account's clock, when that is on the creator's.

use leptos::prelude::*;

use crate::domain::schedule::{format_in_zone, parse_datetime_local, resolve_local, LocalDateTime};
use crate::domain::schedule_zones::{ZoneChoice, ZonePlan};
use crate::services::publish::{self as publishing, ScheduledFor};
use crate::services::time_zone::BrowserZone;
use crate::state::publish::PublishState;

/// The draft's picked time (none when the field is empty), tracked.
pub fn schedule_pick(publish: PublishState) -> Option<LocalDateTime> {
    publish.draft.with(|d| d.as_ref().and_then(|d| d.schedule_local))
}

/// The schedule field, its zone choice and the "Schedule" button, which hands the resolved
/// schedule to `on_schedule` (or shows why it cannot be scheduled, sending nothing).
/// `accounts` are the draft's accounts with their zones, in its order.
#[component]
pub fn ScheduleControls(
    plan: Memo<ZonePlan>,
    accounts: Memo<Vec<(String, String)>>,
    disabled: Signal<bool>,
    described_by: Signal<Option<&'static str>>,
    on_schedule: Callback<ScheduledFor>,
) -> impl IntoView {
    let publish = PublishState::expect_context();
    let when = Signal::derive(move || schedule_pick(publish));
    let schedule = move || {
        let Some(local) = when.get_untracked() else {
            publish.error.set(Some("Pick a date and time to schedule for.".to_owned()));
            return;
        };
        match publishing::resolve_schedule(local, &plan.get_untracked(), &accounts.get_untracked()) {
            Ok(at) => on_schedule.run(at),
            Err(e) => publish.error.set(Some(e.user_message())),
        }
    };
    let zone_note = move || match plan.with(|p| p.reading_zone().map(str::to_owned)) {
        Some(zone) => format!("Times in {zone}"),
        None => "Times on each account's own clock".to_owned(),
    };
    let choose = move |choice: ZoneChoice| {
        publish.error.set(None);
        publish.edit(|d| d.schedule_zone = Some(choice));
    };
    // "09:00" from the typed value; "The time" until one is typed.
    let clock = move || when.get().map(|t| t.clock()).unwrap_or_else(|| "The time".to_owned());

    view! {
        <div class="field">
            // First how the time is read, then the time: the choice's labels name the typed time.
            {move || plan.with(ZonePlan::offers_choice).then(|| view! {
                <fieldset class="pp-zone-choice">
                    <legend>"Time zone for this schedule"</legend>
                    <label>
                        <input type="radio" name="pp-zone-choice"
                            prop:checked=move || plan.with(|p| p.choice == ZoneChoice::CreatorZone)
                            on:change=move |_| choose(ZoneChoice::CreatorZone) />
                        {move || format!("{} in {}", clock(), plan.with(|p| p.own.clone()))}
                    </label>
                    <label>
                        <input type="radio" name="pp-zone-choice"
                            prop:checked=move || plan.with(|p| p.choice == ZoneChoice::EachAccount)
                            on:change=move |_| choose(ZoneChoice::EachAccount) />
                        {move || format!("{} local time on each account", clock())}
                    </label>
                </fieldset>
            })}
            <label for="pp-schedule">"Schedule for"</label>
            <input id="pp-schedule" type="datetime-local" aria-describedby="pp-zone"
                prop:value=move || when.get().map(|t| t.datetime_local()).unwrap_or_default()
                on:input=move |ev| {
                    publish.error.set(None);
                    // Parsed here, once: the browser gives "" until a whole date and time is in.
                    let picked = parse_datetime_local(&event_target_value(&ev)).ok();
                    publish.edit(|d| d.schedule_local = picked);
                } />
            <p id="pp-zone" class="muted counter">{zone_note}</p>
        </div>
        <button type="button" class="button" aria-describedby=move || described_by.get()
            disabled=move || disabled.get()
            on:click=move |_| schedule()>"Schedule"</button>
    }
}

/// What the typed time means for an account in `account_zone`, beside it in the list: read in
/// the creator's zone, the time on the account's clock ("… (Europe/Berlin) there"); read on
/// each account's clock, when that is on the creator's ("… (Asia/Tokyo) your time"). `None`
/// for an account in the creator's zone, or while the time does not resolve (the "Schedule"
/// button says why).
pub fn account_time_note(plan: &ZonePlan, picked: Option<LocalDateTime>, account_zone: &str) -> Option<String> {
    if account_zone == plan.own {
        return None;
    }
    let local = picked?;
    let (from, to, suffix) = match plan.reading_zone() {
        Some(zone) if zone == plan.own => (plan.own.as_str(), account_zone, "there"),
        _ => (account_zone, plan.own.as_str(), "your time"),
    };
    let (from_zone, to_zone) = (BrowserZone::new(from).ok()?, BrowserZone::new(to).ok()?);
    let at = resolve_local(local, from, &from_zone).ok()?.utc_epoch_ms;
    let there: LocalDateTime = to_zone.local_parts(at);
    Some(format!("{} {suffix}", format_in_zone(&there, to)))
}
