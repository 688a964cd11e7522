//! Each session keeps its own prompt: moving to another session shows the prompt last typed
//! there, and coming back shows this one again (see [`super::super::canvas_form`]).

use leptos::prelude::*;

use super::super::canvas_form::{recall_prompt, remember_prompt, CanvasForm};
use crate::services::Services;

/// Swaps the prompt when the shown session changes, and remembers every edit under it. A prompt
/// typed before any session existed moves into the session its first Generate creates.
pub fn keep_prompt_per_session(app: Services, form: CanvasForm) {
    Effect::new(move |previous: Option<Option<String>>| {
        let id = app.sessions.current_id();
        let typed = form.prompt.get_untracked();
        let created_from_it = matches!(previous, Some(None)) && id.is_some() && !typed.is_empty();
        if created_from_it {
            remember_prompt(id.as_deref(), &typed);
            remember_prompt(None, "");
        } else if previous.as_ref() != Some(&id) {
            form.prompt.set(recall_prompt(id.as_deref()));
        }
        id
    });
    // Not on its first run: the form starts empty, which is no edit to remember.
    Effect::new(move |first_done: Option<()>| {
        let prompt = form.prompt.get();
        if first_done.is_some() {
            remember_prompt(app.sessions.current_id_untracked().as_deref(), &prompt);
        }
    });
}
