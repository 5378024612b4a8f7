//! `Create` of a post.

use crate::federation::{
    actors::record::ActorRecord,
    error::FedError,
    objects::{
        note::{Note, NOTE_TYPES},
        record::{from_its_server, NoteRecord},
        values::link_href,
    },
    same_host, FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId,
    kinds::activity::CreateType,
    traits::{Activity, Object},
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Create {
    #[serde(rename = "type")]
    pub kind: CreateType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

pub fn json(id: &str, actor: &str, object: Value) -> Value {
    let (to, cc) = (object["to"].clone(), object["cc"].clone());
    json!({"type": "Create", "id": id, "actor": actor, "object": object, "to": to, "cc": cc,
           "published": object["published"].clone()})
}

/// Checks shared by `Create` and `Update` of a post: the author is the actor,
/// and nothing claims to live here.
pub(crate) fn check_post(note: &Note, actor: &Url, data: &FedData) -> Result<(), FedError> {
    if data.uris().is_local(note.id.as_str()) {
        return Err(FedError::BadRequest(
            "an object cannot claim to live on this server".into(),
        ));
    }
    if note.attributed_to.as_ref() != Some(actor) {
        return Err(FedError::Forbidden(
            "the object is attributed to someone other than the actor".into(),
        ));
    }
    Ok(())
}

/// Store a post sent inside an activity. An embedded object whose id or url
/// is on another server than the actor is not trusted: it is fetched from
/// its own server instead.
pub(crate) async fn store_post(note: Note, actor: &Url, data: &FedData) -> Result<(), FedError> {
    let url_elsewhere = note
        .url
        .as_ref()
        .and_then(link_href)
        .and_then(|u| Url::parse(&u).ok())
        .is_some_and(|u| !same_host(&u, actor));
    if !same_host(&note.id, actor) || url_elsewhere {
        from_its_server(&note.id, true, data).await?;
        return Ok(());
    }
    NoteRecord::verify(&note, actor, data).await?;
    NoteRecord::from_json(note, data).await?;
    Ok(())
}

impl Create {
    fn note(&self) -> Result<Note, FedError> {
        let kind = self
            .object
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !NOTE_TYPES.contains(&kind) {
            return Err(FedError::Ignored(format!("Create of {kind} is not used")));
        }
        Ok(serde_json::from_value(self.object.clone())?)
    }
}

#[async_trait]
impl Activity for Create {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &FedData) -> Result<(), FedError> {
        check_post(&self.note()?, self.actor.inner(), data)
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        let note = self.note()?;
        // A vote in one of our polls is counted, not kept as a post.
        if let (Some(choice), Some(question)) = (note.vote_choice(), &note.in_reply_to) {
            if data.uris().is_local(question.as_str()) {
                let status = super::known_status(question, data).await?;
                let voter = super::actor_account(&self.actor, data).await?;
                data.receive_vote(&voter, status, choice, note.id.as_str())
                    .await?;
                return Ok(());
            }
        }
        store_post(note, self.actor.inner(), data).await
    }
}
