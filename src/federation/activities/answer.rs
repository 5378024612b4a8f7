//! `Accept` and `Reject` of a `Follow`: the answer to a follow request.

use super::actor_account;
use crate::{
    db::accounts::Account,
    federation::{actors::record::ActorRecord, error::FedError, objects::values::url_of, FedData},
};
use activitypub_federation::{
    fetch::object_id::ObjectId,
    kinds::activity::{AcceptType, RejectType},
    traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accept {
    #[serde(rename = "type")]
    pub kind: AcceptType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Reject {
    #[serde(rename = "type")]
    pub kind: RejectType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

/// The answer we send: `kind` is "Accept" or "Reject"; `follow` the Follow answered.
pub fn json(kind: &str, id: &str, target: &str, follow: Value) -> Value {
    json!({"type": kind, "id": id, "actor": target, "object": follow})
}

/// The local follower whose request `answerer` answers, from the embedded
/// `Follow` or its id; refuses answers to follows of someone else.
async fn follower_answered(
    object: &Value,
    answerer: &Account,
    data: &FedData,
) -> Result<Account, FedError> {
    let not_yours =
        || FedError::Forbidden("the follow request was not addressed to this actor".into());
    match object {
        Value::Object(follow) => {
            if follow.get("type").and_then(Value::as_str) != Some("Follow") {
                return Err(FedError::Ignored(
                    "answer to something other than a Follow".into(),
                ));
            }
            let target = follow
                .get("object")
                .and_then(url_of)
                .ok_or_else(|| FedError::BadRequest("Follow without object".into()))?;
            if target.as_str() != answerer.ap_id {
                return Err(not_yours());
            }
            let follower = follow
                .get("actor")
                .and_then(url_of)
                .ok_or_else(|| FedError::BadRequest("Follow without actor".into()))?;
            super::local_account(&follower, data).await
        }
        other => {
            let id = url_of(other)
                .ok_or_else(|| FedError::BadRequest("answer without object".into()))?;
            let follow = data
                .follow_by_ap_id(id.as_str())
                .await?
                .ok_or(FedError::NotFound)?;
            if follow.target_account_id != answerer.id {
                return Err(not_yours());
            }
            Ok(data.account(follow.account_id).await?)
        }
    }
}

async fn answer(
    actor: &ObjectId<ActorRecord>,
    object: &Value,
    accepted: bool,
    data: &FedData,
) -> Result<(), FedError> {
    let answerer = actor_account(actor, data).await?;
    let follower = follower_answered(object, &answerer, data).await?;
    data.receive_follow_answer(answerer, follower.id, accepted)
        .await?;
    Ok(())
}

#[async_trait]
impl Activity for Accept {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &FedData) -> Result<(), FedError> {
        let answerer = actor_account(&self.actor, data).await?;
        follower_answered(&self.object, &answerer, data)
            .await
            .map(|_| ())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        answer(&self.actor, &self.object, true, data).await
    }
}

#[async_trait]
impl Activity for Reject {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &FedData) -> Result<(), FedError> {
        let answerer = actor_account(&self.actor, data).await?;
        follower_answered(&self.object, &answerer, data)
            .await
            .map(|_| ())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        answer(&self.actor, &self.object, false, data).await
    }
}
