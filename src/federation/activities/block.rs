//! `Block`: a remote account blocks one of ours.

use super::{actor_account, local_account};
use crate::federation::{
    actors::person::ActorRecord, error::FedError, objects::values::url_of, FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId, kinds::activity::BlockType, traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Block {
    #[serde(rename = "type")]
    pub kind: BlockType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

/// The `Block` we send (also embedded in our `Undo`).
pub fn json(id: &str, actor: &str, target: &str) -> Value {
    json!({"type": "Block", "id": id, "actor": actor, "object": target})
}

impl Block {
    fn target(&self) -> Result<Url, FedError> {
        url_of(&self.object).ok_or_else(|| FedError::BadRequest("Block without object".into()))
    }
}

#[async_trait]
impl Activity for Block {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &FedData) -> Result<(), FedError> {
        if !data.uris().is_local(self.target()?.as_str()) {
            return Err(FedError::Ignored("a block of someone elsewhere".into()));
        }
        Ok(())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let target = local_account(&self.target()?, data).await?;
        let actor = actor_account(&self.actor, data).await?;
        data.receive_block(&actor, &target, self.id.as_str())
            .await?;
        Ok(())
    }
}
