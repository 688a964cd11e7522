//! Bindings, join payloads and change routing, read as the server sends them.

use super::*;

fn bindings() -> Vec<Binding> {
    vec![
        Binding { event: ChangeEvent::Update, table: "generations".into(), filter: Some("session_id=eq.s1".into()) },
        Binding { event: ChangeEvent::Insert, table: "generations".into(), filter: Some("session_id=eq.s1".into()) },
        Binding { event: ChangeEvent::Delete, table: "generations".into(), filter: None },
    ]
}

#[test]
fn join_payload_lists_bindings_and_token() {
    let p = join_payload(&bindings(), "jwt");
    assert_eq!(p["access_token"], "jwt");
    assert_eq!(
        p["config"]["postgres_changes"][0],
        json!({"event":"UPDATE","schema":"public","table":"generations","filter":"session_id=eq.s1"})
    );
    assert_eq!(p["config"]["postgres_changes"][2], json!({"event":"DELETE","schema":"public","table":"generations"}));
    assert_eq!(p["config"]["private"], false);
}

#[test]
fn ids_come_from_the_reply_in_binding_order() {
    let b = bindings();
    let mut echo: Vec<Value> = b.iter().map(Binding::to_json).collect();
    for (i, e) in echo.iter_mut().enumerate() {
        e["id"] = json!(100 + i);
    }
    assert_eq!(binding_ids(&b, &json!({ "postgres_changes": echo })), Ok(vec![100, 101, 102]));
    assert_eq!(binding_ids(&[], &json!({"postgres_changes": []})), Ok(vec![]));
    let mut swapped = echo.clone();
    swapped.swap(0, 1);
    assert!(binding_ids(&b, &json!({ "postgres_changes": swapped })).is_err());
    assert!(binding_ids(&b, &json!({ "postgres_changes": &echo[..2] })).is_err());
    let mut no_id = echo;
    no_id[2].as_object_mut().unwrap().remove("id");
    assert!(binding_ids(&b, &json!({ "postgres_changes": no_id })).is_err());
}

#[test]
fn events_route_by_id_and_kind() {
    let (b, bound) = (bindings(), [100, 101, 102]);
    assert!(routes_to(&b, &bound, &[100], ChangeKind::Update));
    assert!(!routes_to(&b, &bound, &[100], ChangeKind::Insert), "the UPDATE binding does not take inserts");
    assert!(routes_to(&b, &bound, &[100, 101], ChangeKind::Insert));
    assert!(routes_to(&b, &bound, &[102], ChangeKind::Delete));
    assert!(!routes_to(&b, &bound, &[999], ChangeKind::Update), "another channel's ids");
    assert!(!routes_to(&b, &bound, &[], ChangeKind::Delete));
    let all = [Binding { event: ChangeEvent::All, table: "posts".into(), filter: None }];
    assert!(routes_to(&all, &[7], &[7], ChangeKind::Delete) && routes_to(&all, &[7], &[7], ChangeKind::Insert));
}

#[test]
fn a_payload_becomes_a_typed_change() {
    let payload = json!({"ids": [100], "data": {
        "schema": "public", "table": "generations", "type": "UPDATE",
        "commit_timestamp": "2026-12-01T21:30:00.123Z",
        "columns": [{"name": "id", "type": "uuid"}, {"name": "status", "type": "generation_status"}],
        "record": {"id": "g1", "status": "renamed"}, "old_record": {"id": "g1"}, "errors": null}});
    let (ids, change) = Change::from_payload(&payload).unwrap();
    assert_eq!(ids, [100]);
    assert_eq!((change.table.as_str(), change.kind), ("generations", ChangeKind::Update));
    assert_eq!(change.commit_timestamp.as_deref(), Some("2026-12-01T21:30:00.123Z"));
    assert!(change.errors.is_empty());
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Row {
        id: String,
        status: String,
    }
    assert_eq!(change.decode_record::<Row>(), Ok(Row { id: "g1".into(), status: "renamed".into() }));
    assert_eq!(change.old_id().as_deref(), Some("g1"));
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Wrong {
        width: u32,
    }
    assert!(matches!(change.decode_record::<Wrong>(), Err(ApiError::Decode(_))));
}

#[test]
fn a_delete_carries_only_the_key() {
    let payload = json!({"ids": [102], "data": {"table": "generations", "type": "DELETE",
        "record": {}, "old_record": {"id": 42}, "errors": ["Error 413: Payload Too Large"]}});
    let (_, change) = Change::from_payload(&payload).unwrap();
    assert_eq!(change.kind, ChangeKind::Delete);
    assert_eq!((&change.record, change.old_id()), (&json!({}), Some("42".to_owned())));
    assert_eq!(change.commit_timestamp, None);
    assert_eq!(change.errors, ["Error 413: Payload Too Large"]);
    assert!(Change::from_payload(&json!({"ids": [1], "data": {"table": "t", "type": "TRUNCATE"}})).is_none());
    assert!(Change::from_payload(&json!({"data": {"table": "t", "type": "INSERT"}})).is_none());
}
