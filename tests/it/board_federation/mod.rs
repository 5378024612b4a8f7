//! A federated board across three districts: a board on A, members on B
//! and C who start threads (with titles) and reply; every server keeps the
//! same thread tree. Moderators, one of them on B (appointed on A), pin,
//! lock and remove, and all three servers reflect it; a removal forged by
//! someone who is not a moderator is refused.
//!
//! Here, how a server sees a board's threads and a thread's replies;
//! `three_districts` (threads, replies, edits and moderation across three
//! servers), `board_edits` (a board's own title, text and icon).

mod board_edits;
mod three_districts;

use crate::common::{client::urlencode, Client};
use serde_json::Value;
use std::collections::BTreeSet;

/// The board's threads as `who`'s server lists them: title by post uri.
async fn threads(who: &Client, board: &str) -> Vec<Value> {
    who.get(&format!(
        "/api/staffroom/v1/boards/{}/threads",
        urlencode(board)
    ))
    .await
    .as_array()
    .cloned()
    .unwrap_or_default()
}

/// The uri of every reply under the thread `uri` on `who`'s server.
async fn tree(who: &Client, uri: &str) -> Option<BTreeSet<String>> {
    let found = who
        .get(&format!(
            "/api/v2/search?resolve=true&type=statuses&q={}",
            urlencode(uri)
        ))
        .await;
    let id = found["statuses"][0]["id"].as_str()?.to_string();
    let context = who.get(&format!("/api/v1/statuses/{id}/context")).await;
    Some(
        context["descendants"]
            .as_array()?
            .iter()
            .filter_map(|s| s["uri"].as_str().map(str::to_string))
            .collect(),
    )
}

/// `who`'s own id for the post `uri`.
async fn local_id(who: &Client, uri: &str) -> String {
    let found = who
        .get(&format!(
            "/api/v2/search?resolve=true&type=statuses&q={}",
            urlencode(uri)
        ))
        .await;
    found["statuses"][0]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{uri} not found: {found}"))
        .to_string()
}
