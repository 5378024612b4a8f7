//! Blocks, mutes and hidden servers (`/api/v1/accounts/:id/block` ...,
//! `/api/v1/blocks`, `/api/v1/mutes`, `/api/v1/domain_blocks`).

use super::{
    entities::{account::account, relationship::relationship},
    parse_id,
};
use crate::{
    api::{
        auth::Auth,
        error::{ApiError, ApiResult},
        pagination::{link_header, paged, PageParams},
        params::{flex, Params},
    },
    core::Core,
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

pub async fn block(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:blocks")?;
    let rel = core.block(me, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

pub async fn unblock(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:blocks")?;
    let rel = core.unblock(me, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

#[derive(Deserialize)]
pub struct MuteParams {
    #[serde(default, deserialize_with = "flex::opt_bool")]
    notifications: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    duration: Option<u64>,
}

pub async fn mute(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<MuteParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:mutes")?;
    let duration = p.duration.map(|d| d.min(i64::MAX as u64) as i64);
    let rel = core
        .mute(
            me,
            parse_id(&path)?,
            p.notifications.unwrap_or(true),
            duration,
        )
        .await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

pub async fn unmute(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:mutes")?;
    let rel = core.unmute(me, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

async fn account_list(
    req: HttpRequest,
    auth: Auth,
    p: PageParams,
    core: web::Data<Core>,
    muted: bool,
) -> ApiResult<HttpResponse> {
    let me = auth.require(if muted { "read:mutes" } else { "read:blocks" })?;
    let rows = core.blocked_accounts(me.id, muted, p.page(40, 80)).await?;
    let ids: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let list: Vec<_> = rows.iter().map(|(_, v)| account(v, &core)).collect();
    Ok(paged(&req, core.uris().base(), &list, &ids))
}

/// `GET /api/v1/blocks`
pub async fn blocks(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    account_list(req, auth, p, core, false).await
}

/// `GET /api/v1/mutes`
pub async fn mutes(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    account_list(req, auth, p, core, true).await
}

/// `GET /api/v1/domain_blocks`: the servers the caller hides, as strings.
pub async fn domain_blocks(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:blocks")?;
    let rows = core.blocked_domains(me.id, p.page(100, 200)).await?;
    let ids: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let list: Vec<&String> = rows.iter().map(|(_, d)| d).collect();
    let mut res = HttpResponse::Ok();
    if let Some(link) = link_header(&req, core.uris().base(), &ids) {
        res.insert_header(("Link", link));
    }
    Ok(res.json(list))
}

#[derive(Deserialize)]
pub struct DomainParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    domain: Option<String>,
}

/// `POST /api/v1/domain_blocks`
pub async fn block_domain(
    auth: Auth,
    Params(p): Params<DomainParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:blocks")?;
    let domain = p
        .domain
        .ok_or_else(|| ApiError::unprocessable("Validation failed: domain is missing"))?;
    core.block_domain(me, &domain).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `DELETE /api/v1/domain_blocks`
pub async fn unblock_domain(
    auth: Auth,
    Params(p): Params<DomainParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:blocks")?;
    let domain = p
        .domain
        .ok_or_else(|| ApiError::unprocessable("Validation failed: domain is missing"))?;
    core.unblock_domain(me.id, &domain).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}
