//! `GET /api/v2/search`: accounts by handle, prefix or URL, statuses by URL;
//! with `resolve=true` (and a token) unknown ones are fetched from their server.

use super::entities::{account::account, status::status};
use crate::{
    api::{
        auth::MaybeAuth,
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::{error::CoreError, ports::Resolved, Core},
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct SearchParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    q: Option<String>,
    #[serde(default, rename = "type", deserialize_with = "flex::opt_string")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    resolve: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    offset: Option<u64>,
}

fn looks_like_handle(q: &str) -> bool {
    let q = q.trim_start_matches('@');
    q.split_once('@')
        .is_some_and(|(u, d)| !u.is_empty() && d.contains('.') && !d.contains(' '))
}

pub async fn search(
    auth: MaybeAuth,
    Params(p): Params<SearchParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:search")?;
    let q = p.q.clone().unwrap_or_default().trim().to_string();
    if q.is_empty() {
        return Err(ApiError::unprocessable(
            "Validation failed: q can't be blank",
        ));
    }
    let limit = p.limit.unwrap_or(20).clamp(1, 40) as i64;
    let kind = p.kind.clone().unwrap_or_default();
    // Fetching from other servers needs a signed-in user, as in Mastodon.
    let resolve = p.resolve.unwrap_or(false) && viewer.is_some();
    let (mut accounts, mut statuses) = (vec![], vec![]);
    if p.offset.unwrap_or(0) == 0 {
        if q.starts_with("https://") || q.starts_with("http://") {
            match core.resolve_url(&q, resolve).await {
                Ok(Resolved::Account(a)) => accounts.push(core.account_view(a.id).await?),
                Ok(Resolved::Status(s)) => match core.status(viewer, s.id).await {
                    Ok(v) => statuses.push(v),
                    Err(CoreError::NotFound) => {}
                    Err(e) => return Err(e.into()),
                },
                Err(CoreError::NotFound | CoreError::Remote(_) | CoreError::Forbidden(_)) => {}
                Err(e) => return Err(e.into()),
            }
        } else if kind.is_empty() || kind == "accounts" {
            if looks_like_handle(&q) {
                let found = if resolve {
                    core.resolve(&q).await
                } else {
                    core.lookup(&q).await
                };
                match found {
                    Ok(a) => accounts.push(core.account_view(a.id).await?),
                    Err(
                        CoreError::NotFound
                        | CoreError::Remote(_)
                        | CoreError::Forbidden(_)
                        | CoreError::Invalid(_)
                        | CoreError::Conflict(_),
                    ) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if accounts.is_empty() {
                accounts = core.search_accounts(&q, limit).await?;
            }
        }
    }
    if !kind.is_empty() && kind != "accounts" {
        accounts.clear();
    }
    if !kind.is_empty() && kind != "statuses" {
        statuses.clear();
    }
    Ok(HttpResponse::Ok().json(json!({
        "accounts": accounts.iter().map(|v| account(v, &core)).collect::<Vec<_>>(),
        "statuses": statuses.iter().map(|v| status(v, &core)).collect::<Vec<_>>(),
        "hashtags": [],
    })))
}
