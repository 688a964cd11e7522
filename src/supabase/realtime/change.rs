//! `postgres_changes`: the bindings a channel asks for, the ids the join reply gives them, and
//! the typed [`Change`] a matching event becomes, as https://supabase.com/docs/guides/realtime/protocol describes.

use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};

use crate::supabase::ApiError;

/// Which changes a binding asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeEvent {
    /// `*`: inserts, updates and deletes.
    All,
    Insert,
    Update,
    Delete,
}

impl ChangeEvent {
    /// The wire name: `*`, `INSERT`, `UPDATE` or `DELETE`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeEvent::All => "*",
            ChangeEvent::Insert => "INSERT",
            ChangeEvent::Update => "UPDATE",
            ChangeEvent::Delete => "DELETE",
        }
    }

    /// Whether a change of `kind` is one this binding asked for.
    pub fn matches(self, kind: ChangeKind) -> bool {
        matches!(
            (self, kind),
            (ChangeEvent::All, _)
                | (ChangeEvent::Insert, ChangeKind::Insert)
                | (ChangeEvent::Update, ChangeKind::Update)
                | (ChangeEvent::Delete, ChangeKind::Delete)
        )
    }
}

/// What happened to the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Insert,
    Update,
    Delete,
}

impl ChangeKind {
    fn parse(text: &str) -> Option<ChangeKind> {
        match text {
            "INSERT" => Some(ChangeKind::Insert),
            "UPDATE" => Some(ChangeKind::Update),
            "DELETE" => Some(ChangeKind::Delete),
            _ => None,
        }
    }
}

/// One `postgres_changes` binding of a channel: the event, the `public` table and an optional
/// filter (`column=op.value`). Supabase applies no filter to DELETE events with RLS on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    pub event: ChangeEvent,
    pub table: String,
    pub filter: Option<String>,
}

/// The schema every binding listens to.
pub const SCHEMA: &str = "public";

impl Binding {
    /// The binding as `phx_join` sends it.
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("event".into(), json!(self.event.as_str()));
        m.insert("schema".into(), json!(SCHEMA));
        m.insert("table".into(), json!(self.table));
        if let Some(filter) = self.filter.as_deref().filter(|f| !f.trim().is_empty()) {
            m.insert("filter".into(), json!(filter));
        }
        Value::Object(m)
    }

    /// Whether the server's echo of a binding (in the join reply) is this binding.
    fn is_echoed_by(&self, echo: &Value) -> bool {
        let text = |k: &str| echo.get(k).and_then(Value::as_str).filter(|s| !s.trim().is_empty());
        text("event").is_some_and(|e| e.eq_ignore_ascii_case(self.event.as_str()))
            && text("schema").unwrap_or(SCHEMA) == SCHEMA
            && text("table") == Some(self.table.as_str())
            && text("filter") == self.filter.as_deref().filter(|f| !f.trim().is_empty())
    }
}

/// The `phx_join` payload for `bindings`, run as `access_token` (a user JWT or the anon key).
pub fn join_payload(bindings: &[Binding], access_token: &str) -> Value {
    json!({
        "config": {
            "broadcast": {"ack": false, "self": false},
            "presence": {"key": "", "enabled": false},
            "postgres_changes": bindings.iter().map(Binding::to_json).collect::<Vec<_>>(),
            "private": false,
        },
        "access_token": access_token,
    })
}

/// The binding ids from a successful join reply's `response`, entry *i* for binding *i*.
/// Errs when the server's bindings are not the ones asked for.
pub fn binding_ids(bindings: &[Binding], response: &Value) -> Result<Vec<u64>, String> {
    const MISMATCH: &str = "mismatch between server and client bindings for postgres changes";
    let echoed = response.get("postgres_changes").and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
    if echoed.len() != bindings.len() {
        return Err(MISMATCH.to_owned());
    }
    bindings
        .iter()
        .zip(echoed)
        .map(|(binding, echo)| match echo.get("id").and_then(Value::as_u64) {
            Some(id) if binding.is_echoed_by(echo) => Ok(id),
            _ => Err(MISMATCH.to_owned()),
        })
        .collect()
}

/// Whether an event for binding `ids` of kind `kind` reaches a channel whose binding *i* has
/// id `bound[i]`: some listed id must be one of a binding that asked for that kind.
pub fn routes_to(bindings: &[Binding], bound: &[u64], ids: &[u64], kind: ChangeKind) -> bool {
    bindings.iter().zip(bound).any(|(binding, id)| ids.contains(id) && binding.event.matches(kind))
}

/// A row change delivered by Realtime.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub table: String,
    pub kind: ChangeKind,
    /// The new row for INSERT and UPDATE, else `{}`.
    pub record: Value,
    /// The old row for UPDATE and DELETE (only the key with the default replica identity, and
    /// always only the key for a DELETE under RLS), else `{}`.
    pub old_record: Value,
    /// When the transaction committed, UTC (`YYYY-MM-DDTHH:MI:SS.MSZ`), when the server says.
    pub commit_timestamp: Option<String>,
    /// What the server could not include (e.g. "Error 413: Payload Too Large"): when not empty,
    /// the record is incomplete and the row should be fetched.
    pub errors: Vec<String>,
}

impl Change {
    /// Reads the `postgres_changes` payload `{ids, data}`: the binding ids it matched and the
    /// change. None when the payload is not one.
    pub fn from_payload(payload: &Value) -> Option<(Vec<u64>, Change)> {
        let ids = payload.get("ids")?.as_array()?.iter().filter_map(Value::as_u64).collect();
        let data = payload.get("data")?;
        let kind = ChangeKind::parse(data.get("type")?.as_str()?)?;
        let row = |key: &str| match data.get(key) {
            Some(v @ Value::Object(_)) => v.clone(),
            _ => Value::Object(Map::new()),
        };
        let keep_record = kind != ChangeKind::Delete;
        let keep_old = kind != ChangeKind::Insert;
        let change = Change {
            table: data.get("table")?.as_str()?.to_owned(),
            kind,
            record: if keep_record { row("record") } else { Value::Object(Map::new()) },
            old_record: if keep_old { row("old_record") } else { Value::Object(Map::new()) },
            commit_timestamp: data.get("commit_timestamp").and_then(Value::as_str).map(str::to_owned),
            errors: match data.get("errors") {
                Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).map(str::to_owned).collect(),
                _ => vec![],
            },
        };
        Some((ids, change))
    }

    /// The new row as `T`. Decoded from text, not from the `Value`: the rows REST reads are
    /// decoded from text too, so each row type has one `Deserialize` instance in the wasm
    /// (the `Value` deserializer would add a second copy of every row type's decoder).
    pub fn decode_record<T: DeserializeOwned>(&self) -> Result<T, ApiError> {
        serde_json::from_str(&self.record.to_string())
            .map_err(|e| ApiError::Decode(format!("{} change: {e}", self.table)))
    }

    /// The old row's `id` (what a DELETE carries), as text.
    pub fn old_id(&self) -> Option<String> {
        match self.old_record.get("id")? {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "change_tests.rs"]
mod tests;
