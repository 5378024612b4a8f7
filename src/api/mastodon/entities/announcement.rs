//! `Announcement` and its `AnnouncementReaction`s.

use super::{datetime, id};
use crate::core::admin::AnnouncementView;
use serde_json::{json, Value};

pub fn announcement(v: &AnnouncementView) -> Value {
    let a = &v.announcement;
    let reactions: Vec<Value> = v
        .reactions
        .iter()
        .map(|r| json!({"name": r.name, "count": r.count, "me": r.me}))
        .collect();
    json!({
        "id": id(a.id),
        "content": a.content,
        "starts_at": a.starts_at.map(datetime),
        "ends_at": a.ends_at.map(datetime),
        "all_day": a.all_day,
        "published_at": datetime(a.published_at),
        "updated_at": datetime(a.updated_at),
        "read": v.read,
        "mentions": [],
        "statuses": [],
        "tags": [],
        "emojis": [],
        "reactions": reactions,
    })
}
