//! `Delete` of a post, or of the actor itself; of another's post, a
//! moderator's removal from a board.

use super::{actor_account, moderation};
use crate::core::boards::PostAction;
use crate::federation::{
    actors::record::ActorRecord, error::FedError, objects::values::url_of, same_host, FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId, kinds::activity::DeleteType, traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delete {
    #[serde(rename = "type")]
    pub kind: DeleteType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
    /// A moderator's reason for removing a post.
    #[serde(
        default,
        deserialize_with = "crate::federation::objects::values::lenient"
    )]
    pub summary: Option<String>,
}

/// The `Delete` we send: the object becomes a `Tombstone`.
pub fn json(id: &str, actor: &str, object_id: &str, to: Value, cc: Value) -> Value {
    json!({"type": "Delete", "id": id, "actor": actor,
           "object": {"type": "Tombstone", "id": object_id}, "to": to, "cc": cc})
}

impl Delete {
    fn object_id(&self) -> Result<Url, FedError> {
        url_of(&self.object).ok_or_else(|| FedError::BadRequest("Delete without object id".into()))
    }
}

#[async_trait]
impl Activity for Delete {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &FedData) -> Result<(), FedError> {
        // Another server's object may only be removed from a board here by
        // one of its moderators (checked when applied).
        self.object_id().map(drop)
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let object = self.object_id()?;
        if !same_host(&object, self.actor.inner()) {
            return moderation::request(
                &self.actor,
                &object,
                PostAction::Remove,
                self.summary.as_deref(),
                data,
            )
            .await
            .map_err(|e| match e {
                FedError::NotFound => {
                    FedError::Forbidden("cannot delete an object of another server".into())
                }
                e => e,
            });
        }
        if &object == self.actor.inner() {
            data.remote_actor_deleted(object.as_str()).await?;
            return Ok(());
        }
        let actor = actor_account(&self.actor, data).await?;
        data.delete_remote_status(&actor, object.as_str()).await?;
        Ok(())
    }
}
