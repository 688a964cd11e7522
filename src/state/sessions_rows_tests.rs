//! The rules of the current session's rows: a batch is the same as its rows one by one, in
//! any order of arrival; the order is the server's; the newest version wins; a delete stays
//! deleted; rows of another session are ignored.

use super::*;
use crate::domain::merge::{Applied, BatchApplied};
use crate::domain::GenerationStatus;

/// A row of session `session`, created at second `created` and updated at second `updated`.
fn row(id: &str, session: &str, status: GenerationStatus, created: u32, updated: u32) -> Generation {
    let thumbnail = (status == GenerationStatus::Completed).then(|| format!("https://cdn/{id}.png"));
    serde_json::from_value(serde_json::json!({
        "id": id, "session_id": session, "user_id": "u", "kind": "image", "prompt": "p",
        "status": status.as_str(), "thumbnail_url": thumbnail,
        "created_at": format!("2026-12-04T10:00:{created:02}.5+00:00"),
        "updated_at": format!("2026-12-04T11:00:{updated:02}+00:00"),
    }))
    .unwrap()
}

fn state_on(session: &str) -> SessionsState {
    let state = SessionsState::new();
    state.show(CurrentSession::Ready(session.into()));
    state
}

/// Everything a view reads from the state, to compare two states.
fn seen(state: &SessionsState) -> (Vec<String>, Vec<Option<Generation>>, HashMap<String, String>, bool) {
    let order = state.order.get_untracked();
    let rows = order.iter().map(|id| state.row(id).map(|cell| cell.get_untracked())).collect();
    (order, rows, state.thumbnails.get_untracked(), state.in_flight.get_untracked())
}

/// Several versions of several rows, each version distinct, plus one of another session.
fn arrivals() -> Vec<Generation> {
    use GenerationStatus::*;
    vec![
        row("a", "s", Queued, 1, 0),
        row("a", "s", Processing, 1, 2),
        row("a", "s", Completed, 1, 5),
        row("b", "s", Queued, 3, 1),
        row("b", "s", Failed, 3, 4),
        row("c", "s", Queued, 3, 1),
        row("c", "s", Completed, 3, 6),
        row("d", "s", Queued, 2, 3),
        row("e", "s", Processing, 0, 7),
        row("x", "other", Completed, 9, 9),
    ]
}

/// A deterministic shuffle (a linear congruential generator picks each swap).
fn shuffled(mut rows: Vec<Generation>, seed: u64) -> Vec<Generation> {
    let mut state = seed;
    for i in (1..rows.len()).rev() {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        rows.swap(i, (state >> 33) as usize % (i + 1));
    }
    rows
}

#[test]
fn a_batch_is_its_rows_one_by_one_in_any_order() {
    let batched = state_on("s");
    batched.apply_batch(arrivals());
    let expected = seen(&batched);
    assert_eq!(expected.0, ["c", "b", "d", "a", "e"], "newest created first, then the greater id");
    for seed in 0..24 {
        let rows = shuffled(arrivals(), seed);
        let one_by_one = state_on("s");
        for row in rows.clone() {
            one_by_one.apply(row);
        }
        assert_eq!(seen(&one_by_one), expected, "one by one, shuffle {seed}");
        let batch = state_on("s");
        batch.apply_batch(rows.clone());
        assert_eq!(seen(&batch), expected, "one batch, shuffle {seed}");
        // And split in two batches.
        let halves = state_on("s");
        let (first, second) = rows.split_at(seed as usize % rows.len());
        halves.apply_batch(first.to_vec());
        halves.apply_batch(second.to_vec());
        assert_eq!(seen(&halves), expected, "two batches, shuffle {seed}");
    }
}

#[test]
fn the_newest_version_wins_within_a_batch_and_across_batches() {
    use GenerationStatus::*;
    let state = state_on("s");
    let done = state.apply_batch([
        row("a", "s", Completed, 1, 5),
        row("a", "s", Processing, 1, 2),
        row("a", "s", Queued, 1, 0),
    ]);
    assert_eq!(done.changed, ["a"]);
    assert_eq!(state.get_untracked("a").unwrap().status, Completed);
    let cell = state.row("a").unwrap();
    // A late page that still says processing changes nothing: no card update, no reorder.
    let late = state.apply_batch([row("a", "s", Processing, 1, 3)]);
    assert_eq!(late, BatchApplied::default());
    assert_eq!(cell.get_untracked().status, Completed);
    assert_eq!(state.apply(row("a", "s", Failed, 1, 8)), Applied::Updated);
    assert_eq!(cell.get_untracked().status, Failed, "the card's signal carries the newer row");
}

#[test]
fn the_order_is_the_servers_and_changes_only_on_insert_and_delete() {
    use GenerationStatus::*;
    let state = state_on("s");
    state.apply_batch([row("m", "s", Queued, 5, 0), row("z", "s", Queued, 5, 0), row("a", "s", Queued, 7, 0)]);
    assert_eq!(state.order.get_untracked(), ["a", "z", "m"]);
    let done = state.apply_batch([row("m", "s", Completed, 5, 1)]);
    assert!(!done.reordered, "an update keeps every card in its place");
    assert_eq!(state.apply(row("n", "s", Queued, 6, 0)), Applied::Inserted);
    assert_eq!(state.order.get_untracked(), ["a", "n", "z", "m"]);
}

#[test]
fn a_deleted_row_stays_deleted_whatever_arrives_after() {
    use GenerationStatus::*;
    let state = state_on("s");
    state.apply_batch([row("a", "s", Queued, 1, 0), row("b", "s", Processing, 2, 0)]);
    assert!(state.in_flight.get_untracked());
    assert!(state.remove("b"));
    assert!(state.remove("a"));
    assert!(!state.in_flight.get_untracked(), "nothing unfinished is held any more");
    let late = state.apply_batch([row("b", "s", Completed, 2, 9), row("c", "s", Completed, 3, 1)]);
    assert_eq!(late.changed, ["c"]);
    assert_eq!(state.order.get_untracked(), ["c"]);
    assert!(state.row("b").is_none());
    assert!(!state.remove("b"), "not held");
}

#[test]
fn rows_of_another_session_are_ignored() {
    use GenerationStatus::*;
    let state = state_on("s");
    let done = state.apply_batch([row("x", "other", Completed, 1, 0), row("a", "s", Queued, 1, 0)]);
    assert_eq!(done.changed, ["a"]);
    assert_eq!(state.apply(row("y", "other", Queued, 2, 0)), Applied::Ignored);
    assert_eq!(state.order.get_untracked(), ["a"]);
    assert!(state.thumbnails.get_untracked().is_empty(), "another session's output is not this one's thumbnail");
    // With no session shown, nothing is held.
    let none = SessionsState::new();
    assert_eq!(none.apply_batch([row("a", "s", Queued, 1, 0)]), BatchApplied::default());
}

#[test]
fn a_local_failure_goes_when_a_newer_row_arrives_in_a_batch() {
    use GenerationStatus::*;
    let state = state_on("s");
    state.apply_batch([row("a", "s", Queued, 1, 0), row("b", "s", Queued, 2, 0)]);
    state.fail_locally("a", "Could not reach the generator".into());
    state.fail_locally("b", "Could not reach the generator".into());
    // The same version again keeps it; a newer one replaces it.
    state.apply_batch([row("a", "s", Queued, 1, 0), row("b", "s", Processing, 2, 1)]);
    let failures = state.local_failures.get_untracked();
    assert!(failures.contains_key("a"));
    assert!(!failures.contains_key("b"));
}

#[test]
fn the_thumbnail_is_the_newest_finished_output() {
    use GenerationStatus::*;
    let state = state_on("s");
    state.apply_batch([row("new", "s", Completed, 5, 1), row("old", "s", Completed, 1, 1)]);
    assert_eq!(state.thumbnails.get_untracked().get("s").map(String::as_str), Some("https://cdn/new.png"));
    state.apply(row("older", "s", Completed, 0, 2));
    assert_eq!(state.thumbnails.get_untracked().get("s").map(String::as_str), Some("https://cdn/new.png"));
}
