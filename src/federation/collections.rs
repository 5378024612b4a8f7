//! The outbox, followers and following collections of local accounts.

use super::actors::record::ActorRecord;
use super::{
    activities::create,
    error::{FedError, FedResult},
    objects::note_json::note_json,
    with_context, FedData, AP_CONTENT_TYPE,
};
use crate::db::{accounts::Account, follows::Side};
use activitypub_federation::actix_web::signing_actor;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::{json, Value};

const PAGE_SIZE: i64 = 20;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<i64>,
}

fn collection(id: &str, total: i64, page: Option<i64>, items: Vec<Value>, more: bool) -> Value {
    match page {
        None => {
            json!({"id": id, "type": "OrderedCollection", "totalItems": total, "first": format!("{id}?page=1")})
        }
        Some(n) => {
            let mut v = json!({
                "id": format!("{id}?page={n}"), "type": "OrderedCollectionPage",
                "partOf": id, "totalItems": total, "orderedItems": items,
            });
            if more {
                v["next"] = json!(format!("{id}?page={}", n + 1));
            }
            v
        }
    }
}

fn respond(v: Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(AP_CONTENT_TYPE)
        .body(with_context(&v).to_string())
}

/// `GET /users/{name}/outbox`: public posts as `Create` activities.
pub async fn outbox(
    name: web::Path<String>,
    q: web::Query<PageQuery>,
    data: FedData,
) -> FedResult<HttpResponse> {
    let account = data.federated_account(&name).await?;
    let page = q.page.map(|p| p.max(1));
    let offset = (page.unwrap_or(1) - 1) * PAGE_SIZE;
    let (total, statuses) = data.public_posts(account.id, offset, PAGE_SIZE).await?;
    let items = statuses
        .iter()
        .map(|v| {
            create::json(
                &format!("{}/activity", v.status.ap_id),
                &account.ap_id,
                note_json(v, data.uris()),
            )
        })
        .collect();
    let id = data.uris().outbox(&account.username);
    Ok(respond(collection(
        &id,
        total,
        page,
        items,
        offset + PAGE_SIZE < total,
    )))
}

/// `GET /users/{name}/moderators`: a board's moderators, by actor id.
pub async fn moderators(name: web::Path<String>, data: FedData) -> FedResult<HttpResponse> {
    let account = data.federated_account(&name).await?;
    let board = data
        .board_of(account.clone())
        .await?
        .ok_or(FedError::NotFound)?;
    let items: Vec<Value> = board
        .moderators
        .iter()
        .map(|m| Value::String(m.ap_id.clone()))
        .collect();
    Ok(respond(json!({
        "id": data.uris().moderators(&account.username),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })))
}

/// `GET /users/{name}/collections/featured`: the public posts the account
/// pinned, embedded (as Mastodon serves them).
pub async fn featured(name: web::Path<String>, data: FedData) -> FedResult<HttpResponse> {
    let account = data.federated_account(&name).await?;
    let pinned = data.pinned_statuses(None, account.id).await?;
    let items: Vec<Value> = pinned.iter().map(|v| note_json(v, data.uris())).collect();
    Ok(respond(json!({
        "id": data.uris().featured(&account.username),
        "type": "OrderedCollection",
        "totalItems": items.len(),
        "orderedItems": items,
    })))
}

/// Whether the request is signed by a server where the private board
/// `board` has a member or moderator: only such a server reads its members.
async fn signed_by_member_server(
    req: &HttpRequest,
    board: &Account,
    data: &FedData,
) -> FedResult<bool> {
    if !req.headers().contains_key("signature") {
        return Ok(false);
    }
    let signer = match signing_actor::<ActorRecord>(req, None, data).await {
        Ok(signer) => signer.account,
        Err(e) => {
            tracing::debug!("signed read of {}'s members refused: {e}", board.ap_id);
            return Ok(false);
        }
    };
    match signer.domain {
        Some(domain) => Ok(data.has_member_on_server(board.clone(), &domain).await?),
        None => Ok(false),
    }
}

async fn follow_collection(
    req: &HttpRequest,
    name: &str,
    side: Side,
    page: Option<i64>,
    data: &FedData,
) -> FedResult<HttpResponse> {
    let account = data
        .federated_account(name)
        .await
        .map_err(|_| FedError::NotFound)?;
    let page = page.map(|p| p.max(1));
    let offset = (page.unwrap_or(1) - 1) * PAGE_SIZE;
    let (total, ids) = data
        .follow_ap_ids(account.id, side, offset, PAGE_SIZE)
        .await?;
    let id = match side {
        Side::Followers => data.uris().followers(&account.username),
        Side::Following => data.uris().following(&account.username),
    };
    // A private board's members: the count for anyone, the list only for
    // its members' servers.
    if side == Side::Followers
        && data.is_private_board(account.clone()).await?
        && !signed_by_member_server(req, &account, data).await?
    {
        return Ok(respond(
            json!({"id": id, "type": "OrderedCollection", "totalItems": total}),
        ));
    }
    let items = ids.into_iter().map(Value::String).collect();
    Ok(respond(collection(
        &id,
        total,
        page,
        items,
        offset + PAGE_SIZE < total,
    )))
}

pub async fn followers(
    req: HttpRequest,
    name: web::Path<String>,
    q: web::Query<PageQuery>,
    data: FedData,
) -> FedResult<HttpResponse> {
    follow_collection(&req, &name, Side::Followers, q.page, &data).await
}

pub async fn following(
    req: HttpRequest,
    name: web::Path<String>,
    q: web::Query<PageQuery>,
    data: FedData,
) -> FedResult<HttpResponse> {
    follow_collection(&req, &name, Side::Following, q.page, &data).await
}
