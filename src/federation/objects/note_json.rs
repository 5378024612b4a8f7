//! Our statuses as ActivityPub objects: their addressing and the `Note`
//! (or `Question`, with a poll) other servers get.

use crate::{
    core::{text, uris::Uris, views::StatusView, visibility::Visibility},
    federation::PUBLIC,
};
use serde_json::{json, Value};

/// The `to` and `cc` of a local status.
pub fn addressing(
    visibility: Visibility,
    followers: &str,
    mentioned: &[String],
) -> (Vec<String>, Vec<String>) {
    let mut to = vec![];
    let mut cc = vec![];
    match visibility {
        Visibility::Public => {
            to.push(PUBLIC.to_string());
            cc.push(followers.to_string());
            cc.extend(mentioned.iter().cloned());
        }
        Visibility::Unlisted => {
            to.push(followers.to_string());
            cc.push(PUBLIC.to_string());
            cc.extend(mentioned.iter().cloned());
        }
        Visibility::Private => {
            to.push(followers.to_string());
            to.extend(mentioned.iter().cloned());
        }
        Visibility::Direct => to.extend(mentioned.iter().cloned()),
        // `followers` is the board's members collection; nobody else is addressed.
        Visibility::Members => to.push(followers.to_string()),
    }
    (to, cc)
}

/// The `to` and `cc` of a local status as shown: a members-only post is
/// addressed to its board's members.
pub fn status_addressing(view: &StatusView, uris: &Uris) -> (Vec<String>, Vec<String>) {
    let s = &view.status;
    let mentioned: Vec<String> = view.mentions.iter().map(|a| a.ap_id.clone()).collect();
    let visibility = Visibility::of(s);
    let followers = match (&view.board, visibility) {
        (Some(place), Visibility::Members) => place
            .board_followers
            .clone()
            .unwrap_or_else(|| format!("{}/followers", place.board_ap_id)),
        _ => view
            .account
            .account
            .followers_url
            .clone()
            .unwrap_or_else(|| uris.followers(&view.account.account.username)),
    };
    addressing(visibility, &followers, &mentioned)
}

/// The `Note` of a local status.
pub fn note_json(view: &StatusView, uris: &Uris) -> Value {
    let s = &view.status;
    let author = &view.account.account;
    let (to, cc) = status_addressing(view, uris);
    let mut tags: Vec<Value> = view
        .mentions
        .iter()
        .map(|a| {
            let handle = match &a.domain {
                Some(d) => format!("@{}@{}", a.username, d),
                None => format!("@{}@{}", a.username, uris.authority()),
            };
            json!({"type": "Mention", "href": a.ap_id, "name": handle})
        })
        .collect();
    for tag in text::hashtags(s.source_text.as_deref().unwrap_or_default()) {
        tags.push(json!({"type": "Hashtag", "href": uris.tag(&tag), "name": format!("#{tag}")}));
    }
    let mut note = json!({
        "type": "Note",
        "id": s.ap_id,
        "attributedTo": author.ap_id,
        "to": to,
        "cc": cc,
        "content": s.content,
        "summary": (!s.spoiler_text.is_empty()).then(|| s.spoiler_text.clone()),
        "sensitive": s.sensitive,
        "inReplyTo": s.in_reply_to_ap_id,
        "published": s.created_at.and_utc().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "url": s.url,
        "tag": tags,
    });
    // In a board (FEP-1b12): the board is the `audience` and is addressed,
    // a thread with a title is a `Page` with a `name`, as Lemmy shows it.
    if let Some(place) = &view.board {
        note["audience"] = json!(place.board_ap_id);
        // The thread it belongs to (FEP-7888).
        if let Some(thread) = &place.thread_ap_id {
            note["context"] = json!(thread);
        }
        if let Some(list) = note["cc"].as_array_mut() {
            if !list.iter().any(|v| v == place.board_ap_id.as_str()) {
                list.push(json!(place.board_ap_id));
            }
        }
        if let (true, Some(title)) = (place.starter, &place.title) {
            note["type"] = json!("Page");
            note["name"] = json!(title);
        }
    }
    if let Some(edited) = s.edited_at {
        note["updated"] = json!(edited
            .and_utc()
            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true));
    }
    if let Some(lang) = &s.language {
        note["contentMap"] = json!({ lang: s.content });
    }
    if let Some(source) = &s.source_text {
        let titled = view
            .board
            .as_ref()
            .is_some_and(|b| b.starter && b.title.is_some());
        let media_type = if titled {
            "text/markdown"
        } else {
            "text/plain"
        };
        note["source"] = json!({"content": source, "mediaType": media_type});
    }
    if !view.media.is_empty() {
        let documents: Vec<Value> = view
            .media
            .iter()
            .filter_map(|m| {
                let url = m
                    .file_key
                    .as_ref()
                    .map(|k| uris.file(k))
                    .or_else(|| m.remote_url.clone())?;
                let mut d = json!({
                    "type": "Document",
                    "mediaType": m.content_type,
                    "url": url,
                    "name": (!m.description.is_empty()).then(|| m.description.clone()),
                });
                if let Some(b) = &m.blurhash {
                    d["blurhash"] = json!(b);
                }
                if let (Some(w), Some(h)) = (m.width, m.height) {
                    d["width"] = json!(w);
                    d["height"] = json!(h);
                }
                if let (Some(x), Some(y)) = (m.focus_x, m.focus_y) {
                    d["focalPoint"] = json!([x, y]);
                }
                Some(d)
            })
            .collect();
        note["attachment"] = json!(documents);
    }
    if let Some(p) = &view.poll {
        let time = |t: chrono::NaiveDateTime| {
            t.and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        };
        let choices: Vec<Value> = p
            .options
            .iter()
            .map(|(title, votes)| {
                json!({"type": "Note", "name": title,
                       "replies": {"type": "Collection", "totalItems": votes.unwrap_or(0)}})
            })
            .collect();
        note["type"] = json!("Question");
        note[if p.poll.multiple { "anyOf" } else { "oneOf" }] = json!(choices);
        if let Some(end) = p.poll.expires_at {
            note["endTime"] = json!(time(end));
        }
        if let Some(n) = p.voters_count {
            note["votersCount"] = json!(n);
        }
        if p.expired {
            note["closed"] = json!(time(
                p.poll
                    .closed_at
                    .or(p.poll.expires_at)
                    .unwrap_or(s.created_at)
            ));
        }
    }
    note
}
