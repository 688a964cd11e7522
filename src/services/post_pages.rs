//! The posts page's posts, newest first, a page at a time ("Load more posts"), kept live: a
//! Realtime channel on the user's posts, and after every (re)join a re-read of the pages
//! loaded, so a post the scheduler published while disconnected shows. Rows of pages not
//! loaded may reach the state through Realtime, but the page shows only the posts the pages
//! loaded reach ([`PostPages::covers`]): "Load more posts" brings them in their place.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::domain::publishing::{is_pending_post_id, PostWithSource};
use crate::domain::time::parse_timestamp;
use crate::domain::Post;
use crate::services::{realtime, ServiceError, Services};
use crate::supabase::realtime::{ChangeEvent, ChangeKind, Channel, ChannelStatus};
use crate::supabase::rest::{self, Direction, Keyset};

/// Posts per page.
pub const POSTS_PAGE: usize = 20;
/// A post and where it came from (the generation's thumbnail, prompt, seed, model).
const WITH_SOURCE: &str = "*,generation:generations(id,kind,prompt,params,model,thumbnail_url,media_url)";

/// How far the posts page has read.
#[derive(Debug, Clone, Copy)]
pub struct PostPages {
    /// The last post of the last page read; `None` before the first page.
    pub cursor: RwSignal<Option<Keyset>>,
    /// Whether older posts than the pages read exist.
    pub more: RwSignal<bool>,
    /// Whether the first page was read (until then, posts held from an earlier visit stay
    /// hidden: they may reach past what this visit reads).
    pub loaded: RwSignal<bool>,
}

impl Default for PostPages {
    fn default() -> Self {
        Self::new()
    }
}

impl PostPages {
    /// Nothing read yet.
    pub fn new() -> Self {
        Self { cursor: RwSignal::new(None), more: RwSignal::new(false), loaded: RwSignal::new(false) }
    }

    /// Whether `post` falls within the pages read (tracked): at or above the cursor in the
    /// newest-first order, or anywhere once the last page is in.
    pub fn covers(&self, post: &Post) -> bool {
        if !self.loaded.get() {
            return false;
        }
        if !self.more.get() {
            return true;
        }
        self.cursor.with(|cursor| cursor.as_ref().is_none_or(|c| !is_past(&post.created_at, &post.id, c)))
    }
}

/// Whether a row `(created_at, id)` comes after `cursor` in the newest-first order.
fn is_past(created_at: &str, id: &str, cursor: &Keyset) -> bool {
    let (at, bound) = (parse_timestamp(created_at), parse_timestamp(&cursor.created_at));
    at < bound || (at == bound && id < cursor.id.as_str())
}

/// Reads the next page of older posts ("Load more posts").
pub async fn load_more(app: Services, pages: PostPages) -> Result<(), ServiceError> {
    let after = pages.cursor.get_untracked();
    let page = read_page(app, after.as_ref()).await?;
    if let Some(last) = page.rows.last() {
        pages.cursor.set(Some(keyset_of(&last.post)));
    }
    pages.more.set(page.more);
    keep(app, page.rows);
    Ok(())
}

/// Reads again, from the newest, every page read so far (the first page when none was):
/// posts changed or added meanwhile show, and held posts the listing no longer finds were
/// deleted. Posts that arrive while it reads are never dropped.
pub async fn reload(app: Services, pages: PostPages) -> Result<(), ServiceError> {
    let bound = pages.cursor.get_untracked();
    let held_before: Vec<String> =
        app.publish.post_order.get_untracked().into_iter().filter(|id| !is_pending_post_id(id)).collect();
    let mut listed = HashSet::new();
    let mut after: Option<Keyset> = None;
    loop {
        let page = read_page(app, after.as_ref()).await?;
        let last = page.rows.last().map(|r| keyset_of(&r.post));
        listed.extend(page.rows.iter().map(|r| r.post.id.clone()));
        keep(app, page.rows);
        let reached = match (&bound, &last) {
            (Some(bound), Some(last)) => !is_past(&bound.created_at, &bound.id, last),
            _ => true,
        };
        if !page.more || reached || last.is_none() {
            let cursor = last.or(after);
            // Held posts within what was just read, and not in it, were deleted meanwhile.
            for gone in held_before.iter().filter(|id| !listed.contains(*id)) {
                let within = untrack(|| app.publish.post(gone))
                    .is_some_and(|p| !page.more || cursor.as_ref().is_some_and(|c| !is_past(&p.created_at, &p.id, c)));
                if within {
                    app.publish.remove_post(gone);
                }
            }
            pages.cursor.set(cursor);
            pages.more.set(page.more);
            pages.loaded.set(true);
            return Ok(());
        }
        after = last;
    }
}

async fn read_page(app: Services, after: Option<&Keyset>) -> Result<rest::KeysetPage<PostWithSource>, ServiceError> {
    let token = app.token().await?;
    let query = rest::table("posts", &token).select(WITH_SOURCE);
    Ok(rest::keyset_page(query, Direction::NewestFirst, after, POSTS_PAGE).await?)
}

/// Puts posts and their sources into the state.
fn keep(app: Services, rows: Vec<PostWithSource>) {
    app.publish.sources.update(|sources| {
        for row in &rows {
            if let Some(source) = &row.generation {
                sources.insert(source.id.clone(), source.clone());
            }
        }
    });
    app.publish.apply_posts(rows.into_iter().map(|r| r.post));
}

/// Keeps the user's posts live while held: changes into the state (a post whose source is
/// not known yet is read with it), deletes by key, and [`reload`] after every (re)join, the
/// first one included.
pub fn follow(app: Services, pages: PostPages, user_id: String) -> Channel {
    let mine = Some(format!("user_id=eq.{user_id}"));
    realtime::client()
        .channel(&format!("posts:{user_id}"))
        .on_postgres_changes(ChangeEvent::Insert, "posts", mine.clone())
        .on_postgres_changes(ChangeEvent::Update, "posts", mine)
        .on_postgres_changes(ChangeEvent::Delete, "posts", None)
        .on_change(move |change| match change.kind {
            ChangeKind::Delete => {
                if let Some(id) = change.old_id() {
                    app.publish.remove_post(&id);
                }
            }
            _ => {
                if let Ok(post) = change.decode_record::<Post>() {
                    let known = app.publish.sources.with_untracked(|s| s.contains_key(&post.generation_id));
                    let id = post.id.clone();
                    app.publish.apply_posts([post]);
                    if !known {
                        spawn_local(async move {
                            let _ = read_one(app, &id).await;
                        });
                    }
                }
            }
        })
        .on_status(move |status| {
            if status == ChannelStatus::Subscribed {
                spawn_local(async move {
                    if let Err(e) = reload(app, pages).await {
                        app.ui.push_error(format!("Could not refresh your posts: {}", e.user_message()));
                    }
                });
            }
        })
        .subscribe()
}

/// Removes a finished post (published, failed or cancelled) from Atelier; what was published
/// stays on the network. A post still on its way is refused by the database (no row comes
/// back): it says to cancel it first.
pub async fn remove_post(app: Services, id: String) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let query = rest::table("posts", &token).eq("id", &id).delete().select("id");
    let removed: Vec<serde_json::Value> = rest::rows(query).await?;
    if removed.is_empty() {
        return Err(ServiceError::Refused(
            "This post is scheduled or publishing, so it can't be removed: cancel it first.".to_owned(),
        ));
    }
    app.publish.remove_post(&id);
    Ok(())
}

/// Reads one post with its source.
async fn read_one(app: Services, id: &str) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let rows = rest::rows(rest::table("posts", &token).select(WITH_SOURCE).eq("id", id)).await?;
    keep(app, rows);
    Ok(())
}

fn keyset_of(post: &Post) -> Keyset {
    Keyset { created_at: post.created_at.clone(), id: post.id.clone() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_past_the_cursor_are_older_or_tied_with_a_smaller_id() {
        let cursor = Keyset { created_at: "2026-12-03T10:00:00.5+00:00".into(), id: "m".into() };
        assert!(is_past("2026-12-03T10:00:00.4+00:00", "z", &cursor));
        assert!(is_past("2026-12-03T10:00:00.500+00:00", "a", &cursor));
        assert!(!is_past("2026-12-03T10:00:00.5+00:00", "m", &cursor), "the cursor's own row is read");
        assert!(!is_past("2026-12-03T10:00:00.5+00:00", "n", &cursor));
        // Compared as instants: 11:00:00.5+01:00 is the cursor's instant.
        assert!(!is_past("2026-12-03T11:00:00.5+01:00", "z", &cursor));
        assert!(is_past("2026-12-03T11:00:00.5+01:00", "a", &cursor));
        assert!(!is_past("2026-12-03T10:00:01Z", "a", &cursor));
    }

    fn post(id: &str, created_at: &str) -> Post {
        serde_json::from_value(serde_json::json!({
            "id": id, "user_id": "u", "generation_id": "g", "account_id": "a", "status": "published",
            "created_at": created_at, "updated_at": created_at,
        }))
        .unwrap()
    }

    #[test]
    fn the_page_shows_only_posts_the_pages_read_reach() {
        let pages = PostPages::new();
        let (new, old) = (post("n", "2026-12-03T12:00:00Z"), post("o", "2026-12-01T12:00:00Z"));
        assert!(!pages.covers(&new), "nothing before the first page");
        pages.loaded.set(true);
        pages.more.set(true);
        pages.cursor.set(Some(Keyset { created_at: "2026-12-02T12:00:00+00:00".into(), id: "c".into() }));
        assert!(pages.covers(&new));
        assert!(!pages.covers(&old), "a post of a page not read stays hidden");
        pages.more.set(false);
        assert!(pages.covers(&old), "once the last page is in, every post shows");
    }
}
