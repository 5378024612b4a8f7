//! Paging parameters and `Link` headers (`rel="next"` older, `rel="prev"` newer).

use super::params::flex;
use crate::db::Page;
use actix_web::{HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
pub struct PageParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub max_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub since_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    pub min_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    pub limit: Option<u64>,
}

impl PageParams {
    /// The page asked for; `limit` defaults to `default` and is capped at `max`.
    pub fn page(&self, default: i64, max: i64) -> Page {
        let id = |s: &Option<String>| s.as_deref().and_then(|v| v.trim().parse::<i64>().ok());
        Page {
            max_id: id(&self.max_id),
            since_id: id(&self.since_id),
            min_id: id(&self.min_id),
            limit: self
                .limit
                .map_or(default, |l| i64::try_from(l).unwrap_or(max).clamp(1, max)),
        }
    }
}

/// The `Link` header for a page whose items have `ids` (newest first).
pub fn link_header(req: &HttpRequest, base_url: &str, ids: &[i64]) -> Option<String> {
    let (first, last) = (ids.first()?, ids.last()?);
    let kept: Vec<(String, String)> = url::form_urlencoded::parse(req.query_string().as_bytes())
        .filter(|(k, _)| {
            !matches!(
                k.as_ref(),
                "max_id" | "min_id" | "since_id" | "access_token"
            )
        })
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let url = |key: &str, id: i64| {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in &kept {
            q.append_pair(k, v);
        }
        q.append_pair(key, &id.to_string());
        format!("{base_url}{}?{}", req.path(), q.finish())
    };
    Some(format!(
        "<{}>; rel=\"next\", <{}>; rel=\"prev\"",
        url("max_id", *last),
        url("min_id", *first)
    ))
}

/// A JSON list with its `Link` header.
pub fn paged<T: Serialize>(
    req: &HttpRequest,
    base_url: &str,
    items: &[T],
    ids: &[i64],
) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if let Some(link) = link_header(req, base_url, ids) {
        res.insert_header(("Link", link));
    }
    res.json(items)
}
