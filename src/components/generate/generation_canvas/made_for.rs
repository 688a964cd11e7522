//! "Made for": the platforms a batch is meant for. Their limits pick the aspect ratio (the
//! note under the chips says which), and the field warns when the targets disagree on a ratio
//! or when one of them cannot take the chosen kind at all.

use leptos::prelude::*;

use super::super::CanvasForm;
use super::made_for_note::MadeForNote;
use crate::domain::platforms::{targets_refusing, RatioChoice};
use crate::domain::publishing::platform_name;
use crate::domain::{MediaKind, Platform};
use crate::state::PlatformsState;

/// The "Made for" checkboxes with the ratio note and the warnings; `choice` is the ratio the
/// targets pick (the canvas applies it to the form).
#[component]
pub fn MadeForField(form: CanvasForm, choice: Memo<RatioChoice>) -> impl IntoView {
    let platforms = PlatformsState::expect_context();
    let cannot_take = Memo::new(move |_| {
        let (targets, kind) = (form.targets.get(), form.kind.get());
        platforms.limits.with(|limits| targets_refusing(limits, &targets, kind))
    });
    view! {
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
                            names(&disagreeing)
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
                            {format!("{} can't take {kind}: it won't be offered when you post this.", names(&refusing))}
                        </p>
                    }
                })
            }}
        </fieldset>
    }
}

/// "Instagram, X": platform names for a sentence.
pub fn names(platforms: &[Platform]) -> String {
    platforms.iter().map(|p| platform_name(*p)).collect::<Vec<_>>().join(", ")
}
