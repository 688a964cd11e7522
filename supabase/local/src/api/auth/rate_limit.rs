//! GoTrue's per-IP request limits (`[auth.rate_limit]`): a token bucket per client address that
//! holds `limit` requests and refills at `limit` per 5 minutes, so a burst of `limit` passes and
//! then requests are let through only as fast as the rate allows. Every request counts,
//! successful or not, as in GoTrue, where the limiter runs before the handler.
use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::api::error::ApiError;
use crate::api::SharedState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::net::SocketAddr;

/// Middleware for `/signup` and `/token`: sign-ups and password grants share the
/// `sign_in_sign_ups` bucket of the client address; refresh grants are not counted here.
pub async fn sign_in_sign_ups(State(state): State<SharedState>, req: Request, next: Next) -> Response {
    let password_grant = req.uri().query().is_some_and(|q| q.split('&').any(|kv| kv == "grant_type=password"));
    let counted = req.uri().path().ends_with("/signup") || password_grant;
    let ip = req.extensions().get::<ConnectInfo<SocketAddr>>().map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
    if counted && !state.auth_limits.sign_in_sign_ups.allow(ip) {
        let version = req.headers().get("x-supabase-api-version").and_then(|v| v.to_str().ok());
        return ApiError::auth(429, "over_request_rate_limit", "Request rate limit reached")
            .with_api_version(version)
            .into_response();
    }
    next.run(req).await
}

/// The `[auth.rate_limit]` buckets supabase-local enforces.
pub struct AuthLimits {
    /// Sign-ups and password sign-ins per client IP (`sign_in_sign_ups`).
    pub sign_in_sign_ups: RateLimiter,
}

impl AuthLimits {
    pub fn new(settings: &crate::config::Settings) -> AuthLimits {
        AuthLimits { sign_in_sign_ups: RateLimiter::per_five_minutes(settings.sign_in_sign_ups) }
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
