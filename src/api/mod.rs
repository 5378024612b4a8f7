//! The client APIs: Mastodon's (for apps) and, later, Staffroom's own.

pub mod auth;
pub mod error;
pub mod mastodon;
pub mod pagination;
pub mod params;
pub mod rate_limit;
pub mod staffroom;

use actix_cors::Cors;
use actix_web::{
    body::EitherBody,
    dev::{Service, ServiceResponse},
    http::{header::HeaderValue, Method},
    web, HttpResponse,
};
use mastodon::oauth;
use rate_limit::{Bucket, RateLimiter};
use serde_json::json;

fn cors() -> Cors {
    Cors::default()
        .allow_any_origin()
        .allow_any_method()
        .allow_any_header()
        .expose_headers([
            "Link",
            "X-RateLimit-Limit",
            "X-RateLimit-Remaining",
            "X-RateLimit-Reset",
        ])
        .max_age(3600)
}

async fn not_found() -> HttpResponse {
    HttpResponse::NotFound().json(json!({"error": "Not found"}))
}

/// Count the request against its client's limit; answer 429 past it.
fn limited<S, B>(
    limiter: RateLimiter,
) -> impl Fn(
    actix_web::dev::ServiceRequest,
    &S,
) -> futures::future::LocalBoxFuture<
    'static,
    Result<ServiceResponse<EitherBody<B>>, actix_web::Error>,
> + Clone
where
    S: Service<
        actix_web::dev::ServiceRequest,
        Response = ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    S::Future: 'static,
    B: 'static,
{
    move |req, srv| {
        let auth = req.method() == Method::POST
            && (req.path().starts_with("/oauth/token")
                || req.path().starts_with("/oauth/authorize")
                || req.path().trim_end_matches('/') == "/api/v1/accounts");
        let bucket = if auth { Bucket::Auth } else { Bucket::Api };
        let d = limiter.check(req.peer_addr().map(|a| a.ip()), bucket, chrono::Utc::now());
        let call = if d.allowed {
            Ok(srv.call(req))
        } else {
            Err(req.into_response(
                HttpResponse::TooManyRequests().json(json!({"error": "Too many requests"})),
            ))
        };
        Box::pin(async move {
            let mut res = match call {
                Ok(f) => f.await?.map_into_left_body(),
                Err(refused) => refused.map_into_right_body(),
            };
            let h = res.headers_mut();
            let value =
                |s: String| HeaderValue::from_str(&s).unwrap_or(HeaderValue::from_static("0"));
            h.insert(
                "x-ratelimit-limit".parse().expect("header name"),
                value(d.limit.to_string()),
            );
            h.insert(
                "x-ratelimit-remaining".parse().expect("header name"),
                value(d.remaining.to_string()),
            );
            h.insert(
                "x-ratelimit-reset".parse().expect("header name"),
                value(d.reset.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()),
            );
            Ok(res)
        })
    }
}

pub fn configure(cfg: &mut web::ServiceConfig, limiter: RateLimiter) {
    use web::{get, post};
    cfg.service(
        staffroom::routes(mastodon::routes::api(web::scope("/api")))
            .default_service(web::to(not_found))
            .wrap_fn(limited(limiter.clone()))
            .wrap(cors()),
    )
    .service(
        web::scope("/oauth")
            .wrap_fn(limited(limiter))
            .wrap(cors())
            .route("/authorize", get().to(oauth::authorize_page))
            .route("/authorize", post().to(oauth::authorize))
            .route("/token", post().to(oauth::token))
            .route("/revoke", post().to(oauth::revoke)),
    )
    .route(
        "/.well-known/oauth-authorization-server",
        get().to(oauth::metadata),
    );
}
