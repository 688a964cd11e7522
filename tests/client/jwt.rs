//! Short-lived user tokens for the expiry tests: a user's claims re-signed (HS256, the
//! browser's SubtleCrypto) with the stack's JWT secret and an `exp` a few seconds away.

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The local stack signs with the Supabase CLI's well-known secret unless told otherwise.
const CLI_JWT_SECRET: &str = "super-secret-jwt-token-with-at-least-32-characters-long";

fn secret() -> &'static str {
    option_env!("ATELIER_TEST_JWT_SECRET").filter(|s| !s.is_empty()).unwrap_or(CLI_JWT_SECRET)
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn b64url_encode(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (*b as u32) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

fn b64url_decode(text: &str) -> Vec<u8> {
    let digits: Vec<u32> = text.bytes().map(|c| B64.iter().position(|b| *b == c).expect("base64url") as u32).collect();
    let mut out = vec![];
    for chunk in digits.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, d)| n | d << (18 - 6 * i));
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn call(target: &JsValue, method: &str, args: &[JsValue]) -> JsValue {
    let f: Function = Reflect::get(target, &method.into()).unwrap().dyn_into().expect("a method");
    f.apply(target, &args.iter().collect::<Array>()).expect("the call works")
}

async fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let window = web_sys::window().unwrap();
    let subtle = Reflect::get(&Reflect::get(&window, &"crypto".into()).unwrap(), &"subtle".into()).unwrap();
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"HMAC".into()).unwrap();
    Reflect::set(&algorithm, &"hash".into(), &"SHA-256".into()).unwrap();
    let usages: Array = [JsValue::from_str("sign")].iter().collect();
    let import = call(
        &subtle,
        "importKey",
        &["raw".into(), Uint8Array::from(key).into(), algorithm.clone().into(), false.into(), usages.into()],
    );
    let key = JsFuture::from(js_sys::Promise::from(import)).await.expect("an HMAC key");
    let sign = call(&subtle, "sign", &[algorithm.into(), key, Uint8Array::from(data).into()]);
    let signature = JsFuture::from(js_sys::Promise::from(sign)).await.expect("a signature");
    Uint8Array::new(&signature).to_vec()
}

/// `token`'s claims, signed again to expire `seconds` from now.
pub async fn expiring_in(token: &str, seconds: i64) -> String {
    let claims = token.split('.').nth(1).expect("a JWT");
    let mut claims: Value = serde_json::from_slice(&b64url_decode(claims)).expect("JWT claims");
    claims["exp"] = ((js_sys::Date::now() / 1000.0) as i64 + seconds).into();
    let head = format!(
        "{}.{}",
        b64url_encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        b64url_encode(claims.to_string().as_bytes())
    );
    let signature = hmac_sha256(secret().as_bytes(), head.as_bytes()).await;
    format!("{head}.{}", b64url_encode(&signature))
}
