//! `/api/v1/instance`, `/api/v2/instance` and the small instance endpoints.

use crate::{
    api::error::ApiResult,
    config::RegistrationMode,
    core::{
        posts::{media, polls},
        Core,
    },
};
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

/// The Mastodon API version whose endpoints we serve, as clients parse it.
pub fn version() -> String {
    format!(
        "4.3.0 (compatible; Staffroom {})",
        env!("CARGO_PKG_VERSION")
    )
}

fn configuration(core: &Core) -> Value {
    let s = core.settings();
    json!({
        "urls": {"streaming": core.uris().base().replacen("http", "ws", 1)},
        "vapid": {"public_key": ""},
        "accounts": {"max_featured_tags": 10, "max_pinned_statuses": 5},
        "statuses": {
            "max_characters": s.limits.status_max_chars,
            "max_media_attachments": media::MAX_ATTACHMENTS,
            "characters_reserved_per_url": 23
        },
        "media_attachments": {
            "supported_mime_types": ["image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf"],
            "description_limit": media::DESCRIPTION_MAX_CHARS,
            "image_size_limit": s.media.upload_max_bytes,
            "image_matrix_limit": s.media.max_pixels,
            "video_size_limit": 0,
            "video_frame_rate_limit": 0,
            "video_matrix_limit": 0
        },
        "polls": {
            "max_options": polls::MAX_OPTIONS,
            "max_characters_per_option": polls::OPTION_MAX_CHARS,
            "min_expiration": polls::MIN_EXPIRY_SECS,
            "max_expiration": polls::MAX_EXPIRY_SECS
        },
        "translation": {"enabled": false}
    })
}

pub async fn v2(core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let s = core.settings();
    let stats = core.site_stats().await?;
    let email = core.contact_email().await?;
    let mode = s.instance.registrations;
    Ok(HttpResponse::Ok().json(json!({
        "domain": s.domain,
        "title": s.instance.title,
        "version": version(),
        "source_url": if s.instance.source_url.is_empty() { format!("{}/", core.uris().base()) } else { s.instance.source_url.clone() },
        "description": s.instance.description,
        "usage": {"users": {"active_month": stats.active_month}},
        "thumbnail": {"url": core.uris().default_header(), "blurhash": null, "versions": {}},
        "icon": [],
        "languages": ["en"],
        "configuration": configuration(&core),
        "registrations": {
            "enabled": mode != RegistrationMode::Closed,
            "approval_required": mode == RegistrationMode::Approval,
            "message": null,
            "url": null
        },
        "api_versions": {"mastodon": 2},
        "contact": {"email": email, "account": null},
        "rules": rule_list(&core)
    })))
}

pub async fn v1(core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let s = core.settings();
    let stats = core.site_stats().await?;
    let email = core.contact_email().await?;
    let mode = s.instance.registrations;
    Ok(HttpResponse::Ok().json(json!({
        "uri": s.domain,
        "title": s.instance.title,
        "short_description": s.instance.description,
        "description": s.instance.description,
        "email": email,
        "version": version(),
        "urls": {"streaming_api": core.uris().base().replacen("http", "ws", 1)},
        "stats": {"user_count": stats.users, "status_count": stats.local_posts, "domain_count": stats.domains},
        "thumbnail": core.uris().default_header(),
        "languages": ["en"],
        "registrations": mode != RegistrationMode::Closed,
        "approval_required": mode == RegistrationMode::Approval,
        "invites_enabled": false,
        "configuration": configuration(&core),
        "contact_account": null,
        "rules": rule_list(&core)
    })))
}

/// The configured rules as Mastodon `Rule`s (ids are positions, from 1).
fn rule_list(core: &Core) -> Vec<Value> {
    core.settings()
        .instance
        .rules
        .iter()
        .enumerate()
        .map(|(i, text)| json!({"id": (i + 1).to_string(), "text": text, "hint": ""}))
        .collect()
}

/// `GET /api/v1/instance/rules`
pub async fn rules(core: web::Data<Core>) -> HttpResponse {
    HttpResponse::Ok().json(rule_list(&core))
}

/// `GET /api/v1/instance/peers`: the domains this server knows.
pub async fn peers(core: web::Data<Core>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(core.peers().await?))
}

/// `GET /api/v1/instance/activity`: twelve weeks of posts, sign-ins and sign-ups.
pub async fn activity(core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let weeks: Vec<Value> = core
        .weekly_activity()
        .await?
        .iter()
        .map(|w| {
            json!({
                "week": w.week.and_utc().timestamp().to_string(),
                "statuses": w.statuses.to_string(),
                "logins": w.logins.to_string(),
                "registrations": w.registrations.to_string(),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(weeks))
}

/// `GET /api/v1/instance/extended_description`: the configured description
/// (configuration is read at start, so it dates from this process's start).
pub async fn extended_description(core: web::Data<Core>) -> HttpResponse {
    static LOADED: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let loaded = LOADED.get_or_init(|| super::entities::datetime(crate::db::now()));
    HttpResponse::Ok().json(json!({
        "updated_at": loaded,
        "content": crate::core::text::render_plain(&core.settings().instance.description, &[], core.uris().base()),
    }))
}

/// Endpoints apps call at start-up whose lists are empty on this server.
pub async fn empty_list() -> HttpResponse {
    HttpResponse::Ok().json(json!([]))
}
