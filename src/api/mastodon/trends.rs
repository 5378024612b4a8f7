//! `/api/v1/trends/...`: hashtags and posts trending on this server this
//! week. Links need link previews, which this server does not make yet.

use super::entities::{status::statuses, tag::tag};
use crate::{
    api::{
        auth::MaybeAuth,
        error::ApiResult,
        params::{flex, Params},
    },
    core::Core,
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};

#[derive(Deserialize)]
pub struct TrendParams {
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    offset: Option<u64>,
}

impl TrendParams {
    fn window(&self, default: u64, max: u64) -> (usize, usize) {
        let limit = self.limit.unwrap_or(default).clamp(1, max);
        (
            self.offset.unwrap_or(0).min(10_000) as usize,
            limit as usize,
        )
    }
}

/// The list, with a `Link` to the next page (by offset) when this one is full.
fn offset_paged<T: Serialize>(
    req: &HttpRequest,
    base: &str,
    items: &[T],
    (offset, limit): (usize, usize),
) -> HttpResponse {
    let mut res = HttpResponse::Ok();
    if items.len() == limit {
        let next = format!(
            "<{base}{}?offset={}&limit={limit}>; rel=\"next\"",
            req.path(),
            offset + limit
        );
        res.insert_header(("Link", next));
    }
    res.json(items)
}

/// `GET /api/v1/trends/tags` (and `/api/v1/trends`)
pub async fn tags(
    req: HttpRequest,
    auth: MaybeAuth,
    Params(p): Params<TrendParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read")?;
    let window = p.window(10, 20);
    let list = core.trending_tags(viewer, window.0, window.1).await?;
    let body: Vec<_> = list.iter().map(|t| tag(t, &core)).collect();
    Ok(offset_paged(&req, core.uris().base(), &body, window))
}

/// `GET /api/v1/trends/statuses`
pub async fn statuses_trending(
    req: HttpRequest,
    auth: MaybeAuth,
    Params(p): Params<TrendParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    let window = p.window(20, 40);
    let list = core.trending_statuses(viewer, window.0, window.1).await?;
    Ok(offset_paged(
        &req,
        core.uris().base(),
        &statuses(&list, &core),
        window,
    ))
}
