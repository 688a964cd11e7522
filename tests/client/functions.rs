//! Edge Functions through `atelier::supabase::functions::invoke`: the answers and the errors
//! a caller gets (the function's `{error}`, the gateway's `{msg}`).

use atelier::domain::{AuthSession, Generation, GenerationStatus};
use atelier::supabase::{functions, rest, ApiError};
use serde::Deserialize;
use serde_json::{json, Value};
use wasm_bindgen_test::{console_log, wasm_bindgen_test};

use crate::common;

#[derive(Debug, Deserialize)]
struct MediaResponse {
    generations: Vec<Generation>,
}

fn function_error(e: &ApiError) -> (u16, &str) {
    match e {
        ApiError::Function { status, message } => (*status, message.as_str()),
        other => panic!("expected ApiError::Function, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn generate_media_refuses_a_foreign_or_unknown_id_with_404_naming_it() {
    let (owner, other) = (common::sign_up().await, common::sign_up().await);
    let row = common::queued_generation(&owner).await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    for id in [row.id.as_str(), unknown] {
        let e = functions::invoke::<_, Value>("generate-media", &json!({"generation_ids": [id]}), &other.access_token)
            .await
            .expect_err("not the caller's generation");
        let (status, message) = function_error(&e);
        assert_eq!(status, 404, "{message}");
        assert!(message.contains(id), "the message names {id}: {message}");
        assert_eq!(e.user_message(), message);
    }
    // The foreign row was not touched.
    assert_eq!(common::fetch(&owner, &row.id).await.status, GenerationStatus::Queued);
}

#[wasm_bindgen_test]
async fn a_function_that_does_not_exist_is_a_404_from_the_gateway() {
    let user = common::sign_up().await;
    let e = functions::invoke::<_, Value>("no-such-function", &json!({}), &user.access_token)
        .await
        .expect_err("there is no such function");
    let (status, message) = function_error(&e);
    console_log!("functions: unknown function -> {status} {message:?}");
    assert_eq!(status, 404);
    assert_eq!(message, "Function not found");
    assert!(!matches!(e, ApiError::FunctionUnreachable(_)), "the gateway answered");
}

#[wasm_bindgen_test]
async fn generate_media_on_the_users_own_queued_row_answers_with_the_row() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let started = common::now_ms();
    let answer: MediaResponse =
        functions::invoke("generate-media", &json!({"generation_ids": [row.id]}), &user.access_token)
            .await
            .expect("the owner may generate");
    let took = common::now_ms() - started;
    assert_eq!(answer.generations.len(), 1, "{answer:?}");
    let got = &answer.generations[0];
    console_log!("functions: generate-media answered {:?} in {took:.0} ms", got.status);
    assert_eq!((got.id.as_str(), got.session_id.as_str()), (row.id.as_str(), row.session_id.as_str()));
    assert!(
        matches!(got.status, GenerationStatus::Processing | GenerationStatus::Completed),
        "claimed or done: {:?} ({:?})",
        got.status,
        got.error
    );
    assert!(got.attempts >= 1, "the claim counted an attempt");
    // The stack has no provider keys: the demo renderer draws every image, so the row ends
    // completed with its media (a failed row is a failure here, not just "finished").
    let held = settled(&user, &row.id).await;
    assert_eq!(held.status, GenerationStatus::Completed, "the row failed: {:?}", held.error);
    assert!(held.media_url.is_some() && held.width.is_some() && held.height.is_some(), "{held:?}");
    assert_eq!(held.error, None);
    if got.status == GenerationStatus::Completed {
        let media = |g: &Generation| (g.media_url.clone(), g.width, g.height, g.completed_at.clone());
        assert_eq!(media(&held), media(got), "an answer that said completed is what the database holds");
    }
}

/// Reads generation `id` as `user` until it is completed or failed (the work may go on after
/// the answer, in the background).
async fn settled(user: &AuthSession, id: &str) -> Generation {
    let deadline = common::now_ms() + 60_000.0;
    loop {
        let query = rest::table("generations", &user.access_token).select("*").eq("id", id);
        let row = rest::rows::<Generation>(query).await.expect("the owner reads the row").remove(0);
        if row.is_terminal() {
            return row;
        }
        assert!(common::now_ms() < deadline, "the row never finished: {row:?}");
        common::sleep_ms(250).await;
    }
}

#[wasm_bindgen_test]
async fn generate_caption_with_an_unknown_tone_is_a_400_with_the_functions_message() {
    let user = common::sign_up().await;
    let row = common::queued_generation(&user).await;
    let body = json!({"generation_id": row.id, "tone": "grumpy"});
    let e = functions::invoke::<_, Value>("generate-caption", &body, &user.access_token).await.expect_err("bad tone");
    let (status, message) = function_error(&e);
    assert_eq!(status, 400);
    assert_eq!(message, "Unknown tone \"grumpy\": use playful, professional, inspiring, minimal.");
    assert_eq!(e.user_message(), message);

    // The same call with a known tone works.
    let ok: Value =
        functions::invoke("generate-caption", &json!({"generation_id": row.id, "tone": "minimal"}), &user.access_token)
            .await
            .expect("a known tone works");
    assert!(ok["caption"].as_str().is_some_and(|c| !c.is_empty()), "{ok}");
}
