//! How a board takes in posts. A public post that mentions a federated
//! board (from this server, another Staffroom, Mastodon or any server), or
//! names it as its `audience` (Lemmy, Mbin, Staffroom), becomes a thread of
//! that board; replies to a board's posts are kept in it too. The board
//! shares what it takes in with its members by boosting it: an `Announce`
//! that Mastodon shows as a reblog by the board and that group-aware
//! servers read as the board relaying it. Private and district-only boards
//! keep their posts members-only.

use crate::core::{
    board_hooks::NewThread,
    boards::{bans::refuse_if_banned, board::BoardKind},
    error::{CoreError, CoreResult},
    found,
    ports::{Outgoing, PostChange},
    posts::interactions::reblog_and_announce,
    visibility::Visibility,
    Core,
};
use crate::db::{
    accounts::{self, Account, Recipient},
    blocks, board_bans,
    boards::{self as store},
    follows,
    statuses::Status,
    DbConn,
};

/// Let every board of this server among `boards` (the boards a public
/// post mentions or addresses) take it in as a thread, if it may.
pub(crate) fn take_in(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    boards: &[Account],
    title: Option<&str>,
) -> CoreResult<()> {
    // Only public and unlisted posts: a board never relays what was meant
    // for a few (members-only boards take posts in through membership).
    if status.is_reblog() || !Visibility::of(status).is_public() {
        return Ok(());
    }
    for board_account in boards
        .iter()
        .filter(|a| a.is_local() && a.actor_type == "Group" && a.id != author.id)
    {
        let Some(board) = store::get(conn, board_account.id)? else {
            continue;
        };
        if BoardKind::parse(&board.kind)? != BoardKind::Federated {
            continue;
        }
        if blocks::between(conn, author.id, board_account.id)?
            || board_bans::is_banned(conn, board_account.id, author.id)?
        {
            continue;
        }
        if board.posting_restricted_to_mods
            && status.in_reply_to_id.is_none()
            && !store::is_moderator(conn, board_account.id, author.id)?
        {
            continue;
        }
        if store::add_post(conn, board_account.id, status.id, title, None)? {
            relay(conn, core, board_account, status, author)?;
        }
    }
    Ok(())
}

/// The board shares a post it took in with its members: a boost (which
/// Mastodon shows), and, for a public post, the member's `Create` announced
/// (which Lemmy and Mbin read).
fn relay(
    conn: &mut DbConn,
    core: &Core,
    board_account: &Account,
    status: &Status,
    author: &Account,
) -> CoreResult<()> {
    reblog_and_announce(conn, core, board_account, status, author)?;
    if Visibility::of(status).is_public() {
        let members = follows::remote_followers(conn, board_account.id)?;
        core.outbound().enqueue(
            conn,
            Outgoing::PostInBoard {
                board: board_account,
                status,
                author,
                change: PostChange::Created,
            },
            &members,
        )?;
    }
    Ok(())
}

/// Whether `account` may post in the members-only board `board`: a member
/// (accepted follower) or moderator, or any teacher of this server in a
/// district-only board. For a board on another server: a member.
fn may_post(conn: &mut DbConn, board: &Account, account: &Account) -> CoreResult<bool> {
    if board.is_local() {
        let kind = BoardKind::parse(&found(store::get(conn, board.id)?)?.kind)?;
        if kind == BoardKind::District {
            return Ok(account.is_local());
        }
    }
    let member = follows::get(conn, account.id, board.id)?.is_some_and(|f| f.accepted);
    Ok(member || store::is_moderator(conn, board.id, account.id)?)
}

fn members_only() -> CoreError {
    CoreError::Forbidden("only this board's members may post in it".into())
}

/// Whether `board` keeps its posts among members: a private or
/// district-only board here, or a board elsewhere that approves its members.
fn keeps_to_members(conn: &mut DbConn, board: &Account) -> CoreResult<bool> {
    if !board.is_local() {
        return Ok(board.locked);
    }
    let kind = BoardKind::parse(&found(store::get(conn, board.id)?)?.kind)?;
    Ok(kind != BoardKind::Federated)
}

/// The visibility a new post must have in a board: members-only for a new
/// thread in a board that keeps to its members and for any reply to a
/// members-only post; `None` leaves it to the author.
pub(crate) fn visibility_in_board(
    conn: &mut DbConn,
    thread: Option<&NewThread>,
    parent: Option<&Status>,
) -> CoreResult<Option<Visibility>> {
    if let Some(t) = thread {
        let board = found(accounts::by_id(conn, t.board_id)?)?;
        return Ok(keeps_to_members(conn, &board)?.then_some(Visibility::Members));
    }
    Ok(parent
        .filter(|p| Visibility::of(p) == Visibility::Members)
        .map(|_| Visibility::Members))
}

/// `status` (just written by `author` on this server) starts a thread
/// titled `thread.title` in a board, here or on another server (which the
/// post is then addressed to).
pub(crate) fn start_thread(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    thread: &NewThread,
) -> CoreResult<()> {
    let board_account = found(accounts::by_id(conn, thread.board_id)?)?;
    if blocks::between(conn, author.id, board_account.id)? {
        return Err(CoreError::NotFound);
    }
    refuse_if_banned(conn, &board_account, author)?;
    if keeps_to_members(conn, &board_account)? && !may_post(conn, &board_account, author)? {
        return Err(members_only());
    }
    if let Some(board) = store::get(conn, board_account.id)? {
        if board.posting_restricted_to_mods
            && !store::is_moderator(conn, board_account.id, author.id)?
        {
            return Err(CoreError::Forbidden(
                "only this board's moderators may start threads".into(),
            ));
        }
    }
    store::add_post(conn, board_account.id, status.id, Some(&thread.title), None)?;
    if board_account.is_local() {
        relay(conn, core, &board_account, status, author)?;
    }
    Ok(())
}

/// The board and thread of a post kept in a board (the thread of a
/// thread's first post is itself).
fn thread_of(conn: &mut DbConn, post: &Status) -> CoreResult<Option<(Account, i64)>> {
    let Some(row) = store::post(conn, post.id)? else {
        return Ok(None);
    };
    let board = found(accounts::by_id(conn, row.board_id)?)?;
    Ok(Some((board, row.thread_id.unwrap_or(post.id))))
}

/// `status` replies to `parent`. When `parent` is kept in a board, the
/// reply is kept there too (a public one, or a members-only one in a board
/// that keeps to its members), and a board of this server passes it on to
/// its members; a board elsewhere keeps the replies of this server's
/// teachers and those its own server sends. Returns whether `parent` is in
/// a board.
pub(crate) fn keep_reply(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    parent: &Status,
) -> CoreResult<bool> {
    let Some((board, thread)) = thread_of(conn, parent)? else {
        return Ok(false);
    };
    // A banned teacher is refused by the board's server and their own.
    if board.is_local() || author.is_local() {
        refuse_if_banned(conn, &board, author)?;
    } else if board_bans::is_banned(conn, board.id, author.id)? {
        return Ok(true);
    }
    let visibility = Visibility::of(status);
    if visibility != Visibility::Members && !visibility.is_public() {
        return Ok(true);
    }
    if board.is_local() {
        if visibility == Visibility::Members {
            if !may_post(conn, &board, author)? {
                return Err(members_only());
            }
        } else if blocks::between(conn, author.id, board.id)? {
            return Ok(true);
        }
        if store::add_post(conn, board.id, status.id, None, Some(thread))? {
            relay(conn, core, &board, status, author)?;
        }
    } else if author.is_local() || same_server(&board.ap_id, &status.ap_id) {
        store::add_post(conn, board.id, status.id, None, Some(thread))?;
    }
    Ok(true)
}

/// Whether two ids are on the same server (scheme, host and port).
fn same_server(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => a.origin() == b.origin(),
        _ => false,
    }
}

/// A new post from another server. A reply goes where its parent is; a
/// members-only post addressed to a board of this server is taken in from
/// its members (anyone else is refused) and relayed; a public post joins
/// the boards here it mentions or addresses. A board on the post's own
/// server is believed; posts a remote board has not vouched for stay out
/// of it until the board announces them.
pub(crate) fn take_in_remote(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
    audience: Option<&Account>,
    title: Option<&str>,
    mentioned: &[Account],
) -> CoreResult<()> {
    let parent = match status.in_reply_to_id {
        Some(id) => crate::db::statuses::by_id(conn, id)?,
        None => None,
    };
    if let Some(p) = &parent {
        if keep_reply(conn, core, status, author, p)? {
            return Ok(());
        }
    }
    let members = Visibility::of(status) == Visibility::Members;
    match audience {
        Some(board) if members => {
            if status.in_reply_to_ap_id.is_some() {
                // A reply to a post not kept in this board (or unknown here).
                return Ok(());
            }
            if board.is_local() {
                refuse_if_banned(conn, board, author)?;
                if !keeps_to_members(conn, board)? || !may_post(conn, board, author)? {
                    return Err(members_only());
                }
                if store::add_post(conn, board.id, status.id, title, None)? {
                    relay(conn, core, board, status, author)?;
                }
            } else if same_server(&board.ap_id, &status.ap_id) {
                store::add_post(conn, board.id, status.id, title, None)?;
            }
            Ok(())
        }
        _ if members => Ok(()),
        _ => {
            let mut boards = mentioned.to_vec();
            boards.extend(audience.cloned());
            take_in(conn, core, status, author, &boards, title)?;
            if let Some(board) = audience.filter(|b| !b.is_local()) {
                if status.in_reply_to_ap_id.is_none()
                    && same_server(&board.ap_id, &status.ap_id)
                    && Visibility::of(status).is_public()
                {
                    store::add_post(conn, board.id, status.id, title, None)?;
                }
            }
            Ok(())
        }
    }
}

/// A remote board announced `status`: it vouches that the post is in it
/// (a thread, titled `title` if it has one, or a reply to one of its posts).
pub(crate) fn keep_announced(
    conn: &mut DbConn,
    board: &Account,
    status: &Status,
    title: Option<&str>,
) -> CoreResult<()> {
    let visibility = Visibility::of(status);
    if board.is_local()
        || board.actor_type != "Group"
        || (visibility != Visibility::Members && !visibility.is_public())
    {
        return Ok(());
    }
    let parent = match status.in_reply_to_id {
        Some(id) => crate::db::statuses::by_id(conn, id)?,
        None => None,
    };
    let thread = match &parent {
        Some(p) => match thread_of(conn, p)? {
            Some((b, thread)) if b.id == board.id => Some(thread),
            _ => return Ok(()),
        },
        None if status.in_reply_to_ap_id.is_some() => return Ok(()),
        None => None,
    };
    store::add_post(
        conn,
        board.id,
        status.id,
        title.filter(|_| thread.is_none()),
        thread,
    )?;
    Ok(())
}

/// The board here that keeps `status`, and its members elsewhere.
fn local_board_of(
    conn: &mut DbConn,
    status: &Status,
) -> CoreResult<Option<(Account, Vec<Recipient>)>> {
    let Some(post) = store::post(conn, status.id)? else {
        return Ok(None);
    };
    let board = found(accounts::by_id(conn, post.board_id)?)?;
    if !board.is_local() {
        return Ok(None);
    }
    let members = follows::remote_followers(conn, board.id)?;
    Ok(Some((board, members)))
}

/// The author (on another server) renamed the thread `status` starts
/// (Lemmy's `Update` of a `Page` with a new `name`). A post that started no
/// thread, or one without a title, gets none.
pub(crate) fn retitle(conn: &mut DbConn, status: &Status, title: Option<&str>) -> CoreResult<bool> {
    let Some(title) = title.map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(false);
    };
    let Some(post) = store::post(conn, status.id)? else {
        return Ok(false);
    };
    if post.thread_id.is_some() || post.title.is_none() || post.title.as_deref() == Some(title) {
        return Ok(false);
    }
    store::set_title(conn, status.id, title)?;
    Ok(true)
}

/// The author (on another server) edited `status`: a board here that
/// keeps it passes the edit on to its members' servers.
pub(crate) fn relay_edit(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
) -> CoreResult<()> {
    let Some((board, members)) = local_board_of(conn, status)? else {
        return Ok(());
    };
    core.outbound().enqueue(
        conn,
        Outgoing::PostInBoard {
            board: &board,
            status,
            author,
            change: PostChange::Edited,
        },
        &members,
    )
}

/// A vote on `status` (or its withdrawal): a board here that keeps it
/// passes it on to its members' servers, as Lemmy does; not a banned
/// teacher's.
pub(crate) fn relay_vote(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    voter: &Account,
    vote_id: &str,
    undone: bool,
    undo_id: Option<&str>,
) -> CoreResult<()> {
    let Some((board, members)) = local_board_of(conn, status)? else {
        return Ok(());
    };
    if board_bans::is_banned(conn, board.id, voter.id)? {
        return Ok(());
    }
    core.outbound().enqueue(
        conn,
        Outgoing::VoteInBoard {
            board: &board,
            status,
            voter,
            vote_id,
            undone,
            undo_id,
        },
        &members,
    )
}

/// The author (on another server) deleted `status`: a board here that
/// keeps it tells its members' servers, as it told them of the post.
pub(crate) fn relay_deletion(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
    author: &Account,
) -> CoreResult<()> {
    let Some((board, recipients)) = local_board_of(conn, status)? else {
        return Ok(());
    };
    core.outbound().enqueue(
        conn,
        Outgoing::PostInBoard {
            board: &board,
            status,
            author,
            change: PostChange::Deleted,
        },
        &recipients,
    )
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
