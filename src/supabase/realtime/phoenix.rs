//! Phoenix channel framing for both serializers Realtime speaks: `vsn=1.0.0` sends one JSON
//! object per text frame (`{topic, event, payload, ref, join_ref}`; the server leaves
//! `join_ref` out), `vsn=2.0.0` one JSON array `[join_ref, ref, topic, event, payload]`.
//! Binary frames (V2 user broadcasts) are not decoded here: the socket ignores them.

use serde_json::{json, Value};

/// The topic of socket-level messages (heartbeats).
pub const PHOENIX_TOPIC: &str = "phoenix";

/// Which serializer the socket asked for with `vsn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Vsn {
    /// `1.0.0`: JSON objects.
    V1,
    /// `2.0.0`: JSON arrays (supabase-js' default since v2.91).
    #[default]
    V2,
}

impl Vsn {
    /// The value of the `vsn` query parameter.
    pub fn as_str(self) -> &'static str {
        match self {
            Vsn::V1 => "1.0.0",
            Vsn::V2 => "2.0.0",
        }
    }
}

/// One Phoenix message, either direction.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The `ref` of the join this message belongs to (absent in V1 server frames).
    pub join_ref: Option<String>,
    /// The message's own `ref`; replies echo the ref of what they answer.
    pub reference: Option<String>,
    pub topic: String,
    pub event: String,
    pub payload: Value,
}

impl Frame {
    /// A message from the client on `topic`.
    pub fn new(topic: &str, event: &str, payload: Value, reference: String, join_ref: Option<String>) -> Frame {
        Frame { join_ref, reference: Some(reference), topic: topic.to_owned(), event: event.to_owned(), payload }
    }

    /// `{"topic":"phoenix","event":"heartbeat","payload":{}}` with `reference`.
    pub fn heartbeat(reference: String) -> Frame {
        Frame::new(PHOENIX_TOPIC, "heartbeat", json!({}), reference, None)
    }

    /// For a `phx_reply`: its `status` (`ok`/`error`) and `response`.
    pub fn reply(&self) -> Option<(&str, &Value)> {
        if self.event != "phx_reply" {
            return None;
        }
        let status = self.payload.get("status").and_then(Value::as_str)?;
        Some((status, self.payload.get("response").unwrap_or(&Value::Null)))
    }
}

/// Why a text frame could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("not JSON: {0}")]
    Json(String),
    #[error("not a {0:?} frame")]
    Shape(Vsn),
    #[error("the frame has no {0}")]
    Missing(&'static str),
}

/// A ref in either form: Phoenix refs are strings, but numbers are accepted too.
fn as_ref(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Reads one text frame in the serializer `vsn`.
pub fn decode(vsn: Vsn, text: &str) -> Result<Frame, FrameError> {
    let value: Value = serde_json::from_str(text).map_err(|e| FrameError::Json(e.to_string()))?;
    let (join_ref, reference, topic, event, payload) = match (vsn, &value) {
        (Vsn::V1, Value::Object(m)) => {
            (as_ref(m.get("join_ref")), as_ref(m.get("ref")), m.get("topic"), m.get("event"), m.get("payload"))
        }
        (Vsn::V2, Value::Array(a)) if a.len() == 5 => {
            (as_ref(a.first()), as_ref(a.get(1)), a.get(2), a.get(3), a.get(4))
        }
        _ => return Err(FrameError::Shape(vsn)),
    };
    let text = |v: Option<&Value>, what| v.and_then(Value::as_str).map(str::to_owned).ok_or(FrameError::Missing(what));
    Ok(Frame {
        join_ref,
        reference,
        topic: text(topic, "topic")?,
        event: text(event, "event")?,
        payload: payload.cloned().unwrap_or(Value::Null),
    })
}

/// Writes one frame as the text the serializer `vsn` expects.
pub fn encode(vsn: Vsn, f: &Frame) -> String {
    match vsn {
        Vsn::V1 => json!({
            "topic": f.topic, "event": f.event, "payload": f.payload, "ref": f.reference, "join_ref": f.join_ref
        })
        .to_string(),
        Vsn::V2 => json!([f.join_ref, f.reference, f.topic, f.event, f.payload]).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn join_is_encoded_in_both_serializers() {
        let join = Frame::new("realtime:room", "phx_join", json!({"config": {}}), "3".into(), Some("3".into()));
        assert_eq!(
            parse(&encode(Vsn::V1, &join)),
            json!({"topic":"realtime:room","event":"phx_join","payload":{"config":{}},"ref":"3","join_ref":"3"})
        );
        assert_eq!(parse(&encode(Vsn::V2, &join)), json!(["3", "3", "realtime:room", "phx_join", {"config": {}}]));
    }

    #[test]
    fn heartbeat_and_access_token_frames() {
        assert_eq!(
            parse(&encode(Vsn::V2, &Frame::heartbeat("7".into()))),
            json!([null, "7", "phoenix", "heartbeat", {}])
        );
        assert_eq!(
            parse(&encode(Vsn::V1, &Frame::heartbeat("7".into()))),
            json!({"topic":"phoenix","event":"heartbeat","payload":{},"ref":"7","join_ref":null})
        );
        let token =
            Frame::new("realtime:a", "access_token", json!({"access_token": "jwt"}), "9".into(), Some("4".into()));
        assert_eq!(
            parse(&encode(Vsn::V2, &token)),
            json!(["4", "9", "realtime:a", "access_token", {"access_token": "jwt"}])
        );
    }

    #[test]
    fn replies_decode_with_status_and_response() {
        let v1 = decode(
            Vsn::V1,
            r#"{"topic":"realtime:a","event":"phx_reply","payload":{"status":"ok","response":{"postgres_changes":[]}},"ref":"1"}"#,
        )
        .unwrap();
        assert_eq!((v1.join_ref.as_deref(), v1.reference.as_deref()), (None, Some("1")));
        assert_eq!(v1.reply(), Some(("ok", &json!({"postgres_changes": []}))));
        let v2 = decode(Vsn::V2, r#"["1","2","realtime:a","phx_reply",{"status":"error","response":{"reason":"no"}}]"#)
            .unwrap();
        assert_eq!((v2.join_ref.as_deref(), v2.reference.as_deref()), (Some("1"), Some("2")));
        assert_eq!(v2.reply(), Some(("error", &json!({"reason": "no"}))));
        let heartbeat = decode(Vsn::V2, r#"[null,"7","phoenix","phx_reply",{"response":{},"status":"ok"}]"#).unwrap();
        assert_eq!((heartbeat.topic.as_str(), heartbeat.reply().map(|r| r.0)), (PHOENIX_TOPIC, Some("ok")));
    }

    #[test]
    fn server_pushes_decode_in_both_serializers() {
        let change = r#"{"ids":[5],"data":{"type":"UPDATE","table":"t","schema":"public"}}"#;
        let v1 = decode(
            Vsn::V1,
            &format!(r#"{{"topic":"realtime:a","event":"postgres_changes","payload":{change},"ref":null}}"#),
        )
        .unwrap();
        let v2 = decode(Vsn::V2, &format!(r#"[null,null,"realtime:a","postgres_changes",{change}]"#)).unwrap();
        assert_eq!(v1, v2);
        assert_eq!((v1.reference.as_deref(), v1.payload["ids"][0].as_u64()), (None, Some(5)));
        assert!(v1.reply().is_none());
        let system = decode(
            Vsn::V2,
            r#"["4",null,"realtime:a","system",{"extension":"postgres_changes","status":"ok","message":"Subscribed to PostgreSQL","channel":"a"}]"#,
        )
        .unwrap();
        assert_eq!((system.event.as_str(), system.join_ref.as_deref()), ("system", Some("4")));
        let close = decode(Vsn::V1, r#"{"topic":"realtime:a","event":"phx_close","payload":{},"ref":"4"}"#).unwrap();
        assert_eq!((close.event.as_str(), close.reference.as_deref()), ("phx_close", Some("4")));
        let numeric_refs = decode(Vsn::V2, r#"[1,2,"realtime:a","phx_error",{}]"#).unwrap();
        assert_eq!((numeric_refs.join_ref.as_deref(), numeric_refs.reference.as_deref()), (Some("1"), Some("2")));
    }

    #[test]
    fn wrong_shapes_are_errors() {
        assert_eq!(decode(Vsn::V2, r#"{"topic":"a","event":"b","payload":{}}"#), Err(FrameError::Shape(Vsn::V2)));
        assert_eq!(decode(Vsn::V1, r#"["1","2","a","b",{}]"#), Err(FrameError::Shape(Vsn::V1)));
        assert_eq!(decode(Vsn::V2, r#"["1","2","a",{}]"#), Err(FrameError::Shape(Vsn::V2)));
        assert_eq!(decode(Vsn::V1, r#"{"event":"b"}"#), Err(FrameError::Missing("topic")));
        assert!(matches!(decode(Vsn::V1, "not json"), Err(FrameError::Json(_))));
    }
}
