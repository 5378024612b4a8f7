//! `ActorRecord`: an account as the federation crate handles it (its
//! `Object` and `Actor` traits), and the moderators of a board elsewhere,
//! read when its `Group` arrives.

use super::person::{person_json, remote_actor, Person, ACTOR_TYPES};
use crate::{
    core::Core,
    db::accounts::Account,
    federation::{
        egress::EgressPolicy,
        error::{FedError, FedResult},
        objects::values,
        same_host, FedData,
    },
};
use activitypub_federation::{
    fetch::{fetch_object_http, object_id::ObjectId},
    protocol::verification::verify_domains_match,
    traits::{Actor, Object},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde_json::Value;
use url::Url;

/// Most moderators read from a board elsewhere.
const MAX_MODERATORS: usize = 50;

/// An account as the federation crate handles it.
#[derive(Debug, Clone)]
pub struct ActorRecord {
    pub account: Account,
    id: Url,
}

impl ActorRecord {
    pub fn new(account: Account) -> FedResult<ActorRecord> {
        let id = Url::parse(&account.ap_id)?;
        Ok(ActorRecord { account, id })
    }
}

#[async_trait]
impl Object for ActorRecord {
    type DataType = Core;
    type Kind = Person;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn last_refreshed_at(&self) -> Option<DateTime<Utc>> {
        self.account.last_fetched_at.map(|t| t.and_utc())
    }

    async fn read_from_id(id: Url, data: &FedData) -> FedResult<Option<Self>> {
        data.account_by_ap_id(id.as_str())
            .await?
            .map(ActorRecord::new)
            .transpose()
    }

    async fn delete(&self, data: &FedData) -> FedResult<()> {
        Ok(data.remote_actor_deleted(&self.account.ap_id).await?)
    }

    fn is_deleted(&self) -> bool {
        self.account.deleted_at.is_some()
    }

    async fn into_json(self, data: &FedData) -> FedResult<Person> {
        Ok(person_json(&self.account, data.uris()))
    }

    async fn verify(json: &Person, expected_domain: &Url, data: &FedData) -> FedResult<()> {
        verify_domains_match(&json.id, expected_domain)?;
        if !ACTOR_TYPES.contains(&json.kind.as_str()) {
            return Err(FedError::BadRequest(format!(
                "not an actor type: {}",
                json.kind
            )));
        }
        if data.uris().is_local(json.id.as_str()) {
            return Err(FedError::BadRequest(
                "an actor cannot claim to live on this server".into(),
            ));
        }
        if json.public_key.owner != json.id {
            return Err(FedError::BadRequest(
                "the public key does not belong to this actor".into(),
            ));
        }
        if !same_host(&json.inbox, &json.id) {
            return Err(FedError::BadRequest(
                "the inbox is on another server than the actor".into(),
            ));
        }
        let name_ok = !json.preferred_username.is_empty()
            && json.preferred_username.len() <= 100
            && !json.preferred_username.contains(['@', '/', ' ']);
        if !name_ok {
            return Err(FedError::BadRequest("invalid preferredUsername".into()));
        }
        Ok(())
    }

    async fn from_json(json: Person, data: &FedData) -> FedResult<Self> {
        let moderators = json
            .attributed_to
            .clone()
            .filter(|m| json.kind == "Group" && crate::federation::same_host(m, &json.id));
        let account = data
            .upsert_remote_actor(remote_actor(json, &EgressPolicy::new(data.settings())))
            .await?;
        if let Some(collection) = moderators {
            read_moderators_later(account.clone(), collection, data.reset_request_count());
        }
        ActorRecord::new(account)
    }
}

impl Actor for ActorRecord {
    fn public_key_pem(&self) -> &str {
        &self.account.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        self.account.private_key_pem.clone()
    }

    fn inbox(&self) -> Url {
        Url::parse(&self.account.inbox_url).unwrap_or_else(|_| self.id.clone())
    }

    fn shared_inbox(&self) -> Option<Url> {
        self.account
            .shared_inbox_url
            .as_deref()
            .and_then(|u| Url::parse(u).ok())
    }
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
