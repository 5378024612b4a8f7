//! Built-in files: the default avatar and header, and the pages' style sheet
//! (a file, so that the pages' Content-Security-Policy allows no inline style).

use actix_web::{http::header, web, HttpResponse};

const AVATAR: &[u8] = include_bytes!("static/avatar.png");
const HEADER: &[u8] = include_bytes!("static/header.png");
const STYLE: &[u8] = include_bytes!("static/site.css");

pub async fn file(name: web::Path<String>) -> HttpResponse {
    let (bytes, content_type) = match name.as_str() {
        "avatar.png" => (AVATAR, "image/png"),
        "header.png" => (HEADER, "image/png"),
        "site.css" => (STYLE, "text/css; charset=utf-8"),
        _ => return HttpResponse::NotFound().finish(),
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes)
}
