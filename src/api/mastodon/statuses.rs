//! `/api/v1/statuses/...`

use super::{
    entities::status::{
        history as history_entity, source as source_entity, status, statuses, Context,
    },
    parse_id,
};
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::{
        posts::{NewPoll, NewStatus, StatusEdit},
        visibility::Visibility,
        Core,
    },
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

#[derive(Deserialize)]
pub struct StatusParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    visibility: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    sensitive: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    language: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_strings")]
    media_ids: Option<Vec<String>>,
    #[serde(default)]
    poll: Option<Value>,
}

impl StatusParams {
    fn check_unsupported(&self) -> ApiResult<()> {
        Ok(())
    }

    /// The upload ids to attach (`None` when the request does not say).
    fn media_ids(&self) -> ApiResult<Option<Vec<i64>>> {
        self.media_ids
            .as_ref()
            .map(|ids| {
                ids.iter()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        s.trim().parse::<i64>().map_err(|_| {
                            ApiError::unprocessable(format!(
                                "Validation failed: `{s}` is not a media id"
                            ))
                        })
                    })
                    .collect()
            })
            .transpose()
    }

    /// `poll[options][]`, `poll[expires_in]`, `poll[multiple]`, `poll[hide_totals]`.
    fn poll(&self) -> ApiResult<Option<NewPoll>> {
        let Some(p) = self.poll.as_ref().filter(|p| p.is_object()) else {
            return Ok(None);
        };
        let options = match &p["options"] {
            Value::Array(list) => list
                .iter()
                .map(|o| {
                    o.as_str()
                        .map(str::to_string)
                        .unwrap_or_else(|| o.to_string())
                })
                .collect(),
            Value::Object(map) => map
                .values()
                .filter_map(|o| o.as_str().map(str::to_string))
                .collect(),
            Value::Null => return Ok(None),
            _ => {
                return Err(ApiError::unprocessable(
                    "Validation failed: poll[options] must be a list",
                ))
            }
        };
        let number = |v: &Value| match v {
            Value::Number(n) => n.as_i64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        };
        let flag = |v: &Value| match v {
            Value::Bool(b) => *b,
            Value::String(s) => matches!(s.as_str(), "true" | "1" | "on"),
            _ => false,
        };
        let expires_in = number(&p["expires_in"]).ok_or_else(|| {
            ApiError::unprocessable("Validation failed: poll[expires_in] is missing")
        })?;
        Ok(Some(NewPoll {
            options,
            expires_in,
            multiple: flag(&p["multiple"]),
            hide_totals: flag(&p["hide_totals"]),
        }))
    }

    fn language(&self) -> Option<String> {
        self.language.clone().filter(|l| !l.is_empty())
    }
}

pub async fn create(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<StatusParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:statuses")?;
    p.check_unsupported()?;
    let idempotency_key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let visibility = match p.visibility.as_deref().filter(|v| !v.is_empty()) {
        Some(v) => Some(Visibility::parse(v)?),
        None => None,
    };
    let in_reply_to_id = match p.in_reply_to_id.as_deref().filter(|v| !v.is_empty()) {
        Some(id) => Some(parse_id(id)?),
        None => None,
    };
    let view = core
        .post_status(
            me,
            NewStatus {
                text: p.status.clone().unwrap_or_default(),
                visibility,
                in_reply_to_id,
                spoiler_text: p.spoiler_text.clone().unwrap_or_default(),
                sensitive: p.sensitive.unwrap_or(false),
                language: p.language(),
                idempotency_key,
                poll: p.poll()?,
                media_ids: p.media_ids()?.unwrap_or_default(),
                thread: None,
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(status(&view, &core)))
}

pub async fn get(
    path: web::Path<String>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    let view = core.status(viewer, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(status(&view, &core)))
}

pub async fn delete(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:statuses")?;
    let view = core.delete_status(me, parse_id(&path)?).await?;
    let mut body = status(&view, &core);
    body.text = view.status.source_text.clone();
    Ok(HttpResponse::Ok().json(body))
}

pub async fn edit(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<StatusParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:statuses")?;
    p.check_unsupported()?;
    let view = core
        .edit_status(
            me,
            parse_id(&path)?,
            StatusEdit {
                text: p.status.clone().unwrap_or_default(),
                spoiler_text: p.spoiler_text.clone(),
                sensitive: p.sensitive,
                language: p.language(),
                poll: p.poll()?,
                media_ids: p.media_ids()?,
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(status(&view, &core)))
}

pub async fn context(
    path: web::Path<String>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    let (ancestors, descendants) = core.context(viewer, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(Context {
        ancestors: statuses(&ancestors, &core),
        descendants: statuses(&descendants, &core),
    }))
}

/// `GET /api/v1/statuses/:id/history`
pub async fn history(
    path: web::Path<String>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let viewer = auth.viewer("read:statuses")?;
    let (view, versions) = core.status_history(viewer, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(history_entity(&view, &versions, &core)))
}

/// `GET /api/v1/statuses/:id/source`
pub async fn source(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:statuses")?;
    let view = core.status_source(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(source_entity(&view)))
}
