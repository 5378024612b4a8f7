//! `/api/v2/notifications`: notifications grouped as Mastodon 4.3 groups
//! them, with the groups' accounts and statuses alongside; and the
//! notification policy, which on this server filters nothing.

use super::entities::{account::account, datetime, id, status::status};
use crate::{
    api::{
        auth::Auth,
        error::ApiResult,
        pagination::{link_header, PageParams},
        params::{flex, Params},
    },
    core::{
        notifications::{GroupQuery, GroupedNotifications},
        Core,
    },
};
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

#[derive(Deserialize)]
pub struct GroupParams {
    #[serde(flatten)]
    page: PageParams,
    #[serde(default, deserialize_with = "flex::strings")]
    types: Vec<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    exclude_types: Vec<String>,
    #[serde(default, deserialize_with = "flex::strings")]
    grouped_types: Vec<String>,
    #[serde(default, deserialize_with = "flex::opt_string")]
    expand_accounts: Option<String>,
    #[serde(default, deserialize_with = "flex::opt_u64")]
    limit: Option<u64>,
}

impl GroupParams {
    fn query(&self) -> GroupQuery {
        GroupQuery {
            types: self.types.clone(),
            exclude_types: self.exclude_types.clone(),
            grouped_types: self.grouped_types.clone(),
        }
    }
}

/// `GroupedNotificationsResults`; with `partial`, only each group's latest
/// account is given in full, the others as `PartialAccountWithAvatar`s.
fn results(g: &GroupedNotifications, core: &Core, partial: bool) -> Value {
    let groups: Vec<Value> = g
        .groups
        .iter()
        .map(|group| {
            let mut v = json!({
                "group_key": group.key,
                "notifications_count": group.count,
                "type": group.kind,
                "most_recent_notification_id": group.most_recent_id,
                "page_min_id": id(group.page_min_id),
                "page_max_id": id(group.page_max_id),
                "latest_page_notification_at": datetime(group.latest_page_at),
                "sample_account_ids": group.sample_account_ids.iter().map(|a| id(*a)).collect::<Vec<_>>(),
            });
            if let Some(s) = group.status_id {
                v["status_id"] = json!(id(s));
            }
            v
        })
        .collect();
    let leading: Vec<i64> = g
        .groups
        .iter()
        .filter_map(|group| group.sample_account_ids.first().copied())
        .collect();
    let (mut full, mut partial_list) = (vec![], vec![]);
    for a in &g.accounts {
        let entity = serde_json::to_value(account(a, core)).unwrap_or(Value::Null);
        if !partial || leading.contains(&a.account.id) {
            full.push(entity);
        } else {
            partial_list.push(json!({
                "id": entity["id"], "acct": entity["acct"], "url": entity["url"],
                "avatar": entity["avatar"], "avatar_static": entity["avatar_static"],
                "locked": entity["locked"], "bot": entity["bot"],
            }));
        }
    }
    let statuses: Vec<_> = g.statuses.iter().map(|s| status(s, core)).collect();
    let mut out = json!({
        "accounts": full,
        "statuses": statuses,
        "notification_groups": groups,
    });
    if partial {
        out["partial_accounts"] = json!(partial_list);
    }
    out
}

/// `GET /api/v2/notifications`
pub async fn list(
    req: HttpRequest,
    auth: Auth,
    Params(p): Params<GroupParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let mut page = p.page.page(40, 80);
    page.limit = p.limit.unwrap_or(40).clamp(1, 80) as i64;
    let grouped = core.notification_groups(me.id, p.query(), page).await?;
    let partial = p.expand_accounts.as_deref() == Some("partial_avatars");
    let mut res = HttpResponse::Ok();
    if let (Some(newest), Some(oldest)) = (grouped.newest_id, grouped.oldest_id) {
        if let Some(link) = link_header(&req, core.uris().base(), &[newest, oldest]) {
            res.insert_header(("Link", link));
        }
    }
    Ok(res.json(results(&grouped, &core, partial)))
}

/// `GET /api/v2/notifications/:group_key`
pub async fn get(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let grouped = core.notification_group(me.id, &path).await?;
    Ok(HttpResponse::Ok().json(results(&grouped, &core, false)))
}

/// `GET /api/v2/notifications/:group_key/accounts`
pub async fn accounts(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let list = core.notification_group_accounts(me.id, &path).await?;
    let body: Vec<_> = list.iter().map(|a| account(a, &core)).collect();
    Ok(HttpResponse::Ok().json(body))
}

/// `POST /api/v2/notifications/:group_key/dismiss`
pub async fn dismiss(
    path: web::Path<String>,
    auth: Auth,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("write:notifications")?;
    core.dismiss_notification_group(me.id, &path).await?;
    Ok(HttpResponse::Ok().json(json!({})))
}

/// `GET /api/v2/notifications/unread_count`: groups after the marker.
pub async fn unread_count(
    auth: Auth,
    Params(p): Params<GroupParams>,
    core: web::Data<Core>,
) -> ApiResult<HttpResponse> {
    let me = auth.require("read:notifications")?;
    let limit = p.limit.unwrap_or(100).clamp(1, 1000) as i64;
    let count = core
        .unread_notification_groups(me.id, p.query(), limit)
        .await?;
    Ok(HttpResponse::Ok().json(json!({ "count": count })))
}

/// `GET /api/v2/notifications/policy`: this server holds back no
/// notifications (there are no notification requests to review).
pub async fn policy_v2(auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    Ok(HttpResponse::Ok().json(json!({
        "for_not_following": "accept",
        "for_not_followers": "accept",
        "for_new_accounts": "accept",
        "for_private_mentions": "accept",
        "for_limited_accounts": "accept",
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    })))
}

/// `GET /api/v1/notifications/policy`, the older shape of the same.
pub async fn policy_v1(auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    Ok(HttpResponse::Ok().json(json!({
        "filter_not_following": false,
        "filter_not_followers": false,
        "filter_new_accounts": false,
        "filter_private_mentions": false,
        "summary": {"pending_requests_count": 0, "pending_notifications_count": 0},
    })))
}

/// `GET /api/v1/notifications/requests`: none, as nothing is filtered.
pub async fn requests(auth: Auth) -> ApiResult<HttpResponse> {
    auth.require("read:notifications")?;
    Ok(HttpResponse::Ok().json(json!([])))
}
