//! `Announce`: a reblog (boost) of a post.

use super::{
    actor_account,
    moderation::{self, Announced},
};
use crate::{
    core::visibility::Visibility,
    db::accounts::Account,
    federation::{
        actors::record::ActorRecord,
        error::FedError,
        objects::{
            note::{Note, NOTE_TYPES},
            record::{from_its_server, NoteRecord},
            values,
        },
        same_host, FedData, PUBLIC,
    },
};
use activitypub_federation::{
    fetch::object_id::ObjectId,
    kinds::activity::AnnounceType,
    traits::{Activity, Object},
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Announce {
    #[serde(rename = "type")]
    pub kind: AnnounceType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
    #[serde(default, deserialize_with = "values::urls")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "values::urls")]
    pub cc: Vec<Url>,
    #[serde(default, deserialize_with = "values::lenient")]
    pub published: Option<DateTime<Utc>>,
}

/// The `Announce` we send (also embedded in our `Undo`).
pub fn json(
    id: &str,
    actor: &str,
    object: &str,
    visibility: Visibility,
    followers: &str,
    original_author: &str,
    published: &str,
) -> Value {
    let (to, cc) = match visibility {
        Visibility::Unlisted => (json!([followers]), json!([PUBLIC, original_author])),
        _ => (json!([PUBLIC]), json!([original_author, followers])),
    };
    json!({"type": "Announce", "id": id, "actor": actor, "object": object,
           "to": to, "cc": cc, "published": published})
}

/// A member's `Like` (or its `Undo`) a board relays.
enum Vote {
    Like(super::like::Like),
    Undo(super::undo::Undo),
}

impl Vote {
    fn of(object: &Value) -> Option<Vote> {
        let kind = object.get("type").and_then(Value::as_str)?;
        let inner = object
            .get("object")
            .and_then(|o| o.get("type"))
            .and_then(Value::as_str);
        match (kind, inner) {
            ("Like", _) => serde_json::from_value(object.clone()).ok().map(Vote::Like),
            ("Undo", Some("Like")) => serde_json::from_value(object.clone()).ok().map(Vote::Undo),
            _ => None,
        }
    }

    /// The voted post, which `board` must keep: a board vouches for votes
    /// on its own posts only.
    async fn receive_for(self, board: &Account, data: &FedData) -> Result<(), FedError> {
        let post = match &self {
            Vote::Like(like) => values::url_of(&like.object),
            Vote::Undo(undo) => undo.object.get("object").and_then(values::url_of),
        }
        .ok_or_else(|| FedError::BadRequest("a vote without object".into()))?;
        if !data.kept_by_board(board, post.as_str()).await? {
            return Err(FedError::Ignored(
                "a vote on a post not in this board".into(),
            ));
        }
        match self {
            Vote::Like(like) => like.receive(data).await,
            Vote::Undo(undo) => undo.receive(data).await,
        }
    }
}

/// The `Announce` by which a board relays a members-only post to its
/// members: addressed to them alone, with the post embedded.
pub fn members_json(id: &str, actor: &str, object: Value, members: &str, published: &str) -> Value {
    json!({"type": "Announce", "id": id, "actor": actor, "object": object,
           "to": [members], "cc": [], "published": published})
}

impl Announce {
    /// The announced post's id. A group relaying a member's `Create` or
    /// `Update` (FEP-1b12, as Lemmy and Mbin do) announces the post inside
    /// it; other relayed activities are not used yet.
    fn object_id(&self) -> Result<Url, FedError> {
        if let Some(kind) = self.object.get("type").and_then(Value::as_str) {
            if matches!(kind, "Create" | "Update") {
                return self
                    .object
                    .get("object")
                    .and_then(values::url_of)
                    .ok_or_else(|| FedError::BadRequest(format!("{kind} without object")));
            }
            if super::HANDLED.contains(&kind) {
                return Err(FedError::Ignored(format!(
                    "Announce of a {kind} activity is not used yet"
                )));
            }
        }
        // An embedded object is never trusted: only its id is used, and the
        // post is read from its own server.
        values::url_of(&self.object)
            .ok_or_else(|| FedError::BadRequest("Announce without object".into()))
    }

    /// A members-only post a board relays to its members, embedded (alone
    /// or in the member's `Create`/`Update`), by a member on the board's own
    /// server: believed on the board's word, since that server is the
    /// author's (SECURITY.md Inbox 7). A post by anyone else is never taken
    /// from the embedded copy: it is read from its author's server.
    fn members_post(&self, actor: &Account) -> Option<Note> {
        if actor.actor_type != "Group" {
            return None;
        }
        let inner = match self.object.get("type").and_then(Value::as_str) {
            Some("Create" | "Update") => self.object.get("object")?,
            _ => &self.object,
        };
        let kind = inner.get("type").and_then(Value::as_str)?;
        if !NOTE_TYPES.contains(&kind) {
            return None;
        }
        let note: Note = serde_json::from_value(inner.clone()).ok()?;
        let board_host = Url::parse(&actor.ap_id).ok()?;
        let on_board_host = |u: &Url| same_host(u, &board_host);
        let url_on_board_host = note
            .url
            .as_ref()
            .and_then(values::link_href)
            .is_none_or(|u| Url::parse(&u).is_ok_and(|u| on_board_host(&u)));
        let by_board_host = on_board_host(&note.id)
            && note.attributed_to.as_ref().is_some_and(on_board_host)
            && url_on_board_host;
        let by_this_board = note.audience.as_ref().map(Url::as_str) == Some(actor.ap_id.as_str());
        let members_only = !note.visibility(None).is_public()
            && actor
                .followers_url
                .as_deref()
                .is_some_and(|f| note.addressed().any(|u| u.as_str() == f));
        (by_board_host && by_this_board && members_only).then_some(note)
    }

    /// A board relays a members-only post of another server only if that
    /// server names the board as the post's `audience`: else the board
    /// would open the post to its own members (SECURITY.md Inbox 11).
    async fn kept_by_board(
        &self,
        actor: &Account,
        original: NoteRecord,
        data: &FedData,
    ) -> Result<NoteRecord, FedError> {
        let members = Visibility::of(&original.status) == Visibility::Members;
        if actor.actor_type != "Group" || !members || original.status.local {
            return Ok(original);
        }
        let original = match original.audience {
            Some(_) => original,
            // Known from before: ask its server which board it is in.
            None => from_its_server(&Url::parse(&original.status.ap_id)?, true, data).await?,
        };
        if original.audience.as_ref().map(Url::as_str) != Some(actor.ap_id.as_str()) {
            return Err(FedError::Forbidden(
                "a board relays only the members-only posts made in it".into(),
            ));
        }
        Ok(original)
    }

    /// The reblog's visibility, from the addressing.
    fn visibility(&self) -> Visibility {
        let public = |u: &Url| u.as_str() == PUBLIC;
        if self.to.iter().any(public) {
            Visibility::Public
        } else if self.cc.iter().any(public) {
            Visibility::Unlisted
        } else {
            Visibility::Private
        }
    }
}

#[async_trait]
impl Activity for Announce {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, _data: &FedData) -> Result<(), FedError> {
        if moderation::announced(&self.object).is_some() || Vote::of(&self.object).is_some() {
            return Ok(());
        }
        self.object_id().map(|_| ())
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let actor = actor_account(&self.actor, data).await?;
        // A board tells of a moderator's action on one of its posts or members.
        if let Some(announced) = moderation::announced(&self.object) {
            if actor.actor_type != "Group" {
                return Err(FedError::Ignored(
                    "only a board announces moderators' actions".into(),
                ));
            }
            match announced {
                Announced::Post(action, object) => {
                    data.receive_board_action(&actor, object.as_str(), action)
                        .await?
                }
                Announced::Member(action, who, reason) => {
                    let target = ObjectId::<ActorRecord>::from(who).dereference(data).await?;
                    data.receive_board_ban(
                        &actor,
                        &target.account,
                        action,
                        reason.as_deref().unwrap_or_default(),
                    )
                    .await?
                }
            }
            return Ok(());
        }
        // A board relays a member's vote on one of its posts (Lemmy, Mbin).
        if actor.actor_type == "Group" {
            if let Some(vote) = Vote::of(&self.object) {
                return vote.receive_for(&actor, data).await;
            }
        }
        let original = match self.members_post(&actor) {
            Some(note) if !data.uris().is_local(note.id.as_str()) => {
                let id = note.id.clone();
                NoteRecord::verify(&note, &id, data).await?;
                NoteRecord::from_json(note, data).await?
            }
            // Anything else is read from its own server; a relayed edit
            // always afresh.
            _ => {
                let edited = self.object.get("type").and_then(Value::as_str) == Some("Update");
                from_its_server(&self.object_id()?, edited, data).await?
            }
        };
        let original = self.kept_by_board(&actor, original, data).await?;
        let published = self
            .published
            .map(|t| t.naive_utc())
            .unwrap_or_else(crate::db::now);
        data.receive_reblog(
            &actor,
            original.status,
            original.title,
            self.id.as_str(),
            self.visibility(),
            published,
        )
        .await?;
        Ok(())
    }
}
