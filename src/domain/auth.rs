//! The signed-in user's auth session as GoTrue returns it, and the pure rules around it:
//! when to refresh it and where a user may be sent after signing in.

use serde::{Deserialize, Serialize};

use super::routes::{self, HOME};

/// Seconds before `expires_at` at which the access token is refreshed.
pub const REFRESH_MARGIN_SECS: i64 = 60;

/// The user inside an auth session (only the fields the app uses; the rest is ignored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthUser {
    pub id: String,
    #[serde(default)]
    pub email: Option<String>,
}

/// An auth session: `{access_token, token_type, expires_in, expires_at, refresh_token, user}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthSession {
    pub access_token: String,
    #[serde(default)]
    pub token_type: String,
    #[serde(default)]
    pub expires_in: i64,
    /// Unix seconds; GoTrue always sends it, older servers may not (see [`AuthSession::stamped`]).
    #[serde(default)]
    pub expires_at: Option<i64>,
    pub refresh_token: String,
    pub user: AuthUser,
}

impl AuthSession {
    /// Fills a missing `expires_at` from `expires_in`, counted from `now` (unix seconds).
    pub fn stamped(mut self, now: i64) -> Self {
        if self.expires_at.is_none() {
            self.expires_at = Some(now + self.expires_in);
        }
        self
    }

    /// Seconds from `now` until the token should be refreshed (0 when it is due already).
    pub fn refresh_due_in(&self, now: i64) -> i64 {
        let expires_at = self.expires_at.unwrap_or(now);
        (expires_at - REFRESH_MARGIN_SECS - now).max(0)
    }

    /// Whether the token is expired or close enough to expiry that it must be refreshed first.
    pub fn needs_refresh(&self, now: i64) -> bool {
        self.refresh_due_in(now) == 0
    }

    /// The email to show for the signed-in user.
    pub fn email(&self) -> &str {
        self.user.email.as_deref().unwrap_or("")
    }
}

/// What a tab should do when its token is due, given the session it holds and the one in
/// shared storage at that moment (read inside the cross-tab lock).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshPlan {
    /// Another tab already rotated the token: use its session, do not replay ours.
    Adopt(AuthSession),
    /// Refresh with this refresh token (the newest one any tab holds).
    Refresh(String),
    /// Another tab signed out: sign out here too.
    SignedOutElsewhere,
}

/// One refresh-token rotation: `parent` was exchanged for `session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRotation {
    pub parent: String,
    pub session: AuthSession,
}

/// The newest session a tab can know of inside the refresh lock: the stored copy, unless the
/// last rotation shows that copy's refresh token was already exchanged (the copy is stale),
/// then the session it was exchanged for.
pub fn newest_session(stored: Option<AuthSession>, last: Option<TokenRotation>) -> Option<AuthSession> {
    match (stored, last) {
        (Some(stored), Some(last)) if last.parent == stored.refresh_token => Some(last.session),
        (stored, _) => stored,
    }
}

/// Decides how to refresh. A refresh token that another tab has rotated must never be sent
/// again: outside the reuse window the server would revoke the whole session for it.
pub fn refresh_plan(held: &AuthSession, stored: Option<&AuthSession>, now: i64) -> RefreshPlan {
    match stored {
        None => RefreshPlan::SignedOutElsewhere,
        Some(stored) if stored.refresh_token != held.refresh_token && !stored.needs_refresh(now) => {
            RefreshPlan::Adopt(stored.clone())
        }
        Some(stored) => RefreshPlan::Refresh(stored.refresh_token.clone()),
    }
}

/// The path to go to after signing in: `next` when it is a same-site path under `/app/`,
/// otherwise [`HOME`]. Rejects absolute and protocol-relative URLs and backslash tricks.
pub fn safe_next_path(next: Option<&str>) -> String {
    match next {
        Some(path)
            if routes::is_under_app(path)
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.contains("://")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => HOME.href(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SESSION: &str = r#"{"access_token":"a.b.c","token_type":"bearer","expires_in":3600,
        "expires_at":1767225600,"refresh_token":"r1","weak_password":null,
        "user":{"id":"8d0f","aud":"authenticated","email":"a@b.co","phone":"","identities":[]}}"#;

    #[test]
    fn session_parses_from_the_gotrue_shape() {
        let s: AuthSession = serde_json::from_str(SESSION).unwrap();
        assert_eq!(s.user.email.as_deref(), Some("a@b.co"));
        assert_eq!(s.expires_at, Some(1_767_225_600));
        assert_eq!(s.email(), "a@b.co");
    }

    #[test]
    fn a_bare_user_is_not_a_session() {
        let user = r#"{"id":"8d0f","email":"a@b.co","confirmation_sent_at":"2026-01-01T00:00:00Z"}"#;
        assert!(serde_json::from_str::<AuthSession>(user).is_err());
    }

    #[test]
    fn missing_expiry_is_stamped_from_expires_in() {
        let mut s: AuthSession = serde_json::from_str(SESSION).unwrap();
        s.expires_at = None;
        assert_eq!(s.stamped(1000).expires_at, Some(4600));
    }

    #[test]
    fn refresh_is_due_a_minute_before_expiry() {
        let s: AuthSession = serde_json::from_str(SESSION).unwrap();
        let exp = 1_767_225_600;
        assert_eq!(s.refresh_due_in(exp - 3600), 3540);
        assert!(!s.needs_refresh(exp - 61));
        assert!(s.needs_refresh(exp - 60));
        assert!(s.needs_refresh(exp + 10));
        assert_eq!(s.refresh_due_in(exp + 10), 0);
    }

    #[test]
    fn a_token_rotated_by_another_tab_is_adopted_not_replayed() {
        let held: AuthSession = serde_json::from_str(SESSION).unwrap();
        let exp = held.expires_at.unwrap();
        let mut newer = held.clone();
        newer.refresh_token = "r2".into();
        newer.expires_at = Some(exp + 3600);
        assert_eq!(refresh_plan(&held, Some(&newer), exp - 30), RefreshPlan::Adopt(newer.clone()));
        // The stored copy is ours (or also due): refresh with the newest token there is.
        assert_eq!(refresh_plan(&held, Some(&held), exp - 30), RefreshPlan::Refresh("r1".into()));
        let mut stale_newer = newer.clone();
        stale_newer.expires_at = Some(exp - 10);
        assert_eq!(refresh_plan(&held, Some(&stale_newer), exp), RefreshPlan::Refresh("r2".into()));
        assert_eq!(refresh_plan(&held, None, exp), RefreshPlan::SignedOutElsewhere);
    }

    #[test]
    fn a_stored_copy_already_rotated_gives_way_to_the_rotation() {
        let stale: AuthSession = serde_json::from_str(SESSION).unwrap();
        let mut child = stale.clone();
        child.refresh_token = "r2".into();
        let rotation = |parent: &str| Some(TokenRotation { parent: parent.into(), session: child.clone() });
        assert_eq!(newest_session(Some(stale.clone()), rotation("r1")), Some(child.clone()));
        // The stored copy is newer than (or unrelated to) the last rotation: it stands.
        assert_eq!(newest_session(Some(stale.clone()), rotation("r0")), Some(stale.clone()));
        assert_eq!(newest_session(Some(stale.clone()), None), Some(stale));
        // Signed out: the rotation does not sign anyone back in.
        assert_eq!(newest_session(None, rotation("r1")), None);
    }

    #[test]
    fn next_path_stays_inside_the_app() {
        assert_eq!(safe_next_path(Some("/app/generate?x=1")), "/app/generate?x=1");
        assert_eq!(safe_next_path(Some("/app/posts")), "/app/posts");
        // A Mastodon instance's answer survives a sign-in on the way back.
        for callback in [
            "/app/accounts?code=Qx7-_abc&state=3f9c2b7e-1d2a",
            "/app/accounts?error=access_denied&error_description=The%20resource%20owner%20denied&state=s-1",
        ] {
            assert_eq!(safe_next_path(Some(callback)), callback);
        }
        for bad in [
            "https://evil.example/app/",
            "//evil.example/app/x",
            "/login",
            "/app",
            "/app/\\evil",
            "javascript:void(0)",
            "",
        ] {
            assert_eq!(safe_next_path(Some(bad)), HOME.href(), "{bad}");
        }
        assert_eq!(safe_next_path(None), HOME.href());
    }
}
