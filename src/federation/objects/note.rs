//! `Note`: a status on the wire (and the `Article`/`Page`/`Question` shapes
//! other servers use for posts). Rendering ours is in `note_json`; reading
//! theirs in `received`; the federation crate's traits for it are
//! `NoteRecord`'s (`record`).

use crate::{
    core::visibility::Visibility,
    federation::{objects::values, PUBLIC},
};
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
