//! The JSON of Staffroom's own API: `Board` and `Thread`.

use crate::{
    api::mastodon::entities::{account::account, datetime, id, status::status},
    core::{
        boards::{BoardSummary, ModLogEntry, ThreadView},
        Core,
    },
};
use serde_json::{json, Value};

pub fn board(s: &BoardSummary, core: &Core) -> Value {
    let b = &s.board;
    let moderators: Vec<Value> = b
        .moderators
        .iter()
        .map(|m| {
            json!({
                "id": id(m.id),
                "username": m.username,
                "acct": m.domain.as_ref().map_or(m.username.clone(), |d| format!("{}@{d}", m.username)),
                "url": m.url.clone().unwrap_or_else(|| m.ap_id.clone()),
            })
        })
        .collect();
    json!({
        "id": id(b.account.id),
        "name": b.account.username,
        // The full handle, on the board's own server.
        "acct": format!(
            "{}@{}",
            b.account.username,
            b.account.domain.as_deref().unwrap_or(&core.settings().domain)
        ),
        "url": b.account.ap_id,
        "title": b.board.title,
        "description": b.account.note,
        "description_source": b.board.description_source,
        "kind": b.board.kind,
        "subjects": b.subjects(),
        "grade_bands": b.grade_bands(),
        "rules": b.rules(),
        "moderators": moderators,
        "icon": b.account.avatar_url,
        "banner": b.account.header_url,
        "posting_restricted_to_mods": b.board.posting_restricted_to_mods,
        "members_count": s.members,
        "threads_count": s.threads,
        "member": s.member,
        "created_at": datetime(b.board.created_at),
    })
}

pub fn thread(t: &ThreadView, core: &Core) -> Value {
    json!({
        "id": id(t.status.status.id),
        "title": t.title,
        "locked": t.locked,
        "pinned": t.pinned,
        "last_activity_at": datetime(t.last_activity_at),
        "status": status(&t.status, core),
    })
}

pub fn mod_log_entry(e: &ModLogEntry, core: &Core) -> Value {
    json!({
        "id": id(e.action.id),
        "action": e.action.action,
        "moderator": account(&e.moderator, core),
        "target_account": e.target.as_ref().map(|t| account(t, core)),
        "target_status_id": e.action.target_status_id.map(id),
        "reason": e.action.reason,
        "created_at": datetime(e.action.created_at),
    })
}
