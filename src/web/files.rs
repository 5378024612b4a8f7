//! `/system/{key}`: uploaded files and cached previews. Only images (as
//! themselves) and PDFs (as downloads) are served, never anything a browser
//! or a server could take for a page or an ActivityPub document. Shared
//! caches may keep only files everyone may see (profile images, attachments
//! of public and unlisted posts); the others are marked `private`.

use crate::core::{stored_files::Caching, Core};
use actix_web::{http::header, web, HttpResponse};

/// The content type a stored file is served with, by its name.
fn content_type(key: &str) -> Option<&'static str> {
    match key.rsplit_once('.')?.1 {
        "jpg" | "jpeg" => Some("image/jpeg"),
        "png" => Some("image/png"),
        "pdf" => Some("application/pdf"),
        _ => None,
    }
}

pub async fn file(key: web::Path<String>, core: web::Data<Core>) -> HttpResponse {
    let not_found = || HttpResponse::NotFound().json(serde_json::json!({"error": "Not found"}));
    let Some(ctype) = content_type(&key) else {
        return not_found();
    };
    // Keys that could leave the file store's folder are refused by the store.
    let served = match core.served_file(key.into_inner()).await {
        Ok(Some(f)) => f,
        Ok(None) | Err(_) => return not_found(),
    };
    let cache_control = match served.caching {
        Caching::Public => "public, max-age=604800, immutable",
        Caching::Private => "private, max-age=3600",
    };
    let mut res = HttpResponse::Ok();
    res.content_type(ctype)
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; sandbox",
        ))
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"));
    if ctype == "application/pdf" {
        res.insert_header((header::CONTENT_DISPOSITION, "attachment"));
    }
    res.body(served.bytes)
}
