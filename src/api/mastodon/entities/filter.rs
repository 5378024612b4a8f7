//! `Filter`, `FilterKeyword`, `FilterStatus`, `FilterResult` and the v1 `Filter`.

use super::{datetime, id};
use crate::{
    core::timelines::{FilterMatch, FilterView},
    db::filters::{Filter as FilterRow, FilteredStatus, Keyword},
};
use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Serialize)]
pub struct Filter {
    pub id: String,
    pub title: String,
    pub context: Vec<String>,
    pub expires_at: Option<String>,
    pub filter_action: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keywords: Option<Vec<Value>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<Value>>,
}

fn bare(f: &FilterRow) -> Filter {
    Filter {
        id: id(f.id),
        title: f.title.clone(),
        context: f.contexts(),
        expires_at: f.expires_at.map(datetime),
        filter_action: f.action.clone(),
        keywords: None,
        statuses: None,
    }
}

pub fn keyword(k: &Keyword) -> Value {
    json!({"id": id(k.id), "keyword": k.keyword, "whole_word": k.whole_word})
}

pub fn filtered_status(s: &FilteredStatus) -> Value {
    json!({"id": id(s.id), "status_id": id(s.status_id)})
}

pub fn filter(v: &FilterView) -> Filter {
    Filter {
        keywords: Some(v.keywords.iter().map(keyword).collect()),
        statuses: Some(v.statuses.iter().map(filtered_status).collect()),
        ..bare(&v.filter)
    }
}

/// A `FilterResult` for the `filtered` list of a status.
pub fn filter_result(m: &FilterMatch) -> Value {
    json!({
        "filter": bare(&m.filter),
        "keyword_matches": m.keyword_matches,
        "status_matches": m.status_matches.iter().map(|s| id(*s)).collect::<Vec<_>>(),
    })
}

/// The v1 view: one filter per keyword.
pub fn v1(k: &Keyword, f: &FilterRow) -> Value {
    json!({
        "id": id(k.id),
        "phrase": k.keyword,
        "context": f.contexts(),
        "whole_word": k.whole_word,
        "expires_at": f.expires_at.map(datetime),
        "irreversible": f.action == "hide",
    })
}
