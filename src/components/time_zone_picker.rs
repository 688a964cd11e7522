//! A searchable time zone field: a text box whose suggestions (`<datalist>`) are the zones the
//! browser knows (`Intl.supportedValuesOf('timeZone')`), the browser's own zone first. Typing
//! filters the suggestions; a value that is not one of them is refused before anything is sent
//! ([`choose_time_zone`]), with a message under the field that the field points at
//! (`aria-describedby`). Empty means "no zone of its own" (the creator's).

use leptos::prelude::*;

use crate::services::time_zone::{is_known_time_zone, supported_time_zones};

/// The zone picked in a picker: `Ok(None)` when empty, `Ok(Some(name))` in the browser's
/// spelling when it is one of the listed zones (case aside), else the message to show.
pub fn choose_time_zone(typed: &str) -> Result<Option<String>, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let zones = supported_time_zones();
    if zones.is_empty() {
        // A browser without the list: any zone its Intl knows.
        return if is_known_time_zone(typed) { Ok(Some(typed.to_owned())) } else { Err(not_listed(typed, None)) };
    }
    if let Some(zone) = zones.iter().find(|z| z.eq_ignore_ascii_case(typed)) {
        return Ok(Some(zone.clone()));
    }
    // "paris" or "new york": the zone named after that city, if exactly one is.
    let city = typed.replace(' ', "_");
    let mut named = zones.iter().filter(|z| z.rsplit('/').next().is_some_and(|last| last.eq_ignore_ascii_case(&city)));
    let guess = match (named.next(), named.next()) {
        (Some(only), None) => Some(only.as_str()),
        _ => None,
    };
    Err(not_listed(typed, guess))
}

fn not_listed(typed: &str, guess: Option<&str>) -> String {
    match guess {
        Some(zone) => format!("“{typed}” is not a time zone from the list. Did you mean {zone}?"),
        None => format!("“{typed}” is not a time zone from the list. Type a city or region and pick a suggestion, like Europe/Paris."),
    }
}

/// The label, the field, its suggestions and its message. `error` is set by the owner's submit
/// (through [`choose_time_zone`]) and here when the field is left with a value off the list.
#[component]
pub fn TimeZonePicker(
    /// The field's id; its suggestions and message take ids derived from it.
    #[prop(into)]
    id: String,
    /// The visible label (the field's accessible name).
    #[prop(into)]
    label: String,
    /// The text in the field.
    value: RwSignal<String>,
    /// Why the value is refused, shown under the field.
    error: RwSignal<Option<String>>,
    /// Shown while the field is empty.
    #[prop(into)]
    placeholder: String,
) -> impl IntoView {
    let list_id = format!("{id}-zones");
    let message_id = format!("{id}-message");
    let zones = supported_time_zones();
    let check = move |_| error.set(choose_time_zone(&value.get_untracked()).err());
    view! {
        <label for=id.clone()>{label}</label>
        <input
            id=id
            type="text"
            list=list_id.clone()
            autocomplete="off"
            spellcheck="false"
            placeholder=placeholder
            aria-invalid=move || error.with(Option::is_some).then_some("true")
            aria-describedby=message_id.clone()
            bind:value=value
            on:input=move |_| {
                if error.with_untracked(Option::is_some) {
                    error.set(None);
                }
            }
            on:change=check
        />
        <datalist id=list_id>
            {zones.iter().map(|zone| view! { <option value=zone.clone()></option> }).collect_view()}
        </datalist>
        <p id=message_id class="field-error" aria-live="polite">{move || error.get()}</p>
    }
}
