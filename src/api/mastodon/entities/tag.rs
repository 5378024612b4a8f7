//! `Tag`, `FeaturedTag` and `List`.

use super::id;
use crate::{
    core::{
        posts::{FeaturedTag as FeaturedView, TagView},
        Core,
    },
    db::lists::List as ListRow,
};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Serialize)]
pub struct Tag {
    pub id: String,
    pub name: String,
    pub url: String,
    pub history: Vec<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<bool>,
}

pub fn tag(v: &TagView, core: &Core) -> Tag {
    Tag {
        id: id(v.tag.id),
        name: v.tag.name.clone(),
        url: core.uris().tag(&v.tag.name),
        history: v
            .history
            .iter()
            .map(|(day, uses, accounts)| {
                let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
                json!({
                    "day": midnight.and_utc().timestamp().to_string(),
                    "uses": uses.to_string(),
                    "accounts": accounts.to_string(),
                })
            })
            .collect(),
        following: v.following,
    }
}

#[derive(Debug, Serialize)]
pub struct FeaturedTag {
    pub id: String,
    pub name: String,
    pub url: String,
    pub statuses_count: String,
    pub last_status_at: Option<String>,
}

/// A hashtag `account_url` features (its url lists that account's posts with it).
pub fn featured_tag(v: &FeaturedView, account_url: &str) -> FeaturedTag {
    FeaturedTag {
        id: id(v.id),
        name: v.tag.name.clone(),
        url: format!("{account_url}/tagged/{}", v.tag.name),
        statuses_count: v.statuses_count.to_string(),
        last_status_at: v
            .last_status_at
            .map(|t| t.date().format("%Y-%m-%d").to_string()),
    }
}

#[derive(Debug, Serialize)]
pub struct List {
    pub id: String,
    pub title: String,
    pub replies_policy: String,
    pub exclusive: bool,
}

pub fn list(l: &ListRow) -> List {
    List {
        id: id(l.id),
        title: l.title.clone(),
        replies_policy: l.replies_policy.clone(),
        exclusive: l.exclusive,
    }
}
