//! GoTrue's per-IP request limits (`[auth.rate_limit]`): a token bucket per client address that
//! holds `limit` requests and refills at `limit` per 5 minutes, so a burst of `limit` passes and
//! then requests are let through only as fast as the rate allows. Every request counts,
//! successful or not, as in GoTrue, where the limiter runs before the handler.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::grant::GrantType;
use crate::api::error::ApiError;
use crate::api::SharedState;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{Method, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Middleware for every `/auth/v1` route: a request that a bucket covers takes one request
/// from its client address's bucket first, and gets GoTrue's 429 when it is empty.
pub async fn request_limits(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    let bucket = state.auth_limits.bucket_for(req.method(), req.uri());
    if bucket.is_some_and(|b| !b.allow(ip)) {
        let version = req.headers().get("x-supabase-api-version").and_then(|v| v.to_str().ok());
        return ApiError::auth(429, "over_request_rate_limit", "Request rate limit reached")
            .with_api_version(version)
            .into_response();
    }
    next.run(req).await
}

/// The `[auth.rate_limit]` buckets supabase-local enforces.
pub struct AuthLimits {
    /// `sign_in_sign_ups`: sign-ups, password sign-ins and user updates (GoTrue's OTP limit,
    /// which the Supabase CLI sets from `sign_in_sign_ups`, also covers `PUT /user`).
    pub sign_in_sign_ups: RateLimiter,
    /// `token_refresh`: refresh-token grants.
    pub token_refresh: RateLimiter,
}

impl AuthLimits {
    pub fn new(settings: &crate::config::Settings) -> AuthLimits {
        AuthLimits {
            sign_in_sign_ups: RateLimiter::per_five_minutes(settings.sign_in_sign_ups),
            token_refresh: RateLimiter::per_five_minutes(settings.token_refresh),
        }
    }

    /// The bucket a request counts against, if any. Unsupported grant types are not counted:
    /// GoTrue refuses them before its limiter runs.
    fn bucket_for(&self, method: &Method, uri: &Uri) -> Option<&RateLimiter> {
        match (method, uri.path()) {
            (&Method::POST, "/auth/v1/signup") => Some(&self.sign_in_sign_ups),
            (&Method::POST, "/auth/v1/token") => match GrantType::of(uri) {
                GrantType::Password => Some(&self.sign_in_sign_ups),
                GrantType::RefreshToken => Some(&self.token_refresh),
                GrantType::Unsupported => None,
            },
            (&Method::PUT, "/auth/v1/user") => Some(&self.sign_in_sign_ups),
            _ => None,
        }
    }
}

const WINDOW: Duration = Duration::from_secs(5 * 60);
/// Buckets idle this long are full again and can be forgotten.
const FORGET_AFTER: Duration = Duration::from_secs(10 * 60);

struct Bucket {
    tokens: f64,
    at: Instant,
}

pub struct RateLimiter {
    limit: u32,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

impl RateLimiter {
    pub fn per_five_minutes(limit: u32) -> RateLimiter {
        RateLimiter { limit, buckets: Mutex::default() }
    }

    /// Takes one request from `ip`'s bucket; false when the bucket is empty (answer 429).
    pub fn allow(&self, ip: IpAddr) -> bool {
        self.allow_at(ip, Instant::now())
    }

    fn allow_at(&self, ip: IpAddr, now: Instant) -> bool {
        let capacity = f64::from(self.limit);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 10_000 {
            buckets.retain(|_, b| now.duration_since(b.at) < FORGET_AFTER);
        }
        let b = buckets.entry(ip).or_insert(Bucket { tokens: capacity, at: now });
        let refill = now.duration_since(b.at).as_secs_f64() / WINDOW.as_secs_f64() * capacity;
        b.tokens = (b.tokens + refill).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_of_the_limit_passes_then_the_rate_refills() {
        let limiter = RateLimiter::per_five_minutes(30);
        let (ip, other): (IpAddr, IpAddr) = ("127.0.0.1".parse().unwrap(), "127.0.0.2".parse().unwrap());
        let t0 = Instant::now();
        assert!((0..30).all(|_| limiter.allow_at(ip, t0)));
        assert!(!limiter.allow_at(ip, t0), "the 31st request within the window is refused");
        assert!(limiter.allow_at(other, t0), "another address has its own bucket");
        // 30 per 300 s: one request comes back every 10 s.
        assert!(!limiter.allow_at(ip, t0 + Duration::from_secs(5)));
        assert!(limiter.allow_at(ip, t0 + Duration::from_secs(11)));
        assert!(!limiter.allow_at(ip, t0 + Duration::from_secs(11)));
        let zero = RateLimiter::per_five_minutes(0);
        assert!(!zero.allow_at(ip, t0));
    }
}
