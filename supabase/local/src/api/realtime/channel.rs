//! Channel-level protocol: tokens (connect, join, refresh), `phx_join` bindings with their ids,
//! and the reply/system payloads (<https://supabase.com/docs/guides/realtime/protocol>).
use super::filter::{self, Filter};
use crate::postgres::caller_tx::Caller;
use serde_json::{json, Map, Value};

/// Why a token was refused, rendered as Realtime words it.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenError {
    Expired(i64),
    MissingClaims,
    Signature,
    Malformed,
}

impl TokenError {
    /// The message Realtime pushes in a `system` error (and after its code in a join error).
    pub fn message(&self) -> String {
        match self {
            TokenError::Expired(s) => format!("Token has expired {s} seconds ago"),
            TokenError::MissingClaims => "Fields `role` and `exp` are required in JWT".into(),
            TokenError::Signature => "Failed to validate JWT signature".into(),
            TokenError::Malformed => "The token provided is not a valid JWT".into(),
        }
    }

    /// The join error `reason`: `<Code>: <message>`.
    pub fn reason(&self) -> String {
        let code = match self {
            TokenError::Expired(_) | TokenError::MissingClaims => "InvalidJWTToken",
            TokenError::Signature => "JwtSignatureError",
            TokenError::Malformed => "MalformedJWT",
        };
        format!("{code}: {}", self.message())
    }
}

/// A verified token: who the subscriber is and when the token stops being valid.
#[derive(Debug, Clone)]
pub struct Subscriber {
    pub caller: Caller,
    pub exp: i64,
    pub token: String,
}

/// Verifies with the stack secret and requires `role` and an integer `exp` in the future.
pub fn verify_token(token: &str, secret: &str, now: i64) -> Result<Subscriber, TokenError> {
    use crate::jwt::JwtError;
    // Expiry is checked below, to report how long ago it was.
    let claims = crate::jwt::verify(token, secret, 0, 0).map_err(|e| match e {
        JwtError::Signature => TokenError::Signature,
        _ => TokenError::Malformed,
    })?;
    let exp = claims.get("exp").and_then(Value::as_i64);
    let (Some(exp), Some(_)) = (exp, claims.get("role").and_then(Value::as_str)) else {
        return Err(TokenError::MissingClaims);
    };
    if exp <= now {
        return Err(TokenError::Expired(now.saturating_sub(exp)));
    }
    Ok(Subscriber { caller: Caller::from_claims(claims), exp, token: token.to_string() })
}

/// One `postgres_changes` binding of a join, as the client sent it plus its id.
#[derive(Debug, Clone)]
pub struct Binding {
    pub id: u32,
    /// `*`, INSERT, UPDATE or DELETE.
    pub event: String,
    pub schema: String,
    /// None: every table of the schema.
    pub table: Option<String>,
    pub filters: Vec<Filter>,
    /// The filter parse error, if any: such a binding never matches.
    pub error: Option<String>,
    /// The client's keys, echoed in the join reply with `id` added.
    pub echo: Map<String, Value>,
}

impl Binding {
    pub fn wants(&self, schema: &str, table: &str, action: &str) -> bool {
        self.error.is_none()
            && (self.schema == "*" || self.schema == schema)
            && self.table.as_deref().is_none_or(|t| t == "*" || t == table)
            && (self.event == "*" || self.event.eq_ignore_ascii_case(action))
    }
}

/// Stands in for `:erlang.phash2(params)`: a stable hash of the binding's params in 1..2^27.
pub fn binding_id(params: &Map<String, Value>) -> u32 {
    // serde_json's Map is ordered by key, so this text is canonical.
    let text = Value::Object(params.clone()).to_string();
    let mut h: u64 = 0xcbf29ce484222325;
    for b in text.bytes() {
        h = (h ^ b as u64).wrapping_mul(0x100000001b3);
    }
    ((h % (1 << 27)) as u32).max(1)
}

/// The bindings of `payload.config.postgres_changes`, in order.
pub fn bindings(payload: &Value) -> Vec<Binding> {
    let Some(list) = payload.pointer("/config/postgres_changes").and_then(Value::as_array) else {
        return vec![];
    };
    list.iter()
        .filter_map(Value::as_object)
        .map(|params| {
            let text = |k: &str| params.get(k).and_then(Value::as_str).map(str::to_string);
            let (filters, error) = match filter::parse(text("filter").as_deref()) {
                Ok(f) => (f, None),
                Err(e) => (vec![], Some(e)),
            };
            let mut echo = params.clone();
            echo.insert("id".into(), json!(binding_id(params)));
            Binding {
                id: binding_id(params),
                event: text("event").unwrap_or_else(|| "*".into()).to_uppercase(),
                schema: text("schema").unwrap_or_else(|| "public".into()),
                table: text("table"),
                filters,
                error,
                echo,
            }
        })
        .collect()
}

/// The token a join runs as: `access_token` (or `user_token`) unless absent or an `sb_` key,
/// in which case the socket's connect token.
pub fn join_token<'a>(payload: &'a Value, connect_token: &'a str) -> &'a str {
    let given = payload.get("access_token").or_else(|| payload.get("user_token")).and_then(Value::as_str);
    match given {
        Some(t) if !t.starts_with("sb_") && !t.is_empty() => t,
        _ => connect_token,
    }
}

/// The `system` push payload.
pub fn system(extension: &str, status: &str, message: &str, channel: &str) -> Value {
    json!({"extension": extension, "status": status, "message": message, "channel": channel})
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::JWT_SECRET;
    use crate::jwt::sign;

    #[test]
    fn tokens_need_role_and_exp_and_a_valid_signature() {
        let ok = sign(&json!({"role": "authenticated", "sub": "u1", "exp": 2000}), JWT_SECRET);
        let s = verify_token(&ok, JWT_SECRET, 1000).unwrap();
        assert_eq!((s.caller.role.as_str(), s.exp), ("authenticated", 2000));
        assert_eq!(
            verify_token(&ok, JWT_SECRET, 2012).unwrap_err().reason(),
            "InvalidJWTToken: Token has expired 12 seconds ago"
        );
        let no_exp = sign(&json!({"role": "anon"}), JWT_SECRET);
        assert_eq!(verify_token(&no_exp, JWT_SECRET, 0).unwrap_err(), TokenError::MissingClaims);
        let no_role = sign(&json!({"exp": 2000}), JWT_SECRET);
        assert_eq!(verify_token(&no_role, JWT_SECRET, 0).unwrap_err(), TokenError::MissingClaims);
        assert_eq!(verify_token(&ok, "another-secret-another-secret-another", 0).unwrap_err(), TokenError::Signature);
        assert_eq!(verify_token("x.y", JWT_SECRET, 0).unwrap_err(), TokenError::Malformed);
    }

    #[test]
    fn bindings_echo_client_keys_with_stable_ids() {
        let p = json!({"config": {"postgres_changes": [
            {"event": "*", "schema": "public", "table": "generations", "filter": "session_id=eq.1"},
            {"event": "DELETE", "schema": "public", "table": "generations"},
            {"event": "INSERT", "schema": "public", "table": "posts", "filter": "x=bad.1"}
        ]}});
        let b = bindings(&p);
        assert_eq!(b.len(), 3);
        assert_eq!(b[0].echo["filter"], "session_id=eq.1");
        assert_eq!(b[0].echo["id"], json!(b[0].id));
        assert!(!b[1].echo.contains_key("filter"));
        assert_ne!(b[0].id, b[1].id);
        assert_eq!(bindings(&p)[0].id, b[0].id, "ids are stable");
        assert!(b[0].id > 0 && b[0].id < (1 << 27));
        assert!(b[0].wants("public", "generations", "UPDATE") && !b[0].wants("public", "posts", "UPDATE"));
        assert!(b[1].wants("public", "generations", "DELETE") && !b[1].wants("public", "generations", "INSERT"));
        assert!(b[2].error.is_some() && !b[2].wants("public", "posts", "INSERT"));
        assert!(bindings(&json!({"config": {}})).is_empty());
    }

    #[test]
    fn join_token_falls_back_to_the_connect_token() {
        assert_eq!(join_token(&json!({"access_token": "user"}), "conn"), "user");
        assert_eq!(join_token(&json!({"access_token": "sb_publishable_x"}), "conn"), "conn");
        assert_eq!(join_token(&json!({}), "conn"), "conn");
    }
}
