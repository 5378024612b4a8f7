//! `/api/v1/notifications`

use super::{entities::notification::notification, parse_id};
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        pagination::{paged, PageParams},
        params::{flex, Params},
    },
    core::Core,
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct ListParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "flex::strings")]
    types: Vec<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    exclude_types: Vec<String>,
}

pub async fn list(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<ListParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let list = core
        .notifications(me.id, p.types, p.exclude_types, p.page.page(40, 80))
        .await?;
    let ids: Vec<i64> = list.iter().map(|n| n.notification.id).collect();
    let items: Vec<_> = list.iter().map(|n| notification(n, &core)).collect();
    Ok(paged(&req, core.uris().base(), &items, &ids))
}

pub async fn get(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let n = core.notification(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(notification(&n, &core)))
}

pub async fn clear(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("write:notifications")?;
    core.clear_notifications(me.id).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

pub async fn dismiss(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:notifications")?;
    core.dismiss_notification(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

#[derive(Deserialize)]
pub struct UnreadParams {
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
}

/// `GET /api/v1/notifications/unread_count`: notifications after the marker.
pub async fn unread_count(
    auth: Auth,
    Params(p): Params<UnreadParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let limit = p.limit.unwrap_or(100).clamp(1, 1000) as i64;
    let count = core.unread_notifications(me.id, limit).await?;
    Ok(HttpResponse::Ok().json(json!({ "count": count })))
}
