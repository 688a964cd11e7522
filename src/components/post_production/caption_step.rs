//! Step 1, "Caption": the caption, written by hand or by "Generate caption" in a chosen tone,
//! with a counter per selected platform that turns into an error past its limit — counting
//! the text the database will measure (caption plus hashtags; bytes for Threads; links at a
//! fixed weight for Mastodon), against the strictest selected account of each platform. With
//! no account chosen yet, the caption is written for the generation's "Made for" platforms.

use leptos::prelude::*;

use super::account_fit::text_length;
use crate::domain::caption_tone::CaptionTone;
use crate::services::{self, Services};
use crate::state::PlatformsState;

/// The caption step.
#[component]
pub fn CaptionStep() -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let publish = app.publish;
    let tone = RwSignal::new(CaptionTone::default());
    let caption =
        Signal::derive(move || publish.draft.with(|d| d.as_ref().map(|d| d.caption.clone()).unwrap_or_default()));
    let hashtags =
        Signal::derive(move || publish.draft.with(|d| d.as_ref().map(|d| d.hashtags.clone()).unwrap_or_default()));
    let selected = Memo::new(move |_| publish.draft_platforms());
    let chosen_accounts = Memo::new(move |_| publish.draft_accounts());

    let generate = Action::new_local(move |_: &()| {
        let id = publish.draft.with_untracked(|d| d.as_ref().map(|d| d.generation_id.clone())).unwrap_or_default();
        let mut targets = selected.get_untracked();
        if targets.is_empty() {
            targets = publish.draft.with_untracked(|d| d.as_ref().map(|d| d.made_for.clone()).unwrap_or_default());
        }
        let tone = tone.get_untracked();
        async move {
            match services::publish::suggest_caption(app, id, tone, targets).await {
                Ok(suggestion) => publish.edit(|d| {
                    d.caption = suggestion.caption;
                    if d.hashtags.is_empty() {
                        d.hashtags = suggestion.hashtags;
                    }
                }),
                Err(e) => app.ui.push_error(format!("Could not write a caption: {}", e.user_message())),
            }
        }
    });

    view! {
        <section class="pp-step" aria-labelledby="pp-caption">
            <h3 id="pp-caption" tabindex="-1">"Caption"</h3>
            <div class="field">
                <label for="pp-caption-text">"Caption"</label>
                <textarea
                    id="pp-caption-text"
                    rows="5"
                    prop:value=move || caption.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        publish.edit(|d| d.caption = text);
                    }
                ></textarea>
            </div>
            <div class="canvas-row">
                <div class="field field-small">
                    <label for="pp-tone">"Tone"</label>
                    <select id="pp-tone" on:change=move |ev| {
                        // Parsed here, once: a value that is not one of the options is ignored.
                        if let Ok(picked) = event_target_value(&ev).parse::<CaptionTone>() {
                            tone.set(picked);
                        }
                    }>
                        {CaptionTone::ALL.iter().map(|&value| view! {
                            <option value=value.as_str() selected=move || tone.get() == value>{value.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                // Not disabled while writing (a disabled button drops focus to the page): busy
                // is said with aria-busy, and a press meanwhile does nothing.
                <button type="button" class="button" aria-busy=move || generate.pending().get().to_string()
                    on:click=move |_| {
                        if !generate.pending().get_untracked() {
                            generate.dispatch(());
                        }
                    }>
                    {move || if generate.pending().get() { "Writing…" } else { "Generate caption" }}
                </button>
            </div>
            <ul class="pp-counters" aria-label="Length per platform">
                {move || {
                    let chosen = selected.get();
                    if chosen.is_empty() {
                        return view! { <li class="muted">"Choose accounts in Distribution to see each platform's limit."</li> }.into_any();
                    }
                    chosen.into_iter().filter_map(|p| platforms.of(p)).map(|limits| {
                        let rule = chosen_accounts.with(|accounts| limits.strictest_rule(accounts));
                        let length = text_length(rule, &caption.get(), &hashtags.get());
                        let over = !length.fits();
                        view! {
                            <li class:counter-over=over>
                                {format!("{}: {length}", limits.name())}
                                {over.then(|| match length.over_by() {
                                    0 => format!(" — {} bytes over", length.bytes_over()),
                                    n => format!(" — {n} over"),
                                })}
                            </li>
                        }
                    }).collect_view().into_any()
                }}
            </ul>
        </section>
    }
}
