//! Sending the draft from the Distribution step: "Publish now" or a schedule, once per draft
//! however fast the clicks come, with a refusal said once — in the dialog while it still
//! shows that draft, otherwise as a toast.

use leptos::prelude::*;

use crate::services::publish::{self as publishing, ScheduledFor};
use crate::services::Services;

/// Whether a send is running, and the function that sends the open draft (now, or at the
/// given time); a call while that draft is already on its way does nothing.
pub fn use_send_once(app: Services) -> (Memo<bool>, impl Fn(Option<ScheduledFor>) + Copy) {
    let publish = app.publish;
    let send = Action::new_local(move |schedule: &Option<ScheduledFor>| {
        let schedule = schedule.clone();
        let draft = publish.draft.get_untracked();
        async move {
            let Some(draft) = draft else { return };
            let generation_id = draft.generation_id.clone();
            publish.error.set(None);
            match publishing::publish(app, draft, schedule).await {
                Ok(message) => {
                    app.ui.push_success(message);
                    publish.close();
                }
                Err(e) => {
                    let text = e.user_message();
                    // Said once: in the dialog while it shows this draft, otherwise as a toast.
                    let shown_inline =
                        publish.draft.with_untracked(|d| d.as_ref().is_some_and(|d| d.generation_id == generation_id));
                    if shown_inline {
                        publish.error.set(Some(text));
                    } else {
                        app.ui.push_error(format!("Nothing was posted: {text}"));
                    }
                }
            }
        }
    });
    let busy = send.pending();
    // Clicks queued back to back reach the handler before the first publish has started:
    // only the first one of a draft's request key is sent, the others are no-ops.
    let sending = StoredValue::new(None::<String>);
    let send_once = move |schedule: Option<ScheduledFor>| {
        let key = publish.draft.with_untracked(|d| d.as_ref().map(|d| d.request_key.clone()));
        let Some(key) = key else { return };
        if busy.get_untracked() || publish.is_in_flight_untracked(&key) || sending.get_value().as_deref() == Some(&key)
        {
            return;
        }
        sending.set_value(Some(key));
        send.dispatch(schedule);
    };
    Effect::new(move |_| {
        if !busy.get() {
            sending.set_value(None);
        }
    });
    (busy, send_once)
}
