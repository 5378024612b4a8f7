//! Staffroom's own API, for what the Mastodon API cannot say: boards (the
//! directory, creating them, the boards one is in) and their threads
//! (sorted lists, starting one with a title). JSON, authenticated with the
//! same OAuth tokens; described by `openapi.json`, served at
//! `/api/staffroom/v1/openapi.json`.

mod boards;
mod entities;
mod moderation;

use actix_web::{web, HttpResponse};

const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(OPENAPI)
}

/// Add the routes under `/api/staffroom/v1` to `scope`.
pub fn routes(scope: actix_web::Scope) -> actix_web::Scope {
    use web::{get, post};
    scope
        .route("/staffroom/v1/openapi.json", get().to(openapi))
        .route("/staffroom/v1/boards", get().to(boards::directory))
        .route("/staffroom/v1/boards", post().to(boards::create))
        .route("/staffroom/v1/boards/followed", get().to(boards::followed))
        .route("/staffroom/v1/boards/{name}", get().to(boards::get))
        .route("/staffroom/v1/boards/{name}", web::patch().to(boards::edit))
        .route(
            "/staffroom/v1/boards/{name}/threads",
            get().to(boards::threads),
        )
        .route(
            "/staffroom/v1/boards/{name}/threads",
            post().to(boards::start_thread),
        )
        .route(
            "/staffroom/v1/boards/{name}/join_requests",
            get().to(moderation::join_requests),
        )
        .route(
            "/staffroom/v1/boards/{name}/join_requests/{account_id}/authorize",
            post().to(moderation::authorize),
        )
        .route(
            "/staffroom/v1/boards/{name}/join_requests/{account_id}/reject",
            post().to(moderation::reject),
        )
        .route(
            "/staffroom/v1/boards/{name}/threads/{id}/lock",
            post().to(moderation::lock_thread),
        )
        .route(
            "/staffroom/v1/boards/{name}/threads/{id}/unlock",
            post().to(moderation::unlock_thread),
        )
        .route(
            "/staffroom/v1/boards/{name}/bans",
            get().to(moderation::bans),
        )
        .route(
            "/staffroom/v1/boards/{name}/bans",
            post().to(moderation::ban),
        )
        .route(
            "/staffroom/v1/boards/{name}/bans/{account}",
            web::delete().to(moderation::unban),
        )
        .route(
            "/staffroom/v1/boards/{name}/moderators",
            post().to(moderation::add_moderator),
        )
        .route(
            "/staffroom/v1/boards/{name}/moderators/{account}",
            web::delete().to(moderation::remove_moderator),
        )
        .route(
            "/staffroom/v1/boards/{name}/posts/{id}/remove",
            post().to(moderation::remove_post),
        )
        .route(
            "/staffroom/v1/boards/{name}/threads/{id}/pin",
            post().to(moderation::pin_thread),
        )
        .route(
            "/staffroom/v1/boards/{name}/threads/{id}/unpin",
            post().to(moderation::unpin_thread),
        )
        .route(
            "/staffroom/v1/boards/{name}/modlog",
            get().to(moderation::modlog),
        )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_openapi_document_is_valid_json_naming_every_route() {
        let doc: serde_json::Value = serde_json::from_str(super::OPENAPI).expect("valid JSON");
        assert_eq!(doc["openapi"], "3.1.0");
        for path in [
            "/api/staffroom/v1/boards",
            "/api/staffroom/v1/boards/followed",
            "/api/staffroom/v1/boards/{name}",
            "/api/staffroom/v1/boards/{name}/threads",
            "/api/staffroom/v1/boards/{name}/join_requests",
            "/api/staffroom/v1/boards/{name}/modlog",
        ] {
            assert!(doc["paths"][path].is_object(), "{path} undocumented");
        }
    }
}
