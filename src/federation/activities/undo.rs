//! `Undo` of a `Follow`, `Like`, `Announce`, `Block`, or a moderator's ban or
//! `Lock`: the actor takes it back.
//! The undone activity may be embedded or named by its id; either way only
//! the actor's own activities can be undone.

use super::{actor_account, local_account};
use crate::{
    core::boards::{MemberAction, PostAction},
    federation::{
        actors::record::ActorRecord,
        error::FedError,
        objects::{record::recheck_later, values::url_of},
        FedData,
    },
};
use activitypub_federation::{
    fetch::object_id::ObjectId, kinds::activity::UndoType, traits::Activity,
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Undo {
    #[serde(rename = "type")]
    pub kind: UndoType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

pub fn json(id: &str, actor: &str, object: Value) -> Value {
    json!({"type": "Undo", "id": id, "actor": actor, "object": object})
}

/// What an `Undo` takes back.
enum Undone {
    /// An embedded activity of this type, its id and its object.
    Embedded {
        kind: String,
        id: Option<Url>,
        object: Url,
        /// A board, for a moderator's ban.
        target: Option<Url>,
    },
    /// Only the id of the activity.
    Id(Url),
}

impl Undo {
    fn undone(&self) -> Result<Undone, FedError> {
        match &self.object {
            Value::Object(inner) => {
                let kind = inner
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                if !matches!(
                    kind.as_str(),
                    "Follow" | "Like" | "Dislike" | "Announce" | "Block" | "Lock"
                ) {
                    return Err(FedError::Ignored(format!("Undo of {kind} is not used")));
                }
                let by = inner.get("actor").and_then(url_of);
                if by.as_ref() != Some(self.actor.inner()) {
                    return Err(FedError::Forbidden(
                        "cannot undo another actor's activity".into(),
                    ));
                }
                let object = inner
                    .get("object")
                    .and_then(url_of)
                    .ok_or_else(|| FedError::BadRequest(format!("{kind} without object")))?;
                let id = inner.get("id").and_then(url_of);
                let target = inner.get("target").and_then(url_of);
                Ok(Undone::Embedded {
                    kind,
                    id,
                    object,
                    target,
                })
            }
            other => url_of(other)
                .map(Undone::Id)
                .ok_or_else(|| FedError::BadRequest("Undo without object".into())),
        }
    }

    /// Undo a follow of a local account, named by the follow's id or its target.
    async fn unfollow(
        &self,
        id: Option<&Url>,
        target: Option<&Url>,
        data: &FedData,
    ) -> Result<(), FedError> {
        let follower = actor_account(&self.actor, data).await?;
        let target = match (id, target) {
            (_, Some(target)) => local_account(target, data).await?.id,
            (Some(id), None) => match data.follow_by_ap_id(id.as_str()).await? {
                Some(f) if f.account_id == follower.id => f.target_account_id,
                Some(_) => {
                    return Err(FedError::Forbidden(
                        "cannot undo another actor's follow".into(),
                    ))
                }
                None => return Err(FedError::Ignored("nothing to undo".into())),
            },
            (None, None) => return Err(FedError::Ignored("nothing to undo".into())),
        };
        data.receive_unfollow(follower, target).await?;
        Ok(())
    }
}

#[async_trait]
impl Activity for Undo {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &FedData) -> Result<(), FedError> {
        self.undone().map(|_| ())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        match self.undone()? {
            Undone::Embedded {
                kind,
                id,
                object,
                target,
            } => {
                let actor = actor_account(&self.actor, data).await?;
                let status = data.status_by_ap_id(object.as_str()).await?;
                let id = id.map(|u| u.to_string());
                match kind.as_str() {
                    "Follow" => self.unfollow(None, Some(&object), data).await,
                    "Lock" => {
                        super::moderation::request(
                            &self.actor,
                            &object,
                            PostAction::Unlock,
                            None,
                            data,
                        )
                        .await
                    }
                    "Like" => Ok(data
                        .receive_unfavourite(&actor, id, status, self.id.as_str())
                        .await?),
                    "Dislike" => match (status, id) {
                        (Some(status), Some(id)) => Ok(data
                            .receive_downvote(&actor, status, &id, Some(self.id.as_str()))
                            .await?),
                        _ => Err(FedError::Ignored("an Undo of an unknown Dislike".into())),
                    },
                    "Block"
                        if target
                            .as_ref()
                            .is_some_and(|t| data.uris().is_local(t.as_str())) =>
                    {
                        let board = target.unwrap_or_else(|| object.clone());
                        super::moderation::ban_request(
                            &self.actor,
                            &board,
                            &object,
                            MemberAction::Unban,
                            None,
                            data,
                        )
                        .await
                    }
                    "Block" => {
                        let target = data.account_by_ap_id(object.as_str()).await?;
                        Ok(data
                            .receive_unblock(&actor, id, target.map(|t| t.id))
                            .await?)
                    }
                    _ => {
                        data.receive_unreblog(&actor, id, status).await?;
                        recheck_later(object, data.reset_request_count());
                        Ok(())
                    }
                }
            }
            Undone::Id(id) => {
                // Only the id: it may name a follow, a like or a reblog of ours.
                let actor = actor_account(&self.actor, data).await?;
                if data.follow_by_ap_id(id.as_str()).await?.is_some() {
                    return self.unfollow(Some(&id), None, data).await;
                }
                data.receive_unfavourite(&actor, Some(id.to_string()), None, self.id.as_str())
                    .await?;
                data.receive_unreblog(&actor, Some(id.to_string()), None)
                    .await?;
                data.receive_unblock(&actor, Some(id.to_string()), None)
                    .await?;
                Ok(())
            }
        }
    }
}
