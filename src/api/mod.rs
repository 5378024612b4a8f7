//! The client APIs: Mastodon's (for apps) and, later, Staffroom's own.

pub mod auth;
pub mod error;
pub mod mastodon;
pub mod pagination;
pub mod params;
pub mod staffroom;

use actix_cors::Cors;
use actix_web::{web, HttpResponse};
use mastodon::oauth;
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

pub fn configure(cfg: &mut web::ServiceConfig) {
    use web::{get, post};
    cfg.service(
        staffroom::routes(mastodon::routes::api(web::scope("/api")))
            .default_service(web::to(not_found))
            .wrap(cors()),
    )
    .service(
        web::scope("/oauth")
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
