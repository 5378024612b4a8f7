//! Favourites, reblogs, bookmarks and pins of statuses
//! (`/api/v1/statuses/:id/...`, `/api/v1/favourites`, `/api/v1/bookmarks`).

use super::{
    entities::{account::account, status::status},
    parse_id,
};
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::ApiResult,
        pagination::{paged, PageParams},
        params::Params,
    },
    core::{views::StatusView, Core},
};
use actix_web::{web, HttpRequest, HttpResponse};

/// What a `POST /api/v1/statuses/:id/<action>` does.
#[derive(Debug, Clone, Copy)]
pub enum Action {
    Favourite,
    Unfavourite,
    Reblog,
    Unreblog,
    Bookmark,
    Unbookmark,
    Pin,
    Unpin,
}

impl Action {
    fn scope(self) -> &'static str {
        match self {
            Action::Favourite | Action::Unfavourite => "write:favourites",
            Action::Reblog | Action::Unreblog => "write:statuses",
            Action::Bookmark | Action::Unbookmark => "write:bookmarks",
            Action::Pin | Action::Unpin => "write:accounts",
        }
    }
}

/// A route handler for `action`.
pub fn act(
    action: Action,
) -> impl Fn(
    web::Path<String>,
    Auth,
    web::Data<Core>,
) -> futures::future::LocalBoxFuture<'static, ApiResult<HttpResponse>>
       + Clone {
    move |path, auth, core| {
        Box::pin(async move {
            let me = auth.require(action.scope())?;
            let id = parse_id(&path)?;
            let view = match action {
                Action::Favourite => core.favourite(me, id).await?,
                Action::Unfavourite => core.unfavourite(me, id).await?,
                Action::Reblog => core.reblog(me, id).await?,
                Action::Unreblog => core.unreblog(me, id).await?,
                Action::Bookmark => core.bookmark(me, id, true).await?,
                Action::Unbookmark => core.bookmark(me, id, false).await?,
                Action::Pin => core.pin(me, id, true).await?,
                Action::Unpin => core.pin(me, id, false).await?,
            };
            Ok(HttpResponse::Ok().json(status(&view, &core)))
        })
    }
}

pub async fn favourited_by(
    req: HttpRequest,
    path: web::Path<String>,
    auth: MaybeAuth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:accounts")?;
    let rows = core
        .favourited_by(viewer, parse_id(&path)?, p.page(40, 80))
        .await?;
    let ids: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let list: Vec<_> = rows.iter().map(|(_, v)| account(v, &core)).collect();
    Ok(paged(&req, core.uris().base(), &list, &ids))
}

pub async fn reblogged_by(
    req: HttpRequest,
    path: web::Path<String>,
    auth: MaybeAuth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:accounts")?;
    let rows = core
        .reblogged_by(viewer, parse_id(&path)?, p.page(40, 80))
        .await?;
    let ids: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let list: Vec<_> = rows.iter().map(|(_, v)| account(v, &core)).collect();
    Ok(paged(&req, core.uris().base(), &list, &ids))
}

fn status_page(req: &HttpRequest, core: &Core, rows: &[(i64, StatusView)]) -> HttpResponse {
    let ids: Vec<i64> = rows.iter().map(|(c, _)| *c).collect();
    let list: Vec<_> = rows.iter().map(|(_, v)| status(v, core)).collect();
    paged(req, core.uris().base(), &list, &ids)
}

/// `GET /api/v1/favourites`
pub async fn favourites(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:favourites")?;
    let rows = core.favourites(me.id, p.page(20, 40)).await?;
    Ok(status_page(&req, &core, &rows))
}

/// `GET /api/v1/bookmarks`
pub async fn bookmarks(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:bookmarks")?;
    let rows = core.bookmarks(me.id, p.page(20, 40)).await?;
    Ok(status_page(&req, &core, &rows))
}
