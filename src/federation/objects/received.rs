//! What a received `Note` (or `Question`, `Article`, `Page`) means here:
//! the status the core stores, with its poll, attachments and mentions.

use super::{note::Note, values};
use crate::{
    core::{
        posts::{RemoteAttachment, RemotePoll, RemoteStatus},
        text,
        visibility::Visibility,
    },
    db::{accounts::Account, polls::PollOption},
    federation::{
        actors::record::ActorRecord,
        egress::EgressPolicy,
        error::{FedError, FedResult},
        same_host, FedData,
    },
};
use activitypub_federation::fetch::object_id::ObjectId;
use serde_json::Value;
use url::Url;

impl Note {
    /// The poll of a `Question`.
    pub fn poll(&self) -> Option<RemotePoll> {
        let (choices, multiple) = if !self.any_of.is_empty() {
            (&self.any_of, true)
        } else {
            (&self.one_of, false)
        };
        if self.kind != "Question" || choices.is_empty() {
            return None;
        }
        let options = choices
            .iter()
            .take(20)
            .filter_map(|c| {
                Some(PollOption {
                    title: text::clean_label(c["name"].as_str()?, 200),
                    votes: c["replies"]["totalItems"].as_i64().unwrap_or(0).max(0),
                })
            })
            .collect();
        let closed = match &self.closed {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(_)) => true,
            _ => false,
        };
        Some(RemotePoll {
            options,
            multiple,
            expires_at: self.end_time.map(|t| t.naive_utc()),
            voters_count: self.voters_count.map(|n| n.max(0)),
            closed,
        })
    }

    /// Its attachments (files and images), by URL: only URLs the egress
    /// policy allows (never a private address, even for people's browsers).
    pub fn attachments(&self, policy: &EgressPolicy) -> Vec<RemoteAttachment> {
        self.attachment
            .iter()
            .take(8)
            .filter(|a| {
                matches!(
                    a["type"].as_str(),
                    Some("Document" | "Image" | "Video" | "Audio" | "Link")
                )
            })
            .filter_map(|a| {
                let url = values::link_href(&a["url"]).or_else(|| values::link_href(&a["href"]))?;
                let parsed = Url::parse(&url).ok()?;
                if !matches!(parsed.scheme(), "https" | "http") {
                    return None;
                }
                policy.vet(&parsed, "attachment").ok()?;
                let number = |v: &Value| v.as_i64().and_then(|n| i32::try_from(n).ok());
                let focus = a["focalPoint"]
                    .as_array()
                    .filter(|p| p.len() == 2)
                    .and_then(|p| Some((p[0].as_f64()?, p[1].as_f64()?)));
                Some(RemoteAttachment {
                    url,
                    media_type: a["mediaType"]
                        .as_str()
                        .map(|t| t.chars().take(100).collect()),
                    description: a["name"].as_str().map(str::to_string),
                    blurhash: a["blurhash"].as_str().map(str::to_string),
                    width: number(&a["width"]),
                    height: number(&a["height"]),
                    focus,
                })
            })
            .collect()
    }

    /// A vote in a poll: a `Note` with a `name` (the choice) and no content,
    /// in reply to the `Question`.
    pub fn vote_choice(&self) -> Option<&str> {
        let empty = self.content.as_deref().is_none_or(|c| c.trim().is_empty());
        match (&self.name, &self.in_reply_to) {
            (Some(name), Some(_)) if empty && self.kind == "Note" => Some(name),
            _ => None,
        }
    }
}

/// Turn a received note into what the core stores.
pub(super) async fn remote_status(json: Note, data: &FedData) -> FedResult<RemoteStatus> {
    let author_id = json
        .attributed_to
        .clone()
        .ok_or_else(|| FedError::BadRequest("the object has no attributedTo".into()))?;
    let author = ObjectId::<ActorRecord>::from(author_id)
        .dereference(data)
        .await?
        .account;
    let mut visibility = json.visibility(author.followers_url.as_deref());
    let board = audience_group(&json, data).await;
    if !visibility.is_public() && board.as_ref().is_some_and(|b| to_members_of(&json, b)) {
        visibility = Visibility::Members;
    }
    let addressed: Vec<&Url> = json.addressed().collect();
    let mut mentioned = vec![];
    for href in json.mention_hrefs().into_iter().take(100) {
        // Only people the note actually addresses are notified (unless it is public).
        if !visibility.is_public() && !addressed.contains(&&href) {
            continue;
        }
        if let Some(account) = data.account_by_ap_id(href.as_str()).await? {
            mentioned.push(account);
        }
    }
    let mut content = json
        .content
        .clone()
        .or_else(|| {
            json.content_map
                .as_ref()
                .and_then(|m| m.values().next().cloned())
        })
        .unwrap_or_default();
    if json.kind != "Note" {
        if let Some(name) = json.name.as_deref().filter(|n| !n.is_empty()) {
            content = format!("<p><strong>{}</strong></p>{content}", text::escape(name));
        }
    }
    let language = json
        .content_map
        .as_ref()
        .filter(|m| m.len() == 1)
        .and_then(|m| m.keys().next().cloned())
        .filter(|l| l.len() <= 16);
    let url = json
        .url
        .as_ref()
        .and_then(values::link_href)
        .filter(|u| Url::parse(u).is_ok_and(|u| same_host(&u, &json.id)));
    let tags = json
        .tag
        .iter()
        .filter(|t| t["type"] == "Hashtag")
        .filter_map(|t| t["name"].as_str())
        .map(|n| n.trim_start_matches('#').to_string())
        .take(100)
        .collect();
    Ok(RemoteStatus {
        tags,
        poll: json.poll(),
        attachments: json.attachments(&EgressPolicy::new(data.settings())),
        ap_id: json.id.to_string(),
        url,
        in_reply_to: json.in_reply_to.as_ref().map(Url::to_string),
        content,
        // A titled `Page` from Mbin carries its short title and tags as
        // `summary`: no content warning.
        summary: json
            .summary
            .clone()
            .filter(|s| !s.is_empty())
            .filter(|_| !(json.kind == "Page" && json.name.is_some())),
        sensitive: json.sensitive.unwrap_or(false),
        language,
        visibility,
        mentioned,
        published: json
            .published
            .map(|t| t.naive_utc())
            .unwrap_or_else(crate::db::now),
        updated: json.updated.map(|t| t.naive_utc()),
        title: json
            .name
            .clone()
            .filter(|n| json.kind != "Note" && !n.trim().is_empty())
            .map(|n| text::clean_label(&n, 201)),
        board,
        author,
    })
}

/// The group (board) a post names as its `audience`.
async fn audience_group(json: &Note, data: &FedData) -> Option<Account> {
    let group = json.audience.clone()?;
    let account = ObjectId::<ActorRecord>::from(group)
        .dereference(data)
        .await
        .ok()?
        .account;
    (account.actor_type == "Group").then_some(account)
}

/// Whether a post is addressed to the members (followers) of `board`: not
/// public, that makes it a members-only post of the board.
fn to_members_of(json: &Note, board: &Account) -> bool {
    board
        .followers_url
        .as_deref()
        .is_some_and(|f| json.addressed().any(|u| u.as_str() == f))
}
