//! `/api/v1/lists` and `/api/v1/timelines/list/:id`.

use super::{
    entities::{account::account, status::statuses, tag::list},
    parse_id,
};
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        pagination::{paged, PageParams},
        params::{flex, Params},
    },
    core::{timelines::ListSettings, Core},
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct ListParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    replies_policy: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    exclusive: Option<bool>,
}

impl ListParams {
    fn settings(self) -> ListSettings {
        ListSettings {
            title: self.title,
            replies_policy: self.replies_policy,
            exclusive: self.exclusive,
        }
    }
}

pub async fn index(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:lists")?;
    let all: Vec<_> = core.lists(me.id).await?.iter().map(list).collect();
    Ok(HttpResponse::Ok().json(all))
}

pub async fn get(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:lists")?;
    Ok(HttpResponse::Ok().json(list(&core.list(me.id, parse_id(&path)?).await?)))
}

pub async fn create(
    auth: Auth,
    Params(p): Params<ListParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:lists")?;
    Ok(HttpResponse::Ok().json(list(&core.create_list(me.id, p.settings()).await?)))
}

pub async fn update(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<ListParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:lists")?;
    let l = core
        .update_list(me.id, parse_id(&path)?, p.settings())
        .await?;
    Ok(HttpResponse::Ok().json(list(&l)))
}

pub async fn delete(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:lists")?;
    core.delete_list(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

#[derive(Deserialize)]
pub struct MembersParams {
    #[serde(default, deserialize_with = "flex::strings")]
    account_ids: Vec<String>,
}

impl MembersParams {
    fn ids(&self) -> Vec<i64> {
        self.account_ids
            .iter()
            .filter_map(|s| s.trim().parse().ok())
            .take(250)
            .collect()
    }
}

pub async fn members(
    req: HttpRequest,
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:lists")?;
    let found = core
        .list_members(me.id, parse_id(&path)?, p.page(40, 80))
        .await?;
    let ids: Vec<i64> = found.iter().map(|v| v.account.id).collect();
    let list: Vec<_> = found.iter().map(|v| account(v, &core)).collect();
    Ok(paged(&req, core.uris().base(), &list, &ids))
}

pub async fn add_members(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<MembersParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:lists")?;
    core.add_to_list(me.id, parse_id(&path)?, p.ids()).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

pub async fn remove_members(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<MembersParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:lists")?;
    core.remove_from_list(me.id, parse_id(&path)?, p.ids())
        .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `GET /api/v1/timelines/list/:id`
pub async fn timeline(
    req: HttpRequest,
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:lists")?;
    let found = core
        .list_timeline(me.id, parse_id(&path)?, p.page(20, 40))
        .await?;
    let ids: Vec<i64> = found.iter().map(|s| s.status.id).collect();
    Ok(paged(
        &req,
        core.uris().base(),
        &statuses(&found, &core),
        &ids,
    ))
}

/// `GET /api/v1/accounts/:id/lists`: the caller's lists that contain the account.
pub async fn containing(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:lists")?;
    let all: Vec<_> = core
        .lists_containing(me.id, parse_id(&path)?)
        .await?
        .iter()
        .map(list)
        .collect();
    Ok(HttpResponse::Ok().json(all))
}
