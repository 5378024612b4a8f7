//! A moderator's actions on a board's posts, as Lemmy sends them: `Lock`
//! of a thread (and `Undo` of the `Lock`), a `Delete` of someone else's post
//! with the reason as `summary`, and `Add`/`Remove` to the board's featured
//! collection for pins. A moderator on another server sends them to the
//! board; the board's server announces them to its members' servers.

use super::{actor_account, featured, undo};
use crate::{
    core::boards::{MemberAction, PostAction},
    federation::{actors::record::ActorRecord, error::FedError, objects::values, FedData, PUBLIC},
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

/// Address a moderation activity of `board` the way Lemmy addresses its
/// own (LemmyNet/lemmy, `crates/apub/objects/src/utils/functions.rs`,
/// `generate_to`, used by `activities/community/lock.rs`, `deletion/mod.rs`
/// and `block/block_user.rs`): for a public board, to the board and
/// `Public`, cc the board (Lemmy's `verify_visibility` refuses anything in
/// a public community that does not name `Public`); for a members-only
/// board, the board alone (Lemmy refuses `Public` in a private community).
fn addressed(mut activity: Value, board: &str, public: bool) -> Value {
    activity["audience"] = json!(board);
    if public {
        activity["to"] = json!([board, PUBLIC]);
        activity["cc"] = json!([board]);
    } else {
        activity["to"] = json!([board]);
        activity["cc"] = json!([]);
    }
    activity
}

/// What we send for `action` by `moderator` on the post `object` of
/// `board` (whose featured collection is `featured`); `public` for a board
/// anyone may read.
#[allow(clippy::too_many_arguments)]
pub fn json(
    action: PostAction,
    id: &str,
    moderator: &str,
    object: &str,
    board: &str,
    featured: &str,
    reason: &str,
    public: bool,
) -> Value {
    let summary = (!reason.is_empty()).then_some(reason);
    let lock = |id: &str| {
        let lock = json!({"type": "Lock", "id": id, "actor": moderator, "object": object,
                          "summary": summary});
        addressed(lock, board, public)
    };
    match action {
        PostAction::Lock => lock(id),
        PostAction::Unlock => addressed(
            undo::json(id, moderator, lock(&format!("{id}#lock"))),
            board,
            public,
        ),
        PostAction::Remove => {
            let delete = json!({"type": "Delete", "id": id, "actor": moderator,
                                "object": object, "summary": summary});
            addressed(delete, board, public)
        }
        PostAction::Pin | PostAction::Unpin => {
            let kind = if action == PostAction::Pin {
                "Add"
            } else {
                "Remove"
            };
            let mut pin = featured::json(kind, id, moderator, object, featured);
            pin["summary"] = json!(summary);
            addressed(pin, board, public)
        }
    }
}

/// What we send when `moderator` bans `target` from `board` (a `Block`
/// whose `target` is the board, as Lemmy and Mbin send it) or lifts the
/// ban (`Undo` of it).
pub fn ban_json(
    action: MemberAction,
    id: &str,
    moderator: &str,
    target: &str,
    board: &str,
    reason: &str,
    public: bool,
) -> Value {
    let block = |id: &str| {
        let block = json!({"type": "Block", "id": id, "actor": moderator, "object": target,
                           "target": board,
                           "summary": (!reason.is_empty()).then_some(reason), "removeData": false});
        addressed(block, board, public)
    };
    match action {
        MemberAction::Ban => block(id),
        MemberAction::Unban => addressed(
            undo::json(id, moderator, block(&format!("{id}#ban"))),
            board,
            public,
        ),
    }
}

/// What a board announces a moderator did.
pub enum Announced {
    /// To its post (the id).
    Post(PostAction, Url),
    /// To a teacher (the actor id): a ban, or its end.
    Member(MemberAction, Url, Option<String>),
}

/// The moderator's action a board announces (`Announce` of a `Lock`,
/// `Undo` of a `Lock`, `Delete`, `Add`, `Remove`, or of a `Block` of a
/// teacher from the board and its `Undo`).
pub fn announced(activity: &Value) -> Option<Announced> {
    let kind = activity.get("type").and_then(Value::as_str)?;
    let object = activity.get("object")?;
    let inner_kind = object.get("type").and_then(Value::as_str);
    let action = match kind {
        "Lock" => PostAction::Lock,
        "Undo" if inner_kind == Some("Lock") => {
            return Some(Announced::Post(
                PostAction::Unlock,
                values::url_of(object.get("object")?)?,
            ));
        }
        "Block" => {
            let reason = activity
                .get("summary")
                .and_then(Value::as_str)
                .map(str::to_string);
            return Some(Announced::Member(
                MemberAction::Ban,
                values::url_of(object)?,
                reason,
            ));
        }
        "Undo" if inner_kind == Some("Block") => {
            return Some(Announced::Member(
                MemberAction::Unban,
                values::url_of(object.get("object")?)?,
                None,
            ));
        }
        "Delete" => PostAction::Remove,
        "Add" => PostAction::Pin,
        "Remove" => PostAction::Unpin,
        _ => return None,
    };
    Some(Announced::Post(action, values::url_of(object)?))
}

/// A moderator on another server asks a board here to ban `target` (or
/// lift the ban).
pub(super) async fn ban_request(
    actor: &ObjectId<ActorRecord>,
    board: &Url,
    target: &Url,
    action: MemberAction,
    reason: Option<&str>,
    data: &FedData,
) -> Result<(), FedError> {
    let moderator = actor_account(actor, data).await?;
    let target = ObjectId::<ActorRecord>::from(target.clone())
        .dereference(data)
        .await?
        .account;
    data.receive_member_request(
        &moderator,
        board.as_str(),
        &target,
        action,
        reason.unwrap_or_default(),
    )
    .await?;
    Ok(())
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
