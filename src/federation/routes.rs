//! The federation endpoints.

use super::{collections, inbox, nodeinfo, serve, webfinger};
use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig, inbox_max_bytes: usize) {
    cfg.route("/.well-known/webfinger", web::get().to(webfinger::serve))
        .route("/.well-known/nodeinfo", web::get().to(nodeinfo::well_known))
        .route("/.well-known/host-meta", web::get().to(nodeinfo::host_meta))
        .route(
            "/.well-known/host-meta.json",
            web::get().to(nodeinfo::host_meta_json),
        )
        .route("/nodeinfo/{version}", web::get().to(nodeinfo::document))
        .route("/actor", web::get().to(serve::instance_actor))
        .service(
            web::resource("/inbox")
                .app_data(web::PayloadConfig::new(inbox_max_bytes + 1))
                .route(web::post().to(inbox::shared)),
        )
        .service(
            web::resource("/users/{name}/inbox")
                .app_data(web::PayloadConfig::new(inbox_max_bytes + 1))
                .route(web::post().to(inbox::personal)),
        )
        .route("/users/{name}", web::get().to(serve::actor))
        .route("/users/{name}/outbox", web::get().to(collections::outbox))
        .route(
            "/users/{name}/followers",
            web::get().to(collections::followers),
        )
        .route(
            "/users/{name}/following",
            web::get().to(collections::following),
        )
        .route(
            "/users/{name}/collections/featured",
            web::get().to(collections::featured),
        )
        .route(
            "/users/{name}/moderators",
            web::get().to(collections::moderators),
        )
        .route("/users/{name}/statuses/{id}", web::get().to(serve::status))
        .route("/@{name}", web::get().to(serve::actor))
        .route("/@{name}/{id}", web::get().to(serve::status));
}
