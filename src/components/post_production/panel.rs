//! The post dialog ("Post"): the generation's thumbnail, prompt and seed stay visible above
//! the three steps; Next, Back and Close move through them. It starts at step 1 each time it
//! opens, with the creator's kept draft of that generation if any (see
//! `services::publish::open`); "Discard draft" starts it again empty.

use leptos::html;
use leptos::prelude::*;

use super::{CaptionStep, DistributionStep, HashtagsStep};
use crate::services::{self, Services};
use crate::state::publish::{PostStep, Selection};
use crate::state::PlatformsState;

/// The dialog; shown while a draft is open.
#[component]
pub fn PostProduction() -> impl IntoView {
    let app = Services::expect_context();
    let publish = app.publish;
    let dialog = NodeRef::<html::Dialog>::new();
    let open = Memo::new(move |_| publish.draft.with(Option::is_some));
    let generation = Memo::new(move |_| {
        let id = publish.draft.with(|d| d.as_ref().map(|d| d.generation_id.clone()))?;
        app.sessions.row(&id).map(|row| row.get())
    });
    let opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = dialog.get() else { return };
        if open.get() && !el.open() {
            opener.set_value(document().active_element().and_then(|e| wasm_bindgen::JsCast::dyn_into(e).ok()));
            let _ = el.show_modal();
        } else if !open.get() && el.open() {
            el.close();
        }
    });
    // "Made for" preselection follows the data: it runs when the accounts or the platform
    // rules arrive after the panel opened (once per open; see `services::publish::preselect`).
    let platforms = PlatformsState::expect_context();
    Effect::new(move |_| {
        let awaiting = publish.draft.with(|d| d.as_ref().is_some_and(|d| d.selection == Selection::AwaitingAccounts));
        publish.accounts.track();
        publish.accounts_loaded.track();
        platforms.limits.track();
        if awaiting {
            services::publish::preselect(app, platforms);
        }
    });
    // Every change of the draft is kept for the next open (same tab: reloads and redirects too).
    Effect::new(move |_| {
        publish.draft.track();
        services::post_drafts::keep_open_draft(app);
    });
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
        <dialog
            class="dialog post-production"
            node_ref=dialog
            aria-labelledby="post-production-title"
            on:close=move |_| {
                publish.close();
                if let Some(el) = opener.get_value() {
                    let _ = el.focus();
                }
            }
        >
            <div class="pp-head">
                <h2 id="post-production-title">"Post"</h2>
                <button type="button" class="button button-ghost button-small"
                    on:click=move |_| services::publish::discard_draft(app, platforms)>
                    "Discard draft"
                </button>
                <button type="button" class="button button-ghost button-small" on:click=move |_| publish.close()>
                    "Close"
                </button>
            </div>
            {move || generation.get().map(|g| view! {
                <div class="pp-source">
                    <img
                        src=g.thumbnail_url.clone().or(g.media_url.clone()).unwrap_or_default()
                        alt=g.prompt.clone()
                        width="64"
                        height="64"
                    />
                    <div>
                        <p class="pp-prompt">{g.prompt.clone()}</p>
                        <p class="muted">{g.params.seed.map(|s| format!("Seed {s}"))}</p>
                    </div>
                </div>
            })}
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
            <Show when=move || open.get()>
                {move || match step.get() {
                    PostStep::Caption => view! { <CaptionStep /> }.into_any(),
                    PostStep::Hashtags => view! { <HashtagsStep /> }.into_any(),
                    PostStep::Distribution => view! { <DistributionStep /> }.into_any(),
                }}
            </Show>
            {move || publish.error.get().map(|text| view! { <p class="form-error" role="alert">{text}</p> })}
            <div class="pp-nav">
                <button type="button" class="button" disabled=move || index() == 0 on:click=move |_| go(-1)>"Back"</button>
                <button type="button" class="button button-primary" hidden=move || index() + 1 == steps.len()
                    on:click=move |_| go(1)>"Next"</button>
            </div>
        </dialog>
    }
}
