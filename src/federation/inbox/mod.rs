//! The inbox (personal and shared): check, verify, de-duplicate, apply.
//! Answers 202 when applied or ignored, 4xx when refused for good. Once the
//! signature checked out, work that waits on a third server (an embedded
//! post's origin, its author) is kept and retried here (`retries`), and the
//! sender still gets 202: another server's outage is never our 5xx. A 503
//! is left for what the sender's retry can fix: its own key server down,
//! or this server unable to keep the activity (its database).

pub mod checks;
pub mod retries;

use super::{
    activities::{InboxActivity, HANDLED},
    actors::record::ActorRecord,
    error::{FedError, FedResult},
    host_of,
    objects::note::NOTE_TYPES,
    same_host, FedData,
};
use crate::{core::Core, db::inbox_log::AsReceived};
use activitypub_federation::actix_web::inbox::{receive_activity_with_hook, ReceiveActivityHook};
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::Value;
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};

/// `POST /inbox`
pub async fn shared(req: HttpRequest, body: web::Bytes, data: FedData) -> HttpResponse {
    respond(receive(req, body, &data).await)
}

/// `POST /users/{name}/inbox`
pub async fn personal(
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Bytes,
    data: FedData,
) -> HttpResponse {
    if data.federated_account(&path).await.is_err() {
        return respond(Err(FedError::NotFound));
    }
    respond(receive(req, body, &data).await)
}

fn respond(result: FedResult<()>) -> HttpResponse {
    match result {
        Ok(()) => HttpResponse::Accepted().finish(),
        Err(FedError::Ignored(why)) => {
            tracing::debug!("inbox: ignored: {why}");
            HttpResponse::Accepted().finish()
        }
        Err(e) => {
            tracing::info!("inbox: refused ({}): {e}", e.status());
            actix_web::ResponseError::error_response(&e)
        }
    }
}

async fn receive(req: HttpRequest, body: web::Bytes, data: &FedData) -> FedResult<()> {
    let settings = data.settings();
    let activity = checks::parse_body(&body, settings.federation.inbox_max_bytes)?;
    let env = checks::envelope(&activity)?;
    checks::check_request(&req, &body, &settings.domain)?;

    // Who is this? Decided before anything is fetched.
    let actor_host = host_of(&env.actor);
    if !settings
        .federation
        .allows_host(env.actor.host_str().unwrap_or_default())
    {
        return Err(FedError::Forbidden(
            "this server does not federate with the sender's server".into(),
        ));
    }
    if data.uris().is_local(env.actor.as_str()) || data.uris().is_local(env.id.as_str()) {
        return Err(FedError::BadRequest(
            "the activity claims to come from this server".into(),
        ));
    }
    if !same_host(&env.id, &env.actor) {
        return Err(FedError::BadRequest(
            "the activity id is on another server than its actor".into(),
        ));
    }
    let signature = req
        .headers()
        .get("signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if checks::key_owner_host(signature).is_some_and(|h| h != actor_host) {
        return Err(FedError::Unauthorized(
            "the signing key does not belong to the actor".into(),
        ));
    }
    if let Some(known) = data.account_by_ap_id(env.actor.as_str()).await? {
        if known.suspended_at.is_some() {
            return Err(FedError::Forbidden(
                "the actor is suspended on this server".into(),
            ));
        }
        if known.deleted_at.is_some() {
            return Err(FedError::Forbidden("the actor was deleted".into()));
        }
    }
    if !HANDLED.contains(&env.kind.as_str()) {
        return Err(FedError::Ignored(format!(
            "{} activities are not used",
            env.kind
        )));
    }
    if data.activity_seen(env.id.as_str()).await? {
        return Err(FedError::Ignored("duplicate activity".into()));
    }

    let recorded = Arc::new(AtomicBool::new(false));
    let kept = as_received(&activity, &env, &body);
    let raw = body.clone();
    let result = receive_activity_with_hook::<InboxActivity, ActorRecord, Core>(
        req,
        body,
        Dedupe {
            recorded: recorded.clone(),
            kept,
        },
        data,
    )
    .await;
    match result {
        Ok(_) => {
            data.peer_contacted(&actor_host).await?;
            Ok(())
        }
        // Verified, but a third server could not be reached: kept and
        // retried here, and accepted.
        Err(FedError::Unavailable(why)) if recorded.load(Ordering::SeqCst) => {
            let body = String::from_utf8_lossy(&raw).into_owned();
            match data.queue_inbound(env.id.as_str(), body, &why).await {
                Ok(_) => {
                    tracing::info!("inbox: {} kept for retrying: {why}", env.id);
                    data.peer_contacted(&actor_host).await?;
                    Ok(())
                }
                Err(e) => {
                    tracing::warn!("inbox: cannot keep {} for retrying: {e}", env.id);
                    data.forget_activity(env.id.as_str()).await?;
                    Err(FedError::Unavailable(why))
                }
            }
        }
        Err(e) => {
            if recorded.load(Ordering::SeqCst) && !matches!(e, FedError::Ignored(_)) {
                data.forget_activity(env.id.as_str()).await?;
            }
            Err(e)
        }
    }
}

/// A `Create`, `Update` or `Delete` of a post, or a like of one (or its
/// `Undo`), kept as it arrived: a board of this server that keeps the post
/// relays it unchanged (FEP-1b12).
fn as_received(activity: &Value, env: &checks::Envelope, body: &[u8]) -> Option<AsReceived> {
    let object = &activity["object"];
    let object_id = match env.kind.as_str() {
        "Create" | "Update" => object["type"]
            .as_str()
            .filter(|t| NOTE_TYPES.contains(t))
            .and(object["id"].as_str()),
        "Delete" | "Like" | "Dislike" => object.as_str().or(object["id"].as_str()),
        // The Undo of a like: the liked post.
        // The Undo of a like: the liked post (or the like, named by id).
        "Undo" if matches!(object["type"].as_str(), Some("Like" | "Dislike")) => object["object"]
            .as_str()
            .or(object["object"]["id"].as_str()),
        "Undo" => object.as_str(),
        _ => None,
    }?;
    Some(AsReceived {
        object_id: object_id.to_string(),
        kind: env.kind.clone(),
        body: String::from_utf8(body.to_vec()).ok()?,
    })
}

/// Runs once the signature is verified: records the activity id, so a
/// concurrent or later copy is not applied twice (and keeps what a board
/// may relay).
struct Dedupe {
    recorded: Arc<AtomicBool>,
    kept: Option<AsReceived>,
}

impl ReceiveActivityHook<InboxActivity, ActorRecord, Core> for Dedupe {
    async fn hook(
        self,
        activity: &InboxActivity,
        _actor: &ActorRecord,
        data: &FedData,
    ) -> FedResult<()> {
        use activitypub_federation::traits::Activity;
        if !data
            .record_activity(activity.id().as_str(), self.kept)
            .await?
        {
            return Err(FedError::Ignored("duplicate activity".into()));
        }
        self.recorded.store(true, Ordering::SeqCst);
        Ok(())
    }
}
