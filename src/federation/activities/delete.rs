//! `Delete` of a post, or of the actor itself.

use super::actor_account;
use crate::federation::{
    actors::person::ActorRecord, error::FedError, objects::values::url_of, same_host, FedData,
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
        let object = self.object_id()?;
        if !same_host(&object, self.actor.inner()) {
            return Err(FedError::Forbidden(
                "cannot delete an object of another server".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let object = self.object_id()?;
        if &object == self.actor.inner() {
            data.remote_actor_deleted(object.as_str()).await?;
            return Ok(());
        }
        let actor = actor_account(&self.actor, data).await?;
        data.delete_remote_status(&actor, object.as_str()).await?;
        Ok(())
    }
}
