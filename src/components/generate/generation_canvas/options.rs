//! The canvas's options below the prompt: kind, count, aspect ratio, "Made for" (target
//! platforms pick the ratio they need), style, negative prompt and seed. A session that
//! already has results opens with them folded into one line ("Image · 1 · 1:1"), so the first
//! screen shows the results rather than a long form; a session without results (a first batch)
//! opens with them shown. "Options" shows or folds them.

use leptos::prelude::*;

use super::super::{CanvasForm, OptionsFold};
use super::made_for::{names, MadeForField};
use super::made_for_note::MADE_FOR_RATIO_ID;
use crate::domain::generation::count_max;
use crate::domain::platforms::{choose_ratio, AspectRatio, RatioChoice};
use crate::domain::MediaKind;
use crate::services::Services;
use crate::state::sessions::CurrentSession;
use crate::state::PlatformsState;

/// Style presets offered by the canvas (free text is stored in `params.style`).
const STYLES: &[&str] = &["", "Photographic", "Cinematic", "Illustration", "3D render", "Watercolour", "Minimal"];

/// The region's id, for the toggle's `aria-controls`.
const REGION_ID: &str = "canvas-options";

/// "Options" with the one-line summary, then the options themselves (hidden while folded).
#[component]
pub fn CanvasOptions(form: CanvasForm) -> impl IntoView {
    let app = Services::expect_context();
    let platforms = PlatformsState::expect_context();
    decide_fold_once(app, form);

    // Targets pick the ratio: one every target accepts, or say which disagrees.
    let choice = Memo::new(move |_| {
        let (targets, kind) = (form.targets.get(), form.kind.get());
        platforms.limits.with(|limits| choose_ratio(limits, &targets, kind))
    });
    Effect::new(move |_| {
        if let RatioChoice::Pick(ratio) = choice.get() {
            form.aspect_ratio.set(ratio);
        }
    });
    let ratio_picked =
        Memo::new(move |_| matches!(choice.get(), RatioChoice::Pick(_)) && form.targets.with(|t| !t.is_empty()));
    // Keep the count within the kind's range.
    Effect::new(move |_| {
        let max = count_max(form.kind.get());
        if form.count.get_untracked() > max {
            form.count.set(max);
        }
    });
    let shown = move || form.options.get().is_shown();
    let toggle = move |_| form.options.set(if shown() { OptionsFold::Folded } else { OptionsFold::Shown });

    view! {
        <div class="canvas-options-bar">
            <button type="button" class="button button-small options-toggle"
                aria-expanded=move || shown().to_string()
                aria-controls=REGION_ID
                aria-describedby="canvas-options-summary"
                on:click=toggle>
                "Options"
                <span class="options-arrow" aria-hidden="true">{move || if shown() { "▴" } else { "▾" }}</span>
            </button>
            <span id="canvas-options-summary" class="muted options-summary">{move || summary(form)}</span>
        </div>
        <div id=REGION_ID class="canvas-options" hidden=move || !shown()>
            <div class="canvas-row">
                <fieldset class="segmented">
                    <legend>"Kind"</legend>
                    {[MediaKind::Image, MediaKind::Video].into_iter().map(|kind| view! {
                        <label>
                            <input type="radio" name="kind" checked=move || form.kind.get() == kind
                                on:change=move |_| form.kind.set(kind) />
                            {kind_label(kind)}
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
                        on:change=move |ev| {
                            // Parsed here, once: a value that is not one of the options is ignored.
                            if let Ok(ratio) = event_target_value(&ev).parse::<AspectRatio>() {
                                form.aspect_ratio.set(ratio);
                            }
                        }>
                        {AspectRatio::ALL.iter().map(|&ratio| view! {
                            <option value=ratio.as_str() selected=move || form.aspect_ratio.get() == ratio>
                                {ratio.as_str()}
                            </option>
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <MadeForField form choice />
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
        </div>
    }
}

/// Decides once per visit of the Generate page whether the options start shown: for a session
/// that has results when it opens they start folded (its results are what the creator came
/// back to); for the first session, or one still empty, they start shown (a first batch needs
/// them). Later batches never fold them by surprise; only "Options" (or Remix) changes them.
fn decide_fold_once(app: Services, form: CanvasForm) {
    Effect::new(move |_| {
        if form.options.get() != OptionsFold::Undecided {
            return;
        }
        let show = app.sessions.current.with(|current| match current {
            // Decided once the first page is in, even while the posts of its outputs are still
            // on their way: what waits for this decision shows with the first cards.
            CurrentSession::Loading(_) if !app.sessions.listing.with(|l| l.started) => None,
            CurrentSession::Loading(_) | CurrentSession::Ready(_) => {
                Some(app.sessions.order.with_untracked(Vec::is_empty))
            }
            // `/app/generate` with sessions goes on to the newest one: decide there.
            CurrentSession::None => {
                (app.sessions.loaded.get() && app.sessions.list.with(Vec::is_empty)).then_some(true)
            }
            CurrentSession::NotFound(_) => Some(true),
        });
        if let Some(show) = show {
            form.options.set(if show { OptionsFold::Shown } else { OptionsFold::Folded });
        }
    });
}

/// What Generate will use, in one line: "Image · 1 · 1:1 · for Instagram · Cinematic · seed 7".
fn summary(form: CanvasForm) -> String {
    let mut parts =
        vec![kind_label(form.kind.get()).to_owned(), form.count.get().to_string(), form.aspect_ratio.get().to_string()];
    form.targets.with(|targets| {
        if !targets.is_empty() {
            parts.push(format!("for {}", names(targets)));
        }
    });
    let style = form.style.get();
    if !style.is_empty() {
        parts.push(style);
    }
    if form.negative_prompt.with(|n| !n.trim().is_empty()) {
        parts.push("with a negative prompt".to_owned());
    }
    if let Ok(Some(seed)) = form.parsed_seed() {
        parts.push(format!("seed {seed}"));
    }
    parts.join(" · ")
}

fn kind_label(kind: MediaKind) -> &'static str {
    match kind {
        MediaKind::Image => "Image",
        MediaKind::Video => "Video",
    }
}
