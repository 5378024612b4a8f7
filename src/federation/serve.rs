//! Serving our actors and posts: ActivityPub JSON to servers that ask for
//! it (`Accept: application/activity+json` or `ld+json`), HTML to browsers.

use super::{
    actors::{
        group::group_json, instance::InstanceActor, person::person_json, record::ActorRecord,
    },
    error::{FedError, FedResult},
    objects::note_json::note_json,
    with_context, FedData, AP_CONTENT_TYPE,
};
use crate::{
    core::{timelines::AccountStatusFilter, views::StatusView},
    web,
};
use activitypub_federation::actix_web::signing_actor;
use actix_web::{http::header, HttpRequest, HttpResponse};
use serde_json::json;

/// Whether the client asks for ActivityPub JSON rather than a page.
pub fn wants_activity_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.contains("application/activity+json") || a.contains("application/ld+json")
        })
}

fn activity_json(v: serde_json::Value) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(AP_CONTENT_TYPE)
        .insert_header((header::VARY, "Accept"))
        .body(v.to_string())
}

/// `GET /users/{name}` and `GET /@{name}`
pub async fn actor(
    req: HttpRequest,
    name: actix_web::web::Path<String>,
    data: FedData,
) -> FedResult<HttpResponse> {
    let name = name.into_inner();
    let account = data.federated_account(&name).await?;
    if !wants_activity_json(&req) {
        let view = data.account_view(account.id).await?;
        let statuses = data
            .account_statuses(
                None,
                account.id,
                AccountStatusFilter {
                    exclude_replies: false,
                    exclude_reblogs: true,
                },
                crate::db::Page::default(),
            )
            .await?;
        return Ok(web::pages::profile(data.app_data(), &view, &statuses));
    }
    if account.actor_type == "Group" {
        if let Some(board) = data.board_of(account.clone()).await? {
            return Ok(activity_json(with_context(&group_json(
                &board,
                data.uris(),
            ))));
        }
    }
    Ok(activity_json(with_context(&person_json(
        &account,
        data.uris(),
    ))))
}

/// `GET /users/{name}/statuses/{id}` and `GET /@{name}/{id}`
pub async fn status(
    req: HttpRequest,
    path: actix_web::web::Path<(String, String)>,
    data: FedData,
) -> FedResult<HttpResponse> {
    let (name, id) = path.into_inner();
    let id: i64 = id.parse().map_err(|_| FedError::NotFound)?;
    let view = match data.status(None, id).await {
        Ok(v) if v.account.account.username == name && v.status.local => v,
        Ok(_) => return Err(FedError::NotFound),
        Err(crate::core::error::CoreError::NotFound) => {
            if signed_for_members(&req) {
                if let Some(view) = members_post(&req, id, &data).await? {
                    if view.account.account.username == name {
                        let note = note_json(&view, data.uris());
                        return Ok(activity_json(with_context(&note)));
                    }
                }
            }
            let ap_id = data.uris().status(&name, id);
            if data.is_tombstoned(&ap_id).await? {
                return Ok(HttpResponse::Gone()
                    .content_type(AP_CONTENT_TYPE)
                    .body(with_context(&json!({"id": ap_id, "type": "Tombstone"})).to_string()));
            }
            return Err(FedError::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    if !wants_activity_json(&req) {
        return Ok(web::pages::status(data.app_data(), &view));
    }
    Ok(activity_json(with_context(&note_json(&view, data.uris()))))
}

/// Whether a request for a post that is not public may be for a board's
/// members: a signed request for ActivityPub JSON.
fn signed_for_members(req: &HttpRequest) -> bool {
    wants_activity_json(req) && req.headers().contains_key("signature")
}

/// A members-only board post, for the server that signed the request
/// (a member's server); for anyone else, none (answered as a missing post).
async fn members_post(req: &HttpRequest, id: i64, data: &FedData) -> FedResult<Option<StatusView>> {
    // Checking a signature may mean fetching the signer: only for posts
    // that exist as members-only ones.
    if !data.is_members_post(id).await? {
        return Ok(None);
    }
    let signer = match signing_actor::<ActorRecord>(req, None, data).await {
        Ok(signer) => signer.account,
        Err(e) => {
            tracing::debug!("signed fetch of {id} refused: {e}");
            return Ok(None);
        }
    };
    let Some(domain) = signer.domain else {
        return Ok(None);
    };
    match data.members_status_for_server(id, &domain).await {
        Ok(view) => Ok(Some(view)),
        Err(crate::core::error::CoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// `GET /actor`: this server's own actor.
pub async fn instance_actor(data: FedData) -> FedResult<HttpResponse> {
    let keys = data.instance_keys().await?;
    let actor = InstanceActor::new(data.uris(), keys).map_err(FedError::Internal)?;
    Ok(activity_json(with_context(&actor.json(data.app_data()))))
}
