//! The app's paths and their parameters, in one place. Links and navigations build their URL
//! with [`Route::href`]; the router (`AppRoutes` in `lib.rs`) builds its path definitions from
//! the segment and parameter names below, so a path is spelled nowhere else.
//!
//! It lives in `domain` because the bottom layer needs paths too (where a user may go after
//! signing in, where a Mastodon instance sends the creator back), and it stays pure: the
//! router's segment types are made from these names in `lib.rs`.

/// `/login`.
pub const LOGIN: &str = "login";
/// `/app`: everything under it needs a signed-in user.
pub const APP: &str = "app";
/// `/app/generate` (and the bare `/generate`, which redirects home).
pub const GENERATE: &str = "generate";
/// `/app/posts`.
pub const POSTS: &str = "posts";
/// `/app/accounts`.
pub const ACCOUNTS: &str = "accounts";

/// The path parameter of `/app/generate/:session_id`.
pub const SESSION_ID: &str = "session_id";
/// The query parameter of `/login?next=<path>`: where to go after signing in.
pub const NEXT: &str = "next";
/// The query parameter of the Generate page's `?post=<generation id>`: the open post dialog.
pub const POST: &str = "post";

/// A page of the app, with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    /// `/login`, optionally `?next=<path>` (the page asked for before signing in).
    Login { next: Option<&'a str> },
    /// `/app/generate`: the newest session, or the empty workspace. The signed-in home.
    Generate,
    /// `/app/generate/<session id>`.
    Session(&'a str),
    /// `/app/posts`.
    Posts,
    /// `/app/accounts`.
    Accounts,
}

/// Where a signed-in user lands when no (valid) destination was asked for.
pub const HOME: Route<'static> = Route::Generate;

impl Route<'_> {
    /// The URL to link or navigate to (path and query, same origin).
    pub fn href(&self) -> String {
        match self {
            Route::Login { next: None } => format!("/{LOGIN}"),
            Route::Login { next: Some(next) } => format!("/{LOGIN}?{NEXT}={}", encode_component(next)),
            Route::Generate => format!("/{APP}/{GENERATE}"),
            Route::Session(id) => format!("/{APP}/{GENERATE}/{}", encode_component(id)),
            Route::Posts => format!("/{APP}/{POSTS}"),
            Route::Accounts => format!("/{APP}/{ACCOUNTS}"),
        }
    }
}

/// `path` (the Generate page's current path) with the post dialog open for `generation_id`.
pub fn with_post(path: &str, generation_id: &str) -> String {
    format!("{path}?{POST}={}", encode_component(generation_id))
}

/// Whether `path` is under `/app/` (not `/app` itself).
pub fn is_under_app(path: &str) -> bool {
    path.strip_prefix('/').and_then(|rest| rest.strip_prefix(APP)).is_some_and(|rest| rest.starts_with('/'))
}

/// Whether `path` is the Generate page (with or without a session).
pub fn is_generate(path: &str) -> bool {
    path.starts_with(&Route::Generate.href())
}

/// Percent-encodes `value` as JavaScript's `encodeURIComponent` does: UTF-8 bytes, everything
/// but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` escaped with upper-case hex.
fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_its_path() {
        assert_eq!(Route::Login { next: None }.href(), "/login");
        assert_eq!(Route::Generate.href(), "/app/generate");
        assert_eq!(HOME.href(), "/app/generate");
        assert_eq!(Route::Session("3f9c-2b7e").href(), "/app/generate/3f9c-2b7e");
        assert_eq!(Route::Posts.href(), "/app/posts");
        assert_eq!(Route::Accounts.href(), "/app/accounts");
    }

    #[test]
    fn parameters_are_encoded_as_encode_uri_component_does() {
        assert_eq!(
            Route::Login { next: Some("/app/generate/s1?post=g 1&x=é") }.href(),
            "/login?next=%2Fapp%2Fgenerate%2Fs1%3Fpost%3Dg%201%26x%3D%C3%A9"
        );
        assert_eq!(with_post("/app/generate/s1", "g-1_(x)!~*'."), "/app/generate/s1?post=g-1_(x)!~*'.");
        assert_eq!(with_post("/app/generate", "a/b"), "/app/generate?post=a%2Fb");
        assert_eq!(Route::Session("a b").href(), "/app/generate/a%20b");
    }

    #[test]
    fn tells_the_app_and_generate_paths() {
        assert!(is_under_app("/app/posts"));
        assert!(!is_under_app("/app"));
        assert!(!is_under_app("/apps/x"));
        assert!(!is_under_app("/login"));
        assert!(is_generate("/app/generate"));
        assert!(is_generate("/app/generate/s1"));
        assert!(!is_generate("/app/posts"));
    }
}
