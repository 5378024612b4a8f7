//! Hashtags: `/api/v1/tags/:name` (and follow), `/api/v1/followed_tags`,
//! `/api/v1/timelines/tag/:name`, `/api/v1/featured_tags`.

use super::{
    entities::{
        status::statuses,
        tag::{featured_tag, tag},
    },
    parse_id,
};
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::{ApiError, ApiResult},
        pagination::{paged, PageParams},
        params::{flex, Params},
    },
    core::Core,
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

pub async fn get(
    path: web::Path<String>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read")?;
    let t = core.tag(viewer, &path).await?;
    Ok(HttpResponse::Ok().json(tag(&t, &core)))
}

pub async fn follow(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:follows")?;
    let t = core.follow_tag(me.id, &path, true).await?;
    Ok(HttpResponse::Ok().json(tag(&t, &core)))
}

pub async fn unfollow(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:follows")?;
    let t = core.follow_tag(me.id, &path, false).await?;
    Ok(HttpResponse::Ok().json(tag(&t, &core)))
}

/// `GET /api/v1/followed_tags`
pub async fn followed(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:follows")?;
    let rows = core.followed_tags(me.id, p.page(100, 200)).await?;
    let ids: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let list: Vec<_> = rows.iter().map(|(_, t)| tag(t, &core)).collect();
    Ok(paged(&req, core.uris().base(), &list, &ids))
}

#[derive(Deserialize)]
pub struct TagTimelineParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    only_media: Option<bool>,
    #[serde(default, deserialize_with = "flex::strings")]
    any: Vec<String>,
}

/// `GET /api/v1/timelines/tag/:hashtag`
pub async fn timeline(
    req: HttpRequest,
    path: web::Path<String>,
    auth: MaybeAuth,
    Params(p): Params<TagTimelineParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    if p.only_media.unwrap_or(false) {
        return Ok(HttpResponse::Ok().json(json!([])));
    }
    let local = match (p.local.unwrap_or(false), p.remote.unwrap_or(false)) {
        (true, _) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let list = match core
        .tag_timeline(viewer, &path, p.any, local, p.page.page(20, 40))
        .await
    {
        Err(crate::core::error::CoreError::NotFound) => vec![],
        other => other?,
    };
    let ids: Vec<i64> = list.iter().map(|s| s.status.id).collect();
    Ok(paged(
        &req,
        core.uris().base(),
        &statuses(&list, &core),
        &ids,
    ))
}

/// `GET /api/v1/featured_tags`: the caller's.
pub async fn featured(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:accounts")?;
    let url = me.url.clone().unwrap_or_else(|| me.ap_id.clone());
    let list: Vec<_> = core
        .featured_tags(me.id)
        .await?
        .iter()
        .map(|f| featured_tag(f, &url))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

/// `GET /api/v1/accounts/:id/featured_tags`
pub async fn of_account(path: web::Path<String>, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let account = core.account(parse_id(&path)?).await?;
    let url = account.url.clone().unwrap_or_else(|| account.ap_id.clone());
    let list: Vec<_> = core
        .featured_tags(account.id)
        .await?
        .iter()
        .map(|f| featured_tag(f, &url))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Deserialize)]
pub struct FeatureParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    name: Option<String>,
}

/// `POST /api/v1/featured_tags`
pub async fn feature(
    auth: Auth,
    Params(p): Params<FeatureParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:accounts")?;
    let name = p
        .name
        .ok_or_else(|| ApiError::unprocessable("Validation failed: name can't be blank"))?;
    let f = core.feature_tag(me.id, &name).await?;
    let url = me.url.clone().unwrap_or_else(|| me.ap_id.clone());
    Ok(HttpResponse::Ok().json(featured_tag(&f, &url)))
}

/// `DELETE /api/v1/featured_tags/:id`
pub async fn unfeature(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:accounts")?;
    core.unfeature_tag(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `GET /api/v1/featured_tags/suggestions`
pub async fn suggestions(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:accounts")?;
    let list: Vec<_> = core
        .featured_tag_suggestions(me.id)
        .await?
        .iter()
        .map(|t| tag(t, &core))
        .collect();
    Ok(HttpResponse::Ok().json(list))
}
