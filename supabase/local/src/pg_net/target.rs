//! Where a queued request goes: the parts of an `http://` URL the sender needs. Anything else
//! (https, other schemes, credentials in the URL) is an error message recorded for the request.

#[derive(Debug, PartialEq)]
pub struct Target {
    /// Host name or IP (an IPv6 literal without its brackets), for connecting.
    pub host: String,
    pub port: u16,
    /// `host[:port]` as written in the URL, for the Host header.
    pub authority: String,
    /// Path and query (`/` when the URL has no path); the fragment is not sent.
    pub path_and_query: String,
}

/// What `error_msg` says for an https URL: the local stack has no TLS client.
pub fn https_refused(url: &str) -> String {
    format!("supabase-local sends plain http only: {url} was not sent (use an http:// URL for a local target)")
}

impl Target {
    pub fn parse(url: &str) -> Result<Target, String> {
        let (scheme, rest) = url.split_once("://").ok_or_else(|| format!("Malformed URL: {url}"))?;
        match scheme.to_ascii_lowercase().as_str() {
            "http" => {}
            "https" => return Err(https_refused(url)),
            other => return Err(format!("Unsupported protocol {other}: {url}")),
        }
        let rest = rest.split('#').next().unwrap_or_default();
        let end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(end);
        if authority.contains('@') {
            return Err(format!("Credentials in a URL are not supported by supabase-local: {url}"));
        }
        let (host, port) = split_host_port(authority).ok_or_else(|| format!("Malformed URL: {url}"))?;
        let path_and_query = match path {
            "" => "/".to_string(),
            p if p.starts_with('?') => format!("/{p}"),
            p => p.to_string(),
        };
        Ok(Target { host, port, authority: authority.to_string(), path_and_query })
    }
}

/// `host`, `host:port`, `[v6]` or `[v6]:port` → (host, port), port 80 by default.
fn split_host_port(authority: &str) -> Option<(String, u16)> {
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (host, after) = v6.split_once(']')?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        }
    };
    let port = match port {
        None | Some("") => 80,
        Some(p) => p.parse().ok().filter(|p| *p > 0)?,
    };
    (!host.is_empty()).then(|| (host.to_string(), port))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(host: &str, port: u16, authority: &str, path: &str) -> Target {
        Target { host: host.into(), port, authority: authority.into(), path_and_query: path.into() }
    }

    #[test]
    fn http_urls_split_into_host_port_and_path() {
        assert_eq!(
            Target::parse("http://127.0.0.1:5000/functions/v1/x?a=1#frag").unwrap(),
            t("127.0.0.1", 5000, "127.0.0.1:5000", "/functions/v1/x?a=1")
        );
        assert_eq!(Target::parse("HTTP://localhost").unwrap(), t("localhost", 80, "localhost", "/"));
        assert_eq!(Target::parse("http://h?q=1").unwrap(), t("h", 80, "h", "/?q=1"));
        assert_eq!(Target::parse("http://[::1]:81/p").unwrap(), t("::1", 81, "[::1]:81", "/p"));
    }

    #[test]
    fn anything_but_plain_http_is_refused_with_a_reason() {
        assert!(Target::parse("https://example.com/x").unwrap_err().contains("plain http only"));
        assert!(Target::parse("ftp://example.com/x").unwrap_err().starts_with("Unsupported protocol ftp"));
        assert!(Target::parse("http://u:p@h/").unwrap_err().contains("Credentials"));
        assert!(Target::parse("http://h:notaport/").unwrap_err().starts_with("Malformed URL"));
        assert!(Target::parse("http://:80/").unwrap_err().starts_with("Malformed URL"));
        assert!(Target::parse("no scheme").unwrap_err().starts_with("Malformed URL"));
    }
}
