//! `Update` of a post (an edit) or of an actor (a profile change).

use super::create::{check_post, store_post};
use crate::federation::{
    actors::{
        person::{Person, ACTOR_TYPES},
        record::ActorRecord,
    },
    error::FedError,
    objects::note::{Note, NOTE_TYPES},
    FedData,
};
use activitypub_federation::{
    fetch::object_id::ObjectId,
    kinds::activity::UpdateType,
    traits::{Activity, Object},
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use url::Url;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Update {
    #[serde(rename = "type")]
    pub kind: UpdateType,
    pub id: Url,
    pub actor: ObjectId<ActorRecord>,
    pub object: Value,
}

pub fn json(id: &str, actor: &str, object: Value, to: Value, cc: Value) -> Value {
    json!({"type": "Update", "id": id, "actor": actor, "object": object, "to": to, "cc": cc})
}

enum Updated {
    Post(Box<Note>),
    Actor(Box<Person>),
}

impl Update {
    fn object(&self) -> Result<Updated, FedError> {
        let kind = self
            .object
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if NOTE_TYPES.contains(&kind) {
            Ok(Updated::Post(Box::new(serde_json::from_value(
                self.object.clone(),
            )?)))
        } else if ACTOR_TYPES.contains(&kind) {
            Ok(Updated::Actor(Box::new(serde_json::from_value(
                self.object.clone(),
            )?)))
        } else {
            Err(FedError::Ignored(format!("Update of {kind} is not used")))
        }
    }
}

#[async_trait]
impl Activity for Update {
    type DataType = crate::core::Core;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    fn actor(&self) -> &Url {
        self.actor.inner()
    }

    async fn verify(&self, data: &FedData) -> Result<(), FedError> {
        match self.object()? {
            Updated::Post(note) => check_post(&note, self.actor.inner(), data),
            Updated::Actor(person) if &person.id == self.actor.inner() => {
                ActorRecord::verify(&person, self.actor.inner(), data).await
            }
            Updated::Actor(_) => Err(FedError::Forbidden(
                "an actor can only update itself".into(),
            )),
        }
    }

    async fn receive(self, data: &FedData) -> Result<(), FedError> {
        match self.object()? {
            // An Update of a post we do not have yet is kept too (it may arrive before its Create).
            Updated::Post(note) => store_post(*note, self.actor.inner(), data).await,
            Updated::Actor(person) => ActorRecord::from_json(*person, data).await.map(|_| ()),
        }
    }
}
