//! `/api/staffroom/v1/boards...`

use super::entities::{board, thread};
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::{ApiError, ApiResult},
        mastodon::entities::account::account,
        params::{flex, Params, ParamsWithFiles},
    },
    core::{
        boards::{BoardEdit, BoardKind, NewBoard, ThreadSort},
        Core,
    },
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct DirectoryParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    subject: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    grade_band: Option<String>,
}

/// `GET /api/staffroom/v1/boards`: this server's boards.
pub async fn directory(
    auth: MaybeAuth,
    Params(p): Params<DirectoryParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read")?;
    let list = core
        .board_directory(viewer, p.subject, p.grade_band)
        .await?;
    let body: Vec<_> = list.iter().map(|b| board(b, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize)]
pub struct CreateParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    kind: Option<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    subjects: Vec<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    grade_bands: Vec<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    rules: Vec<String>,
}

pub(super) fn required(value: Option<String>, what: &str) -> ApiResult<String> {
    value
        .filter(|v| !v.trim().is_empty())
        .ok_or_else(|| ApiError::unprocessable(format!("Validation failed: {what} can't be blank")))
}

/// `POST /api/staffroom/v1/boards`: create a board (its creator moderates it).
pub async fn create(
    auth: Auth,
    Params(p): Params<CreateParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let kind = BoardKind::parse(p.kind.as_deref().unwrap_or("federated"))?;
    let created = core
        .create_board_as(
            me,
            NewBoard {
                name: required(p.name, "Name")?,
                title: required(p.title, "Title")?,
                description: p.description.unwrap_or_default(),
                kind,
                rules: p.rules,
                subjects: p.subjects,
                grade_bands: p.grade_bands,
                moderators: vec![],
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(board(&created, &core)))
}

/// `GET /api/staffroom/v1/boards/followed`: the boards, here or elsewhere,
/// the caller is a member of (as Mastodon accounts).
pub async fn followed(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read")?;
    let list = core.followed_boards(me.id).await?;
    let body: Vec<_> = list.iter().map(|a| account(a, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/staffroom/v1/boards/:name`
pub async fn get(
    name: web::Path<String>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read")?;
    let b = core.board(viewer, &name).await?;
    Ok(HttpResponse::Ok().json(board(&b, &core)))
}

#[derive(Deserialize)]
pub struct ThreadsParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    sort: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    days: Option<u64>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    offset: Option<u64>,
}

/// `GET /api/staffroom/v1/boards/:name/threads?sort=newest|active|top`
pub async fn threads(
    name: web::Path<String>,
    auth: MaybeAuth,
    Params(p): Params<ThreadsParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read")?;
    let sort = match p.sort.as_deref().unwrap_or("newest") {
        "newest" => ThreadSort::Newest,
        "active" => ThreadSort::Active,
        "top" => ThreadSort::Top {
            days: p.days.unwrap_or(7).clamp(1, 3650) as i64,
        },
        other => {
            return Err(ApiError::unprocessable(format!(
                "Validation failed: sort `{other}` is not newest, active or top"
            )))
        }
    };
    let limit = p.limit.unwrap_or(20).clamp(1, 40) as usize;
    let offset = p.offset.unwrap_or(0).min(10_000) as usize;
    let list = core
        .board_threads(viewer, &name, sort, offset, limit)
        .await?;
    let body: Vec<_> = list.iter().map(|t| thread(t, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

#[derive(Deserialize)]
pub struct NewThreadParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    body: Option<String>,
    /// Uploads (`POST /api/v2/media`) to attach, in order.
    #[serde(default, deserialize_with = "flex::strings")]
    media_ids: Vec<String>,
}

/// `POST /api/staffroom/v1/boards/:name/threads`: start a thread.
pub async fn start_thread(
    name: web::Path<String>,
    auth: Auth,
    Params(p): Params<NewThreadParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:statuses")?;
    let title = required(p.title, "Title")?;
    let body = required(p.body, "Body")?;
    let media_ids = p
        .media_ids
        .iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<i64>().map_err(|_| {
                ApiError::unprocessable(format!("Validation failed: `{s}` is not a media id"))
            })
        })
        .collect::<ApiResult<Vec<i64>>>()?;
    let t = core
        .create_thread(me, &name, &title, &body, media_ids)
        .await?;
    Ok(HttpResponse::Ok().json(thread(&t, &core)))
}

#[derive(Deserialize)]
pub struct EditParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_strings")]
    subjects: Option<Vec<String>>,
    #[serde(default, deserialize_with = "flex::opt_strings")]
    grade_bands: Option<Vec<String>>,
    #[serde(default, deserialize_with = "flex::opt_strings")]
    rules: Option<Vec<String>>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    posting_restricted_to_mods: Option<bool>,
}

/// `PATCH /api/staffroom/v1/boards/:name`: a moderator edits the board
/// (JSON, or multipart with `icon` and `banner` image files).
pub async fn edit(
    name: web::Path<String>,
    auth: Auth,
    ParamsWithFiles(p, mut files): ParamsWithFiles<EditParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write")?;
    let edit = BoardEdit {
        title: p.title,
        description: p.description,
        rules: p.rules,
        subjects: p.subjects,
        grade_bands: p.grade_bands,
        posting_restricted_to_mods: p.posting_restricted_to_mods,
        icon: files.remove("icon"),
        banner: files.remove("banner"),
    };
    core.edit_board(me, &name, edit).await?;
    let summary = core.board(Some(me.id), &name).await?;
    Ok(HttpResponse::Ok().json(board(&summary, &core)))
}
