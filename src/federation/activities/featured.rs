//! `Add` and `Remove` of a post to its author's featured collection (pins),
//! or, from a board's moderator on another server, to the board's.

use super::{actor_account, known_status};
use crate::core::boards::PostAction;
use crate::federation::{
    actors::record::ActorRecord,
    error::FedError,
    objects::{record::NoteRecord, values::url_of},
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
    /// A moderator's reason.
    #[serde(
        default,
        deserialize_with = "crate::federation::objects::values::lenient"
    )]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Remove {
    #[serde(rename = "type")]
    pub kind: RemoveType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
    pub target: Value,
    /// A moderator's reason.
    #[serde(
        default,
        deserialize_with = "crate::federation::objects::values::lenient"
    )]
    pub summary: Option<String>,
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

/// The target of a moderator's pin on another server: a collection here
/// (a board's featured threads).
fn mod_pin(target: &Value, data: &FedData) -> Option<Url> {
    url_of(target).filter(|t| data.uris().is_local(t.as_str()))
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

            async fn verify(&self, data: &FedData) -> Result<(), FedError> {
                if mod_pin(&self.target, data).is_some() {
                    return Ok(());
                }
                parts(self.actor.inner(), &self.object, &self.target).map(|_| ())
            }

            async fn receive(self, data: &FedData) -> Result<(), FedError> {
                if mod_pin(&self.target, data).is_some() {
                    let object = url_of(&self.object)
                        .ok_or_else(|| FedError::BadRequest("no object".into()))?;
                    let action = if $on {
                        PostAction::Pin
                    } else {
                        PostAction::Unpin
                    };
                    return super::moderation::request(
                        &self.actor,
                        &object,
                        action,
                        self.summary.as_deref(),
                        data,
                    )
                    .await;
                }
                let (object, _) = parts(self.actor.inner(), &self.object, &self.target)?;
                apply(&self.actor, &object, $on, data).await
            }
        }
    };
}

featured_activity!(Add, true);
featured_activity!(Remove, false);
