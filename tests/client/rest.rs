//! PostgREST through `atelier::supabase::rest` (postgrest-rs): rows decoded into `domain`
//! types, pages with the Content-Range total, and the errors RLS and bad filters produce.

use atelier::domain::platforms::AspectRatio;
use atelier::domain::{AuthSession, Generation, GenerationStatus, MediaKind, Session};
use atelier::supabase::{rest, ApiError};
use serde_json::json;
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common;

async fn create_session(user: &AuthSession, title: &str) -> Session {
    let query = rest::table("sessions", &user.access_token).insert(json!({ "title": title }).to_string()).select("*");
    let mut rows: Vec<Session> = rest::rows(query).await.expect("the owner creates a session");
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

async fn create_generation(user: &AuthSession, session_id: &str, prompt: &str) -> Result<Generation, ApiError> {
    let body = json!({
        "session_id": session_id, "kind": "image", "prompt": prompt,
        "params": {"aspect_ratio": "1:1", "count": 1, "style": "film"}
    });
    let rows: Vec<Generation> =
        rest::rows(rest::table("generations", &user.access_token).insert(body.to_string()).select("*")).await?;
    Ok(rows.into_iter().next().expect("the new row is returned"))
}

async fn read_generation(user: &AuthSession, id: &str) -> Option<Generation> {
    let query = rest::table("generations", &user.access_token).select("*").eq("id", id);
    rest::rows::<Generation>(query).await.expect("a read works").into_iter().next()
}

fn rest_code(e: &ApiError) -> (u16, Option<&str>) {
    match e {
        ApiError::Rest { status, code, .. } => (*status, code.as_deref()),
        other => panic!("expected ApiError::Rest, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_session_is_created_read_renamed_and_deleted_as_its_owner() {
    let user = common::sign_up().await;
    let token = user.access_token.as_str();
    let created = create_session(&user, "Autumn shoot").await;
    assert_eq!((created.title.as_str(), created.user_id.as_str()), ("Autumn shoot", user.user.id.as_str()));

    let read: Vec<Session> =
        rest::rows(rest::table("sessions", token).select("*").eq("id", &created.id)).await.unwrap();
    assert_eq!(read, vec![created.clone()]);

    let renamed: Vec<Session> = rest::rows(
        rest::table("sessions", token).eq("id", &created.id).update(json!({"title": "Winter shoot"}).to_string()),
    )
    .await
    .unwrap();
    assert_eq!(renamed.len(), 1);
    assert_eq!(renamed[0].title, "Winter shoot");
    assert_eq!(renamed[0].created_at, created.created_at);

    let deleted: Vec<Session> =
        rest::rows(rest::table("sessions", token).eq("id", &created.id).delete()).await.unwrap();
    assert_eq!(deleted.len(), 1);
    let after: Vec<Session> =
        rest::rows(rest::table("sessions", token).select("*").eq("id", &created.id)).await.unwrap();
    assert!(after.is_empty(), "the session is gone: {after:?}");
}

#[wasm_bindgen_test]
async fn a_queued_generation_is_created_read_edited_and_deleted_as_domain_rows() {
    let user = common::sign_up().await;
    let session = create_session(&user, "Generations").await;
    let row = create_generation(&user, &session.id, "a lighthouse at dusk").await.expect("the owner inserts");
    assert_eq!(row.status, GenerationStatus::Queued);
    assert_eq!(row.kind, MediaKind::Image);
    assert_eq!((row.session_id.as_str(), row.user_id.as_str()), (session.id.as_str(), user.user.id.as_str()));
    assert_eq!(row.params.aspect_ratio.map(AspectRatio::as_str), Some("1:1"));
    assert_eq!(row.params.style.as_deref(), Some("film"));
    assert!(row.media_url.is_none() && row.completed_at.is_none() && row.version().is_some());
    assert_eq!(read_generation(&user, &row.id).await.as_ref(), Some(&row));

    let token = user.access_token.as_str();
    let edited: Vec<Generation> = rest::rows(
        rest::table("generations", token)
            .eq("id", &row.id)
            .update(json!({"prompt": "a lighthouse at dawn"}).to_string()),
    )
    .await
    .expect("a queued row's prompt can be edited");
    assert_eq!(edited.len(), 1);
    assert_eq!(edited[0].prompt, "a lighthouse at dawn");
    // The touch trigger: an edit, in a later transaction than the insert, moves updated_at
    // strictly forward (the merge keeps the newer row by it) and leaves created_at alone.
    let (inserted_at, edited_at) = (row.version().unwrap(), edited[0].version().expect("an updated_at"));
    assert!(
        edited_at > inserted_at,
        "updated_at moves forward on an edit: {} -> {}",
        row.updated_at,
        edited[0].updated_at
    );
    assert_eq!(edited[0].created_at, row.created_at);
    assert_eq!(read_generation(&user, &row.id).await.as_ref(), Some(&edited[0]), "the edit is what is stored");
    // A client cannot write a status (column grants).
    let status = rest::rows::<Generation>(
        rest::table("generations", token).eq("id", &row.id).update(json!({"status": "completed"}).to_string()),
    )
    .await
    .expect_err("the status is not the client's to write");
    assert_eq!(rest_code(&status), (403, Some("42501")));

    rest::execute(rest::table("generations", token).eq("id", &row.id).delete()).await.expect("the owner deletes");
    assert_eq!(read_generation(&user, &row.id).await, None);
}

#[wasm_bindgen_test]
async fn a_page_of_generations_has_the_total_and_the_right_slice_newest_first() {
    let user = common::sign_up().await;
    let session = create_session(&user, "Paging").await;
    let mut prompts = vec![];
    for i in 0..6 {
        // One request each, so every row has its own created_at.
        let prompt = format!("prompt {i}");
        create_generation(&user, &session.id, &prompt).await.unwrap();
        prompts.push(prompt);
    }
    let newest_first: Vec<&str> = prompts.iter().rev().map(String::as_str).collect();
    let query = || {
        rest::table("generations", &user.access_token)
            .select("*")
            .eq("session_id", &session.id)
            .order("created_at.desc")
    };
    let started = common::now_ms();
    let page = rest::page::<Generation>(query(), 0, 1).await.expect("a first page");
    console_log!("rest: a 2-row page of 6 with exact count in {:.0} ms", common::now_ms() - started);
    assert_eq!(page.total, Some(6), "the total comes from Content-Range (exposed to the browser)");
    assert_eq!(page.rows.iter().map(|g| g.prompt.as_str()).collect::<Vec<_>>(), newest_first[0..2]);

    let middle = rest::page::<Generation>(query(), 2, 4).await.unwrap();
    assert_eq!(middle.total, Some(6));
    assert_eq!(middle.rows.iter().map(|g| g.prompt.as_str()).collect::<Vec<_>>(), newest_first[2..5]);

    let last = rest::page::<Generation>(query(), 4, 9).await.unwrap();
    assert_eq!(last.total, Some(6));
    assert_eq!(last.rows.iter().map(|g| g.prompt.as_str()).collect::<Vec<_>>(), newest_first[4..6]);
    assert!(last.rows.iter().all(|g| g.session_id == session.id && g.status == GenerationStatus::Queued));
}

#[wasm_bindgen_test]
async fn another_user_cannot_write_into_or_change_the_owners_rows() {
    let (owner, other) = (common::sign_up().await, common::sign_up().await);
    let session = create_session(&owner, "Mine").await;
    let row = create_generation(&owner, &session.id, "the owner's prompt").await.unwrap();

    // An insert into someone else's session is refused by RLS.
    let refused = create_generation(&other, &session.id, "an intruder's prompt").await.expect_err("refused");
    assert_eq!(rest_code(&refused), (403, Some("42501")));
    assert_eq!(refused.user_message(), "You are not allowed to do that.");

    // Updates and deletes of the owner's rows match nothing for the other user.
    let t = other.access_token.as_str();
    let hijack = json!({"prompt": "hijacked"}).to_string();
    let edited: Vec<Generation> =
        rest::rows(rest::table("generations", t).eq("id", &row.id).update(hijack)).await.expect("no error, no rows");
    assert!(edited.is_empty(), "0 rows updated: {edited:?}");
    let renamed: Vec<Session> =
        rest::rows(rest::table("sessions", t).eq("id", &session.id).update(json!({"title": "hijacked"}).to_string()))
            .await
            .unwrap();
    assert!(renamed.is_empty(), "0 sessions renamed: {renamed:?}");
    let deleted: Vec<Generation> = rest::rows(rest::table("generations", t).eq("id", &row.id).delete()).await.unwrap();
    assert!(deleted.is_empty(), "0 rows deleted: {deleted:?}");
    let deleted_sessions: Vec<Session> =
        rest::rows(rest::table("sessions", t).eq("id", &session.id).delete()).await.unwrap();
    assert!(deleted_sessions.is_empty());
    assert_eq!(read_generation(&other, &row.id).await, None, "the other user cannot even see it");

    // As the owner: nothing changed.
    assert_eq!(read_generation(&owner, &row.id).await, Some(row));
    let mine: Vec<Session> =
        rest::rows(rest::table("sessions", &owner.access_token).select("*").eq("id", &session.id)).await.unwrap();
    assert_eq!(mine, vec![session]);
}

#[wasm_bindgen_test]
async fn a_malformed_filter_value_is_a_22p02_rest_error() {
    let user = common::sign_up().await;
    let query = rest::table("generations", &user.access_token).select("*").eq("id", "not-a-uuid");
    let e = rest::rows::<Generation>(query).await.expect_err("not a uuid");
    assert_eq!(rest_code(&e), (400, Some("22P02")));
    assert!(e.user_message().contains("not-a-uuid"), "the message names the value: {:?}", e.user_message());
    // And a garbage token is a 401 the user reads as an expired session.
    let e = rest::rows::<Session>(rest::table("sessions", "garbage").select("*")).await.expect_err("bad token");
    assert_eq!(rest_code(&e).0, 401);
    assert_eq!(e.user_message(), "Your session has expired. Sign in again.");
    assert!(e.is_rejection());
}
