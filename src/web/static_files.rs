//! Built-in images: the default avatar and header.

use actix_web::{http::header, web, HttpResponse};

const AVATAR: &[u8] = include_bytes!("static/avatar.png");
const HEADER: &[u8] = include_bytes!("static/header.png");

pub async fn file(name: web::Path<String>) -> HttpResponse {
    let bytes = match name.as_str() {
        "avatar.png" => AVATAR,
        "header.png" => HEADER,
        _ => return HttpResponse::NotFound().finish(),
    };
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(bytes)
}
