//! `Add` and `Remove` of a post to its author's featured collection (pins).

use super::{actor_account, known_status};
use crate::federation::{
    actors::person::ActorRecord,
    error::FedError,
    objects::{note::NoteRecord, values::url_of},
    same_host, FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId,
    kinds::activity::{AddType, RemoveType},
    traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Add {
    #[serde(rename = "type")]
    pub kind: AddType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
    pub target: Value,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Remove {
    #[serde(rename = "type")]
    pub kind: RemoveType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
    pub target: Value,
}

/// The `Add` or `Remove` (`kind`) we send.
pub fn json(kind: &str, id: &str, actor: &str, object: &str, target: &str) -> Value {
    json!({"type": kind, "id": id, "actor": actor, "object": object, "target": target})
}

/// The object and target of an `Add`/`Remove`; the target must be a
/// collection on the actor's own server.
fn parts(actor: &Url, object: &Value, target: &Value) -> Result<(Url, Url), FedError> {
    let object = url_of(object).ok_or_else(|| FedError::BadRequest("no object".into()))?;
    let target = url_of(target).ok_or_else(|| FedError::BadRequest("no target".into()))?;
    if !same_host(&target, actor) {
        return Err(FedError::Forbidden(
            "cannot change a collection of another server".into(),
        ));
    }
    Ok((object, target))
}

async fn apply(
    actor: &ObjectId<ActorRecord>,
    object: &Url,
    on: bool,
    data: &FedData,
) -> Result<(), FedError> {
    // A pin may arrive before the post it pins: fetch the post then (from
    // the actor's own server only; it must be the actor's post anyway).
    let status = match known_status(object, data).await {
        Err(FedError::Ignored(_)) if on && same_host(object, actor.inner()) => {
            ObjectId::<NoteRecord>::from(object.clone())
                .dereference(data)
                .await?
                .status
        }
        other => other?,
    };
    let actor = actor_account(actor, data).await?;
    data.receive_pin(&actor, status, on).await?;
    Ok(())
}

macro_rules! featured_activity {
    ($name:ident, $on:expr) => {
        #[async_trait]
        impl Activity for $name {
            type DataType = crate::core::Core;
            type Error = FedError;

            fn id(&self) -> &Url {
                &self.id
            }

            fn actor(&self) -> &Url {
                self.actor.inner()
            }

            async fn verify(&self, _data: &FedData) -> Result<(), FedError> {
                parts(self.actor.inner(), &self.object, &self.target).map(|_| ())
            }

            async fn receive(self, data: &FedData) -> Result<(), FedError> {
                let (object, _) = parts(self.actor.inner(), &self.object, &self.target)?;
                apply(&self.actor, &object, $on, data).await
            }
        }
    };
}

featured_activity!(Add, true);
featured_activity!(Remove, false);
