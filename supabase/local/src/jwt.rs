//! HS256 JWTs with the CLI's shared secret (enough for supabase-js, see https://supabase.com/docs/guides/auth/jwts).
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Map, Value};
use sha2::Sha256;

/// The header GoTrue and the CLI emit, byte for byte (the anon key depends on it).
const HEADER: &str = r#"{"alg":"HS256","typ":"JWT"}"#;
/// Payloads of the CLI's anon and service_role keys, in the CLI's key order.
const ANON_PAYLOAD: &str = r#"{"iss":"supabase-demo","role":"anon","exp":1983812996}"#;
const SERVICE_PAYLOAD: &str = r#"{"iss":"supabase-demo","role":"service_role","exp":1983812996}"#;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum JwtError {
    #[error("Expected 3 parts in JWT; got {0}")]
    Parts(usize),
    #[error("JWT cryptographic operation failed")]
    Malformed,
    #[error("signature is invalid")]
    Signature,
    #[error("token is expired")]
    Expired,
}

fn mac(secret: &str) -> Hmac<Sha256> {
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("hmac accepts any key length")
}

/// Signs an already-serialised JSON payload.
pub fn sign_raw(payload: &str, secret: &str) -> String {
    let signing_input = format!("{}.{}", B64.encode(HEADER), B64.encode(payload));
    let mut m = mac(secret);
    m.update(signing_input.as_bytes());
    format!("{signing_input}.{}", B64.encode(m.finalize().into_bytes()))
}

pub fn sign(claims: &Value, secret: &str) -> String {
    sign_raw(&claims.to_string(), secret)
}

pub fn anon_key(secret: &str) -> String {
    sign_raw(ANON_PAYLOAD, secret)
}

pub fn service_role_key(secret: &str) -> String {
    sign_raw(SERVICE_PAYLOAD, secret)
}

/// Verifies signature (HS256 only; `none` and other algs are rejected) and `exp` with `leeway` seconds.
pub fn verify(token: &str, secret: &str, now: i64, leeway: i64) -> Result<Map<String, Value>, JwtError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(JwtError::Parts(parts.len()));
    }
    let header: Value =
        B64.decode(parts[0]).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(JwtError::Malformed)?;
    if header.get("alg").and_then(Value::as_str) != Some("HS256") {
        return Err(JwtError::Malformed);
    }
    let sig = B64.decode(parts[2]).map_err(|_| JwtError::Malformed)?;
    let mut m = mac(secret);
    m.update(format!("{}.{}", parts[0], parts[1]).as_bytes());
    m.verify_slice(&sig).map_err(|_| JwtError::Signature)?;
    let claims: Map<String, Value> =
        B64.decode(parts[1]).ok().and_then(|b| serde_json::from_slice(&b).ok()).ok_or(JwtError::Malformed)?;
    if let Some(exp) = claims.get("exp") {
        let exp = exp.as_f64().ok_or(JwtError::Malformed)? as i64;
        if now > exp.saturating_add(leeway) {
            return Err(JwtError::Expired);
        }
    }
    Ok(claims)
}

pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::JWT_SECRET;

    #[test]
    fn anon_key_matches_the_cli_byte_for_byte() {
        assert_eq!(
            anon_key(JWT_SECRET),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0"
        );
    }

    #[test]
    fn verify_roundtrip_and_failures() {
        let t = sign(&serde_json::json!({"sub": "x", "exp": 100}), JWT_SECRET);
        assert_eq!(verify(&t, JWT_SECRET, 50, 0).unwrap()["sub"], "x");
        assert_eq!(verify(&t, JWT_SECRET, 101, 0), Err(JwtError::Expired));
        assert_eq!(verify(&t, JWT_SECRET, 101, 30).unwrap()["sub"], "x");
        assert_eq!(verify(&t, "another-secret-another-secret-another", 50, 0), Err(JwtError::Signature));
        assert_eq!(verify("a.b", JWT_SECRET, 0, 0), Err(JwtError::Parts(2)));
        let service = verify(&service_role_key(JWT_SECRET), JWT_SECRET, now(), 0).unwrap();
        assert_eq!(service["role"], "service_role");
        // alg=none with an empty signature is refused.
        let none = format!("{}.{}.", B64.encode(r#"{"alg":"none"}"#), B64.encode(r#"{"role":"service_role"}"#));
        assert!(verify(&none, JWT_SECRET, 0, 0).is_err());
    }
}
