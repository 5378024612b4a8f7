//! Request parameters as Mastodon apps send them: in the query string and
//! in a JSON, form-urlencoded or multipart body (or with no Content-Type at
//! all), with Rails-style nesting (`types[]=a`, `poll[options][]=x`,
//! `fields_attributes[0][name]=y`). Everything becomes one JSON object, read
//! into a parameter struct with the lenient field readers of [`flex`].

use super::error::ApiError;
use crate::core::Core;
use actix_web::{dev::Payload, http::StatusCode, web, FromRequest, HttpRequest};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use std::{collections::HashMap, future::Future, pin::Pin};

/// Parameters from the query string and the body, body first.
pub struct Params<T>(pub T);

/// Uploaded files of a multipart request, by field name.
pub type Files = HashMap<String, Vec<u8>>;

/// [`Params`] and the files of a multipart request (uploads, avatars),
/// with the larger size limit of uploads.
pub struct ParamsWithFiles<T>(pub T, pub Files);

type Fut<T> = Pin<Box<dyn Future<Output = Result<T, ApiError>>>>;

/// Read the query and body of `req` into `T` (and the files), the body at most `max` bytes.
async fn parse<T: DeserializeOwned>(
    req: HttpRequest,
    payload: Payload,
    max: usize,
) -> Result<(T, Files), ApiError> {
    let mut query = Tree::default();
    query.insert_form(req.query_string().as_bytes())?;
    let mut root = query.into_value();
    let (body, files) = read_body(&req, payload, max).await?;
    merge(&mut root, body);
    strip_nul(&mut root);
    let params = serde_json::from_value(root)
        .map_err(|e| ApiError::unprocessable(format!("Validation failed: {e}")))?;
    Ok((params, files))
}

/// Drop NUL characters from every string: they mean nothing in text and
/// PostgreSQL cannot store them.
fn strip_nul(v: &mut Value) {
    match v {
        Value::String(s) if s.contains('\0') => s.retain(|c| c != '\0'),
        Value::Array(list) => list.iter_mut().for_each(strip_nul),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().filter(|k| k.contains('\0')).cloned().collect();
            for k in keys {
                if let Some(value) = map.remove(&k) {
                    map.insert(k.replace('\0', ""), value);
                }
            }
            map.values_mut().for_each(strip_nul);
        }
        _ => {}
    }
}

fn settings(req: &HttpRequest) -> Option<web::Data<Core>> {
    req.app_data::<web::Data<Core>>().cloned()
}

impl<T: DeserializeOwned + 'static> FromRequest for Params<T> {
    type Error = ApiError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let max = settings(&req).map_or(1 << 20, |c| c.settings().limits.api_body_max_bytes);
            parse(req, payload, max).await.map(|(p, _)| Params(p))
        })
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for ParamsWithFiles<T> {
    type Error = ApiError;
    type Future = Fut<Self>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let max = settings(&req).map_or(16 << 20, |c| {
                c.settings().media.upload_max_bytes + c.settings().limits.api_body_max_bytes
            });
            parse(req, payload, max)
                .await
                .map(|(p, files)| ParamsWithFiles(p, files))
        })
    }
}

async fn read_body(
    req: &HttpRequest,
    mut payload: Payload,
    max: usize,
) -> Result<(Value, Files), ApiError> {
    let content_type = req
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        return read_multipart(req, payload, max).await;
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
        if bytes.len() + chunk.len() > max {
            return Err(too_large(max));
        }
        bytes.extend_from_slice(&chunk);
    }
    let trimmed = bytes.iter().find(|b| !b.is_ascii_whitespace());
    if content_type.starts_with("application/json")
        || (content_type.is_empty() && trimmed == Some(&b'{'))
    {
        if trimmed.is_none() {
            return Ok((Value::Object(Map::new()), Files::new()));
        }
        if crate::limits::json_depth(&bytes) > MAX_DEPTH + 1 {
            return Err(refused(format!(
                "JSON nested deeper than {} levels",
                MAX_DEPTH + 1
            )));
        }
        let v: Value = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, format!("invalid JSON: {e}")))?;
        return match v {
            Value::Object(_) => Ok((v, Files::new())),
            _ => Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                "the JSON body must be an object",
            )),
        };
    }
    let mut form = Tree::default();
    form.insert_form(&bytes)?;
    Ok((form.into_value(), Files::new()))
}

/// Text parts become parameters; parts with a file name are files.
async fn read_multipart(
    req: &HttpRequest,
    payload: Payload,
    max: usize,
) -> Result<(Value, Files), ApiError> {
    let mut form = actix_multipart::Multipart::new(req.headers(), payload);
    let mut root = Tree::default();
    let mut files = Files::new();
    let mut total = 0usize;
    while let Some(field) = form.next().await {
        let mut field = field.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
        let disposition = field.content_disposition();
        let name = disposition
            .and_then(|cd| cd.get_name())
            .unwrap_or_default()
            .to_string();
        let is_file = disposition.and_then(|cd| cd.get_filename()).is_some();
        let mut value = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
            total += chunk.len();
            if total > max {
                return Err(too_large(max));
            }
            value.extend_from_slice(&chunk);
        }
        if name.is_empty() {
            continue;
        }
        if is_file {
            if files.len() >= MAX_FILES {
                return Err(refused(format!("more than {MAX_FILES} files")));
            }
            files.insert(name, value);
        } else {
            root.insert(&name, String::from_utf8_lossy(&value).into_owned())?;
        }
    }
    Ok((root.into_value(), files))
}

fn too_large(max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        format!("Request body larger than {max} bytes"),
    )
}

/// Body values replace query values of the same name.
fn merge(into: &mut Value, from: Value) {
    if let (Value::Object(a), Value::Object(b)) = (into, from) {
        for (k, v) in b {
            a.insert(k, v);
        }
    }
}

/// Deepest Rails nesting accepted below a parameter's name (`a[b][c][]` is 3):
/// Mastodon's own parameters need 3 (`keyword_attributes[0][keyword]`).
pub const MAX_DEPTH: usize = 8;
/// Most parameters in one request (query, form and multipart together).
pub const MAX_PARAMS: usize = 1000;
/// Longest parameter name, in bytes.
pub const MAX_KEY: usize = 512;
/// Most files in one multipart request (Mastodon takes one per upload).
pub const MAX_FILES: usize = 8;

/// Parameters as they are read: counted, each checked against the limits
/// before it is placed in the tree.
pub struct Tree {
    root: Value,
    count: usize,
}

impl Default for Tree {
    fn default() -> Self {
        Tree {
            root: Value::Object(Map::new()),
            count: 0,
        }
    }
}

impl Tree {
    /// Place `key=value`, refusing a name that is too long or nested too
    /// deep and a request with too many parameters.
    pub fn insert(&mut self, key: &str, value: String) -> Result<(), ApiError> {
        self.count += 1;
        if self.count > MAX_PARAMS {
            return Err(refused(format!("more than {MAX_PARAMS} parameters")));
        }
        if key.len() > MAX_KEY {
            return Err(refused(format!(
                "parameter name longer than {MAX_KEY} bytes"
            )));
        }
        let path = key_path(key)?;
        insert_path(&mut self.root, &path, value);
        Ok(())
    }

    /// Read `key=value` pairs of an `application/x-www-form-urlencoded` text.
    pub fn insert_form(&mut self, form: &[u8]) -> Result<(), ApiError> {
        for (k, v) in url::form_urlencoded::parse(form) {
            self.insert(&k, v.into_owned())?;
        }
        Ok(())
    }

    pub fn into_value(self) -> Value {
        self.root
    }
}

fn refused(why: String) -> ApiError {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        format!("Invalid parameters: {why}"),
    )
}

/// `a[b][]` is the path `a`, `b`, append (the empty segment).
fn key_path(key: &str) -> Result<Vec<&str>, ApiError> {
    let Some((head, rest)) = key.split_once('[') else {
        return Ok(vec![key]);
    };
    let mut path = vec![head];
    for seg in rest.split('[') {
        if path.len() > MAX_DEPTH {
            return Err(refused(format!(
                "parameter `{head}` nested deeper than {MAX_DEPTH} levels"
            )));
        }
        path.push(seg.trim_end_matches(']'));
    }
    Ok(path)
}

/// Walk down `path` (at most [`MAX_DEPTH`] + 1 steps, without recursion),
/// creating objects and arrays as the segments ask, and set the value.
fn insert_path(root: &mut Value, path: &[&str], value: String) {
    let mut target = root;
    for (i, seg) in path.iter().enumerate() {
        let rest = &path[i + 1..];
        if seg.is_empty() {
            if !target.is_array() {
                *target = Value::Array(vec![]);
            }
            let Value::Array(items) = target else { return };
            if rest.is_empty() {
                items.push(Value::String(value));
                return;
            }
            // `a[][name]=x`: fill the last object unless it already has that key.
            let reuse = items
                .last()
                .is_some_and(|v| v.as_object().is_some_and(|m| !m.contains_key(rest[0])));
            if !reuse {
                items.push(Value::Object(Map::new()));
            }
            let Some(last) = items.last_mut() else { return };
            target = last;
        } else {
            if !target.is_object() {
                *target = Value::Object(Map::new());
            }
            let Value::Object(map) = target else { return };
            target = map.entry(seg.to_string()).or_insert(Value::Null);
        }
    }
    *target = Value::String(value);
}

/// Lenient field readers: apps send numbers as strings, booleans as
/// "true"/"1"/"on", lists as arrays, single values or numbered objects, and
/// `null` for anything optional.
pub mod flex {
    use serde::{Deserialize, Deserializer};
    use serde_json::Value;

    fn as_text(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    pub fn opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        Ok(as_text(&Value::deserialize(d)?))
    }

    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Bool(b) => Some(b),
            Value::Number(n) => Some(n.as_i64() != Some(0)),
            Value::String(s) => match s.to_ascii_lowercase().as_str() {
                "true" | "1" | "on" | "yes" | "t" => Some(true),
                "false" | "0" | "off" | "no" | "f" | "" => Some(false),
                _ => None,
            },
            _ => None,
        })
    }

    pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        Ok(as_text(&Value::deserialize(d)?).and_then(|s| s.trim().parse().ok()))
    }

    /// Like [`strings`], telling an absent list (`None`, with `#[serde(default)]`) from an empty one.
    pub fn opt_strings<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
        strings(d).map(Some)
    }

    pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Array(items) => items.iter().filter_map(as_text).collect(),
            Value::Object(map) => {
                let mut entries: Vec<(u64, String)> = map
                    .iter()
                    .filter_map(|(k, v)| Some((k.parse().ok()?, as_text(v)?)))
                    .collect();
                entries.sort();
                entries.into_iter().map(|(_, v)| v).collect()
            }
            other => as_text(&other)
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(q: &str) -> Value {
        let mut tree = Tree::default();
        tree.insert_form(q.as_bytes()).unwrap();
        tree.into_value()
    }

    /// SECURITY.md API 7: nesting, key count and name length are bounded.
    #[test]
    fn nesting_count_and_names_are_bounded() {
        let deep = format!("client_name{}=x", "[".repeat(300_000));
        let mut tree = Tree::default();
        let err = tree.insert_form(deep.as_bytes()).unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        let deep = format!("a{}=x", "[b]".repeat(MAX_DEPTH + 1));
        assert!(Tree::default().insert_form(deep.as_bytes()).is_err());
        let ok = format!("a{}=x", "[b]".repeat(MAX_DEPTH));
        assert!(Tree::default().insert_form(ok.as_bytes()).is_ok());
        let many = (0..=MAX_PARAMS)
            .map(|i| format!("k{i}=v"))
            .collect::<Vec<_>>()
            .join("&");
        assert!(Tree::default().insert_form(many.as_bytes()).is_err());
        let long = format!("{}=v", "k".repeat(MAX_KEY + 1));
        assert!(Tree::default().insert_form(long.as_bytes()).is_err());
    }

    #[test]
    fn rails_nesting() {
        let v = parse("types[]=mention&types[]=follow&poll[options][]=a&poll[options][]=b&poll[expires_in]=60&fields_attributes[0][name]=School&fields_attributes[0][value]=Lincoln&status=hi");
        assert_eq!(v["types"], serde_json::json!(["mention", "follow"]));
        assert_eq!(v["poll"]["options"], serde_json::json!(["a", "b"]));
        assert_eq!(v["poll"]["expires_in"], "60");
        assert_eq!(v["fields_attributes"]["0"]["name"], "School");
        assert_eq!(v["status"], "hi");
        let v = parse("a[][name]=x&a[][value]=1&a[][name]=y");
        assert_eq!(
            v["a"],
            serde_json::json!([{"name": "x", "value": "1"}, {"name": "y"}])
        );
    }

    #[test]
    fn flexible_readers() {
        #[derive(serde::Deserialize)]
        struct P {
            #[serde(default, deserialize_with = "flex::opt_bool")]
            b: Option<bool>,
            #[serde(default, deserialize_with = "flex::opt_u64")]
            n: Option<u64>,
            #[serde(default, deserialize_with = "flex::strings")]
            l: Vec<String>,
            #[serde(default, deserialize_with = "flex::opt_string")]
            s: Option<String>,
        }
        let p: P = serde_json::from_value(
            serde_json::json!({"b": "1", "n": "40", "l": {"1": "b", "0": "a"}, "s": 7}),
        )
        .unwrap();
        assert_eq!(
            (p.b, p.n, p.l, p.s),
            (
                Some(true),
                Some(40),
                vec!["a".to_string(), "b".to_string()],
                Some("7".into())
            )
        );
        let p: P =
            serde_json::from_value(serde_json::json!({"b": null, "n": null, "l": "x", "s": null}))
                .unwrap();
        assert_eq!(
            (p.b, p.n, p.l, p.s),
            (None, None, vec!["x".to_string()], None)
        );
    }
}
