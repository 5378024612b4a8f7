//! How a board takes in posts. A public post that mentions a federated
//! board (from this server, another Staffroom, Mastodon or any server)
//! becomes a thread of that board, and the board shares it with its
//! members by boosting it: an `Announce` that Mastodon shows as a reblog by
//! the board and that group-aware servers read as the board relaying it.

use super::{
    boards::BoardKind,
    error::{CoreError, CoreResult},
    found,
    interactions::reblog_and_announce,
    statuses::NewThread,
    Core,
};
use crate::db::{
    accounts::{self, Account},
    blocks,
    boards::{self as store},
    statuses::Status,
    DbConn,
};

/// Let every board `status` mentions take it in, if it may.
pub(crate) fn take_in(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    mentioned: &[Account],
) -> CoreResult<()> {
    // Only public and unlisted posts: a board never relays what was meant
    // for a few (private boards will take posts in through membership).
    if status.is_reblog() || !matches!(status.visibility.as_str(), "public" | "unlisted") {
        return Ok(());
    }
    for board_account in mentioned
        .iter()
        .filter(|a| a.is_local() && a.actor_type == "Group" && a.id != author.id)
    {
        let Some(board) = store::get(conn, board_account.id)? else {
            continue;
        };
        if BoardKind::parse(&board.kind)? != BoardKind::Federated {
            continue;
        }
        if blocks::between(conn, author.id, board_account.id)? {
            continue;
        }
        if board.posting_restricted_to_mods
            && status.in_reply_to_id.is_none()
            && !store::is_moderator(conn, board_account.id, author.id)?
        {
            continue;
        }
        if store::add_post(conn, board_account.id, status.id, None)? {
            relay(conn, core, board_account, status, author)?;
        }
    }
    Ok(())
}

/// The board shares a post it took in with its members.
fn relay(
    conn: &mut DbConn,
    core: &Core,
    board_account: &Account,
    status: &Status,
    author: &Account,
) -> CoreResult<()> {
    reblog_and_announce(conn, core, board_account, status, author).map(drop)
}

/// `status` (just written by `author` on this server) starts a thread
/// titled `thread.title` in a board of this server.
pub(crate) fn start_thread(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    thread: &NewThread,
) -> CoreResult<()> {
    let board_account = found(accounts::by_id(conn, thread.board_id)?)?;
    let board = found(store::get(conn, board_account.id)?)?;
    match BoardKind::parse(&board.kind)? {
        BoardKind::Federated => {}
        // Member-only and district-only content needs addressing that keeps
        // it among members; until then such boards take no threads.
        kind => {
            return Err(CoreError::Invalid(format!(
                "threads in {} boards are not available yet",
                kind.as_str()
            )))
        }
    }
    if blocks::between(conn, author.id, board_account.id)? {
        return Err(CoreError::NotFound);
    }
    if board.posting_restricted_to_mods && !store::is_moderator(conn, board_account.id, author.id)?
    {
        return Err(CoreError::Forbidden(
            "only this board's moderators may start threads".into(),
        ));
    }
    store::add_post(conn, board_account.id, status.id, Some(&thread.title))?;
    relay(conn, core, &board_account, status, author)
}

/// Refuse a reply to `parent` if the board thread it belongs to is locked.
pub(crate) fn refuse_if_locked(conn: &mut DbConn, parent: &Status) -> CoreResult<()> {
    let mut current = Some(parent.clone());
    // Threads are shallow; the walk stops after a generous depth.
    for _ in 0..64 {
        let Some(s) = current else { break };
        if let Some((_, locked)) = store::post(conn, s.id)? {
            if locked {
                return Err(CoreError::Invalid(
                    "Validation failed: this thread is locked".into(),
                ));
            }
            return Ok(());
        }
        current = match s.in_reply_to_id {
            Some(id) => crate::db::statuses::by_id(conn, id)?,
            None => None,
        };
    }
    Ok(())
}
