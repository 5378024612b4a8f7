//! Lenient readers for the loosely-typed fields of ActivityStreams JSON.

use super::super::PUBLIC;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use url::Url;

/// One value or a list of values, as JSON-LD allows for every property.
pub fn one_or_many(value: &Value) -> Vec<&Value> {
    match value {
        Value::Array(items) => items.iter().collect(),
        Value::Null => vec![],
        other => vec![other],
    }
}

/// The URL a value names: a string, or an object's `id` (or `href`).
pub fn url_of(value: &Value) -> Option<Url> {
    match value {
        Value::String(s) if matches!(s.as_str(), "Public" | "as:Public") => Url::parse(PUBLIC).ok(),
        Value::String(s) => Url::parse(s).ok(),
        Value::Object(map) => map
            .get("id")
            .or_else(|| map.get("href"))
            .and_then(Value::as_str)
            .and_then(|s| Url::parse(s).ok()),
        _ => None,
    }
}

/// A list of URLs from a string, an object or a list of them; anything
/// else is skipped rather than failing the whole document.
pub fn urls<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Url>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(one_or_many(&value).into_iter().filter_map(url_of).collect())
}

/// An optional URL given as a string or an object; anything else is `None`.
pub fn opt_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Url>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(one_or_many(&value).into_iter().find_map(url_of))
}

/// A list of JSON values from one value or a list.
pub fn values<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Value>, D::Error> {
    let value = Value::deserialize(d)?;
    Ok(one_or_many(&value).into_iter().cloned().collect())
}

/// Any value we only use when it has the expected shape.
pub fn lenient<'de, T: Deserialize<'de> + Default, D: Deserializer<'de>>(
    d: D,
) -> Result<T, D::Error> {
    activitypub_federation::protocol::helpers::deserialize_skip_error(d)
}

/// The first `href`/`url` string of a link-ish value (`url`, `icon`, `image`).
pub fn link_href(value: &Value) -> Option<String> {
    one_or_many(value).into_iter().find_map(|v| match v {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => map
            .get("href")
            .or_else(|| map.get("url"))
            .and_then(link_href),
        _ => None,
    })
}
