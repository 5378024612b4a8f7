//! `/api/v1/announcements`: the admin's notices, dismissing them, reactions.

use super::{entities::announcement::announcement, parse_id};
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        params::{flex, Params},
    },
    core::Core,
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct IndexParams {
    #[serde(default, deserialize_with = "flex::opt_bool")]
    with_dismissed: Option<bool>,
}

pub async fn index(
    auth: Auth,
    Params(p): Params<IndexParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read")?;
    let list = core
        .announcements(me.id, p.with_dismissed.unwrap_or(false))
        .await?;
    let body: Vec<_> = list.iter().map(announcement).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `POST /api/v1/announcements/:id/dismiss`
pub async fn dismiss(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:accounts")?;
    core.dismiss_announcement(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `PUT` (`on`) or `DELETE /api/v1/announcements/:id/reactions/:name`
pub async fn react(
    on: bool,
    path: web::Path<(String, String)>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:favourites")?;
    let (id, name) = path.into_inner();
    core.react_to_announcement(me.id, parse_id(&id)?, &name, on)
        .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

pub async fn add_reaction(
    path: web::Path<(String, String)>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    react(true, path, auth, core).await
}

pub async fn remove_reaction(
    path: web::Path<(String, String)>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    react(false, path, auth, core).await
}
