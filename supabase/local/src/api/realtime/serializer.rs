//! Phoenix message framing (<https://supabase.com/docs/guides/realtime/protocol>): `vsn=1.0.0` is one JSON object per text frame
//! (the server omits `join_ref`), `vsn=2.0.0` one JSON array `[join_ref, ref, topic, event, payload]`.
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vsn {
    V1,
    V2,
}

impl Vsn {
    /// Phoenix matches `~> 1.0.0` / `~> 2.0.0`; no `vsn` means 1.0.0.
    pub fn from_query(vsn: Option<&str>) -> Option<Vsn> {
        match vsn.map(str::trim) {
            None | Some("") => Some(Vsn::V1),
            Some(v) if v == "1" || v.starts_with("1.0") => Some(Vsn::V1),
            Some(v) if v == "2" || v.starts_with("2.0") => Some(Vsn::V2),
            _ => None,
        }
    }
}

/// One Phoenix message, either direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub join_ref: Option<String>,
    pub reference: Option<String>,
    pub topic: String,
    pub event: String,
    pub payload: Value,
}

impl Frame {
    /// A server push (postgres_changes, system, phx_close) on `topic`.
    pub fn push(join_ref: Option<String>, topic: &str, event: &str, payload: Value) -> Frame {
        Frame { join_ref, reference: None, topic: topic.to_string(), event: event.to_string(), payload }
    }

    /// `phx_reply` to `to`, echoing its refs.
    pub fn reply(to: &Frame, status: &str, response: Value) -> Frame {
        Frame {
            join_ref: to.join_ref.clone(),
            reference: to.reference.clone(),
            topic: to.topic.clone(),
            event: "phx_reply".into(),
            payload: json!({"status": status, "response": response}),
        }
    }
}

/// A ref in either form: Phoenix clients send strings, but accept numbers too.
fn as_ref(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

pub fn decode(vsn: Vsn, text: &str) -> Result<Frame, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    let (join_ref, reference, topic, event, payload) = match (vsn, &v) {
        (Vsn::V1, Value::Object(m)) => {
            (as_ref(m.get("join_ref")), as_ref(m.get("ref")), m.get("topic"), m.get("event"), m.get("payload"))
        }
        (Vsn::V2, Value::Array(a)) if a.len() == 5 => {
            (as_ref(a.first()), as_ref(a.get(1)), a.get(2), a.get(3), a.get(4))
        }
        _ => return Err("unexpected message shape for this vsn".into()),
    };
    let text =
        |v: Option<&Value>, what: &str| v.and_then(Value::as_str).map(str::to_string).ok_or(format!("missing {what}"));
    Ok(Frame {
        join_ref,
        reference,
        topic: text(topic, "topic")?,
        event: text(event, "event")?,
        payload: payload.cloned().unwrap_or(Value::Null),
    })
}

pub fn encode(vsn: Vsn, f: &Frame) -> String {
    match vsn {
        Vsn::V1 => json!({"topic": f.topic, "event": f.event, "payload": f.payload, "ref": f.reference}).to_string(),
        Vsn::V2 => json!([f.join_ref, f.reference, f.topic, f.event, f.payload]).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vsn_defaults_to_v1_and_rejects_unknown() {
        assert_eq!(Vsn::from_query(None), Some(Vsn::V1));
        assert_eq!(Vsn::from_query(Some("1.0.0")), Some(Vsn::V1));
        assert_eq!(Vsn::from_query(Some("2.0.0")), Some(Vsn::V2));
        assert_eq!(Vsn::from_query(Some("3.0.0")), None);
    }

    #[test]
    fn v1_roundtrip_drops_join_ref_on_the_way_out() {
        let f =
            decode(Vsn::V1, r#"{"topic":"realtime:a","event":"phx_join","payload":{"x":1},"ref":"3","join_ref":"3"}"#)
                .unwrap();
        assert_eq!(
            (f.join_ref.as_deref(), f.reference.as_deref(), f.topic.as_str(), f.event.as_str()),
            (Some("3"), Some("3"), "realtime:a", "phx_join")
        );
        let out: Value = serde_json::from_str(&encode(Vsn::V1, &Frame::reply(&f, "ok", json!({})))).unwrap();
        assert_eq!(
            out,
            json!({"topic":"realtime:a","event":"phx_reply","payload":{"status":"ok","response":{}},"ref":"3"})
        );
        let push: Value =
            serde_json::from_str(&encode(Vsn::V1, &Frame::push(Some("3".into()), "realtime:a", "system", json!({}))))
                .unwrap();
        assert_eq!(push, json!({"topic":"realtime:a","event":"system","payload":{},"ref":null}));
    }

    #[test]
    fn v2_arrays_both_ways() {
        let f = decode(Vsn::V2, r#"["1","2","phoenix","heartbeat",{}]"#).unwrap();
        assert_eq!(
            (f.join_ref.as_deref(), f.reference.as_deref(), f.topic.as_str()),
            (Some("1"), Some("2"), "phoenix")
        );
        let hb = decode(Vsn::V2, r#"[null,"7","phoenix","heartbeat",{}]"#).unwrap();
        assert_eq!(
            encode(Vsn::V2, &Frame::reply(&hb, "ok", json!({}))),
            r#"[null,"7","phoenix","phx_reply",{"response":{},"status":"ok"}]"#
        );
        let push = Frame::push(None, "realtime:a", "postgres_changes", json!({"ids":[1]}));
        assert_eq!(encode(Vsn::V2, &push), r#"[null,null,"realtime:a","postgres_changes",{"ids":[1]}]"#);
    }

    #[test]
    fn wrong_shapes_are_errors() {
        assert!(decode(Vsn::V2, r#"{"topic":"a","event":"b","payload":{}}"#).is_err());
        assert!(decode(Vsn::V1, r#"["1","2","a","b",{}]"#).is_err());
        assert!(decode(Vsn::V1, r#"{"event":"b"}"#).is_err());
        assert!(decode(Vsn::V1, "not json").is_err());
    }
}
