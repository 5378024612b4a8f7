//! Request limits for every route (API, OAuth, inbox, files, pages), with
//! Mastodon's `X-RateLimit-*` headers.
//!
//! Schools put hundreds of teachers behind one NAT address, so signed-in
//! API requests are counted per account; anonymous ones, sign-ins and
//! everything else per client address ([`client`]); inbox deliveries per
//! remote server. Every request also counts against its address's overall
//! limit. Counting is GCRA (the `governor` crate): a client's allowance
//! refills steadily over the window rather than all at once.

pub mod client;

use crate::{
    api::auth::{bearer, bearer_or_query, Resolved},
    config::LimitSettings,
    core::Core,
    federation::inbox::checks::key_owner_host,
};
use actix_web::{
    body::EitherBody,
    dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform},
    http::{header::HeaderValue, Method},
    web, Error, HttpMessage, HttpResponse,
};
use chrono::{DateTime, Utc};
use futures::future::{ready, LocalBoxFuture, Ready};
use governor::{
    clock::{Clock, DefaultClock},
    middleware::StateInformationMiddleware,
    state::keyed::DefaultKeyedStateStore,
    Quota, RateLimiter,
};
use ipnet::IpNet;
use std::{
    hash::Hash,
    net::{IpAddr, Ipv4Addr},
    num::NonZeroU32,
    rc::Rc,
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::Duration,
};

/// The window every limit is stated for: N requests per 5 minutes.
pub const WINDOW: Duration = Duration::from_secs(300);
/// Forget idle clients after this many checks.
const TIDY_EVERY: u64 = 4096;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, DefaultClock, StateInformationMiddleware>;

/// What a request is counted as, from its method and path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Sign-in, token and sign-up requests.
    Auth,
    /// The client APIs (`/api/`, `/oauth/`).
    Api,
    /// Deliveries from other servers.
    Inbox,
    /// Files, pages, actors, discovery.
    Other,
}

impl Class {
    pub fn of(method: &Method, path: &str) -> Class {
        let path = path.trim_end_matches('/');
        if *method == Method::POST
            && (path == "/oauth/token" || path == "/oauth/authorize" || path == "/api/v1/accounts")
        {
            return Class::Auth;
        }
        if path.starts_with("/api/") || path.starts_with("/oauth/") {
            return Class::Api;
        }
        let user_inbox = path
            .strip_prefix("/users/")
            .and_then(|rest| rest.strip_suffix("/inbox"))
            .is_some_and(|name| !name.is_empty() && !name.contains('/'));
        if *method == Method::POST && (path == "/inbox" || user_inbox) {
            return Class::Inbox;
        }
        Class::Other
    }
}

/// The outcome of counting one request against one limit.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub allowed: bool,
    pub limit: u32,
    pub remaining: u32,
    /// When the allowance is whole again (allowed) or the next request may
    /// pass (refused).
    pub reset: DateTime<Utc>,
}

struct Inner {
    trusted: Vec<IpNet>,
    address: Keyed<IpAddr>,
    anonymous: Keyed<IpAddr>,
    auth: Keyed<IpAddr>,
    account: Keyed<i64>,
    server: Keyed<(String, IpAddr)>,
    checks: AtomicU64,
}

/// The limits of one server process, shared by its workers.
#[derive(Clone)]
pub struct Throttle(Arc<Inner>);

fn keyed<K: Hash + Eq + Clone>(per_window: u32) -> Keyed<K> {
    let burst = NonZeroU32::new(per_window.max(1)).unwrap_or(NonZeroU32::MIN);
    let quota = Quota::with_period(WINDOW / burst.get())
        .unwrap_or_else(|| Quota::per_second(burst))
        .allow_burst(burst);
    RateLimiter::keyed(quota).with_middleware::<StateInformationMiddleware>()
}

fn count<K: Hash + Eq + Clone>(limiter: &Keyed<K>, key: &K) -> Verdict {
    let now = Utc::now();
    match limiter.check_key(key) {
        Ok(state) => {
            let limit = state.quota().burst_size().get();
            let remaining = state.remaining_burst_capacity();
            let refill = state.quota().replenish_interval() * (limit - remaining.min(limit));
            Verdict {
                allowed: true,
                limit,
                remaining,
                reset: now + chrono::Duration::from_std(refill).unwrap_or_default(),
            }
        }
        Err(not_until) => {
            let wait = not_until.wait_time_from(limiter.clock().now());
            Verdict {
                allowed: false,
                limit: not_until.quota().burst_size().get(),
                remaining: 0,
                reset: now + chrono::Duration::from_std(wait).unwrap_or_default(),
            }
        }
    }
}

impl Throttle {
    pub fn new(limits: &LimitSettings, trusted_proxies: Vec<IpNet>) -> Throttle {
        Throttle(Arc::new(Inner {
            trusted: trusted_proxies,
            address: keyed(limits.address_requests_per_window),
            anonymous: keyed(limits.anonymous_requests_per_window),
            auth: keyed(limits.auth_requests_per_window),
            account: keyed(limits.account_requests_per_window),
            server: keyed(limits.inbox_requests_per_window),
            checks: AtomicU64::new(0),
        }))
    }

    /// The key the client's address is counted under.
    fn address_of(&self, req: &ServiceRequest) -> IpAddr {
        let joined = |name: &str| {
            let values: Vec<&str> = req
                .headers()
                .get_all(name)
                .filter_map(|v| v.to_str().ok())
                .collect();
            (!values.is_empty()).then(|| values.join(","))
        };
        let address = client::client_address(
            req.peer_addr().map(|a| a.ip()),
            joined("forwarded").as_deref(),
            joined("x-forwarded-for").as_deref(),
            &self.0.trusted,
        );
        client::address_key(address.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)))
    }

    fn tidy(&self) {
        if self.0.checks.fetch_add(1, Ordering::Relaxed) % TIDY_EVERY == TIDY_EVERY - 1 {
            let i = &self.0;
            i.address.retain_recent();
            i.anonymous.retain_recent();
            i.auth.retain_recent();
            i.account.retain_recent();
            i.server.retain_recent();
        }
    }

    /// Count `req` against its limits. An API request's bearer token is
    /// looked up once here, and the result left for the handler.
    async fn decide(&self, req: &ServiceRequest) -> Verdict {
        self.tidy();
        let address = self.address_of(req);
        let overall = count(&self.0.address, &address);
        if !overall.allowed {
            return overall;
        }
        match Class::of(req.method(), req.path()) {
            Class::Auth => count(&self.0.auth, &address),
            Class::Api => match self.account_of(req).await {
                Some(id) => count(&self.0.account, &id),
                None => count(&self.0.anonymous, &address),
            },
            Class::Inbox => {
                let signer = ["signature", "authorization"].iter().find_map(|h| {
                    let v = req.headers().get(*h)?.to_str().ok()?;
                    key_owner_host(v.strip_prefix("Signature ").unwrap_or(v))
                });
                // Per server and address: a forged key id names a server
                // but cannot spend that server's own allowance.
                match signer {
                    Some(host) => count(&self.0.server, &(host, address)),
                    None => count(&self.0.anonymous, &address),
                }
            }
            Class::Other => overall,
        }
    }

    /// The signed-in account of an API request, if its token is valid.
    async fn account_of(&self, req: &ServiceRequest) -> Option<i64> {
        let token = if req.path().starts_with("/api/v1/streaming") {
            bearer_or_query(req.request())?
        } else {
            bearer(req.request())?
        };
        let core = req.app_data::<web::Data<Core>>()?;
        let caller = core.caller(&token).await.ok()?;
        let account = caller
            .as_ref()
            .and_then(|c| c.account.as_ref().map(|a| a.id));
        req.extensions_mut().insert(Resolved { token, caller });
        account
    }
}

fn set_headers<B>(res: &mut ServiceResponse<B>, v: &Verdict) {
    let h = res.headers_mut();
    let value = |s: String| HeaderValue::from_str(&s).unwrap_or(HeaderValue::from_static("0"));
    h.insert(
        "x-ratelimit-limit".parse().expect("header name"),
        value(v.limit.to_string()),
    );
    h.insert(
        "x-ratelimit-remaining".parse().expect("header name"),
        value(v.remaining.to_string()),
    );
    h.insert(
        "x-ratelimit-reset".parse().expect("header name"),
        value(v.reset.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
    );
    if !v.allowed {
        let secs = (v.reset - Utc::now()).num_seconds().max(1);
        h.insert(
            "retry-after".parse().expect("header name"),
            value(secs.to_string()),
        );
    }
}

impl<S, B> Transform<S, ServiceRequest> for Throttle
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = Throttled<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(Throttled {
            service: Rc::new(service),
            throttle: self.clone(),
        }))
    }
}

/// A service behind the limits.
pub struct Throttled<S> {
    service: Rc<S>,
    throttle: Throttle,
}

impl<S, B> Service<ServiceRequest> for Throttled<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        let throttle = self.throttle.clone();
        Box::pin(async move {
            let verdict = throttle.decide(&req).await;
            let mut res = if verdict.allowed {
                service.call(req).await?.map_into_left_body()
            } else {
                req.into_response(
                    HttpResponse::TooManyRequests()
                        .json(serde_json::json!({"error": "Too many requests"})),
                )
                .map_into_right_body()
            };
            set_headers(&mut res, &verdict);
            Ok(res)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classed_by_route() {
        let (get, post) = (Method::GET, Method::POST);
        assert_eq!(Class::of(&post, "/oauth/token"), Class::Auth);
        assert_eq!(Class::of(&post, "/api/v1/accounts/"), Class::Auth);
        assert_eq!(Class::of(&get, "/api/v1/accounts/1"), Class::Api);
        assert_eq!(Class::of(&get, "/oauth/authorize"), Class::Api);
        assert_eq!(Class::of(&post, "/inbox"), Class::Inbox);
        assert_eq!(Class::of(&post, "/users/ada/inbox"), Class::Inbox);
        assert_eq!(Class::of(&post, "/users/a/b/inbox"), Class::Other);
        assert_eq!(Class::of(&get, "/system/media/x.png"), Class::Other);
        assert_eq!(Class::of(&get, "/@ada"), Class::Other);
    }

    #[test]
    fn each_key_has_its_own_allowance() {
        let limiter = keyed::<i64>(3);
        for left in [2, 1, 0] {
            let v = count(&limiter, &1);
            assert!(v.allowed);
            assert_eq!((v.limit, v.remaining), (3, left));
        }
        let refused = count(&limiter, &1);
        assert!(!refused.allowed);
        assert!(refused.reset > Utc::now() + chrono::Duration::seconds(60));
        assert!(count(&limiter, &2).allowed);
    }
}
