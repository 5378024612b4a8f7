//! The boards' side of [`BoardHooks`]: how following and posting, which
//! live below boards, give a board its say.

use crate::core::{
    board_hooks::{BoardHooks, NewThread},
    boards::{board, posts},
    error::CoreResult,
    visibility::Visibility,
    Core,
};
use crate::db::{accounts::Account, statuses::Status, DbConn};

/// The boards of this server, as `accounts` and `posts` see them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Boards;

impl BoardHooks for Boards {
    fn hidden_from_other_servers(&self, conn: &mut DbConn, account: &Account) -> CoreResult<bool> {
        board::is_district_board(conn, account)
    }

    fn refuse_if_locked(&self, conn: &mut DbConn, parent: &Status) -> CoreResult<()> {
        posts::refuse_if_locked(conn, parent)
    }

    fn visibility_in_board(
        &self,
        conn: &mut DbConn,
        thread: Option<&NewThread>,
        parent: Option<&Status>,
    ) -> CoreResult<Option<Visibility>> {
        posts::visibility_in_board(conn, thread, parent)
    }

    fn take_in_local(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
        thread: Option<&NewThread>,
        parent: Option<&Status>,
        mentioned: &[Account],
    ) -> CoreResult<()> {
        // A new thread goes to its board; a reply to a board's post stays
        // in that board; anything else joins the boards it mentions.
        match (thread, parent) {
            (Some(thread), _) => posts::start_thread(conn, core, status, author, thread),
            (None, Some(p)) if posts::keep_reply(conn, core, status, author, p)? => Ok(()),
            _ => posts::take_in(conn, core, status, author, mentioned, None),
        }
    }

    fn take_in_remote(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
        audience: Option<&Account>,
        title: Option<&str>,
        mentioned: &[Account],
    ) -> CoreResult<()> {
        posts::take_in_remote(conn, core, status, author, audience, title, mentioned)
    }

    fn keep_announced(
        &self,
        conn: &mut DbConn,
        board: &Account,
        status: &Status,
        title: Option<&str>,
    ) -> CoreResult<()> {
        posts::keep_announced(conn, board, status, title)
    }

    fn retitle(&self, conn: &mut DbConn, status: &Status, title: Option<&str>) -> CoreResult<bool> {
        posts::retitle(conn, status, title)
    }

    fn relay_edit(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
    ) -> CoreResult<()> {
        posts::relay_edit(conn, core, status, author)
    }

    fn relay_vote(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        voter: &Account,
        vote_id: &str,
        undone: bool,
        undo_id: Option<&str>,
    ) -> CoreResult<()> {
        posts::relay_vote(conn, core, status, voter, vote_id, undone, undo_id)
    }

    fn relay_deletion(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
    ) -> CoreResult<()> {
        posts::relay_deletion(conn, core, status, author)
    }
}
