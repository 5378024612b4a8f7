//! `NoteRecord`: a status as the federation crate handles it (its `Object`
//! trait), and fetching a post from its own server.

use super::{
    note::{Note, NOTE_TYPES},
    note_json::note_json,
    received::remote_status,
};
use crate::{
    core::Core,
    db::statuses::Status,
    federation::{
        error::{FedError, FedResult},
        same_host, FedData,
    },
};
use activitypub_federation::{
    fetch::{fetch_object_http, object_id::ObjectId},
    protocol::verification::verify_domains_match,
    traits::Object,
};
use async_trait::async_trait;
use url::Url;

/// A status as the federation crate handles it.
#[derive(Debug, Clone)]
pub struct NoteRecord {
    pub status: Status,
    id: Url,
    /// A thread's title (a `Page`'s `name`), when just read from the wire.
    pub title: Option<String>,
    /// The board it names as its `audience`, when just read from the wire.
    pub audience: Option<Url>,
}

impl NoteRecord {
    pub fn new(status: Status) -> FedResult<NoteRecord> {
        let id = Url::parse(&status.ap_id)?;
        Ok(NoteRecord {
            status,
            id,
            title: None,
            audience: None,
        })
    }
}

#[async_trait]
impl Object for NoteRecord {
    type DataType = Core;
    type Kind = Note;
    type Error = FedError;

    fn id(&self) -> &Url {
        &self.id
    }

    async fn read_from_id(id: Url, data: &FedData) -> FedResult<Option<Self>> {
        data.status_by_ap_id(id.as_str())
            .await?
            .map(NoteRecord::new)
            .transpose()
    }

    /// Its server answered 410 Gone.
    async fn delete(&self, data: &FedData) -> FedResult<()> {
        Ok(data.forget_remote_status(&self.status.ap_id).await?)
    }

    async fn into_json(self, data: &FedData) -> FedResult<Note> {
        let view = data.status(None, self.status.id).await?;
        Ok(serde_json::from_value(note_json(&view, data.uris()))?)
    }

    async fn verify(json: &Note, expected_domain: &Url, data: &FedData) -> FedResult<()> {
        verify_domains_match(&json.id, expected_domain)?;
        if !NOTE_TYPES.contains(&json.kind.as_str()) {
            return Err(FedError::BadRequest(format!(
                "not a post type: {}",
                json.kind
            )));
        }
        if data.uris().is_local(json.id.as_str()) {
            return Err(FedError::BadRequest(
                "an object cannot claim to live on this server".into(),
            ));
        }
        match &json.attributed_to {
            Some(author) if same_host(author, &json.id) => Ok(()),
            Some(_) => Err(FedError::BadRequest(
                "attributedTo is on another server than the object".into(),
            )),
            None => Err(FedError::BadRequest(
                "the object has no attributedTo".into(),
            )),
        }
    }

    async fn from_json(json: Note, data: &FedData) -> FedResult<Self> {
        let parent = json.in_reply_to.clone();
        let audience = json.audience.clone();
        let remote = remote_status(json, data).await?;
        let title = remote.title.clone();
        let status = data
            .store_remote_status(remote)
            .await?
            .ok_or(FedError::Ignored("the object was deleted".into()))?;
        if let Some(parent) = parent {
            if status.in_reply_to_id.is_none() && !data.uris().is_local(parent.as_str()) {
                fetch_parent_later(parent, data.clone());
            }
        }
        Ok(NoteRecord {
            title,
            audience,
            ..NoteRecord::new(status)?
        })
    }
}

/// A post as its own server vouches for it (SECURITY.md Inbox 7): ours
/// from the database; another server's as stored (unless `refresh`), else
/// fetched from its server with a request signed by this server (which a
/// server answers for a members-only board post only if the board has
/// members here). When that server does not serve it, nothing is stored
/// and the activity that named it is refused; when it cannot be reached,
/// the activity is ignored (never a 5xx for another server's outage).
pub async fn from_its_server(id: &Url, refresh: bool, data: &FedData) -> FedResult<NoteRecord> {
    let object = ObjectId::<NoteRecord>::from(id.clone());
    if data.uris().is_local(id.as_str()) {
        return object.dereference_local(data).await;
    }
    if !refresh {
        if let Some(known) = NoteRecord::read_from_id(id.clone(), data).await? {
            return Ok(known);
        }
    }
    use activitypub_federation::error::Error as ApError;
    let fetched = match fetch_object_http::<_, Note>(id, data).await {
        Ok(fetched) => fetched,
        Err(ApError::ObjectDeleted(_)) => {
            data.forget_remote_status(id.as_str()).await?;
            return Err(FedError::Ignored(format!("{id} was deleted on its server")));
        }
        Err(e) => return Err(unreadable(id, e).await),
    };
    NoteRecord::verify(&fetched.object, &fetched.url, data).await?;
    NoteRecord::from_json(fetched.object, data).await
}

/// Why the post `id` could not be read from its server. Its server down
/// or failing (no answer, 5xx, 429) is worth a retry (`Unavailable`: the
/// inbox keeps the activity and retries it); anything else it answers
/// means it does not serve that post, and nothing is stored. The crate
/// reports a 503 and a 404 alike (neither is the object), so the status is
/// asked again, through the egress policy.
async fn unreadable(id: &Url, error: activitypub_federation::error::Error) -> FedError {
    use reqwest::StatusCode;
    match FedError::from(error) {
        FedError::Unavailable(why) => {
            FedError::Unavailable(format!("{id} could not be read from its server: {why}"))
        }
        refused @ (FedError::Refused(_) | FedError::Gone) => refused,
        other => {
            let status = match crate::federation::shared_egress() {
                Some(egress) => Some(
                    egress
                        .get(id, crate::federation::AP_CONTENT_TYPE, "post")
                        .await,
                ),
                None => None,
            };
            match status {
                Some(Ok(r))
                    if r.status().is_server_error()
                        || r.status() == StatusCode::TOO_MANY_REQUESTS =>
                {
                    FedError::Unavailable(format!("{id}: its server answered {}", r.status()))
                }
                Some(Err(crate::federation::egress::EgressError::Failed(e))) => {
                    FedError::Unavailable(format!("{id} could not be read from its server: {e}"))
                }
                _ => FedError::Forbidden(format!(
                    "{id} is not served by its own server ({other}): nothing stored"
                )),
            }
        }
    }
}

/// Ask a remote post's server for it again, off the request: if it is
/// gone there (410), it is deleted here too. Used when a reblog that
/// brought the post here is withdrawn, since the author's `Delete` may
/// never have been addressed to this server.
pub fn recheck_later(id: Url, data: FedData) {
    if data.uris().is_local(id.as_str()) {
        return;
    }
    tokio::spawn(async move {
        let fetched = ObjectId::<NoteRecord>::from(id.clone())
            .dereference_forced(&data)
            .await;
        let result = match fetched {
            Err(FedError::Gone) => data
                .forget_remote_status(id.as_str())
                .await
                .map_err(Into::into),
            other => other.map(|_| ()),
        };
        if let Err(e) = result {
            tracing::debug!("re-checking {id}: {e}");
        }
    });
}

/// A reply arrived before its parent: fetch the parent off the request. The
/// fetch budget travels with `data`, so a long chain of ancestors stops.
fn fetch_parent_later(parent: Url, data: FedData) {
    // Checked here so that a refusal is logged (the crate refuses some
    // URLs, such as IP literals, silently).
    let policy = crate::federation::egress::EgressPolicy::new(data.settings());
    if policy.vet(&parent, "fetch of parent post").is_err() {
        return;
    }
    tokio::spawn(async move {
        if let Err(e) = ObjectId::<NoteRecord>::from(parent.clone())
            .dereference(&data)
            .await
        {
            tracing::debug!("could not fetch parent {parent}: {e}");
        }
    });
}
