//! The `grant_type` of a `/token` request, read once for both the rate limiter and the
//! handler, so the two can never disagree about what a request is.
use axum::extract::Query;
use axum::http::Uri;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrantType {
    Password,
    RefreshToken,
    Unsupported,
}

impl GrantType {
    /// As Go's `r.FormValue("grant_type")` reads it: the first `grant_type` of the query,
    /// percent-decoded (`p%61ssword` is `password`).
    pub fn of(uri: &Uri) -> GrantType {
        let pairs = Query::<Vec<(String, String)>>::try_from_uri(uri).map(|q| q.0).unwrap_or_default();
        match pairs.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.as_str()) {
            Some("password") => GrantType::Password,
            Some("refresh_token") => GrantType::RefreshToken,
            _ => GrantType::Unsupported,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(uri: &str) -> GrantType {
        GrantType::of(&uri.parse().unwrap())
    }

    #[test]
    fn the_grant_type_is_read_decoded_and_first_wins() {
        assert_eq!(of("/auth/v1/token?grant_type=password"), GrantType::Password);
        assert_eq!(of("/auth/v1/token?grant_type=p%61ssword"), GrantType::Password);
        assert_eq!(of("/auth/v1/token?x=1&grant_type=%72efresh_token"), GrantType::RefreshToken);
        assert_eq!(of("/auth/v1/token?grant_type=password&grant_type=refresh_token"), GrantType::Password);
        assert_eq!(of("/auth/v1/token?grant_type=magic"), GrantType::Unsupported);
        assert_eq!(of("/auth/v1/token"), GrantType::Unsupported);
    }
}
