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
    visibility::Visibility,
    Core,
};
use crate::db::{
    accounts::{self, Account},
    blocks,
    boards::{self as store},
    follows,
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
        if store::add_post(conn, board_account.id, status.id, None, None)? {
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

/// Whether `account` may post in the members-only board `board`: a member
/// (accepted follower) or moderator, or any teacher of this server in a
/// district-only board.
fn may_post(
    conn: &mut DbConn,
    board: &Account,
    kind: BoardKind,
    account: &Account,
) -> CoreResult<bool> {
    if kind == BoardKind::District {
        return Ok(account.is_local());
    }
    let member = follows::get(conn, account.id, board.id)?.is_some_and(|f| f.accepted);
    Ok(member || store::is_moderator(conn, board.id, account.id)?)
}

/// The visibility a new post must have in a board: members-only for a new
/// thread in a private or district-only board and for any reply to a
/// members-only post; `None` leaves it to the author.
pub(crate) fn visibility_in_board(
    conn: &mut DbConn,
    thread: Option<&NewThread>,
    parent: Option<&Status>,
) -> CoreResult<Option<Visibility>> {
    if let Some(t) = thread {
        let board = found(store::get(conn, t.board_id)?)?;
        return Ok(
            (BoardKind::parse(&board.kind)? != BoardKind::Federated).then_some(Visibility::Members)
        );
    }
    Ok(parent
        .filter(|p| Visibility::of(p) == Visibility::Members)
        .map(|_| Visibility::Members))
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
    let kind = BoardKind::parse(&board.kind)?;
    if blocks::between(conn, author.id, board_account.id)? {
        return Err(CoreError::NotFound);
    }
    if kind != BoardKind::Federated && !may_post(conn, &board_account, kind, author)? {
        return Err(CoreError::Forbidden(
            "only this board's members may post in it".into(),
        ));
    }
    if board.posting_restricted_to_mods && !store::is_moderator(conn, board_account.id, author.id)?
    {
        return Err(CoreError::Forbidden(
            "only this board's moderators may start threads".into(),
        ));
    }
    store::add_post(conn, board_account.id, status.id, Some(&thread.title), None)?;
    relay(conn, core, &board_account, status, author)
}

/// The board and thread of a reply to the members-only post `parent`.
fn thread_of(conn: &mut DbConn, parent: &Status) -> CoreResult<Option<(Account, i64)>> {
    let Some(post) = store::post(conn, parent.id)? else {
        return Ok(None);
    };
    let board = found(accounts::by_id(conn, post.board_id)?)?;
    Ok(Some((board, post.thread_id.unwrap_or(parent.id))))
}

/// Keep `status`, a reply to the members-only post `parent`, in its board;
/// a board of this server passes it on to its members.
pub(crate) fn keep_reply(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    parent: &Status,
) -> CoreResult<()> {
    let Some((board_account, thread)) = thread_of(conn, parent)? else {
        return Ok(());
    };
    if board_account.is_local() {
        let board = found(store::get(conn, board_account.id)?)?;
        if !may_post(conn, &board_account, BoardKind::parse(&board.kind)?, author)? {
            return Err(CoreError::Forbidden(
                "only this board's members may post in it".into(),
            ));
        }
    }
    store::add_post(conn, board_account.id, status.id, None, Some(thread))?;
    if board_account.is_local() {
        relay(conn, core, &board_account, status, author)?;
    }
    Ok(())
}

/// Where `status` goes in the board `board_id`: `Some(None)` starts a
/// thread, `Some(Some(t))` replies in thread `t`; `None` when it replies to
/// something outside the board (or not known here).
fn place_in(conn: &mut DbConn, board_id: i64, status: &Status) -> CoreResult<Option<Option<i64>>> {
    let parent = match status.in_reply_to_id {
        Some(id) => crate::db::statuses::by_id(conn, id)?,
        None => None,
    };
    Ok(match &parent {
        Some(p) => match thread_of(conn, p)? {
            Some((b, thread)) if b.id == board_id => Some(Some(thread)),
            _ => None,
        },
        None if status.in_reply_to_ap_id.is_some() => None,
        None => Some(None),
    })
}

/// Whether two ids are on the same server (scheme, host and port).
fn same_server(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// A members-only post from another server, addressed to `board`: a
/// board of this server takes it in from its members (and refuses anyone
/// else), and relays it; a board on the post's own server is believed.
/// Posts it does not vouch for stay unseen until the board announces them.
pub(crate) fn take_in_members_post(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    board_account: &Account,
    title: Option<&str>,
) -> CoreResult<()> {
    let Some(thread) = place_in(conn, board_account.id, status)? else {
        return Ok(());
    };
    let title = title.filter(|_| thread.is_none());
    if board_account.is_local() {
        let board = found(store::get(conn, board_account.id)?)?;
        let kind = BoardKind::parse(&board.kind)?;
        if kind == BoardKind::Federated || !may_post(conn, board_account, kind, author)? {
            return Err(CoreError::Forbidden(
                "only this board's members may post in it".into(),
            ));
        }
        if store::add_post(conn, board_account.id, status.id, title, thread)? {
            relay(conn, core, board_account, status, author)?;
        }
        return Ok(());
    }
    if same_server(&board_account.ap_id, &status.ap_id) {
        store::add_post(conn, board_account.id, status.id, title, thread)?;
    }
    Ok(())
}

/// A remote board announced the members-only post `status`: it vouches
/// that the post is in it.
pub(crate) fn keep_announced(
    conn: &mut DbConn,
    board_account: &Account,
    status: &Status,
) -> CoreResult<()> {
    if board_account.is_local()
        || board_account.actor_type != "Group"
        || Visibility::of(status) != Visibility::Members
    {
        return Ok(());
    }
    let Some(thread) = place_in(conn, board_account.id, status)? else {
        return Ok(());
    };
    store::add_post(conn, board_account.id, status.id, None, thread)?;
    Ok(())
}

/// Refuse a reply to `parent` if the board thread it belongs to is locked.
pub(crate) fn refuse_if_locked(conn: &mut DbConn, parent: &Status) -> CoreResult<()> {
    let mut current = Some(parent.clone());
    // Threads are shallow; the walk stops after a generous depth.
    for _ in 0..64 {
        let Some(s) = current else { break };
        if let Some(post) = store::post(conn, s.id)? {
            let locked = match post.thread_id {
                Some(thread) => store::post(conn, thread)?.is_some_and(|t| t.locked),
                None => post.locked,
            };
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
