//! `Poll`.

use super::{datetime, id};
use crate::core::posts::PollView;
use serde_json::{json, Value};

pub fn poll(p: &PollView) -> Value {
    let mut v = json!({
        "id": id(p.poll.id),
        "expires_at": p.poll.expires_at.map(datetime),
        "expired": p.expired,
        "multiple": p.poll.multiple,
        "votes_count": p.votes_count,
        "voters_count": p.voters_count,
        "options": p.options.iter().map(|(title, votes)| json!({"title": title, "votes_count": votes})).collect::<Vec<_>>(),
        "emojis": [],
    });
    if let (Some(voted), Some(own)) = (p.voted, &p.own_votes) {
        v["voted"] = json!(voted);
        v["own_votes"] = json!(own);
    }
    v
}
