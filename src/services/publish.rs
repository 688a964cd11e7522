//! Publishing: opening a fresh draft for a generation, captions from `generate-caption`,
//! and `publish_generation` — optimistic and reversible. The posts show at once; they roll
//! back with the database's precise error on failure; the message is built from the statuses
//! the database returned. One request key per draft, reused by every retry of it, so a lost
//! answer or a double click never posts twice.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::Deserialize;
use serde_json::json;

use crate::domain::caption_tone::CaptionTone;
use crate::domain::hashtags::{lenient_hashtags, HashtagSet};
use crate::domain::platforms::usable_accounts;
use crate::domain::publishing::{outcome_message, pending_post_id};
use crate::domain::schedule::{to_rfc3339, LocalDateTime, ScheduleError};
use crate::domain::schedule_time::ScheduleTime;
use crate::domain::schedule_zones::{each_account_label, schedule_each, ScheduleTimes, ZonePlan};
use crate::domain::{AccountStatus, Generation, MediaKind, Platform, Post, PostStatus};
use crate::services::time_zone::{now_ms, BrowserZone};
use crate::services::{post_drafts, random_uuid, ServiceError, Services};
use crate::state::publish::{PostDraft, ReadOutcome, Selection, MAX_ACCOUNTS};
use crate::state::PlatformsState;
use crate::supabase::{functions, rest, ApiError, PgCode};

/// What `generate-caption` answers that the app uses (its `keywords` are not shown: the
/// hashtags step reminds YouTube and Pinterest posters to keep searched words in the
/// caption's first line instead).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CaptionSuggestion {
    pub caption: String,
    #[serde(default, deserialize_with = "lenient_hashtags")]
    pub hashtags: HashtagSet,
}

/// How many times a read of the accounts is repeated when the list changed here while it was
/// on its way (each repeat starts after that change, so one is almost always enough).
const ACCOUNTS_READS: usize = 3;

/// Loads the user's connected accounts, oldest first (at most [`MAX_ACCOUNTS`]). A read that
/// answers after a newer one started is dropped; one that answers after an account was added,
/// changed or removed here is read again, so a late answer never undoes that change.
pub async fn load_accounts(app: Services) -> Result<(), ServiceError> {
    for _ in 0..ACCOUNTS_READS {
        let read = app.publish.start_accounts_read();
        let token = app.token().await?;
        let query = rest::table("connected_accounts", &token).select("*").order("created_at.asc").limit(MAX_ACCOUNTS);
        let rows = rest::rows(query).await?;
        if app.publish.finish_accounts_read(read, rows) != ReadOutcome::ChangedMeanwhile {
            return Ok(());
        }
    }
    Ok(())
}

/// Reads the accounts again in the background (the panel opening): one added elsewhere since
/// the page loaded is offered too. A failure is toasted; the list held is kept.
pub fn reload_accounts(app: Services) {
    spawn_local(async move {
        if let Err(e) = load_accounts(app).await {
            app.ui.push_error(format!("Could not load your accounts: {}", e.user_message()));
        }
    });
}

/// Opens the post dialog for a completed generation at step 1: the creator's kept draft of
/// it when there is one, otherwise a new draft whose "Made for" accounts [`preselect`] ticks
/// as soon as the accounts and platform rules are known. The list is read again meanwhile.
pub fn open(app: Services, platforms: PlatformsState, generation: &Generation) {
    app.publish.open(fresh_draft(app, generation.id.clone(), generation.kind, generation.params.targets.clone()));
    preselect(app, platforms);
    reload_accounts(app);
}

/// A draft of the generation: kept content if any, else empty and awaiting the preselection.
fn fresh_draft(app: Services, generation_id: String, kind: MediaKind, made_for: Vec<Platform>) -> PostDraft {
    let mut draft = PostDraft {
        generation_id,
        kind,
        caption: String::new(),
        hashtags: HashtagSet::new(),
        account_ids: Vec::new(),
        made_for,
        selection: Selection::AwaitingAccounts,
        schedule_local: None,
        schedule_zone: None,
        request_key: random_uuid(),
        sent: None,
    };
    post_drafts::restore(app, &mut draft);
    draft
}

/// "Discard draft": forgets the kept draft and starts the open one again, empty, at step 1.
pub fn discard_draft(app: Services, platforms: PlatformsState) {
    let Some((id, kind, made_for)) =
        app.publish.draft.with_untracked(|d| d.as_ref().map(|d| (d.generation_id.clone(), d.kind, d.made_for.clone())))
    else {
        return;
    };
    post_drafts::forget(app, &id);
    app.publish.open(fresh_draft(app, id, kind, made_for));
    preselect(app, platforms);
}

/// Ticks the open draft's usable accounts on the platforms it was made for, once: only when
/// the accounts and the platform rules have both arrived, and never after the creator chose.
pub fn preselect(app: Services, platforms: PlatformsState) {
    let publish = app.publish;
    let ready = publish.accounts_loaded.get_untracked() && platforms.limits.with_untracked(|l| !l.is_empty());
    let Some((kind, made_for)) = publish.draft.with_untracked(|d| {
        d.as_ref().filter(|d| d.selection == Selection::AwaitingAccounts).map(|d| (d.kind, d.made_for.clone()))
    }) else {
        return;
    };
    if !ready {
        return;
    }
    let usable = publish
        .accounts
        .with_untracked(|accounts| platforms.limits.with_untracked(|limits| usable_accounts(accounts, limits, kind)));
    publish.preselect(usable.into_iter().filter(|a| made_for.contains(&a.platform)).map(|a| a.id).collect());
}

/// Writes a caption (and suggested hashtags) for the generation through `generate-caption`.
pub async fn suggest_caption(
    app: Services,
    generation_id: String,
    tone: CaptionTone,
    platforms: Vec<Platform>,
) -> Result<CaptionSuggestion, ServiceError> {
    let token = app.token().await?;
    let body = json!({ "generation_id": generation_id, "tone": tone, "platforms": platforms });
    Ok(functions::invoke("generate-caption", &body, &token).await?)
}

/// Where a scheduled draft lands: when each post goes out, and how the creator reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduledFor {
    pub times: ScheduleTimes,
    pub label: String,
}

/// Resolves the draft's schedule by `plan` for the chosen `accounts` (id, zone): in the one zone
/// the plan reads it in, or on each account's clock — refusing a time that does not exist in a
/// zone, or one less than a minute or more than a year ahead, before anything is sent.
pub fn resolve_schedule(
    local: LocalDateTime,
    plan: &ZonePlan,
    accounts: &[(String, String)],
) -> Result<ScheduledFor, ServiceError> {
    let refuse = |e: ScheduleError| ServiceError::Refused(e.to_string());
    let Some(zone) = plan.reading_zone() else {
        let zones = accounts.iter().map(|(_, zone)| BrowserZone::new(zone)).collect::<Result<Vec<_>, _>>();
        let zones = zones.map_err(refuse)?;
        let targets: Vec<(String, &str, &BrowserZone)> =
            accounts.iter().zip(&zones).map(|((id, _), zone)| (id.clone(), zone.name(), zone)).collect();
        let each = schedule_each(local, &targets, now_ms()).map_err(refuse)?;
        let times = each.into_iter().map(|(id, resolved)| (id, resolved.utc_epoch_ms)).collect();
        return Ok(ScheduledFor { times: ScheduleTimes::PerAccount(times), label: each_account_label(&local) });
    };
    let browser_zone = BrowserZone::new(zone).map_err(refuse)?;
    let time = ScheduleTime::resolve(local, browser_zone.name(), &browser_zone, now_ms()).map_err(refuse)?;
    Ok(ScheduledFor { times: ScheduleTimes::One(time.at()), label: time.label() })
}

/// `publish_generation`'s time arguments: one time for all (`p_scheduled_at`), or an object of
/// account id → time (`p_scheduled_at_by_account`); neither to publish now.
fn time_args(schedule: Option<&ScheduledFor>) -> (Option<String>, Option<serde_json::Map<String, serde_json::Value>>) {
    match schedule.map(|s| &s.times) {
        None => (None, None),
        Some(ScheduleTimes::One(at)) => (Some(to_rfc3339(*at)), None),
        Some(ScheduleTimes::PerAccount(times)) => {
            (None, Some(times.iter().map(|(id, at)| (id.clone(), json!(to_rfc3339(*at)))).collect()))
        }
    }
}

/// Publishes (or schedules, when `schedule` is set) the draft. Returns the message built from
/// what the database returned. A second call with the same draft while the first is in
/// flight is refused; a retry of the same content reuses its request key, an edited draft
/// gets a new one — after reading what an earlier send whose answer was lost wrote, so that
/// one is shown rather than posted twice.
pub async fn publish(
    app: Services,
    mut draft: PostDraft,
    schedule: Option<ScheduledFor>,
) -> Result<String, ServiceError> {
    if draft.account_ids.is_empty() {
        let text = if app.publish.accounts.with_untracked(Vec::is_empty) {
            "Add an account to publish to: \"Add an account\" adds one here."
        } else {
            "Choose at least one account to post to."
        };
        return Err(ServiceError::Refused(text.to_owned()));
    }
    let user_id = app.user_id()?;
    let mut kept = draft.kept();
    if let Some(lost) = kept.lost_key().map(str::to_owned) {
        let written = post_drafts::posts_of_send(app, &lost).await.map_err(|_| {
            ServiceError::Refused(
                "The last try may have gone out: Atelier could not check. Check your connection, then try again."
                    .to_owned(),
            )
        })?;
        if !written.is_empty() {
            let message = format!("Already sent earlier: {}", outcome_message(&written, None));
            app.publish.apply_posts(written);
            post_drafts::forget(app, &draft.generation_id);
            return Ok(message);
        }
        kept.answered(&lost);
    }
    kept.key_for_send(random_uuid);
    draft.take_send_state(&kept);
    let optimistic = optimistic_posts(app, &draft, &user_id, schedule.as_ref());
    if !app.publish.begin(&draft.request_key, optimistic) {
        return Err(ServiceError::Refused("This post is already on its way.".to_owned()));
    }
    post_drafts::record_send(app, &draft.generation_id, &kept);
    let result = async {
        let token = app.token().await?;
        let (scheduled_at, by_account) = time_args(schedule.as_ref());
        let mut args = json!({
            "p_generation_id": draft.generation_id,
            "p_account_ids": draft.account_ids,
            "p_caption": draft.caption,
            "p_hashtags": draft.hashtags,
            "p_scheduled_at": scheduled_at,
            "p_request_key": draft.request_key,
        });
        // Only when there is one: a call without it reads as it always has.
        if let Some(by_account) = by_account {
            args["p_scheduled_at_by_account"] = serde_json::Value::Object(by_account);
        }
        rest::rows::<Post>(rest::rpc("publish_generation", &args, &token)).await
    }
    .await;
    app.publish.end(&draft.request_key);
    match result {
        Ok(posts) => {
            let message = outcome_message(&posts, schedule.as_ref().map(|s| s.label.as_str()));
            app.publish.apply_posts(posts);
            post_drafts::forget(app, &draft.generation_id);
            Ok(message)
        }
        Err(e) => {
            // An answer came (a refusal): nothing was written under this key. Without one
            // (the connection dropped) the send stays pending, to be read before a new key.
            if e.status().is_some() {
                kept.answered(&draft.request_key);
                post_drafts::record_send(app, &draft.generation_id, &kept);
            }
            Err(publish_error(e))
        }
    }
}

/// The posts shown while the database answers, as the database will most likely write them.
fn optimistic_posts(app: Services, draft: &PostDraft, user_id: &str, schedule: Option<&ScheduledFor>) -> Vec<Post> {
    let now = to_rfc3339(now_ms());
    draft
        .account_ids
        .iter()
        .enumerate()
        .map(|(i, account_id)| {
            let status = match (schedule, app.publish.account(account_id).map(|a| a.status)) {
                (Some(_), _) => PostStatus::Scheduled,
                (None, Some(AccountStatus::Mock)) => PostStatus::Published,
                (None, _) => PostStatus::Publishing,
            };
            Post {
                id: pending_post_id(&draft.request_key, i),
                user_id: user_id.to_owned(),
                generation_id: draft.generation_id.clone(),
                account_id: account_id.clone(),
                caption: draft.caption.clone(),
                hashtags: draft.hashtags.to_strings(),
                status,
                scheduled_at: schedule.and_then(|s| s.times.at_for(account_id)).map(to_rfc3339),
                published_at: None,
                error: None,
                remote_id: None,
                remote_url: None,
                next_attempt_at: None,
                attempts: 0,
                created_at: now.clone(),
                updated_at: now.clone(),
            }
        })
        .collect()
}

/// The database's refusal in words a creator can act on: `publish_generation`'s own messages
/// (written for people, most with a hint saying what to do); anything else (a server fault,
/// an unexpected code) in Atelier's words, never the server's text.
pub fn publish_error(e: ApiError) -> ServiceError {
    refusal_in_words(
        e,
        "This image or one of these accounts is no longer yours to post. Reload the page and try again.",
        "Atelier could not take this post just now. Nothing was posted: try again in a moment.",
    )
}

/// A posts RPC's refusal (`publish_generation`, `edit_scheduled_post`, …) as the creator reads
/// it: the database's own 22023 messages, which are written for people; `not_yours` for a
/// permission refusal (42501); `fault` for a server fault or an answer that could not be read.
/// An expired session (401) and network failures keep their own kind.
pub fn refusal_in_words(e: ApiError, not_yours: &str, fault: &str) -> ServiceError {
    match &e {
        ApiError::Rest { status, .. } if *status < 500 && e.is_pg(PgCode::InvalidParameter) => {
            ServiceError::Refused(e.message_with_hint())
        }
        ApiError::Rest { status: 401, .. } => e.into(),
        ApiError::Rest { .. } if e.is_pg(PgCode::InsufficientPrivilege) => ServiceError::Refused(not_yours.to_owned()),
        ApiError::Rest { .. } | ApiError::Decode(_) => ServiceError::Refused(fault.to_owned()),
        _ => e.into(),
    }
}

/// Cancels a scheduled post.
pub async fn cancel_post(app: Services, id: String) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let post: Post =
        rest::object(rest::rpc("cancel_post", &json!({ "p_post_id": id }), &token)).await.map_err(publish_error)?;
    app.publish.apply_posts([post]);
    Ok(())
}

/// Sends a failed post again (its account connected again, or after a platform error): the
/// database puts it back to publishing and the worker takes it.
pub async fn retry_post(app: Services, id: String) -> Result<(), ServiceError> {
    let token = app.token().await?;
    let post: Post =
        rest::object(rest::rpc("retry_post", &json!({ "p_post_id": id }), &token)).await.map_err(publish_error)?;
    app.publish.apply_posts([post]);
    Ok(())
}
