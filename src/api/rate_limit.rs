//! Per-client request limits with Mastodon's `X-RateLimit-*` headers.
//! Clients are keyed by the connection's address (never by a header the
//! client controls). Sign-in and token requests have a tighter limit.

use chrono::{DateTime, Utc};
use std::{
    collections::HashMap,
    net::IpAddr,
    sync::{Arc, Mutex},
};

const WINDOW_SECONDS: i64 = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bucket {
    Api,
    Auth,
}

/// The outcome of counting one request.
#[derive(Debug, Clone)]
pub struct Decision {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    pub reset: DateTime<Utc>,
}

/// Requests counted per (client, bucket): (window number, count).
type Windows = HashMap<(Option<IpAddr>, Bucket), (i64, u32)>;

#[derive(Clone)]
pub struct RateLimiter {
    limits: (u32, u32),
    windows: Arc<Mutex<Windows>>,
}

impl RateLimiter {
    pub fn new(api: u32, auth: u32) -> RateLimiter {
        RateLimiter {
            limits: (api, auth),
            windows: Default::default(),
        }
    }

    pub fn check(&self, client: Option<IpAddr>, bucket: Bucket, now: DateTime<Utc>) -> Decision {
        let limit = match bucket {
            Bucket::Api => self.limits.0,
            Bucket::Auth => self.limits.1,
        };
        let window = now.timestamp() / WINDOW_SECONDS;
        let mut map = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > 100_000 {
            map.retain(|_, (w, _)| *w == window);
        }
        let entry = map.entry((client, bucket)).or_insert((window, 0));
        if entry.0 != window {
            *entry = (window, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        let reset = DateTime::from_timestamp((window + 1) * WINDOW_SECONDS, 0).unwrap_or(now);
        Decision {
            allowed: entry.1 <= limit,
            limit,
            remaining: limit.saturating_sub(entry.1),
            reset,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_per_client_and_bucket_and_resets_each_window() {
        let l = RateLimiter::new(3, 1);
        let t = DateTime::from_timestamp(1_700_000_100, 0).unwrap();
        let a: Option<IpAddr> = Some("10.0.0.1".parse().unwrap());
        let b: Option<IpAddr> = Some("10.0.0.2".parse().unwrap());
        assert!(l.check(a, Bucket::Api, t).allowed);
        assert!(l.check(a, Bucket::Api, t).allowed);
        let d = l.check(a, Bucket::Api, t);
        assert!(d.allowed && d.remaining == 0);
        assert!(!l.check(a, Bucket::Api, t).allowed);
        assert!(l.check(b, Bucket::Api, t).allowed);
        assert!(l.check(a, Bucket::Auth, t).allowed);
        assert!(!l.check(a, Bucket::Auth, t).allowed);
        let later = t + chrono::Duration::seconds(WINDOW_SECONDS);
        assert!(l.check(a, Bucket::Api, later).allowed);
    }
}
