//! Web pages: profiles and posts for browsers, and the OAuth sign-in page.
//! Templates escape everything except HTML that was sanitized on the way in.

pub mod files;
pub mod pages;
pub mod static_files;

use actix_web::{http::header, HttpResponse, HttpResponseBuilder};

/// A page response with a strict Content-Security-Policy; `form_action`
/// adds where forms may go (besides this server).
pub fn html(
    mut builder: HttpResponseBuilder,
    body: String,
    form_action: Option<&str>,
) -> HttpResponse {
    let form = match form_action {
        Some(extra) => format!("'self' {extra}"),
        None => "'self'".to_string(),
    };
    builder
        .content_type("text/html; charset=utf-8")
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            format!(
                "default-src 'none'; style-src 'self'; img-src 'self' https: data:; \
                 form-action {form}; frame-ancestors 'none'; base-uri 'none'"
            ),
        ))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "same-origin"))
        .body(body)
}
