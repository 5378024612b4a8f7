//! Checks an incoming activity must pass before anything is fetched or
//! stored: size and shape limits, and the HTTP signature's envelope (which
//! headers are signed, a fresh `Date`, a SHA-256 `Digest` of the body).
//! The federation crate then verifies the signature itself.

use crate::federation::{
    error::{FedError, FedResult},
    objects::values::url_of,
};
use actix_web::HttpRequest;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::Value;
use std::time::{Duration, SystemTime};
use url::Url;

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 24;
/// Longest string value accepted anywhere, in bytes.
pub const MAX_STRING: usize = 128 * 1024;
/// Longest `name` (title, display name) and `preferredUsername`.
pub const MAX_NAME: usize = 1024;
pub const MAX_USERNAME: usize = 128;
/// Most entries of list-valued properties.
pub const MAX_TAGS: usize = 128;
pub const MAX_ATTACHMENTS: usize = 16;
pub const MAX_POLL_OPTIONS: usize = 64;
pub const MAX_RECIPIENTS: usize = 1024;
/// How far a signed `Date` may be from our clock.
pub const MAX_CLOCK_SKEW: Duration = Duration::from_secs(60 * 60);
/// Longest `Signature` header read, and most parameters in it (a real
/// one has 4 to 6: keyId, algorithm, headers, signature, created, expires).
pub const MAX_SIGNATURE_HEADER: usize = 8 * 1024;
pub const MAX_SIGNATURE_PARAMS: usize = 16;
/// Headers every inbox signature must cover.
pub const REQUIRED_SIGNED: &[&str] = &["(request-target)", "host", "date", "digest"];

/// What identifies an activity before it is trusted.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub id: Url,
    pub actor: Url,
    pub kind: String,
}

/// Parse a body within the size and depth limits.
pub fn parse_body(body: &[u8], max_bytes: usize) -> FedResult<Value> {
    if body.len() > max_bytes {
        return Err(FedError::TooLarge(format!(
            "activity larger than {max_bytes} bytes"
        )));
    }
    if crate::limits::json_depth(body) > MAX_DEPTH {
        return Err(FedError::BadRequest(format!(
            "JSON nested deeper than {MAX_DEPTH} levels"
        )));
    }
    let value: Value = serde_json::from_slice(body)?;
    if has_nul(&value) {
        return Err(FedError::BadRequest(
            "NUL characters are not accepted in activities".into(),
        ));
    }
    Ok(value)
}

/// Whether any string (or key) holds a NUL character.
fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(list) => list.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// The id, actor and type of an activity, and its size limits.
pub fn envelope(activity: &Value) -> FedResult<Envelope> {
    let obj = activity
        .as_object()
        .ok_or_else(|| FedError::BadRequest("an activity must be a JSON object".into()))?;
    let kind = match obj.get("type") {
        Some(Value::String(k)) => k.clone(),
        _ => {
            return Err(FedError::BadRequest(
                "the activity type must be one string".into(),
            ))
        }
    };
    let id = obj
        .get("id")
        .and_then(Value::as_str)
        .and_then(|s| Url::parse(s).ok())
        .ok_or_else(|| FedError::BadRequest("the activity has no valid id".into()))?;
    let actor = obj
        .get("actor")
        .and_then(url_of)
        .ok_or_else(|| FedError::BadRequest("the activity has no valid actor".into()))?;
    check_limits(activity)?;
    Ok(Envelope { id, actor, kind })
}

fn check_limits(value: &Value) -> FedResult<()> {
    match value {
        Value::String(s) if s.len() > MAX_STRING => Err(FedError::TooLarge(format!(
            "a text field is longer than {MAX_STRING} bytes"
        ))),
        Value::Array(items) => items.iter().try_for_each(check_limits),
        Value::Object(map) => {
            for (key, v) in map {
                let limit = match key.as_str() {
                    "tag" => Some(MAX_TAGS),
                    "attachment" => Some(MAX_ATTACHMENTS),
                    "oneOf" | "anyOf" => Some(MAX_POLL_OPTIONS),
                    "to" | "cc" | "bto" | "bcc" => Some(MAX_RECIPIENTS),
                    _ => None,
                };
                if let (Some(max), Value::Array(items)) = (limit, v) {
                    if items.len() > max {
                        return Err(FedError::TooLarge(format!(
                            "`{key}` has more than {max} entries"
                        )));
                    }
                }
                let text_max = match key.as_str() {
                    "name" => Some(MAX_NAME),
                    "preferredUsername" => Some(MAX_USERNAME),
                    _ => None,
                };
                if let (Some(max), Value::String(s)) = (text_max, v) {
                    if s.chars().count() > max {
                        return Err(FedError::TooLarge(format!(
                            "`{key}` is longer than {max} characters"
                        )));
                    }
                }
                check_limits(v)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn header<'a>(req: &'a HttpRequest, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// The request was sent to this server, carries a fresh signed `Date` and a
/// SHA-256 digest of exactly this body, and its signature covers them.
pub fn check_request(req: &HttpRequest, body: &[u8], domain: &str) -> FedResult<()> {
    let host = header(req, "host").unwrap_or(domain);
    if !host.eq_ignore_ascii_case(domain) {
        return Err(FedError::BadRequest(format!(
            "request for another host ({host})"
        )));
    }
    check_digest(header(req, "digest"), body)?;
    check_date(header(req, "date"))?;
    let signature = header(req, "signature")
        .or_else(|| header(req, "authorization").and_then(|a| a.strip_prefix("Signature ")))
        .ok_or_else(|| FedError::Unauthorized("the request is not signed".into()))?;
    check_signature_params(signature)
}

fn check_digest(digest: Option<&str>, body: &[u8]) -> FedResult<()> {
    let digest = digest.ok_or_else(|| FedError::BadRequest("missing Digest header".into()))?;
    let expected = STANDARD.encode(openssl::sha::sha256(body));
    let mut found = false;
    for part in digest.split(',').map(str::trim) {
        let (alg, value) = part
            .split_once('=')
            .ok_or_else(|| FedError::BadRequest("malformed Digest header".into()))?;
        if !alg.eq_ignore_ascii_case("SHA-256") {
            return Err(FedError::BadRequest(format!(
                "unsupported digest algorithm {alg}"
            )));
        }
        if value != expected {
            return Err(FedError::BadRequest(
                "the Digest does not match the body".into(),
            ));
        }
        found = true;
    }
    if found {
        Ok(())
    } else {
        Err(FedError::BadRequest("empty Digest header".into()))
    }
}

fn check_date(date: Option<&str>) -> FedResult<()> {
    let date = date.ok_or_else(|| FedError::Unauthorized("missing Date header".into()))?;
    let when = httpdate::parse_http_date(date)
        .map_err(|_| FedError::Unauthorized("malformed Date header".into()))?;
    let now = SystemTime::now();
    let skew = now
        .duration_since(when)
        .or_else(|_| when.duration_since(now))
        .unwrap_or_default();
    if skew > MAX_CLOCK_SKEW {
        return Err(FedError::Unauthorized(
            "the Date header is more than an hour off".into(),
        ));
    }
    Ok(())
}

/// Parse `k="v",k2="v2"` signature parameters, refusing duplicates.
pub fn signature_params(header: &str) -> FedResult<Vec<(String, String)>> {
    if header.len() > MAX_SIGNATURE_HEADER {
        return Err(FedError::Unauthorized(format!(
            "Signature header longer than {MAX_SIGNATURE_HEADER} bytes"
        )));
    }
    let mut params: Vec<(String, String)> = vec![];
    let mut rest = header.trim();
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .ok_or_else(|| FedError::Unauthorized("malformed Signature header".into()))?;
        let key = key.trim().to_ascii_lowercase();
        let after = after.trim_start();
        let (value, tail) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| FedError::Unauthorized("malformed Signature header".into()))?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            after.split_at(after.find(',').unwrap_or(after.len()))
        };
        if params.len() >= MAX_SIGNATURE_PARAMS {
            return Err(FedError::Unauthorized(
                "too many signature parameters".into(),
            ));
        }
        if params.iter().any(|(k, _)| *k == key) {
            return Err(FedError::Unauthorized(format!(
                "duplicate signature parameter `{key}`"
            )));
        }
        params.push((key, value.trim().to_string()));
        rest = tail.trim_start().trim_start_matches(',').trim_start();
    }
    Ok(params)
}

fn check_signature_params(header: &str) -> FedResult<()> {
    let params = signature_params(header)?;
    let get = |k: &str| {
        params
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.as_str())
    };
    for required in ["keyid", "signature", "headers"] {
        if get(required).is_none_or(str::is_empty) {
            return Err(FedError::Unauthorized(format!(
                "the signature has no `{required}`"
            )));
        }
    }
    if let Some(alg) = get("algorithm") {
        if !matches!(alg.to_ascii_lowercase().as_str(), "rsa-sha256" | "hs2019") {
            return Err(FedError::Unauthorized(format!(
                "unsupported signature algorithm {alg}"
            )));
        }
    }
    let signed: Vec<String> = get("headers")
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_ascii_lowercase)
        .collect();
    for required in REQUIRED_SIGNED {
        if !signed.iter().any(|h| h == required) {
            return Err(FedError::Unauthorized(format!(
                "the signature does not cover `{required}`"
            )));
        }
    }
    Ok(())
}

/// The actor URL a signature's `keyId` names (`actor#main-key` or `actor/main-key`).
pub fn key_owner_host(header: &str) -> Option<String> {
    let params = signature_params(header).ok()?;
    let key_id = params.iter().find(|(k, _)| k == "keyid")?.1.clone();
    Url::parse(&key_id)
        .ok()
        .map(|u| crate::federation::host_of(&u))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_outside_strings() {
        let deep = "[".repeat(30) + &"]".repeat(30);
        assert!(parse_body(deep.as_bytes(), 1 << 20).is_err());
    }

    #[test]
    fn nul_characters_are_refused_anywhere_in_an_activity() {
        assert!(parse_body(
            br#"{"type":"Create","object":{"content":"a\u0000b"}}"#,
            1 << 20
        )
        .is_err());
        assert!(parse_body(br#"{"type":"Create","x\u0000":1}"#, 1 << 20).is_err());
        assert!(parse_body(br#"{"type":"Create","object":{"content":"ab"}}"#, 1 << 20).is_ok());
    }

    #[test]
    fn signature_parameters_are_strict() {
        let ok = r#"keyId="https://b/u#k",algorithm="rsa-sha256",headers="(request-target) host date digest",signature="abc=""#;
        assert!(check_signature_params(ok).is_ok());
        let dup = r#"keyId="https://b/u#k",keyId="https://c/u#k",headers="(request-target) host date digest",signature="x""#;
        assert!(check_signature_params(dup).is_err());
        let no_host =
            r#"keyId="https://b/u#k",headers="(request-target) date digest",signature="x""#;
        assert!(check_signature_params(no_host).is_err());
        let no_headers = r#"keyId="https://b/u#k",signature="x""#;
        assert!(check_signature_params(no_headers).is_err());
    }

    #[test]
    fn digests_must_be_sha256_of_the_body() {
        let body = b"hello";
        let good = format!("SHA-256={}", STANDARD.encode(openssl::sha::sha256(body)));
        assert!(check_digest(Some(&good), body).is_ok());
        assert!(check_digest(Some(&good), b"other").is_err());
        assert!(check_digest(Some("SHA-512=abc"), body).is_err());
        assert!(check_digest(None, body).is_err());
    }

    #[test]
    fn limits_catch_oversized_lists_and_names() {
        let tags: Vec<Value> = (0..200)
            .map(|_| serde_json::json!({"type": "Hashtag"}))
            .collect();
        let v = serde_json::json!({"type": "Create", "id": "https://b/a", "actor": "https://b/u", "object": {"tag": tags}});
        assert!(matches!(envelope(&v), Err(FedError::TooLarge(_))));
        let v = serde_json::json!({"type": ["Create", "Note"], "id": "https://b/a", "actor": "https://b/u"});
        assert!(envelope(&v).is_err());
    }
}
