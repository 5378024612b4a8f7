//! Filters: `/api/v2/filters` (with keywords and statuses) and the older
//! `/api/v1/filters`, where each keyword is a filter of its own.

use super::{
    entities::filter::{filter, filtered_status, keyword, v1},
    parse_id,
};
use crate::{
    api::{
        auth::Auth,
        error::{ApiError, ApiResult},
        params::{flex, Params},
    },
    core::{
        timelines::{FilterInput, KeywordInput},
        Core,
    },
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

fn truthy(v: Option<&Value>) -> bool {
    match v {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => matches!(s.as_str(), "true" | "1" | "on"),
        Some(Value::Number(n)) => n.as_i64() == Some(1),
        _ => false,
    }
}

/// `expires_in`: seconds, or empty/null for "never" (`Some(None)`); absent keeps it.
fn expiry(v: &Option<Value>) -> ApiResult<Option<Option<i64>>> {
    match v {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(Value::String(s)) => {
            s.trim().parse().map(|n| Some(Some(n))).map_err(|_| {
                ApiError::unprocessable("Validation failed: expires_in is not a number")
            })
        }
        Some(Value::Number(n)) => Ok(Some(n.as_i64())),
        _ => Err(ApiError::unprocessable("Validation failed: expires_in")),
    }
}

/// `keywords_attributes` as a list or an object keyed by index.
fn keywords_of(v: &Option<Value>) -> Vec<KeywordInput> {
    let items: Vec<&Value> = match v {
        Some(Value::Array(list)) => list.iter().collect(),
        Some(Value::Object(map)) => map.values().collect(),
        _ => vec![],
    };
    items
        .into_iter()
        .map(|k| KeywordInput {
            id: k.get("id").and_then(|i| match i {
                Value::String(s) => s.parse().ok(),
                Value::Number(n) => n.as_i64(),
                _ => None,
            }),
            keyword: k
                .get("keyword")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            whole_word: truthy(k.get("whole_word")),
            destroy: truthy(k.get("_destroy")),
        })
        .collect()
}

#[derive(Deserialize)]
pub struct FilterParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    context: Vec<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    filter_action: Option<String>,
    #[serde(default)]
    expires_in: Option<Value>,
    #[serde(default)]
    keywords_attributes: Option<Value>,
}

impl FilterParams {
    fn input(&self) -> ApiResult<FilterInput> {
        Ok(FilterInput {
            title: self.title.clone(),
            context: (!self.context.is_empty()).then(|| self.context.clone()),
            action: self.filter_action.clone(),
            expires_in: expiry(&self.expires_in)?,
            keywords: keywords_of(&self.keywords_attributes),
        })
    }
}

pub async fn index(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let all: Vec<_> = core.filters(me.id).await?.iter().map(filter).collect();
    Ok(HttpResponse::Ok().json(all))
}

pub async fn get(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    Ok(HttpResponse::Ok().json(filter(&core.filter(me.id, parse_id(&path)?).await?)))
}

pub async fn create(
    auth: Auth,
    Params(p): Params<FilterParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let v = core.create_filter(me.id, p.input()?).await?;
    Ok(HttpResponse::Ok().json(filter(&v)))
}

pub async fn update(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<FilterParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let v = core
        .update_filter(me.id, parse_id(&path)?, p.input()?)
        .await?;
    Ok(HttpResponse::Ok().json(filter(&v)))
}

pub async fn delete(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    core.delete_filter(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

#[derive(Deserialize)]
pub struct KeywordParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    keyword: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    whole_word: Option<bool>,
}

/// `GET /api/v2/filters/:filter_id/keywords`
pub async fn keywords(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let v = core.filter(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(v.keywords.iter().map(keyword).collect::<Vec<_>>()))
}

/// `POST /api/v2/filters/:filter_id/keywords`
pub async fn add_keyword(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<KeywordParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let k = core
        .add_filter_keyword(
            me.id,
            parse_id(&path)?,
            p.keyword.unwrap_or_default(),
            p.whole_word.unwrap_or(false),
        )
        .await?;
    Ok(HttpResponse::Ok().json(keyword(&k)))
}

/// `GET /api/v2/filters/keywords/:id`
pub async fn get_keyword(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let (k, _) = core.filter_keyword(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(keyword(&k)))
}

/// `PUT /api/v2/filters/keywords/:id`
pub async fn update_keyword(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<KeywordParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let id = parse_id(&path)?;
    let (old, _) = core.filter_keyword(me.id, id).await?;
    let change = (
        p.keyword.unwrap_or(old.keyword),
        p.whole_word.unwrap_or(old.whole_word),
    );
    let k = core
        .set_filter_keyword(me.id, id, Some(change))
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(keyword(&k)))
}

/// `DELETE /api/v2/filters/keywords/:id`
pub async fn delete_keyword(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    core.set_filter_keyword(me.id, parse_id(&path)?, None)
        .await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

#[derive(Deserialize)]
pub struct StatusParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    status_id: Option<String>,
}

/// `GET /api/v2/filters/:filter_id/statuses`
pub async fn statuses(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let v = core.filter(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(v.statuses.iter().map(filtered_status).collect::<Vec<_>>()))
}

/// `POST /api/v2/filters/:filter_id/statuses`
pub async fn add_status(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<StatusParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let status_id = parse_id(p.status_id.as_deref().unwrap_or_default())?;
    let s = core
        .add_filter_status(me.id, parse_id(&path)?, status_id)
        .await?;
    Ok(HttpResponse::Ok().json(filtered_status(&s)))
}

/// `GET /api/v2/filters/statuses/:id`
pub async fn get_status(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let s = core.filter_status(me.id, parse_id(&path)?, false).await?;
    Ok(HttpResponse::Ok().json(filtered_status(&s)))
}

/// `DELETE /api/v2/filters/statuses/:id`
pub async fn delete_status(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    core.filter_status(me.id, parse_id(&path)?, true).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

#[derive(Deserialize)]
pub struct V1Params {
    #[serde(default, deserialize_with = "flex::opt_string")]
    phrase: Option<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    context: Vec<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    irreversible: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    whole_word: Option<bool>,
    #[serde(default)]
    expires_in: Option<Value>,
}

/// `GET /api/v1/filters`: each keyword as a filter.
pub async fn v1_index(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let mut out = vec![];
    for v in core.filters(me.id).await? {
        out.extend(v.keywords.iter().map(|k| v1(k, &v.filter)));
    }
    Ok(HttpResponse::Ok().json(out))
}

/// `GET /api/v1/filters/:id` (a keyword id).
pub async fn v1_get(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:filters")?;
    let (k, f) = core.filter_keyword(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(v1(&k, &f)))
}

/// `POST /api/v1/filters`: a filter with one keyword.
pub async fn v1_create(
    auth: Auth,
    Params(p): Params<V1Params>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let phrase = p.phrase.clone().unwrap_or_default();
    let input = FilterInput {
        title: Some(phrase.clone()),
        context: Some(p.context.clone()),
        action: Some(
            if p.irreversible.unwrap_or(false) {
                "hide"
            } else {
                "warn"
            }
            .into(),
        ),
        expires_in: expiry(&p.expires_in)?,
        keywords: vec![KeywordInput {
            keyword: phrase,
            whole_word: p.whole_word.unwrap_or(true),
            ..Default::default()
        }],
    };
    let v = core.create_filter(me.id, input).await?;
    let k = v.keywords.first().ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(v1(k, &v.filter)))
}

/// `PUT /api/v1/filters/:id`
pub async fn v1_update(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<V1Params>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let id = parse_id(&path)?;
    let (k, f) = core.filter_keyword(me.id, id).await?;
    let input = FilterInput {
        context: (!p.context.is_empty()).then(|| p.context.clone()),
        action: p
            .irreversible
            .map(|i| if i { "hide" } else { "warn" }.to_string()),
        expires_in: expiry(&p.expires_in)?,
        keywords: vec![KeywordInput {
            id: Some(k.id),
            keyword: p.phrase.clone().unwrap_or(k.keyword.clone()),
            whole_word: p.whole_word.unwrap_or(k.whole_word),
            destroy: false,
        }],
        ..Default::default()
    };
    let v = core.update_filter(me.id, f.id, input).await?;
    let k = v
        .keywords
        .iter()
        .find(|x| x.id == id)
        .ok_or_else(ApiError::not_found)?;
    Ok(HttpResponse::Ok().json(v1(k, &v.filter)))
}

/// `DELETE /api/v1/filters/:id`: the keyword, and its filter when it was the last one.
pub async fn v1_delete(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:filters")?;
    let id = parse_id(&path)?;
    let (_, f) = core.filter_keyword(me.id, id).await?;
    core.set_filter_keyword(me.id, id, None).await?;
    let left = core.filter(me.id, f.id).await?;
    if left.keywords.is_empty() && left.statuses.is_empty() {
        core.delete_filter(me.id, f.id).await?;
    }
    Ok(HttpResponse::Ok().json(json!({})))
}
