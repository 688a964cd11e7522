//! The post dialog's three steps — Caption, Hashtags, Distribution — with the step list,
//! the open step, the draft's error, and Back and Next.

use leptos::prelude::*;

use super::{CaptionStep, DistributionStep, HashtagsStep};
use crate::services::Services;
use crate::state::publish::PostStep;

/// The steps of the open draft, at the step the draft is on.
#[component]
pub fn PostSteps() -> impl IntoView {
    let publish = Services::expect_context().publish;
    let step = publish.step;
    let steps =
        [(PostStep::Caption, "Caption"), (PostStep::Hashtags, "Hashtags"), (PostStep::Distribution, "Distribution")];
    let index = move || steps.iter().position(|(s, _)| *s == step.get()).unwrap_or(0);
    // Next disappears on the last step: focus moves to that step's heading rather than fall
    // back to the page. On the other steps it stays where it was (on Next).
    Effect::new(move |previous: Option<PostStep>| {
        let now = step.get();
        if previous.is_some_and(|p| p != now) && now == PostStep::Distribution {
            let id = match now {
                PostStep::Caption => "pp-caption",
                PostStep::Hashtags => "pp-hashtags",
                PostStep::Distribution => "pp-distribution",
            };
            request_animation_frame(move || {
                if let Some(el) = document().get_element_by_id(id) {
                    let _ = wasm_bindgen::JsCast::unchecked_into::<web_sys::HtmlElement>(el).focus();
                }
            });
        }
        now
    });
    let go = move |by: isize| {
        let at = (index() as isize + by).clamp(0, steps.len() as isize - 1) as usize;
        step.set(steps[at].0);
    };

    view! {
        <ol class="pp-steps">
            {steps.iter().map(|(s, label)| {
                let s = *s;
                view! {
                    <li aria-current=move || (step.get() == s).then_some("step")>
                        <button type="button" class="button button-ghost button-small" on:click=move |_| step.set(s)>
                            {*label}
                        </button>
                    </li>
                }
            }).collect_view()}
        </ol>
        {move || match step.get() {
            PostStep::Caption => view! { <CaptionStep /> }.into_any(),
            PostStep::Hashtags => view! { <HashtagsStep /> }.into_any(),
            PostStep::Distribution => view! { <DistributionStep /> }.into_any(),
        }}
        {move || publish.error.get().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
        <div class="pp-nav">
            <button type="button" class="button" disabled=move || index() == 0 on:click=move |_| go(-1)>"Back"</button>
            <button type="button" class="button button-primary" hidden=move || index() + 1 == steps.len()
                on:click=move |_| go(1)>"Next"</button>
        </div>
    }
}
