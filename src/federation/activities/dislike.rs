//! `Dislike`: a downvote, as Lemmy and Mbin send them. This server counts
//! no downvotes (the Mastodon API has none to show), but a board of this
//! server relays its members' votes on its posts, downvotes included, the
//! way Lemmy does (`boards::posts::relay_vote`).

use super::{actor_account, known_status};
use crate::federation::{
    actors::record::ActorRecord, error::FedError, objects::values::url_of, FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId, kinds::activity::DislikeType, traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dislike {
    #[serde(rename = "type")]
    pub kind: DislikeType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

impl Dislike {
    fn object_id(&self) -> Result<Url, FedError> {
        url_of(&self.object).ok_or_else(|| FedError::BadRequest("Dislike without object".into()))
    }
}

#[async_trait]
impl Activity for Dislike {
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
        data.receive_downvote(&actor, status, self.id.as_str(), None)
            .await?;
        Ok(())
    }
}
