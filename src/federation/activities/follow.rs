//! `Follow`: someone asks to follow someone.

use super::{actor_account, local_account};
use crate::federation::{actors::record::ActorRecord, error::FedError, FedData};
use activitypub_federation::{
    fetch::object_id::ObjectId, kinds::activity::FollowType, traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Follow {
    #[serde(rename = "type")]
    pub kind: FollowType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: ObjectId<ActorRecord>,
}

/// The `Follow` we send (also embedded in our `Undo` and answers).
pub fn json(id: &str, follower: &str, target: &str) -> Value {
    json!({"type": "Follow", "id": id, "actor": follower, "object": target})
}

#[async_trait]
impl Activity for Follow {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &FedData) -> Result<(), FedError> {
        if !self.object.is_local(data) {
            return Err(FedError::BadRequest(
                "this server only takes follows of its own accounts".into(),
            ));
        }
        Ok(())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let follower = actor_account(&self.actor, data).await?;
        let target = local_account(self.object.inner(), data).await?;
        data.receive_follow(follower, target, self.id.to_string())
            .await?;
        Ok(())
    }
}
