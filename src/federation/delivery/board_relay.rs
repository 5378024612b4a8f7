//! How a board of this server passes a member's post on to its members'
//! servers, the FEP-1b12 way that Lemmy, Mbin and Staffroom read: an
//! `Announce` by the board of the member's activity (`Create`, `Update`,
//! `Delete`). A member of another server: the activity exactly as it
//! arrived, byte for byte (the inbox keeps it); when it was not kept (the
//! post came by a fetch), nothing is relayed rather than an activity the
//! member never sent. A teacher of this server: the `Create` this server
//! sent for the post.

use super::super::{
    activities::{create, like, undo},
    objects::note_json::note_json,
    with_context, PUBLIC,
};
use crate::{
    core::{error::CoreResult, ports::PostChange, uris::Uris, views, visibility::Visibility},
    db::{accounts::Account, inbox_log, statuses::Status, DbConn},
};
use serde_json::{json, Value};

/// The board's `Announce` (with id `id`) of `author`'s `change` to `status`,
/// as (signing account, activity id, payload); `None` when there is nothing
/// true to relay.
pub(super) fn payload(
    conn: &mut DbConn,
    u: &Uris,
    id: &str,
    board: &Account,
    status: &Status,
    author: &Account,
    change: PostChange,
) -> CoreResult<Option<(i64, String, String)>> {
    let members_only = Visibility::of(status) == Visibility::Members;
    let announce = |object: Value| announce(u, id, board, members_only, object);
    if !author.is_local() {
        let kind = match change {
            PostChange::Created => "Create",
            PostChange::Edited => "Update",
            PostChange::Deleted => "Delete",
        };
        let Some(body) = inbox_log::as_received(conn, &status.ap_id, kind)? else {
            tracing::debug!(
                "board {}: no {kind} of {} kept as it arrived; not relayed",
                board.username,
                status.ap_id
            );
            return Ok(None);
        };
        return Ok(Some((
            board.id,
            id.to_string(),
            verbatim(announce, id, &body),
        )));
    }
    // A teacher here: the `Create` this server sent for the post. (Their
    // edits and deletions reach the members in the author's own `Update`
    // and `Delete`; the core hands only other servers' to a board.)
    if change != PostChange::Created {
        return Ok(None);
    }
    let view = views::status_view(conn, status.clone(), None)?;
    let inner = create::json(
        &format!("{}/activity", status.ap_id),
        &author.ap_id,
        note_json(&view, u),
    );
    let text = with_context(&announce(inner)).to_string();
    Ok(Some((board.id, id.to_string(), text)))
}

/// A board's `Announce` (id `id`) of `object`, addressed as Lemmy's
/// `AnnounceActivity::new` addresses its own: for a public post or board,
/// to the board and `Public`, cc the board's followers; for a members-only
/// one, to the members alone.
pub(super) fn announce(
    u: &Uris,
    id: &str,
    board: &Account,
    members_only: bool,
    object: Value,
) -> Value {
    let members = u.followers(&board.username);
    let (to, cc) = if members_only {
        (json!([members]), json!([]))
    } else {
        (json!([board.ap_id, PUBLIC]), json!([members]))
    };
    json!({"type": "Announce", "id": id, "actor": board.ap_id,
           "object": object, "to": to, "cc": cc})
}

/// The board's `Announce` of `announce`'s object, the member's JSON put in
/// verbatim: a placeholder, serialized, then replaced by it.
fn verbatim(announce: impl Fn(Value) -> Value, id: &str, body: &str) -> String {
    let placeholder = format!("staffroom:relayed-activity:{id}");
    let text = with_context(&announce(json!(placeholder))).to_string();
    text.replacen(&json!(placeholder).to_string(), body.trim(), 1)
}

/// The board's `Announce` (with id `id`) of `voter`'s vote on `status`
/// (`vote_id`: a like, or another server's downvote) or, `undone`, of its
/// `Undo` (`undo_id` when another server sent it), as Lemmy relays votes:
/// a member of another server's activity as it arrived, a teacher here's as
/// this server sent it.
#[allow(clippy::too_many_arguments)]
pub(super) fn vote_payload(
    conn: &mut DbConn,
    u: &Uris,
    id: &str,
    board: &Account,
    status: &Status,
    voter: &Account,
    vote_id: &str,
    undone: bool,
    undo_id: Option<&str>,
) -> CoreResult<Option<(i64, String, String)>> {
    let members_only = Visibility::of(status) == Visibility::Members;
    let announce = |object: Value| announce(u, id, board, members_only, object);
    if !voter.is_local() {
        let received = if undone { undo_id } else { Some(vote_id) };
        let body = match received {
            Some(received) => inbox_log::body_of(conn, received)?,
            None => None,
        };
        return Ok(body.map(|body| (board.id, id.to_string(), verbatim(announce, id, &body))));
    }
    // A teacher here only likes (this server sends no downvotes).
    let liked = like::json(vote_id, &voter.ap_id, &status.ap_id);
    let inner = if undone {
        undo::json(&format!("{vote_id}#undo"), &voter.ap_id, liked)
    } else {
        liked
    };
    Ok(Some((
        board.id,
        id.to_string(),
        with_context(&announce(inner)).to_string(),
    )))
}
