//! Whom to follow (`/api/v1/suggestions`, `/api/v2/suggestions`) and
//! familiar followers (`/api/v1/accounts/familiar_followers`).

use super::{entities::account::account, parse_id};
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        params::{flex, Params},
    },
    core::{accounts::SuggestionSource, Core},
};
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

#[derive(Deserialize)]
pub struct LimitParams {
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
}

/// `GET /api/v1/suggestions`: accounts.
pub async fn v1(
    auth: Auth,
    Params(p): Params<LimitParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:accounts")?;
    let limit = p.limit.unwrap_or(40).clamp(1, 80) as i64;
    let list = core.follow_suggestions(me.id, limit).await?;
    let body: Vec<_> = list.iter().map(|(_, v)| account(v, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `GET /api/v2/suggestions`: accounts with why they are suggested.
pub async fn v2(
    auth: Auth,
    Params(p): Params<LimitParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:accounts")?;
    let limit = p.limit.unwrap_or(40).clamp(1, 80) as i64;
    let list = core.follow_suggestions(me.id, limit).await?;
    let body: Vec<_> = list
        .iter()
        .map(|(source, v)| {
            let (old, new) = match source {
                SuggestionSource::FriendsOfFriends => ("past_interactions", "friends_of_friends"),
                SuggestionSource::Popular => ("global", "most_followed"),
            };
            json!({"source": old, "sources": [new], "account": account(v, &core)})
        })
        .collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `DELETE /api/v1/suggestions/:account_id`: stop suggesting that account.
pub async fn dismiss(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read")?;
    core.dismiss_suggestion(me.id, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

#[derive(Deserialize)]
pub struct IdsParams {
    #[serde(default, deserialize_with = "flex::strings")]
    id: Vec<String>,
}

/// `GET /api/v1/accounts/familiar_followers?id[]=...`
pub async fn familiar_followers(
    auth: Auth,
    Params(p): Params<IdsParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:follows")?;
    let mut out = vec![];
    for id in
        p.id.iter()
            .filter_map(|s| s.trim().parse::<i64>().ok())
            .take(40)
    {
        let list = core.familiar_followers(me.id, id).await?;
        let accounts: Vec<_> = list.iter().map(|v| account(v, &core)).collect();
        out.push(json!({"id": id.to_string(), "accounts": accounts}));
    }
    Ok(HttpResponse::Ok().json(out))
}
