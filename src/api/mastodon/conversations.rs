//! `/api/v1/conversations`: direct conversations.

use super::{entities::conversation::conversation, parse_id};
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
use serde_json::json;

pub async fn index(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:statuses")?;
    let found = core.conversations(me.id, p.page(20, 40)).await?;
    let ids: Vec<i64> = found
        .iter()
        .map(|c| c.conversation.last_status_id)
        .collect();
    let list: Vec<_> = found.iter().map(|c| conversation(c, &core)).collect();
    Ok(paged(&req, core.uris().base(), &list, &ids))
}

pub async fn read(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:conversations")?;
    let c = core.read_conversation(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(conversation(&c, &core)))
}

pub async fn remove(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:conversations")?;
    core.remove_conversation(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}
