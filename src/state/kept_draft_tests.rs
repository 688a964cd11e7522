use super::*;

fn draft(caption: &str) -> KeptDraft {
    KeptDraft {
        content: DraftContent {
            caption: caption.to_owned(),
            hashtags: HashtagSet::from_raw(["#otters"]).unwrap(),
            account_ids: vec!["a1".to_owned()],
            schedule_local: Some(LocalDateTime::new(2031, 5, 5, 10, 0).unwrap()),
            schedule_zone: None,
        },
        request_key: "k1".to_owned(),
        sent: None,
    }
}

#[test]
fn a_kept_draft_reads_back_as_it_was_written() {
    let mut kept = draft("Holding on.");
    kept.key_for_send(|| "k2".to_owned());
    assert_eq!(KeptDraft::parse(&kept.to_json()), Some(kept));
}

#[test]
fn an_unreadable_draft_is_dropped() {
    assert_eq!(KeptDraft::parse("{\"caption\":1}"), None);
    assert_eq!(KeptDraft::parse("not json"), None);
}

#[test]
fn drafts_are_kept_per_user_and_generation() {
    assert_ne!(storage_key("u1", "g1"), storage_key("u2", "g1"));
    assert_ne!(storage_key("u1", "g1"), storage_key("u1", "g2"));
    assert!(storage_key("u1", "g1").starts_with(PREFIX));
}

#[test]
fn a_retry_of_the_same_content_reuses_its_key() {
    let mut kept = draft("Dusk patrol.");
    assert_eq!(kept.key_for_send(|| "k2".to_owned()), "k1");
    kept.answered("k1");
    assert_eq!(kept.key_for_send(|| "k2".to_owned()), "k1");
}

#[test]
fn an_edited_draft_is_sent_under_a_new_key() {
    let mut kept = draft("Where did it go?");
    assert_eq!(kept.key_for_send(|| "k2".to_owned()), "k1");
    kept.answered("k1");
    kept.content.caption = "Peekaboo.".to_owned();
    assert_eq!(kept.key_for_send(|| "k2".to_owned()), "k2");
    kept.content.account_ids.push("a2".to_owned());
    assert_eq!(kept.key_for_send(|| "k3".to_owned()), "k3");
    // The same time read on each account's clock is other instants: a new post.
    kept.content.schedule_zone = Some(crate::domain::schedule_zones::ZoneChoice::EachAccount);
    assert_eq!(kept.key_for_send(|| "k4".to_owned()), "k4");
}

#[test]
fn a_lost_answer_is_read_before_an_edited_draft_goes_out() {
    let mut kept = draft("First try.");
    kept.key_for_send(|| "unused".to_owned());
    // Same content: the retry reuses the key, and the database's key check covers it.
    assert_eq!(kept.lost_key(), None);
    kept.content.caption = "Second try.".to_owned();
    assert_eq!(kept.lost_key(), Some("k1"));
    kept.answered("k1");
    assert_eq!(kept.lost_key(), None);
}
