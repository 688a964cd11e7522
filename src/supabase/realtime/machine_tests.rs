//! The channel machine against the frames supabase-local and Realtime send.

use super::*;
use crate::supabase::realtime::change::{ChangeEvent, ChangeKind};
use crate::supabase::realtime::phoenix::{decode, Vsn};

fn machine() -> Machine {
    Machine::new(
        "realtime:s1".into(),
        vec![
            Binding {
                event: ChangeEvent::Update,
                table: "generations".into(),
                filter: Some("session_id=eq.s1".into()),
            },
            Binding { event: ChangeEvent::Delete, table: "generations".into(), filter: None },
        ],
    )
}

fn frame(text: &str) -> Frame {
    decode(Vsn::V2, text).unwrap()
}

fn ok_reply(join_ref: &str) -> Frame {
    frame(&format!(
        r#"["{join_ref}","{join_ref}","realtime:s1","phx_reply",{{"status":"ok","response":{{"postgres_changes":[
            {{"event":"UPDATE","schema":"public","table":"generations","filter":"session_id=eq.s1","id":11}},
            {{"event":"DELETE","schema":"public","table":"generations","id":22}}]}}}}]"#
    ))
}

fn subscribed_system(join_ref: &str) -> Frame {
    frame(&format!(
        r#"["{join_ref}",null,"realtime:s1","system",{{"extension":"postgres_changes","status":"ok","message":"Subscribed to PostgreSQL","channel":"s1"}}]"#
    ))
}

fn change(kind: &str, ids: &str) -> Frame {
    frame(&format!(
        r#"[null,null,"realtime:s1","postgres_changes",{{"ids":{ids},"data":{{"schema":"public","table":"generations",
            "type":"{kind}","commit_timestamp":"2026-12-01T21:00:00.000Z","record":{{"id":"g1","status":"renamed"}},
            "old_record":{{"id":"g1"}},"errors":null}}}}]"#
    ))
}

fn joined(m: &mut Machine, join_ref: &str) {
    let (_, status) = m.join(join_ref.into(), "jwt");
    assert_eq!(status, Effect::Status(ChannelStatus::Joining));
    assert_eq!(m.on_frame(&ok_reply(join_ref)), vec![]);
    assert_eq!(m.on_frame(&subscribed_system(join_ref)), vec![Effect::Status(ChannelStatus::Subscribed)]);
}

#[test]
fn subscribed_waits_for_the_reply_and_the_system_message() {
    let mut m = machine();
    let (join, _) = m.join("1".into(), "jwt");
    assert_eq!(
        (join.event.as_str(), join.join_ref.as_deref(), join.payload["access_token"].as_str()),
        ("phx_join", Some("1"), Some("jwt"))
    );
    assert_eq!(m.on_frame(&subscribed_system("1")), vec![], "no reply yet");
    assert_eq!(m.on_frame(&ok_reply("1")), vec![]);
    assert_eq!(m.on_frame(&subscribed_system("1")), vec![Effect::Status(ChannelStatus::Subscribed)]);
}

#[test]
fn a_channel_without_bindings_is_subscribed_on_the_reply() {
    let mut m = Machine::new("realtime:empty".into(), vec![]);
    m.join("1".into(), "jwt");
    let reply = frame(r#"["1","1","realtime:empty","phx_reply",{"status":"ok","response":{"postgres_changes":[]}}]"#);
    assert_eq!(m.on_frame(&reply), vec![Effect::Status(ChannelStatus::Subscribed)]);
}

#[test]
fn changes_reach_the_channel_by_id_and_kind() {
    let mut m = machine();
    joined(&mut m, "1");
    let got = m.on_frame(&change("UPDATE", "[11]"));
    assert!(matches!(&got[..], [Effect::Change(c)] if c.kind == ChangeKind::Update && c.record["status"] == "renamed"));
    assert_eq!(m.on_frame(&change("INSERT", "[11]")), vec![], "no INSERT binding");
    assert_eq!(m.on_frame(&change("UPDATE", "[99]")), vec![], "another channel's binding");
    assert!(
        matches!(&m.on_frame(&change("DELETE", "[22]"))[..], [Effect::Change(c)] if c.old_id().as_deref() == Some("g1"))
    );
}

#[test]
fn a_refused_join_errs_and_rejoins_with_backoff() {
    let mut m = machine();
    let refused = |r: &str| {
        frame(&format!(
            r#"["{r}","{r}","realtime:s1","phx_reply",{{"status":"error","response":{{"reason":"InvalidJWTToken: Token has expired 3 seconds ago"}}}}]"#
        ))
    };
    let mut delays = vec![];
    for r in ["1", "2", "3", "4", "5"] {
        m.join(r.into(), "jwt");
        let effects = m.on_frame(&refused(r));
        assert_eq!(
            effects[0],
            Effect::Status(ChannelStatus::Errored("InvalidJWTToken: Token has expired 3 seconds ago".into()))
        );
        let Effect::Rejoin(d) = effects[1] else { panic!("no rejoin: {effects:?}") };
        delays.push(d.as_secs());
        assert!(m.is_idle());
    }
    assert_eq!(delays, [1, 2, 5, 10, 10]);
    joined(&mut m, "6");
    m.on_frame(&frame(r#"["6",null,"realtime:s1","phx_error",{}]"#));
    m.join("7".into(), "jwt");
    let effects = m.on_frame(&refused("7"));
    assert_eq!(effects[1], Effect::Rejoin(Duration::from_secs(2)), "a success resets the schedule");
}

#[test]
fn mismatched_bindings_are_an_error() {
    let mut m = machine();
    m.join("1".into(), "jwt");
    let reply = frame(r#"["1","1","realtime:s1","phx_reply",{"status":"ok","response":{"postgres_changes":[]}}]"#);
    let effects = m.on_frame(&reply);
    assert!(matches!(&effects[0], Effect::Status(ChannelStatus::Errored(m)) if m.contains("mismatch")));
}

#[test]
fn token_expiry_errs_then_the_close_is_not_reported_twice() {
    let mut m = machine();
    joined(&mut m, "1");
    let system = frame(
        r#"["1",null,"realtime:s1","system",{"extension":"system","status":"error","message":"Token has expired 0 seconds ago","channel":"s1"}]"#,
    );
    let effects = m.on_frame(&system);
    assert_eq!(
        effects,
        vec![
            Effect::Status(ChannelStatus::Errored("Token has expired 0 seconds ago".into())),
            Effect::Rejoin(Duration::from_secs(1))
        ]
    );
    assert_eq!(m.on_frame(&frame(r#"["1","1","realtime:s1","phx_close",{}]"#)), vec![]);
}

#[test]
fn a_server_close_reports_closed_and_rejoins() {
    let mut m = machine();
    joined(&mut m, "1");
    let close = decode(Vsn::V1, r#"{"topic":"realtime:s1","event":"phx_close","payload":{},"ref":"1"}"#).unwrap();
    assert_eq!(m.on_frame(&close), vec![Effect::Status(ChannelStatus::Closed), Effect::Rejoin(Duration::from_secs(1))]);
    assert!(m.is_idle());
}

#[test]
fn frames_of_an_earlier_join_are_ignored() {
    let mut m = machine();
    m.join("1".into(), "jwt");
    assert_eq!(
        m.join_timed_out("1")[0],
        Effect::Status(ChannelStatus::Errored("Joining the realtime channel timed out.".into()))
    );
    m.join("2".into(), "jwt");
    assert_eq!(m.join_timed_out("1"), vec![], "an old timer");
    assert_eq!(m.on_frame(&ok_reply("1")), vec![], "the late reply of the first join");
    assert_eq!(m.on_frame(&frame(r#"["1",null,"realtime:s1","phx_close",{}]"#)), vec![]);
    assert_eq!(m.on_frame(&ok_reply("2")), vec![]);
    assert_eq!(m.on_frame(&subscribed_system("2")), vec![Effect::Status(ChannelStatus::Subscribed)]);
    assert_eq!(m.join_timed_out("2"), vec![], "a finished join does not time out");
}

#[test]
fn a_lost_socket_errs_once_and_the_next_join_starts_over() {
    let mut m = machine();
    joined(&mut m, "1");
    assert!(matches!(&m.disconnected()[..], [Effect::Status(ChannelStatus::Errored(_))]));
    assert_eq!(m.disconnected(), vec![]);
    assert_eq!(m.on_frame(&change("UPDATE", "[11]")), vec![], "nothing flows until rejoined");
    assert!(m.access_token("9".into(), "jwt").is_none());
    joined(&mut m, "2");
}

#[test]
fn tokens_and_leave_go_to_the_current_join() {
    let mut m = machine();
    assert_eq!(m.leave("1".into()), None, "never joined: nothing to send");
    let mut m = machine();
    joined(&mut m, "4");
    let token = m.access_token("5".into(), "fresh").unwrap();
    assert_eq!(
        (token.event.as_str(), token.join_ref.as_deref(), token.payload["access_token"].as_str()),
        ("access_token", Some("4"), Some("fresh"))
    );
    let leave = m.leave("6".into()).unwrap();
    assert_eq!(
        (leave.event.as_str(), leave.join_ref.as_deref(), leave.reference.as_deref()),
        ("phx_leave", Some("4"), Some("6"))
    );
    assert!(!m.is_idle() && m.join_ref().is_none(), "left, not waiting to rejoin");
    assert_eq!(m.on_frame(&change("UPDATE", "[11]")), vec![], "a left channel hears nothing");
    assert_eq!(m.disconnected(), vec![]);
}
