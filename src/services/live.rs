//! Live updates of the current session: a Realtime channel on its generations (INSERT and
//! UPDATE filtered by `session_id`, DELETE unfiltered because Supabase filters no deletes and
//! sends only the key), and after every (re)join a refetch of the range of the session's rows
//! the grid holds (`sessions::reload_generations`: the newest row down to the oldest page read,
//! not the pages never read), so an event missed while disconnected is never lost. While the
//! channel is not subscribed and some card is unfinished, that range is polled instead, so a
//! dropped socket never hides a result. An event about a row the grid does not render (or has
//! not read yet) still lands in the state: the card is right when it is scrolled to.
//! The same channel carries the user's posts, so a card's "Posted to …" and whether its
//! output can be deleted follow the scheduler (published, failed) without a reload.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::Duration;

use gloo_timers::callback::Interval;
use leptos::prelude::set_timeout;
use leptos::task::spawn_local;

use crate::domain::{Generation, Post};
use crate::services::{realtime, sessions, Services};
use crate::supabase::realtime::{Change, ChangeEvent, ChangeKind, Channel, ChannelStatus};

/// How often unfinished cards are re-read while Realtime is not subscribed.
const POLL_EVERY: Duration = Duration::from_secs(3);

/// Keeps one session live while held; dropping it leaves the channel and stops polling.
pub struct SessionFeed {
    _channel: Channel,
    _poll: Interval,
    _burst: Burst,
}

/// Generation rows from realtime events that arrive together (a batch of outputs finishing),
/// applied as one batch on the next task: one reorder of the grid, not one per event. The
/// pending flush holds the rows weakly, so a feed dropped meanwhile applies nothing.
#[derive(Clone, Default)]
struct Burst(Rc<Pending>);

#[derive(Default)]
struct Pending {
    rows: RefCell<Vec<Generation>>,
    scheduled: Cell<bool>,
}

impl Burst {
    fn push(&self, app: Services, row: Generation) {
        self.0.rows.borrow_mut().push(row);
        if !self.0.scheduled.replace(true) {
            let pending = Rc::downgrade(&self.0);
            set_timeout(
                move || {
                    if let Some(pending) = pending.upgrade() {
                        Burst(pending).apply(app);
                    }
                },
                Duration::ZERO,
            );
        }
    }

    /// Applies what is pending now (also before a delete, so events keep their order).
    fn apply(&self, app: Services) {
        self.0.scheduled.set(false);
        let rows = std::mem::take(&mut *self.0.rows.borrow_mut());
        if !rows.is_empty() {
            app.sessions.apply_batch(rows);
        }
    }
}

/// Follows session `id`: realtime changes into the state, refetch on every (re)join.
pub fn follow_session(app: Services, id: String) -> SessionFeed {
    let subscribed = Rc::new(Cell::new(false));
    let filter = Some(format!("session_id=eq.{id}"));
    let mine = app.user_id().ok().map(|uid| format!("user_id=eq.{uid}"));
    let on_status = {
        let (id, subscribed) = (id.clone(), subscribed.clone());
        move |status: ChannelStatus| {
            subscribed.set(status == ChannelStatus::Subscribed);
            if status == ChannelStatus::Subscribed {
                let id = id.clone();
                spawn_local(async move {
                    if let Err(e) = sessions::reload_generations(app, &id).await {
                        app.ui.push_error(format!("Could not refresh this session: {}", e.user_message()));
                    }
                });
            }
        }
    };
    let burst = Burst::default();
    let channel = realtime::client()
        .channel(&format!("generations:{id}"))
        .on_postgres_changes(ChangeEvent::Insert, "generations", filter.clone())
        .on_postgres_changes(ChangeEvent::Update, "generations", filter)
        .on_postgres_changes(ChangeEvent::Delete, "generations", None)
        .on_postgres_changes(ChangeEvent::Insert, "posts", mine.clone())
        .on_postgres_changes(ChangeEvent::Update, "posts", mine)
        .on_postgres_changes(ChangeEvent::Delete, "posts", None)
        .on_change({
            let burst = burst.clone();
            move |change| apply_change(app, &burst, change)
        })
        .on_status(on_status)
        .subscribe();
    let poll = Interval::new(POLL_EVERY.as_millis() as u32, move || {
        let waiting = app.sessions.has_unfinished_untracked();
        if !subscribed.get() && waiting {
            let id = id.clone();
            spawn_local(async move {
                let _ = sessions::reload_generations(app, &id).await;
            });
        }
    });
    SessionFeed { _channel: channel, _poll: poll, _burst: burst }
}

fn apply_change(app: Services, burst: &Burst, change: Change) {
    if change.table == "posts" {
        return apply_post_change(app, change);
    }
    match change.kind {
        ChangeKind::Delete => {
            if let Some(id) = change.old_id() {
                burst.apply(app);
                app.sessions.remove(&id);
            }
        }
        ChangeKind::Insert | ChangeKind::Update => match change.decode_record::<Generation>() {
            Ok(row) => burst.push(app, row),
            // An incomplete record (too large, say): read the row instead.
            Err(_) => {
                if let Some(session) = app.sessions.current_id_untracked() {
                    spawn_local(async move {
                        let _ = sessions::reload_generations(app, &session).await;
                    });
                }
            }
        },
    }
}

/// A post of the user's changed: into the publish state, which the cards read. A post of an
/// output not shown is held too (the posts page shows it when its pages reach it).
fn apply_post_change(app: Services, change: Change) {
    match change.kind {
        ChangeKind::Delete => {
            if let Some(id) = change.old_id() {
                app.publish.remove_post(&id);
            }
        }
        ChangeKind::Insert | ChangeKind::Update => {
            if let Ok(post) = change.decode_record::<Post>() {
                app.publish.apply_posts([post]);
            }
        }
    }
}
