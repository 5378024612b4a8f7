//! `/api/v1/follow_requests`

use super::{
    entities::{account::account, relationship::relationship},
    parse_id,
};
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        pagination::{paged, PageParams},
        params::Params,
    },
    core::Core,
};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn list(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:follows")?;
    let rows = core.follow_requests(me.id, p.page(40, 80)).await?;
    let ids: Vec<i64> = rows.iter().map(|(f, _)| *f).collect();
    let accounts: Vec<_> = rows.iter().map(|(_, v)| account(v, &core)).collect();
    Ok(paged(&req, core.uris().base(), &accounts, &ids))
}

pub async fn authorize(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:follows")?;
    let rel = core
        .answer_follow_request(me, parse_id(&path)?, true)
        .await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

pub async fn reject(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:follows")?;
    let rel = core
        .answer_follow_request(me, parse_id(&path)?, false)
        .await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}
