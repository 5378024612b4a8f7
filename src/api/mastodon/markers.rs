//! `/api/v1/markers`: reading positions shared between a person's apps.

use super::{entities::datetime, parse_id};
use crate::{
    api::{
        auth::Auth,
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::{timelines::markers::TIMELINES, Core},
    db::markers::Marker,
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Map, Value};

fn render(markers: &[Marker]) -> Value {
    let mut out = Map::new();
    for m in markers {
        out.insert(
            m.timeline.clone(),
            json!({
                "last_read_id": m.last_read_id.to_string(),
                "version": m.version,
                "updated_at": datetime(m.updated_at),
            }),
        );
    }
    Value::Object(out)
}

#[derive(Deserialize)]
pub struct GetParams {
    #[serde(default, deserialize_with = "flex::strings")]
    timeline: Vec<String>,
}

/// `GET /api/v1/markers?timeline[]=home&timeline[]=notifications`
pub async fn get(
    auth: Auth,
    Params(p): Params<GetParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:statuses")?;
    let markers = core.markers(me.id, p.timeline).await?;
    Ok(HttpResponse::Ok().json(render(&markers)))
}

/// `POST /api/v1/markers` with `home[last_read_id]` and/or `notifications[last_read_id]`.
pub async fn save(
    auth: Auth,
    Params(p): Params<Map<String, Value>>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:statuses")?;
    let mut saved = vec![];
    for timeline in TIMELINES {
        let Some(position) = p.get(*timeline) else {
            continue;
        };
        let id = match &position["last_read_id"] {
            Value::String(s) => parse_id(s),
            Value::Number(n) => n.as_i64().ok_or_else(ApiError::not_found),
            _ => Err(ApiError::unprocessable(format!(
                "Validation failed: {timeline}[last_read_id] is missing"
            ))),
        }
        .map_err(|_| ApiError::unprocessable("Validation failed: last_read_id is not an id"))?;
        saved.push(core.set_marker(me.id, timeline, id).await?);
    }
    Ok(HttpResponse::Ok().json(render(&saved)))
}
