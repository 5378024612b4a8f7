//! `/api/v1/timelines/...`

use super::entities::status::statuses;
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::ApiResult,
        pagination::{paged, PageParams},
        params::{flex, Params},
    },
    core::{timelines::PublicScope, Core},
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

pub async fn home(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:statuses")?;
    let list = core.home_timeline(me.id, p.page(20, 40)).await?;
    let ids: Vec<i64> = list.iter().map(|s| s.status.id).collect();
    Ok(paged(
        &req,
        core.uris().base(),
        &statuses(&list, &core),
        &ids,
    ))
}

#[derive(Deserialize)]
pub struct PublicParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    local: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    remote: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    only_media: Option<bool>,
}

pub async fn public(
    req: HttpRequest,
    auth: MaybeAuth,
    Params(p): Params<PublicParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    if p.only_media.unwrap_or(false) {
        return Ok(HttpResponse::Ok().json(Vec::<()>::new()));
    }
    let scope = match (p.local.unwrap_or(false), p.remote.unwrap_or(false)) {
        (true, _) => PublicScope::Local,
        (false, true) => PublicScope::Remote,
        _ => PublicScope::All,
    };
    let list = core
        .public_timeline(viewer, scope, p.page.page(20, 40))
        .await?;
    let ids: Vec<i64> = list.iter().map(|s| s.status.id).collect();
    Ok(paged(
        &req,
        core.uris().base(),
        &statuses(&list, &core),
        &ids,
    ))
}
