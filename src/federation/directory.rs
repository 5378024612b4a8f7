//! Implements the core's `RemoteDirectory` port: finding accounts and posts
//! on other servers (WebFinger, then signed fetches through the crate).

use super::{
    actors::{
        person::{Person, ACTOR_TYPES},
        record::ActorRecord,
    },
    egress::{Egress, EgressError},
    error::FedError,
    objects::{
        note::{Note, NOTE_TYPES},
        record::NoteRecord,
    },
    webfinger, FedData,
};
use crate::{
    core::{
        error::{CoreError, CoreResult},
        ports::{RemoteDirectory, Resolved},
        Core,
    },
    db::accounts::Account,
};
use activitypub_federation::{
    config::FederationConfig,
    fetch::{fetch_object_http, object_id::ObjectId},
    traits::Object,
};
use async_trait::async_trait;
use serde_json::Value;
use std::sync::OnceLock;
use url::Url;

pub struct Directory {
    config: OnceLock<FederationConfig<Core>>,
    egress: Egress,
}

impl Directory {
    pub fn new(egress: Egress) -> Directory {
        Directory {
            config: OnceLock::new(),
            egress,
        }
    }

    /// Called once the federation config (which holds the core) exists.
    pub fn set_config(&self, config: FederationConfig<Core>) {
        let _ = self.config.set(config);
    }

    fn data(&self) -> CoreResult<FedData> {
        self.config
            .get()
            .map(FederationConfig::to_request_data)
            .ok_or_else(|| CoreError::Internal("federation is not set up".into()))
    }
}

fn to_core(e: FedError) -> CoreError {
    match e {
        FedError::NotFound | FedError::Gone | FedError::Ignored(_) => CoreError::NotFound,
        FedError::Forbidden(m) => CoreError::Forbidden(m),
        FedError::Refused(m) => CoreError::Refused(m),
        FedError::Internal(m) => CoreError::Internal(m),
        other => CoreError::Remote(other.to_string()),
    }
}

#[async_trait]
impl RemoteDirectory for Directory {
    async fn resolve_account(&self, username: &str, domain: &str) -> CoreResult<Account> {
        let data = self.data()?;
        let actor_id = webfinger::resolve(&self.egress, &data, username, domain)
            .await
            .map_err(to_core)?;
        let actor = ObjectId::<ActorRecord>::from(actor_id)
            .dereference(&data)
            .await
            .map_err(to_core)?;
        Ok(actor.account)
    }

    async fn resolve_url(&self, url: &str) -> CoreResult<Resolved> {
        let data = self.data()?;
        let url = Url::parse(url).map_err(|_| CoreError::NotFound)?;
        // Checked (and a refusal logged) here too: the crate refuses some
        // URLs (IP literals) silently, before its verifier runs.
        self.egress
            .policy()
            .vet(&url, "fetch of")
            .map_err(|r| CoreError::Refused(r.to_string()))?;
        let fetched = fetch_object_http::<_, Value>(&url, &data)
            .await
            .map_err(|e| to_core(e.into()))?;
        let kind = fetched.object["type"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if ACTOR_TYPES.contains(&kind.as_str()) {
            let person: Person =
                serde_json::from_value(fetched.object).map_err(|e| to_core(e.into()))?;
            ActorRecord::verify(&person, &fetched.url, &data)
                .await
                .map_err(to_core)?;
            let actor = ActorRecord::from_json(person, &data)
                .await
                .map_err(to_core)?;
            Ok(Resolved::Account(actor.account))
        } else if NOTE_TYPES.contains(&kind.as_str()) {
            let note: Note =
                serde_json::from_value(fetched.object).map_err(|e| to_core(e.into()))?;
            NoteRecord::verify(&note, &fetched.url, &data)
                .await
                .map_err(to_core)?;
            let record = NoteRecord::from_json(note, &data).await.map_err(to_core)?;
            Ok(Resolved::Status(record.status))
        } else {
            Err(CoreError::NotFound)
        }
    }

    async fn board_has_member_on(&self, board: &Account, domain: &str) -> CoreResult<bool> {
        let data = self.data()?;
        let (Ok(board_id), Some(Ok(followers))) = (
            Url::parse(&board.ap_id),
            board.followers_url.as_deref().map(Url::parse),
        ) else {
            return Ok(false);
        };
        match super::members::lists_member_on(&board_id, &followers, domain, &data).await {
            Ok(found) => Ok(found),
            Err(e) => {
                tracing::info!("could not read the members of {}: {e}", board.ap_id);
                Ok(false)
            }
        }
    }

    async fn fetch_media(&self, url: &str, max_bytes: usize) -> CoreResult<Vec<u8>> {
        let url = Url::parse(url).map_err(|_| CoreError::NotFound)?;
        // The policy checks the URL, each redirect hop and every address
        // connected to.
        let mut res = self
            .egress
            .get(&url, "image/*", "media fetch of")
            .await
            .map_err(|e| match e {
                EgressError::Refused(r) => CoreError::Refused(r.to_string()),
                EgressError::Failed(e) => CoreError::Remote(e.to_string()),
            })?;
        if !res.status().is_success() {
            return Err(CoreError::Remote(format!("{url}: {}", res.status())));
        }
        let is_image = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| t.starts_with("image/"));
        if !is_image {
            return Err(CoreError::Remote(format!("{url} is not an image")));
        }
        let mut bytes = vec![];
        while let Some(chunk) = res
            .chunk()
            .await
            .map_err(|e| CoreError::Remote(e.to_string()))?
        {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(CoreError::Remote(format!(
                    "{url} is larger than {max_bytes} bytes"
                )));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}
