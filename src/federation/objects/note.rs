//! `Note`: a status on the wire (and the `Article`/`Page`/`Question` shapes
//! other servers use for posts) and the federation crate's traits for it.
//! Rendering ours is in `note_json`; reading theirs in `received`.

use crate::{
    core::{visibility::Visibility, Core},
    db::statuses::Status,
    federation::{
        error::{FedError, FedResult},
        objects::values,
        same_host, FedData, PUBLIC,
    },
};
use activitypub_federation::{
    fetch::{fetch_object_http, object_id::ObjectId},
    protocol::verification::verify_domains_match,
    traits::Object,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use url::Url;

/// Object types we take as statuses.
pub const NOTE_TYPES: &[&str] = &["Note", "Article", "Page", "Question"];

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Url,
    #[serde(deserialize_with = "values::opt_url")]
    pub attributed_to: Option<Url>,
    #[serde(default, deserialize_with = "values::urls")]
    pub to: Vec<Url>,
    #[serde(default, deserialize_with = "values::urls")]
    pub cc: Vec<Url>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "values::lenient")]
    pub content: Option<String>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub content_map: Option<BTreeMap<String, String>>,
    #[serde(default, deserialize_with = "values::lenient")]
    pub summary: Option<String>,
    #[serde(default, deserialize_with = "values::lenient")]
    pub sensitive: Option<bool>,
    #[serde(default, deserialize_with = "values::opt_url")]
    pub in_reply_to: Option<Url>,
    /// The group (board) it was posted in (FEP-1b12).
    #[serde(
        default,
        deserialize_with = "values::opt_url",
        skip_serializing_if = "Option::is_none"
    )]
    pub audience: Option<Url>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub published: Option<DateTime<Utc>>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<Value>,
    #[serde(default, deserialize_with = "values::values")]
    pub tag: Vec<Value>,
    #[serde(
        default,
        deserialize_with = "values::values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub attachment: Vec<Value>,
    /// A `Question`'s options (one choice, or several).
    #[serde(
        default,
        deserialize_with = "values::values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub one_of: Vec<Value>,
    #[serde(
        default,
        deserialize_with = "values::values",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub any_of: Vec<Value>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub end_time: Option<DateTime<Utc>>,
    /// When (or whether) a `Question` closed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closed: Option<Value>,
    #[serde(
        default,
        deserialize_with = "values::lenient",
        skip_serializing_if = "Option::is_none"
    )]
    pub voters_count: Option<i64>,
}

impl Note {
    /// Everyone addressed, in `to` or `cc`.
    pub fn addressed(&self) -> impl Iterator<Item = &Url> {
        self.to.iter().chain(self.cc.iter())
    }

    /// The `href`s of its `Mention` tags.
    pub fn mention_hrefs(&self) -> Vec<Url> {
        self.tag
            .iter()
            .filter(|t| t["type"] == "Mention")
            .filter_map(|t| t["href"].as_str().and_then(|h| Url::parse(h).ok()))
            .collect()
    }

    /// The visibility its addressing means, as Mastodon reads it.
    pub fn visibility(&self, author_followers: Option<&str>) -> Visibility {
        let is_public = |u: &Url| u.as_str() == PUBLIC;
        if self.to.iter().any(is_public) {
            return Visibility::Public;
        }
        if self.cc.iter().any(is_public) {
            return Visibility::Unlisted;
        }
        let mentions = self.mention_hrefs();
        let to_collection = self.addressed().any(|u| {
            Some(u.as_str()) == author_followers
                || (!mentions.contains(u) && u.path().ends_with("/followers"))
        });
        if to_collection {
            Visibility::Private
        } else {
            Visibility::Direct
        }
    }
}

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
        Ok(serde_json::from_value(super::note_json::note_json(
            &view,
            data.uris(),
        ))?)
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
        let remote = super::received::remote_status(json, data).await?;
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
        Err(
            e @ (ApError::Reqwest(_)
            | ApError::ReqwestMiddleware(_)
            | ApError::IoError(_)
            | ApError::RequestLimit),
        ) => {
            return Err(FedError::Ignored(format!(
                "{id} could not be read from its server ({e}): nothing stored"
            )))
        }
        Err(e) => {
            return Err(FedError::Forbidden(format!(
                "{id} is not served by its own server ({e}): nothing stored"
            )))
        }
    };
    NoteRecord::verify(&fetched.object, &fetched.url, data).await?;
    NoteRecord::from_json(fetched.object, data).await
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::federation::objects::note_json::addressing;
    use serde_json::json;

    fn note(to: &[&str], cc: &[&str], mentions: &[&str]) -> Note {
        serde_json::from_value(json!({
            "type": "Note", "id": "https://b.example/n/1", "attributedTo": "https://b.example/u/bob",
            "to": to, "cc": cc,
            "tag": mentions.iter().map(|m| json!({"type": "Mention", "href": m})).collect::<Vec<_>>(),
        }))
        .unwrap()
    }

    #[test]
    fn addressing_maps_to_visibility_both_ways() {
        let f = "https://b.example/u/bob/followers";
        let m = "https://a.example/users/alice";
        assert_eq!(
            note(&[PUBLIC], &[f], &[]).visibility(Some(f)),
            Visibility::Public
        );
        assert_eq!(
            note(&["as:Public"], &[], &[]).visibility(Some(f)),
            Visibility::Public
        );
        assert_eq!(
            note(&[f], &[PUBLIC], &[]).visibility(Some(f)),
            Visibility::Unlisted
        );
        assert_eq!(
            note(&[f, m], &[], &[m]).visibility(Some(f)),
            Visibility::Private
        );
        assert_eq!(
            note(&[m], &[], &[m]).visibility(Some(f)),
            Visibility::Direct
        );
        for v in [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
            Visibility::Direct,
        ] {
            let (to, cc) = addressing(v, f, &[m.to_string()]);
            let to: Vec<&str> = to.iter().map(String::as_str).collect();
            let cc: Vec<&str> = cc.iter().map(String::as_str).collect();
            assert_eq!(note(&to, &cc, &[m]).visibility(Some(f)), v);
        }
    }

    #[test]
    fn malformed_optional_fields_do_not_fail_the_note() {
        let n: Note = serde_json::from_value(json!({
            "type": "Note", "id": "https://b.example/n/1", "attributedTo": [{"type": "Person", "id": "https://b.example/u/bob"}],
            "to": 42, "published": "yesterday", "sensitive": "maybe", "tag": {"type": "Hashtag"}, "inReplyTo": {"id": "https://c.example/n/2"}
        }))
        .unwrap();
        assert_eq!(n.attributed_to.unwrap().as_str(), "https://b.example/u/bob");
        assert!(n.to.is_empty() && n.published.is_none() && n.sensitive.is_none());
        assert_eq!(n.in_reply_to.unwrap().as_str(), "https://c.example/n/2");
        assert_eq!(n.tag.len(), 1);
    }
}
