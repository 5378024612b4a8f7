//! A moderator's actions on a board's posts, as Lemmy sends them: `Lock`
//! of a thread (and `Undo` of the `Lock`), a `Delete` of someone else's post
//! with the reason as `summary`, and `Add`/`Remove` to the board's featured
//! collection for pins. A moderator on another server sends them to the
//! board; the board's server announces them to its members' servers.

use super::{actor_account, featured, undo};
use crate::{
    core::board_moderation::PostAction,
    federation::{actors::person::ActorRecord, error::FedError, objects::values, FedData},
};
use activitypub_federation::{fetch::object_id::ObjectId, traits::Activity};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum LockType {
    Lock,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Lock {
    #[serde(rename = "type")]
    pub kind: LockType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
    #[serde(default, deserialize_with = "values::lenient")]
    pub summary: Option<String>,
}

/// What we send for `action` by `moderator` on the post `object` of
/// `board` (whose featured collection is `featured`).
pub fn json(
    action: PostAction,
    id: &str,
    moderator: &str,
    object: &str,
    board: &str,
    featured: &str,
    reason: &str,
) -> Value {
    let summary = (!reason.is_empty()).then_some(reason);
    let lock = |id: &str| {
        json!({"type": "Lock", "id": id, "actor": moderator, "object": object,
               "audience": board, "to": [board], "cc": [], "summary": summary})
    };
    match action {
        PostAction::Lock => lock(id),
        PostAction::Unlock => {
            let mut undo = undo::json(id, moderator, lock(&format!("{id}#lock")));
            undo["audience"] = json!(board);
            undo["to"] = json!([board]);
            undo
        }
        PostAction::Remove => {
            json!({"type": "Delete", "id": id, "actor": moderator, "object": object,
                   "audience": board, "to": [board], "cc": [], "summary": summary})
        }
        PostAction::Pin | PostAction::Unpin => {
            let kind = if action == PostAction::Pin {
                "Add"
            } else {
                "Remove"
            };
            let mut pin = featured::json(kind, id, moderator, object, featured);
            pin["audience"] = json!(board);
            pin["to"] = json!([board]);
            pin["summary"] = json!(summary);
            pin
        }
    }
}

/// The moderator's action a board announces (`Announce` of a `Lock`,
/// `Undo` of a `Lock`, `Delete`, `Add` or `Remove`) and the post it is about.
pub fn announced(activity: &Value) -> Option<(PostAction, Url)> {
    let kind = activity.get("type").and_then(Value::as_str)?;
    let object = activity.get("object")?;
    let action = match kind {
        "Lock" => PostAction::Lock,
        "Undo" if object.get("type").and_then(Value::as_str) == Some("Lock") => {
            return Some((PostAction::Unlock, values::url_of(object.get("object")?)?));
        }
        "Delete" => PostAction::Remove,
        "Add" => PostAction::Pin,
        "Remove" => PostAction::Unpin,
        _ => return None,
    };
    Some((action, values::url_of(object)?))
}

/// A moderator on another server asks a board here to act on `object`.
pub(super) async fn request(
    actor: &ObjectId<ActorRecord>,
    object: &Url,
    action: PostAction,
    reason: Option<&str>,
    data: &FedData,
) -> Result<(), FedError> {
    let moderator = actor_account(actor, data).await?;
    data.receive_mod_request(
        &moderator,
        object.as_str(),
        action,
        reason.unwrap_or_default(),
    )
    .await?;
    Ok(())
}

#[async_trait]
impl Activity for Lock {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &FedData) -> Result<(), FedError> {
        values::url_of(&self.object)
            .map(drop)
            .ok_or_else(|| FedError::BadRequest("Lock without object".into()))
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let object = values::url_of(&self.object)
            .ok_or_else(|| FedError::BadRequest("Lock without object".into()))?;
        request(
            &self.actor,
            &object,
            PostAction::Lock,
            self.summary.as_deref(),
            data,
        )
        .await
    }
}
