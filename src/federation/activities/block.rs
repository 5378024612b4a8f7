//! `Block`: a remote account blocks one of ours; with a board as `target`,
//! a moderator bans someone from a board here.

use super::{actor_account, local_account, moderation};
use crate::core::boards::MemberAction;
use crate::federation::{
    actors::record::ActorRecord, error::FedError, objects::values::url_of, FedData,
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
    /// A board a moderator bans the object from (Lemmy, Mbin).
    #[serde(default)]
    pub target: Option<Value>,
    #[serde(
        default,
        deserialize_with = "crate::federation::objects::values::lenient"
    )]
    pub summary: Option<String>,
}

/// The `Block` we send (also embedded in our `Undo`).
pub fn json(id: &str, actor: &str, target: &str) -> Value {
    json!({"type": "Block", "id": id, "actor": actor, "object": target})
}

impl Block {
    /// The board of a moderator's ban (`target`).
    fn board(&self) -> Option<Url> {
        self.target.as_ref().and_then(url_of)
    }

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
        if self.board().is_some() {
            return self.target().map(drop);
        }
        if !data.uris().is_local(self.target()?.as_str()) {
            return Err(FedError::Ignored("a block of someone elsewhere".into()));
        }
        Ok(())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        if let Some(board) = self.board() {
            if !data.uris().is_local(board.as_str()) {
                return Err(FedError::Ignored("a ban from a board elsewhere".into()));
            }
            return moderation::ban_request(
                &self.actor,
                &board,
                &self.target()?,
                MemberAction::Ban,
                self.summary.as_deref(),
                data,
            )
            .await;
        }
        let target = local_account(&self.target()?, data).await?;
        let actor = actor_account(&self.actor, data).await?;
        data.receive_block(&actor, &target, self.id.as_str())
            .await?;
        Ok(())
    }
}
