//! `/api/v1/polls/:id` and voting.

use super::{entities::poll::poll, parse_id};
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::Core,
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

pub async fn get(
    path: web::Path<String>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    let p = core.poll(viewer, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(poll(&p)))
}

#[derive(Deserialize)]
pub struct VoteParams {
    #[serde(default, deserialize_with = "flex::strings")]
    choices: Vec<String>,
}

pub async fn vote(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<VoteParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:statuses")?;
    let choices = p
        .choices
        .iter()
        .map(|c| c.trim().parse::<i32>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| {
            ApiError::unprocessable("Validation failed: choices must be option indexes")
        })?;
    let v = core.vote(me, parse_id(&path)?, choices).await?;
    Ok(HttpResponse::Ok().json(poll(&v)))
}
