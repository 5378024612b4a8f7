//! `/api/staffroom/v1/boards/:name/join_requests`, `/modlog` and the
//! actions on a board's posts (lock, pin, remove): for a board's moderators
//! (and the server's admins). A board on another server is named
//! `name@server`; its server is asked to act.

use super::entities::mod_log_entry;
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        mastodon::{
            entities::{account::account, datetime},
            parse_id,
        },
        params::{flex, Params},
    },
    core::{
        boards::{MemberAction, PostAction},
        Core,
    },
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

/// `GET /api/staffroom/v1/boards/:name/join_requests`
pub async fn join_requests(
    name: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read")?;
    let list = core.join_requests(me, &name).await?;
    let body: Vec<_> = list.iter().map(|a| account(a, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize)]
pub struct AnswerParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    reason: Option<String>,
}

async fn answer(
    path: web::Path<(String, String)>,
    auth: Auth,
    p: AnswerParams,
    core: web::Data<Core>,
    accept: bool,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let (name, account_id) = path.into_inner();
    core.answer_join_request(
        me,
        &name,
        parse_id(&account_id)?,
        accept,
        p.reason.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `POST /api/staffroom/v1/boards/:name/join_requests/:account_id/authorize`
pub async fn authorize(
    path: web::Path<(String, String)>,
    auth: Auth,
    Params(p): Params<AnswerParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    answer(path, auth, p, core, true).await
}

/// `POST /api/staffroom/v1/boards/:name/join_requests/:account_id/reject`
pub async fn reject(
    path: web::Path<(String, String)>,
    auth: Auth,
    Params(p): Params<AnswerParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    answer(path, auth, p, core, false).await
}

#[derive(Deserialize)]
pub struct LogParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    max_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
}

/// `GET /api/staffroom/v1/boards/:name/modlog`
pub async fn modlog(
    name: web::Path<String>,
    auth: Auth,
    Params(p): Params<LogParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read")?;
    let max_id = p.max_id.as_deref().and_then(|s| s.parse::<i64>().ok());
    let limit = p.limit.unwrap_or(40).clamp(1, 80) as i64;
    let list = core.mod_log(me, &name, max_id, limit).await?;
    let body: Vec<_> = list.iter().map(|e| mod_log_entry(e, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

async fn act_on_post(
    path: web::Path<(String, String)>,
    auth: Auth,
    p: AnswerParams,
    core: web::Data<Core>,
    action: PostAction,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let (name, status_id) = path.into_inner();
    let (id, reason) = (parse_id(&status_id)?, p.reason.unwrap_or_default());
    core.moderate_post(me, &name, id, action, &reason).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// Handlers for `POST /api/staffroom/v1/boards/:name/threads/:id/<action>`
/// (and `.../posts/:id/remove`).
macro_rules! post_actions {
    ($($handler:ident => $action:expr),+ $(,)?) => {$(
        pub async fn $handler(
            path: web::Path<(String, String)>,
            auth: Auth,
            Params(p): Params<AnswerParams>,
            core: web::Data<Core>,
        ) -> ApiResult<HttpResponse> {
            act_on_post(path, auth, p, core, $action).await
        }
    )+};
}

post_actions! {
    lock_thread => PostAction::Lock,
    unlock_thread => PostAction::Unlock,
    pin_thread => PostAction::Pin,
    unpin_thread => PostAction::Unpin,
    remove_post => PostAction::Remove,
}

#[derive(Deserialize)]
pub struct ModeratorParams {
    /// `user` (here) or `user@server`.
    #[serde(default, deserialize_with = "flex::opt_string")]
    account: Option<String>,
}

/// `POST /api/staffroom/v1/boards/:name/moderators`: appoint a moderator.
pub async fn add_moderator(
    name: web::Path<String>,
    auth: Auth,
    Params(p): Params<ModeratorParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let who = super::boards::required(p.account, "Account")?;
    let view = core.set_moderator(Some(me), &name, &who, true).await?;
    Ok(HttpResponse::Ok().json(account(&view, &core)))
}

/// `DELETE /api/staffroom/v1/boards/:name/moderators/:account`
pub async fn remove_moderator(
    path: web::Path<(String, String)>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let (name, who) = path.into_inner();
    let view = core.set_moderator(Some(me), &name, &who, false).await?;
    Ok(HttpResponse::Ok().json(account(&view, &core)))
}

#[derive(Deserialize)]
pub struct BanParams {
    /// `user` (here) or `user@server`.
    #[serde(default, deserialize_with = "flex::opt_string")]
    account: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    reason: Option<String>,
}

/// `POST /api/staffroom/v1/boards/:name/bans`: ban a teacher from the board.
pub async fn ban(
    name: web::Path<String>,
    auth: Auth,
    Params(p): Params<BanParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let who = super::boards::required(p.account, "Account")?;
    let reason = p.reason.unwrap_or_default();
    let view = core
        .moderate_member(me, &name, &who, MemberAction::Ban, &reason)
        .await?;
    Ok(HttpResponse::Ok().json(account(&view, &core)))
}

/// `DELETE /api/staffroom/v1/boards/:name/bans/:account`: lift a ban.
pub async fn unban(
    path: web::Path<(String, String)>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let (name, who) = path.into_inner();
    let view = core
        .moderate_member(me, &name, &who, MemberAction::Unban, "")
        .await?;
    Ok(HttpResponse::Ok().json(account(&view, &core)))
}

/// `GET /api/staffroom/v1/boards/:name/bans`: the teachers banned, newest first.
pub async fn bans(
    name: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read")?;
    let list = core.board_bans(me, &name).await?;
    let body: Vec<_> = list
        .iter()
        .map(|b| {
            json!({
                "account": account(&b.account, &core),
                "reason": b.reason,
                "created_at": datetime(b.created_at),
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}
