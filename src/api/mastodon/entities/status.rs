//! `Status` and `Context`.

use super::{
    account::{account, Account},
    datetime, id,
};
use crate::core::{posts::StatusVersion, text, views::StatusView, visibility::Visibility, Core};
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    pub id: String,
    pub username: String,
    pub acct: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Status {
    pub id: String,
    pub uri: String,
    pub url: Option<String>,
    pub account: Account,
    pub in_reply_to_id: Option<String>,
    pub in_reply_to_account_id: Option<String>,
    pub reblog: Option<Box<Status>>,
    pub content: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub visibility: String,
    pub sensitive: bool,
    pub spoiler_text: String,
    pub media_attachments: Vec<Value>,
    pub mentions: Vec<Mention>,
    pub tags: Vec<Tag>,
    pub emojis: Vec<Value>,
    pub reblogs_count: i64,
    pub favourites_count: i64,
    pub replies_count: i64,
    pub language: Option<String>,
    pub favourited: bool,
    pub reblogged: bool,
    pub muted: bool,
    pub bookmarked: bool,
    pub pinned: bool,
    pub poll: Option<Value>,
    pub card: Option<Value>,
    pub application: Option<Value>,
    pub filtered: Vec<Value>,
    /// The source text; only in the answer to a delete (for "delete and redraft").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

pub fn status(v: &StatusView, core: &Core) -> Status {
    let s = &v.status;
    Status {
        id: id(s.id),
        uri: s.ap_id.clone(),
        url: s.url.clone().filter(|u| !u.is_empty()),
        account: account(&v.account, core),
        in_reply_to_id: s.in_reply_to_id.map(id),
        in_reply_to_account_id: s.in_reply_to_account_id.map(id),
        reblog: v.reblog.as_ref().map(|r| Box::new(status(r, core))),
        content: s.content.clone(),
        created_at: datetime(s.created_at),
        edited_at: s.edited_at.map(datetime),
        // Members-only board posts look followers-only to Mastodon apps.
        visibility: match Visibility::of(s) {
            Visibility::Members => Visibility::Private.as_str().into(),
            v => v.as_str().into(),
        },
        sensitive: s.sensitive,
        spoiler_text: s.spoiler_text.clone(),
        media_attachments: v
            .media
            .iter()
            .map(|m| super::media::media(m, core))
            .collect(),
        mentions: v
            .mentions
            .iter()
            .map(|a| Mention {
                id: id(a.id),
                username: a.username.clone(),
                acct: a.acct(),
                url: a.url.clone().unwrap_or_else(|| a.ap_id.clone()),
            })
            .collect(),
        tags: v
            .tags
            .iter()
            .map(|t| Tag {
                url: core.uris().tag(t),
                name: t.clone(),
            })
            .collect(),
        emojis: vec![],
        reblogs_count: v.reblogs_count,
        favourites_count: v.favourites_count,
        replies_count: v.replies_count,
        language: s.language.clone(),
        favourited: v.mine.favourited,
        reblogged: v.mine.reblogged,
        muted: false,
        bookmarked: v.mine.bookmarked,
        pinned: v.mine.pinned,
        poll: v.poll.as_ref().map(super::poll::poll),
        card: None,
        application: None,
        filtered: v
            .filtered
            .iter()
            .map(super::filter::filter_result)
            .collect(),
        text: None,
    }
}

pub fn statuses(list: &[StatusView], core: &Core) -> Vec<Status> {
    list.iter().map(|v| status(v, core)).collect()
}

/// One version of a status (`GET /api/v1/statuses/:id/history`).
#[derive(Debug, Serialize)]
pub struct StatusEdit {
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    pub created_at: String,
    pub account: Account,
    pub poll: Option<Value>,
    pub media_attachments: Vec<Value>,
    pub emojis: Vec<Value>,
}

pub fn history(v: &StatusView, versions: &[StatusVersion], core: &Core) -> Vec<StatusEdit> {
    let author = account(&v.account, core);
    versions
        .iter()
        .map(|e| StatusEdit {
            content: e.content.clone(),
            spoiler_text: e.spoiler_text.clone(),
            sensitive: e.sensitive,
            created_at: datetime(e.created_at),
            account: author.clone(),
            poll: None,
            media_attachments: vec![],
            emojis: vec![],
        })
        .collect()
}

/// `GET /api/v1/statuses/:id/source`
#[derive(Debug, Serialize)]
pub struct StatusSource {
    pub id: String,
    pub text: String,
    pub spoiler_text: String,
}

pub fn source(v: &StatusView) -> StatusSource {
    let s = &v.status;
    StatusSource {
        id: id(s.id),
        text: s
            .source_text
            .clone()
            .unwrap_or_else(|| text::html_to_text(&s.content)),
        spoiler_text: s.spoiler_text.clone(),
    }
}

#[derive(Debug, Serialize)]
pub struct Context {
    pub ancestors: Vec<Status>,
    pub descendants: Vec<Status>,
}
