//! `/api/v1/media`, `/api/v2/media`: uploads, their descriptions and focal points.

use super::{entities::media::media, parse_id};
use crate::{
    api::{
        auth::Auth,
        error::{ApiError, ApiResult},
        params::{flex, Params, ParamsWithFiles},
    },
    core::{posts::Upload, Core},
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct MediaParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    description: Option<String>,
    /// `"x,y"`, each from -1.0 to 1.0.
    #[serde(default, deserialize_with = "flex::opt_string")]
    focus: Option<String>,
}

fn focus(s: &Option<String>) -> ApiResult<Option<(f64, f64)>> {
    let Some(s) = s.as_deref().filter(|s| !s.trim().is_empty()) else {
        return Ok(None);
    };
    let bad =
        || ApiError::unprocessable("Validation failed: focus is x,y with each from -1.0 to 1.0");
    let (x, y) = s.split_once(',').ok_or_else(bad)?;
    Ok(Some((
        x.trim().parse().map_err(|_| bad())?,
        y.trim().parse().map_err(|_| bad())?,
    )))
}

/// `POST /api/v1/media` and `/api/v2/media` (processed at once, so always 200).
pub async fn upload(
    auth: Auth,
    ParamsWithFiles(p, mut files): ParamsWithFiles<MediaParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:media")?;
    let bytes = files
        .remove("file")
        .ok_or_else(|| ApiError::unprocessable("Validation failed: File can't be blank"))?;
    let m = core
        .upload_media(
            me,
            Upload {
                bytes,
                description: p.description.clone(),
                focus: focus(&p.focus)?,
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(media(&m, &core)))
}

pub async fn get(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:media")?;
    let m = core.media(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(media(&m, &core)))
}

pub async fn update(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<MediaParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:media")?;
    let m = core
        .update_media(
            me.id,
            parse_id(&path)?,
            p.description.clone(),
            focus(&p.focus)?,
        )
        .await?;
    Ok(HttpResponse::Ok().json(media(&m, &core)))
}
