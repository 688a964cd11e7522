//! Answers asked for before the app's code arrived. On a Generate URL, `assets/prefetch.mjs`
//! (inlined into index.html) sends the first REST reads the app is about to send — the rail's
//! first page, the session, its first page of outputs — with the stored session's token, once
//! the shell has painted and while the wasm compiles, and keeps each answer's promise under the
//! request it made. A read of the app with exactly the same method, URL and headers takes that
//! answer instead of asking again: once, and only while it is fresh. A read that differs in
//! anything (a refreshed token, a query changed on one side only) is sent as usual, so the worst
//! a drifted prefetch costs is one wasted read, never a wrong answer.

use std::cell::RefCell;

use js_sys::{Date, Map, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The global the prefetch leaves its requests in: a `Map` from [`request_key`] to
/// `{ at: Date.now() when sent, response: Promise<Response> }`.
const GLOBAL: &str = "__atelierPrefetch";

/// How long after it was sent a prefetched answer may stand in for a read: the first screen's
/// reads come well within it; anything later reads the server again.
const FRESH_MS: f64 = 10_000.0;

thread_local! {
    /// The prefetched answers not taken yet; `None` once there are none (or never were).
    static WAITING: RefCell<Option<Map>> = RefCell::new(take_global());
}

/// Moves the map out of `window` (no other code can take an answer) — `None` when there is none.
fn take_global() -> Option<Map> {
    let window = web_sys::window()?;
    let map = Reflect::get(&window, &JsValue::from_str(GLOBAL)).ok()?.dyn_into::<Map>().ok()?;
    let _ = Reflect::delete_property(&window, &JsValue::from_str(GLOBAL));
    (map.size() > 0).then_some(map)
}

/// A request as the prefetch files it: the method and URL on the first line, then one
/// `name: value` line per header, names lower-cased, lines sorted. Both sides must build it the
/// same way; assets/prefetch.mjs says so beside its own.
pub fn request_key<'a>(method: &str, url: &str, headers: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut lines: Vec<String> =
        headers.into_iter().map(|(name, value)| format!("{}: {value}", name.to_ascii_lowercase())).collect();
    lines.sort_unstable();
    let mut key = format!("{method} {url}");
    for line in lines {
        key.push('\n');
        key.push_str(&line);
    }
    key
}

/// Whether any prefetched answer is still waiting (checking costs nothing once none is).
pub fn any_waiting() -> bool {
    WAITING.with(|w| w.borrow().is_some())
}

/// The prefetched answer to the request filed as `key`, taken (no one gets it twice); `None`
/// when there is none, it is stale, or it failed (the caller then sends the request itself).
pub async fn take(key: &str) -> Option<web_sys::Response> {
    let entry = WAITING.with(|w| {
        let mut waiting = w.borrow_mut();
        let map = waiting.as_ref()?;
        let key = JsValue::from_str(key);
        let entry = map.get(&key);
        map.delete(&key);
        if map.size() == 0 {
            *waiting = None;
        }
        Some(entry).filter(|e| !e.is_undefined())
    })?;
    let at = Reflect::get(&entry, &JsValue::from_str("at")).ok()?.as_f64()?;
    if Date::now() - at > FRESH_MS {
        // Every answer was asked for at the same moment: none of the others is fresh either.
        WAITING.with(|w| w.borrow_mut().take());
        return None;
    }
    let promise = Reflect::get(&entry, &JsValue::from_str("response")).ok()?.dyn_into::<Promise>().ok()?;
    JsFuture::from(promise).await.ok()?.dyn_into::<web_sys::Response>().ok()
}

#[cfg(test)]
mod tests {
    use super::request_key;

    #[test]
    fn a_key_is_the_request_line_then_its_headers_lower_cased_and_sorted() {
        let key = request_key(
            "GET",
            "http://x/rest/v1/t?a=1&",
            [("Range", "0-30"), ("apikey", "k"), ("Accept", "application/json")],
        );
        assert_eq!(key, "GET http://x/rest/v1/t?a=1&\naccept: application/json\napikey: k\nrange: 0-30");
    }
}
