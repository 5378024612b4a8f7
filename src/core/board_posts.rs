//! How a board takes in posts. A public post that mentions a federated
//! board (from this server, another Staffroom, Mastodon or any server)
//! becomes a thread of that board, and the board shares it with its
//! members by boosting it: an `Announce` that Mastodon shows as a reblog by
//! the board and that group-aware servers read as the board relaying it.

use super::{
    boards::BoardKind, error::CoreResult, interactions::add_reblog, ports::Outgoing, visibility,
    Core,
};
use crate::db::{
    accounts::Account,
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
        if !store::add_post(conn, board_account.id, status.id, None)? {
            continue;
        }
        let (reblog, new) = add_reblog(conn, core, board_account, status, None)?;
        if new {
            let recipients = visibility::announce_recipients(conn, board_account, author)?;
            core.outbound().enqueue(
                conn,
                Outgoing::Announce {
                    reblog: &reblog,
                    account: board_account,
                    original: status,
                    original_author: author,
                },
                &recipients,
            )?;
        }
    }
    Ok(())
}
