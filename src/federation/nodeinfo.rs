//! NodeInfo 2.0/2.1 and host-meta: what software this is and how to find accounts.

use super::FedData;
use actix_web::{web, HttpResponse};
use serde_json::json;

pub async fn well_known(data: FedData) -> HttpResponse {
    let base = data.uris().base().to_string();
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(json!({"links": [
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}/nodeinfo/2.0")},
            {"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1")},
        ]}))
}

/// `GET /nodeinfo/{2.0|2.1}`
pub async fn document(version: web::Path<String>, data: FedData) -> HttpResponse {
    let version = version.into_inner();
    if version != "2.0" && version != "2.1" {
        return HttpResponse::NotFound().json(json!({"error": "unknown NodeInfo version"}));
    }
    let stats = match data.site_stats().await {
        Ok(s) => s,
        Err(e) => return HttpResponse::ServiceUnavailable().json(json!({"error": e.to_string()})),
    };
    let settings = data.settings();
    let mut software = json!({"name": "staffroom", "version": env!("CARGO_PKG_VERSION")});
    if version == "2.1" {
        software["homepage"] = json!(data.uris().base());
    }
    let body = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": {"inbound": [], "outbound": []},
        "openRegistrations": settings.instance.registrations == crate::config::RegistrationMode::Open,
        "usage": {
            "users": {"total": stats.users, "activeMonth": stats.active_month, "activeHalfyear": stats.active_halfyear},
            "localPosts": stats.local_posts
        },
        "metadata": {
            "nodeName": settings.instance.title,
            "nodeDescription": settings.instance.description,
            "upstream": {"mastodon": "4.3.0"}
        }
    });
    HttpResponse::Ok()
        .content_type(format!(
            "application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\""
        ))
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(body.to_string())
}

pub async fn host_meta(data: FedData) -> HttpResponse {
    let base = data.uris().base();
    HttpResponse::Ok()
        .content_type("application/xrd+xml; charset=utf-8")
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .body(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
             <Link rel=\"lrdd\" template=\"{base}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n"
        ))
}

pub async fn host_meta_json(data: FedData) -> HttpResponse {
    let base = data.uris().base();
    HttpResponse::Ok()
        .insert_header(("Access-Control-Allow-Origin", "*"))
        .json(json!({"links": [{"rel": "lrdd", "template": format!("{base}/.well-known/webfinger?resource={{uri}}")}]}))
}
