use super::*;

const ID: &str = "6b1c0a52-9f1e-4d3a-8c2b-0e5f6a7b8c9d";

fn generation(user_id: &str, status: &str) -> Generation {
    serde_json::from_value(serde_json::json!({
        "id": ID, "session_id": "s1", "user_id": user_id, "kind": "image", "prompt": "Otters",
        "status": status, "created_at": "2026-12-04T10:00:00Z", "updated_at": "2026-12-04T10:00:00Z",
    }))
    .unwrap()
}

#[test]
fn the_creators_finished_generation_opens_its_draft() {
    assert_eq!(
        PostTarget::of(Some(generation("u1", "completed")), "u1"),
        PostTarget::Ready(Box::new(generation("u1", "completed")))
    );
}

#[test]
fn another_creators_or_a_missing_generation_is_not_found() {
    assert_eq!(PostTarget::of(Some(generation("u2", "completed")), "u1"), PostTarget::NotFound);
    assert_eq!(PostTarget::of(None, "u1"), PostTarget::NotFound);
}

#[test]
fn an_unfinished_generation_has_nothing_to_post() {
    assert_eq!(PostTarget::of(Some(generation("u1", "processing")), "u1"), PostTarget::Unfinished);
    assert_eq!(PostTarget::of(Some(generation("u1", "failed")), "u1"), PostTarget::Unfinished);
}

#[test]
fn only_a_uuid_names_a_generation() {
    assert!(is_generation_id(ID));
    assert!(is_generation_id(&ID.to_uppercase()));
    for bad in [
        "",
        "not-a-uuid",
        "6b1c0a52-9f1e-4d3a-8c2b-0e5f6a7b8c9",
        "6b1c0a52-9f1e-4d3a-8c2b-0e5f6a7b8c9dd",
        "6b1c0a529f1e-4d3a-8c2b-0e5f-6a7b8c9d",
        "6b1c0a52-9f1e-4d3a-8c2b-0e5f6a7b8c9g",
        "6b1c0a52-9f1e-4d3a-8c2b,0e5f6a7b8c9d",
        "6b1c0a52-9f1e-4d3a-8c2b-0e5f6a7b8c9d-0e5f",
    ] {
        assert!(!is_generation_id(bad), "{bad:?}");
    }
}
