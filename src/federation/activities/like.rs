//! `Like`: a favourite.

use super::{actor_account, known_status};
use crate::federation::{
    actors::record::ActorRecord, error::FedError, objects::values::url_of, FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId, kinds::activity::LikeType, traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Like {
    #[serde(rename = "type")]
    pub kind: LikeType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

/// The `Like` we send (also embedded in our `Undo`).
pub fn json(id: &str, actor: &str, object: &str) -> Value {
    json!({"type": "Like", "id": id, "actor": actor, "object": object})
}

impl Like {
    fn object_id(&self) -> Result<Url, FedError> {
        url_of(&self.object).ok_or_else(|| FedError::BadRequest("Like without object".into()))
    }
}

#[async_trait]
impl Activity for Like {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &FedData) -> Result<(), FedError> {
        self.object_id().map(|_| ())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let status = known_status(&self.object_id()?, data).await?;
        let actor = actor_account(&self.actor, data).await?;
        data.receive_favourite(&actor, status, self.id.as_str())
            .await?;
        Ok(())
    }
}
