//! The instance actor: this server itself, an `Application` that signs
//! fetches of remote documents.

use crate::{
    core::{uris::Uris, Core},
    federation::{
        error::{FedError, FedResult},
        FedData,
    },
};
use activitypub_federation::{
    protocol::public_key::PublicKey,
    traits::{Actor, Object},
};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Clone)]
pub struct InstanceActor {
    id: Url,
    inbox: Url,
    public_key_pem: String,
    private_key_pem: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    #[serde(rename = "type")]
    kind: String,
    id: Url,
    preferred_username: String,
    name: String,
    inbox: Url,
    outbox: Url,
    public_key: PublicKey,
    manually_approves_followers: bool,
}

impl InstanceActor {
    pub fn new(uris: &Uris, (public, private): (String, String)) -> Result<InstanceActor, String> {
        let parse = |s: String| Url::parse(&s).map_err(|e| format!("instance actor URL: {e}"));
        Ok(InstanceActor {
            id: parse(uris.instance_actor())?,
            inbox: parse(uris.shared_inbox())?,
            public_key_pem: public,
            private_key_pem: private,
        })
    }

    pub fn json(&self, core: &Core) -> Application {
        Application {
            kind: "Application".into(),
            id: self.id.clone(),
            preferred_username: core.settings().host().to_string(),
            name: core.settings().instance.title.clone(),
            inbox: self.inbox.clone(),
            outbox: Url::parse(&format!("{}/outbox", self.id)).unwrap_or_else(|_| self.id.clone()),
            public_key: self.public_key(),
            manually_approves_followers: true,
        }
    }
}

#[async_trait]
impl Object for InstanceActor {
    type DataType = Core;
    type Kind = Application;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(id: Url, data: &FedData) -> FedResult<Option<Self>> {
        if id.as_str() != data.uris().instance_actor() {
            return Ok(None);
        }
        let keys = data.instance_keys().await?;
        Ok(Some(
            InstanceActor::new(data.uris(), keys).map_err(FedError::Internal)?,
        ))
    }

    async fn into_json(self, data: &FedData) -> FedResult<Application> {
        Ok(self.json(data))
    }

    async fn verify(_: &Application, _: &Url, _: &FedData) -> FedResult<()> {
        Err(FedError::BadRequest(
            "instance actors of other servers are not stored".into(),
        ))
    }

    async fn from_json(_: Application, _: &FedData) -> FedResult<Self> {
        Err(FedError::BadRequest(
            "instance actors of other servers are not stored".into(),
        ))
    }
}

impl Actor for InstanceActor {
    fn public_key_pem(&self) -> &str {
        &self.public_key_pem
    }

    fn private_key_pem(&self) -> Option<String> {
        Some(self.private_key_pem.clone())
    }

    fn inbox(&self) -> Url {
        self.inbox.clone()
    }
}
