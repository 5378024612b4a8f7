//! `/api/v1/accounts/...`

use super::{
    entities::{
        account::{account, credential_account, Account},
        relationship::relationship,
        status::statuses as status_list,
    },
    parse_id,
};
use crate::{
    api::{
        auth::{Auth, MaybeAuth},
        error::{ApiError, ApiResult},
        pagination::{paged, PageParams},
        params::{flex, Params, ParamsWithFiles},
    },
    core::{
        accounts::{FollowOptions, PostingPreferences, ProfileChanges},
        timelines::AccountStatusFilter,
        visibility::Visibility,
        Core,
    },
    db::{follows::Side, Page},
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;

pub async fn verify_credentials(auth: Auth, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let me = auth.require("read:accounts")?;
    let view = core.account_view(me.id).await?;
    let requests = core
        .follow_requests(
            me.id,
            Page {
                limit: 1000,
                ..Page::default()
            },
        )
        .await?
        .len() as i64;
    let user = core.user_of(me.id).await?;
    Ok(HttpResponse::Ok().json(credential_account(&view, &user, requests, &core)))
}

#[derive(Deserialize)]
pub struct CredentialsParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    display_name: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    note: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    locked: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    bot: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    discoverable: Option<bool>,
    /// `fields_attributes[0][name]=...` (an object keyed by index) or a JSON list.
    #[serde(default)]
    fields_attributes: Option<Value>,
    /// `source[privacy]`, `source[sensitive]`, `source[language]`.
    #[serde(default)]
    source: Option<Value>,
}

/// Profile fields as apps send them: `{"0": {"name", "value"}, ...}` or a list.
fn fields_of(value: &Value) -> ApiResult<Vec<(String, String)>> {
    let items: Vec<&Value> = match value {
        Value::Array(list) => list.iter().collect(),
        Value::Object(map) => {
            let mut keyed: Vec<(usize, &Value)> = map
                .iter()
                .map(|(k, v)| (k.parse().unwrap_or(usize::MAX), v))
                .collect();
            keyed.sort_by_key(|(k, _)| *k);
            keyed.into_iter().map(|(_, v)| v).collect()
        }
        Value::Null => vec![],
        _ => {
            return Err(ApiError::unprocessable(
                "Validation failed: fields_attributes",
            ))
        }
    };
    Ok(items
        .into_iter()
        .map(|f| {
            let text = |k: &str| {
                f.get(k)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string()
            };
            (text("name"), text("value"))
        })
        .collect())
}

fn posting_of(source: Option<&Value>) -> ApiResult<PostingPreferences> {
    let Some(s) = source.filter(|s| s.is_object()) else {
        return Ok(PostingPreferences::default());
    };
    let visibility = match s
        .get("privacy")
        .and_then(Value::as_str)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(Visibility::parse(v)?),
        None => None,
    };
    let sensitive = match s.get("sensitive") {
        Some(Value::Bool(b)) => Some(*b),
        Some(Value::String(v)) => Some(matches!(v.as_str(), "true" | "1" | "on")),
        _ => None,
    };
    Ok(PostingPreferences {
        visibility,
        sensitive,
        language: s
            .get("language")
            .and_then(Value::as_str)
            .map(str::to_string),
    })
}

/// `PATCH /api/v1/accounts/update_credentials`
pub async fn update_credentials(
    ParamsWithFiles(p, mut files): ParamsWithFiles<CredentialsParams>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:accounts")?;
    let changes = ProfileChanges {
        display_name: p.display_name,
        note: p.note,
        locked: p.locked,
        bot: p.bot,
        discoverable: p.discoverable,
        fields: p.fields_attributes.as_ref().map(fields_of).transpose()?,
        posting: posting_of(p.source.as_ref())?,
        avatar: files.remove("avatar"),
        header: files.remove("header"),
    };
    core.update_profile(me.id, changes).await?;
    verify_credentials(auth, core).await
}

pub async fn get(path: web::Path<String>, core: web::Data<Core>) -> ApiResult<HttpResponse> {
    let view = core.account_view(parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(account(&view, &core)))
}

#[derive(Deserialize)]
pub struct LookupParams {
    #[serde(default, deserialize_with = "flex::opt_string")]
    acct: Option<String>,
}

pub async fn lookup(
    Params(p): Params<LookupParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let acct = p.acct.ok_or_else(ApiError::not_found)?;
    let found = core.lookup(&acct).await?;
    let view = core.account_view(found.id).await?;
    Ok(HttpResponse::Ok().json(account(&view, &core)))
}

#[derive(Deserialize)]
pub struct StatusesParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    exclude_replies: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    only_media: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    pinned: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    exclude_reblogs: Option<bool>,
}

pub async fn statuses(
    req: HttpRequest,
    path: web::Path<String>,
    Params(p): Params<StatusesParams>,
    auth: MaybeAuth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path)?;
    let viewer = auth.viewer("read:statuses")?;
    core.account(id).await?;
    if p.pinned.unwrap_or(false) {
        let pinned = core.pinned_statuses(viewer, id).await?;
        return Ok(HttpResponse::Ok().json(status_list(&pinned, &core)));
    }
    // No media exist yet: that filter selects nothing.
    if p.only_media.unwrap_or(false) {
        return Ok(HttpResponse::Ok().json(Vec::<()>::new()));
    }
    let filter = AccountStatusFilter {
        exclude_replies: p.exclude_replies.unwrap_or(false),
        exclude_reblogs: p.exclude_reblogs.unwrap_or(false),
    };
    let list = core
        .account_statuses(viewer, id, filter, p.page.page(20, 40))
        .await?;
    let ids: Vec<i64> = list.iter().map(|s| s.status.id).collect();
    Ok(paged(
        &req,
        core.uris().base(),
        &status_list(&list, &core),
        &ids,
    ))
}

async fn follow_list(
    req: HttpRequest,
    path: web::Path<String>,
    p: PageParams,
    side: Side,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let id = parse_id(&path)?;
    core.account(id).await?;
    let rows = core.follow_list(id, side, p.page(40, 80)).await?;
    let ids: Vec<i64> = rows.iter().map(|(f, _)| *f).collect();
    let accounts: Vec<Account> = rows.iter().map(|(_, v)| account(v, &core)).collect();
    Ok(paged(&req, core.uris().base(), &accounts, &ids))
}

pub async fn followers(
    req: HttpRequest,
    path: web::Path<String>,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    follow_list(req, path, p, Side::Followers, core).await
}

pub async fn following(
    req: HttpRequest,
    path: web::Path<String>,
    Params(p): Params<PageParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    follow_list(req, path, p, Side::Following, core).await
}

#[derive(Deserialize)]
pub struct FollowParams {
    #[serde(default, deserialize_with = "flex::opt_bool")]
    reblogs: Option<bool>,
    #[serde(default, deserialize_with = "flex::opt_bool")]
    notify: Option<bool>,
}

pub async fn follow(
    path: web::Path<String>,
    auth: Auth,
    Params(p): Params<FollowParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:follows")?;
    let options = FollowOptions {
        notify: p.notify,
        reblogs: p.reblogs,
    };
    let rel = core.follow(me, parse_id(&path)?, options).await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

pub async fn unfollow(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:follows")?;
    let rel = core.unfollow(me, parse_id(&path)?).await?;
    Ok(HttpResponse::Ok().json(relationship(&rel)))
}

#[derive(Deserialize)]
pub struct RelationshipParams {
    #[serde(default, deserialize_with = "flex::strings")]
    id: Vec<String>,
}

pub async fn relationships(
    Params(p): Params<RelationshipParams>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:follows")?;
    let ids: Vec<i64> =
        p.id.iter()
            .filter_map(|s| s.trim().parse().ok())
            .take(100)
            .collect();
    let rels = core.relationships(me.id, ids).await?;
    Ok(HttpResponse::Ok().json(rels.iter().map(relationship).collect::<Vec<_>>()))
}
