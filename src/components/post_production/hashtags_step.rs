//! Step 2, "Hashtags": add tags (Enter or comma), each normalised — `#` forced, spaces and
//! punctuation removed, duplicates merged whatever their case; chips with "Remove #tag";
//! suggestions from the prompt and caption; each selected platform's cap, counting tags typed
//! in the caption too; and, when YouTube or Pinterest is chosen (their search reads the
//! caption), a reminder to keep the words people search for in its first line.

use leptos::prelude::*;

use super::KeepFirstTags;
use crate::domain::hashtags::{post_hashtag_count, suggest_hashtags, HashtagSet};
use crate::domain::publishing::platform_name;
use crate::domain::Platform;
use crate::services::Services;
use crate::state::PlatformsState;

/// The hashtags step.
#[component]
pub fn HashtagsStep() -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let publish = app.publish;
    let input = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let set = Memo::new(move |_| publish.draft.with(|d| d.as_ref().map(|d| d.hashtags.clone()).unwrap_or_default()));
    let caption = Memo::new(move |_| publish.draft.with(|d| d.as_ref().map(|d| d.caption.clone()).unwrap_or_default()));
    let prompt = Memo::new(move |_| {
        let id = publish.draft.with(|d| d.as_ref().map(|d| d.generation_id.clone()))?;
        app.sessions.row(&id).map(|r| r.with(|g| g.prompt.clone()))
    });
    let selected = Memo::new(move |_| publish.draft_platforms());
    let suggestions = Memo::new(move |_| {
        suggest_hashtags(&prompt.get().unwrap_or_default(), &caption.get(), &set.get(), 8)
            .into_iter()
            .map(|t| t.as_str().to_owned())
            .collect::<Vec<_>>()
    });

    let store = move |tags: HashtagSet| publish.edit(|d| d.hashtags = tags);
    let add = move |text: String| {
        let mut tags = set.get_untracked();
        match tags.insert_input(&text) {
            Ok(_) => {
                error.set(None);
                input.set(String::new());
                store(tags);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };

    view! {
        <section class="pp-step" aria-labelledby="pp-hashtags">
            <h3 id="pp-hashtags" tabindex="-1">"Hashtags"</h3>
            <div class="field">
                <label for="pp-hashtag-input">"Add hashtag"</label>
                <input
                    id="pp-hashtag-input"
                    type="text"
                    autocomplete="off"
                    placeholder="#studio, #ceramics"
                    aria-describedby="pp-hashtag-help"
                    prop:value=move || input.get()
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        if text.ends_with(',') {
                            add(text);
                        } else {
                            input.set(text);
                        }
                    }
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            add(input.get_untracked());
                        }
                    }
                />
                <p id="pp-hashtag-help" class="muted counter">"Enter or comma adds. Tags typed in the caption count too."</p>
                {move || error.get().map(|t| view! { <p class="field-error" role="alert">{t}</p> })}
            </div>
            <ul class="chips" aria-label="Hashtags">
                {move || set.get().to_strings().into_iter().map(|tag| {
                    let label = format!("Remove {tag}");
                    let remove = tag.clone();
                    view! {
                        <li class="chip">
                            <span>{tag}</span>
                            <button type="button" class="chip-remove" aria-label=label
                                on:click=move |_| {
                                    let mut tags = set.get_untracked();
                                    tags.remove(&remove);
                                    store(tags);
                                }>"×"</button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <Show when=move || !suggestions.with(Vec::is_empty)>
                <div class="pp-suggestions">
                    <p class="muted">"Suggested from the prompt and caption:"</p>
                    <div class="chips">
                        {move || suggestions.get().into_iter().map(|tag| {
                            let name = format!("Add {tag}");
                            view! {
                                <button type="button" class="button button-small" aria-label=name
                                    on:click=move |_| add(tag.clone())>{format!("+ {tag}")}</button>
                            }
                        }).collect_view()}
                    </div>
                </div>
            </Show>
            <ul class="pp-counters" aria-label="Hashtags per platform">
                {move || selected.get().into_iter().filter_map(|p| platforms.of(p)).map(|limits| {
                    let count = post_hashtag_count(&caption.get(), &set.get());
                    let max = limits.hashtag_max as usize;
                    let over = count > max;
                    view! {
                        <li class:counter-over=over>
                            {format!("{}: {count} / {max} hashtags", platform_name(limits.platform))}
                            {over.then(|| format!(" — remove {}", count - max))}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <KeepFirstTags />
            <Show when=move || selected.with(|s| s.iter().any(|p| matches!(p, Platform::Youtube | Platform::Pinterest)))>
                <p class="muted">
                    "YouTube and Pinterest search read the words of the caption: keep the words people search for in its first line."
                </p>
            </Show>
        </section>
    }
}
