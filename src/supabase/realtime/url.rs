//! The socket address: `<project url with ws/wss>/realtime/v1/websocket?apikey=<key>&vsn=<vsn>`.

use super::phoenix::Vsn;

/// The WebSocket URL for a project at `supabase_url` (http or https, no trailing slash).
pub fn endpoint(supabase_url: &str, anon_key: &str, vsn: Vsn) -> String {
    let base = if let Some(rest) = supabase_url.strip_prefix("https://") {
        format!("wss://{rest}")
    } else if let Some(rest) = supabase_url.strip_prefix("http://") {
        format!("ws://{rest}")
    } else {
        supabase_url.to_owned()
    };
    format!("{base}/realtime/v1/websocket?apikey={}&vsn={}", query_escape(anon_key), vsn.as_str())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn query_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_becomes_ws_and_https_wss() {
        assert_eq!(
            endpoint("http://127.0.0.1:54321", "eyJ.a-b_c", Vsn::V2),
            "ws://127.0.0.1:54321/realtime/v1/websocket?apikey=eyJ.a-b_c&vsn=2.0.0"
        );
        assert_eq!(
            endpoint("https://x.supabase.co", "k", Vsn::V1),
            "wss://x.supabase.co/realtime/v1/websocket?apikey=k&vsn=1.0.0"
        );
    }

    #[test]
    fn keys_are_escaped_in_the_query() {
        assert!(endpoint("http://h", "a&b=c+d", Vsn::V2).contains("apikey=a%26b%3Dc%2Bd&"));
    }
}
