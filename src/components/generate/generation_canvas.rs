//! The prompt canvas: prompt (with a counter against the database's limit; Ctrl/Cmd+Enter
//! submits), kind, count, aspect ratio, "Made for" (target platforms pick the ratio they
//! need), style, negative prompt and seed. Generate is disabled while the input is invalid,
//! with the reason next to it. Each session keeps its own prompt; the ratio "Made for" picks
//! and a fixed seed are said next to their controls.

mod made_for_note;
mod prompt_memory;
mod seed_in_use;

use leptos::html;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;

use super::CanvasForm;
use crate::domain::generation::{count_max, PROMPT_MAX};
use crate::domain::platforms::{AspectRatio, RatioChoice};
use crate::domain::publishing::platform_name;
use crate::domain::{MediaKind, Platform};
use crate::services::{self, Services};
use crate::state::ui::ToastTopic;
use crate::state::PlatformsState;
use made_for_note::{MadeForNote, MADE_FOR_RATIO_ID};
use seed_in_use::SeedInUse;

/// Style presets offered by the canvas (free text is stored in `params.style`).
const STYLES: &[&str] = &["", "Photographic", "Cinematic", "Illustration", "3D render", "Watercolour", "Minimal"];

/// The canvas above the results.
#[component]
pub fn GenerationCanvas() -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    let form = CanvasForm::expect_context();
    let navigate = use_navigate();
    let prompt_ref = NodeRef::<html::Textarea>::new();
    services::platforms::ensure_loaded(app, platforms);
    prompt_memory::keep_prompt_per_session(app, form);

    Effect::new(move |previous: Option<u32>| {
        let n = form.remixed.get();
        if previous.is_some_and(|p| p != n) {
            if let Some(el) = prompt_ref.get_untracked() {
                let _ = el.focus();
            }
        }
        n
    });

    // Targets pick the ratio: one every target accepts, or say which disagrees.
    let choice = Memo::new(move |_| {
        let (targets, kind) = (form.targets.get(), form.kind.get());
        platforms.limits.with(|limits| crate::domain::platforms::choose_ratio(limits, &targets, kind))
    });
    Effect::new(move |_| {
        if let RatioChoice::Pick(ratio) = choice.get() {
            form.aspect_ratio.set(ratio.as_str().to_owned());
        }
    });
    let ratio_picked =
        Memo::new(move |_| matches!(choice.get(), RatioChoice::Pick(_)) && form.targets.with(|t| !t.is_empty()));
    let cannot_take = Memo::new(move |_| {
        let (targets, kind) = (form.targets.get(), form.kind.get());
        platforms.limits.with(|limits| crate::domain::platforms::targets_refusing(limits, &targets, kind))
    });
    // Keep the count within the kind's range.
    Effect::new(move |_| {
        let max = count_max(form.kind.get());
        if form.count.get_untracked() > max {
            form.count.set(max);
        }
    });

    let chars = Memo::new(move |_| form.prompt.with(|p| p.trim().chars().count()));
    let problem = Memo::new(move |_| {
        if let Err(e) = form.parsed_seed() {
            return Some(e);
        }
        form.request().validate().err().map(|e| e.to_string())
    });
    let submit = Action::new_local(move |_: &()| {
        let request = form.request();
        let navigate = navigate.clone();
        // The error is about this session's Generate: the next batch that starts here clears it.
        let topic = ToastTopic::Generate { session_id: app.sessions.current_id_untracked().unwrap_or_default() };
        async move {
            let on_session = move |id: &str| navigate(&format!("/app/generate/{id}"), Default::default());
            match services::generation::start_generation(app, request, on_session).await {
                Ok(_) => app.ui.clear_topic(topic),
                Err(e) => app.ui.push_error_about(topic, format!("Could not generate: {}", e.user_message())),
            }
        }
    });
    let pending = submit.pending();
    let send = move || {
        if problem.get_untracked().is_none() && !pending.get_untracked() {
            submit.dispatch(());
        }
    };

    view! {
        <form
            class="canvas"
            aria-label="Generate"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                send();
            }
            // A held Enter repeats its keydown, and each repeat after a quick batch would start
            // another one (implicit submission, or Ctrl+Enter in the prompt): one press, one batch.
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" && ev.repeat() {
                    ev.prevent_default();
                }
            }
        >
            <div class="field field-prompt">
                <label for="prompt">"Prompt"</label>
                <textarea
                    id="prompt"
                    rows="3"
                    node_ref=prompt_ref
                    placeholder="A ceramicist's studio at golden hour, bowls drying on wooden shelves"
                    aria-describedby="prompt-count"
                    bind:value=form.prompt
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && (ev.ctrl_key() || ev.meta_key()) && !ev.repeat() {
                            ev.prevent_default();
                            send();
                        }
                    }
                ></textarea>
                <p id="prompt-count" class="counter" class:counter-over=move || { chars.get() > PROMPT_MAX }>
                    {move || format!("{} / {PROMPT_MAX}", chars.get())}
                    <span class="muted">" · Ctrl+Enter to generate"</span>
                </p>
            </div>
            <div class="canvas-row">
                <fieldset class="segmented">
                    <legend>"Kind"</legend>
                    {[MediaKind::Image, MediaKind::Video].into_iter().map(|kind| view! {
                        <label>
                            <input type="radio" name="kind" checked=move || form.kind.get() == kind
                                on:change=move |_| form.kind.set(kind) />
                            {if kind == MediaKind::Image { "Image" } else { "Video" }}
                        </label>
                    }).collect_view()}
                </fieldset>
                <div class="field field-small">
                    <label for="count">"Count"</label>
                    <input id="count" type="number" min="1" max=move || count_max(form.kind.get())
                        prop:value=move || form.count.get().to_string()
                        on:input=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<u32>() { form.count.set(n) }
                        } />
                </div>
                <div class="field field-small">
                    <label for="aspect">"Aspect ratio"</label>
                    <select id="aspect" aria-describedby=move || {
                            ratio_picked.get().then_some(MADE_FOR_RATIO_ID)
                        }
                        on:change=move |ev| form.aspect_ratio.set(event_target_value(&ev))>
                        {AspectRatio::ALL.iter().map(|ratio| {
                            let value = ratio.as_str();
                            view! {
                                <option value=value selected=move || form.aspect_ratio.get() == value>{value}</option>
                            }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <fieldset class="made-for">
                <legend>"Made for"</legend>
                <div class="chips">
                    {Platform::ALL.iter().copied().map(|platform| view! {
                        <label class="chip-check">
                            <input type="checkbox"
                                checked=move || form.targets.with(|t| t.contains(&platform))
                                on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    form.targets.update(|t| {
                                        t.retain(|p| *p != platform);
                                        if on { t.push(platform) }
                                    });
                                } />
                            {platform_name(platform)}
                        </label>
                    }).collect_view()}
                </div>
                <MadeForNote choice targets=form.targets />
                {move || match choice.get() {
                    RatioChoice::Conflict { disagreeing } => Some(view! {
                        <p class="field-warning" role="status">
                            {format!(
                                "No aspect ratio suits every target: {} can't take the others' ratio. Pick the ratio yourself.",
                                disagreeing.iter().map(|p| platform_name(*p)).collect::<Vec<_>>().join(", ")
                            )}
                        </p>
                    }),
                    _ => None,
                }}
                {move || {
                    let refusing = cannot_take.get();
                    (!refusing.is_empty()).then(|| {
                        let kind = if form.kind.get() == MediaKind::Image { "an image" } else { "a video" };
                        view! {
                            <p class="field-warning" role="status">
                                {format!("{} can't take {kind}: it won't be offered when you post this.",
                                    refusing.iter().map(|p| platform_name(*p)).collect::<Vec<_>>().join(", "))}
                            </p>
                        }
                    })
                }}
            </fieldset>
            <div class="canvas-row canvas-more">
                    <div class="field">
                        <label for="style">"Style"</label>
                        <select id="style" on:change=move |ev| form.style.set(event_target_value(&ev))>
                            {STYLES.iter().map(|style| view! {
                                <option value=*style selected=move || form.style.get() == *style>
                                    {if style.is_empty() { "None" } else { style }}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="negative">"Negative prompt"</label>
                        <input id="negative" type="text" placeholder="What to leave out" bind:value=form.negative_prompt />
                    </div>
                    <div class="field field-small">
                        <label for="seed">"Seed"</label>
                        <input id="seed" type="text" inputmode="numeric" placeholder="Random" bind:value=form.seed />
                    </div>
            </div>
            <div class="canvas-submit">
                <button type="submit" class="button button-primary"
                    disabled=move || problem.with(Option::is_some) || pending.get()
                    aria-describedby="generate-reason">
                    {move || if pending.get() { "Generating…" } else { "Generate" }}
                </button>
                <p id="generate-reason" class="muted" aria-live="polite">{move || problem.get()}</p>
            </div>
            <SeedInUse form />
        </form>
    }
}
