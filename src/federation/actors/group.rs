//! `Group`: a discussion board as other servers see it (FEP-1b12, shaped
//! as Lemmy communities are): a `Person`-like actor whose `attributedTo` is
//! its moderators collection, with `postingRestrictedToMods`.

use super::person::{person_json, ActorRecord, Person};
use crate::{
    core::{boards::BoardView, uris::Uris},
    db::accounts::Account,
    federation::{objects::values, FedData},
};
use activitypub_federation::fetch::{fetch_object_http, object_id::ObjectId};
use serde_json::Value;
use url::Url;

/// Most moderators read from a board elsewhere.
const MAX_MODERATORS: usize = 50;

/// The actor document of a local board.
pub fn group_json(view: &BoardView, uris: &Uris) -> Person {
    let mut p = person_json(&view.account, uris);
    p.kind = "Group".into();
    p.name = Some(view.board.title.clone());
    p.attributed_to = Url::parse(&uris.moderators(&view.account.username)).ok();
    p.posting_restricted_to_mods = Some(view.board.posting_restricted_to_mods);
    // Boards follow no one.
    p.following = None;
    p
}

/// A board elsewhere lists its moderators in the collection its
/// `attributedTo` names (Lemmy, Mbin, Staffroom): read it off the request
/// and keep them, so this server knows who moderates the board.
pub fn read_moderators_later(group: Account, collection: Url, data: FedData) {
    tokio::spawn(async move {
        if let Err(e) = read_moderators(&group, &collection, &data).await {
            tracing::debug!("moderators of {}: {e}", group.ap_id);
        }
    });
}

async fn read_moderators(
    group: &Account,
    collection: &Url,
    data: &FedData,
) -> Result<(), crate::federation::error::FedError> {
    let fetched = fetch_object_http::<_, Value>(collection, data).await?;
    let list = &fetched.object;
    let items = match list.get("orderedItems").or_else(|| list.get("items")) {
        Some(items) => values::one_or_many(items),
        None => vec![],
    };
    let policy = crate::federation::egress::EgressPolicy::new(data.settings());
    let mut ids = vec![];
    for item in items.into_iter().take(MAX_MODERATORS) {
        let Some(id) = values::url_of(item) else {
            continue;
        };
        if policy.vet(&id, "fetch of moderator").is_err() {
            continue;
        }
        match ObjectId::<ActorRecord>::from(id.clone())
            .dereference(data)
            .await
        {
            Ok(actor) => ids.push(actor.account.id),
            Err(e) => tracing::debug!("moderator {id}: {e}"),
        }
    }
    data.set_remote_moderators(group, ids).await?;
    Ok(())
}
