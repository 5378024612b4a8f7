//! What `accounts` and `posts` ask of boards without importing them.
//!
//! A board is built on accounts (it is a `Group` account that teachers
//! follow to join) and on posts (its threads are statuses). So `boards`
//! imports `accounts` and `posts`, and never the other way round: where
//! following or posting must give a board its say (a locked thread, a
//! ban, a post mentioning a board), those domains call these hooks inside
//! their own transaction. `boards::hooks` implements them; the server hands
//! that implementation to [`Core::new`](super::Core::new).

use super::{error::CoreResult, visibility::Visibility, Core};
use crate::db::{accounts::Account, statuses::Status, DbConn};

/// What makes a new post a thread of a board.
#[derive(Debug, Clone)]
pub struct NewThread {
    /// The board's account.
    pub board_id: i64,
    pub title: String,
}

/// The boards' part in following and posting. Every method runs inside
/// the caller's transaction.
pub trait BoardHooks: Send + Sync {
    /// Whether `account` is a board that other servers must not see (a
    /// district-only board): it answers them as if it did not exist.
    fn hidden_from_other_servers(&self, conn: &mut DbConn, account: &Account) -> CoreResult<bool>;

    /// Before a reply to `parent` is written, here or from another server:
    /// refuse it if the board thread it belongs to is locked.
    fn refuse_if_locked(&self, conn: &mut DbConn, parent: &Status) -> CoreResult<()>;

    /// The visibility a new local post must have because of the board it
    /// goes to (members-only in a board that keeps to its members); `None`
    /// leaves it to the author.
    fn visibility_in_board(
        &self,
        conn: &mut DbConn,
        thread: Option<&NewThread>,
        parent: Option<&Status>,
    ) -> CoreResult<Option<Visibility>>;

    /// A teacher of this server just wrote `status`: the boards it starts a
    /// thread in (`thread`), replies in (`parent`) or mentions (`mentioned`)
    /// take it in and pass it on to their members.
    #[allow(clippy::too_many_arguments)]
    fn take_in_local(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
        thread: Option<&NewThread>,
        parent: Option<&Status>,
        mentioned: &[Account],
    ) -> CoreResult<()>;

    /// A new post from another server, naming `audience` as its board (if
    /// any), titled `title`, mentioning `mentioned`: the boards it belongs
    /// to take it in.
    #[allow(clippy::too_many_arguments)]
    fn take_in_remote(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
        audience: Option<&Account>,
        title: Option<&str>,
        mentioned: &[Account],
    ) -> CoreResult<()>;

    /// `board` (an account of another server) announced `status`: if it
    /// is a board, it vouches that the post is in it.
    fn keep_announced(
        &self,
        conn: &mut DbConn,
        board: &Account,
        status: &Status,
        title: Option<&str>,
    ) -> CoreResult<()>;

    /// The author (on another server) sent `status` again, titled
    /// `title`: a thread it starts takes the new title. Returns whether
    /// the title changed.
    fn retitle(&self, conn: &mut DbConn, status: &Status, title: Option<&str>) -> CoreResult<bool>;

    /// The author (on another server) edited `status`: a board here that
    /// keeps it passes the edit on.
    fn relay_edit(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
    ) -> CoreResult<()>;

    /// `voter` voted on `status` (a like, or another server's downvote;
    /// `vote_id` its id) or, `undone`, took the vote back (`undo_id`: the
    /// `Undo` another server sent): a board here that keeps the post passes
    /// the vote on to its members.
    #[allow(clippy::too_many_arguments)]
    fn relay_vote(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        voter: &Account,
        vote_id: &str,
        undone: bool,
        undo_id: Option<&str>,
    ) -> CoreResult<()>;

    /// The author (on another server) deleted `status`: a board here that
    /// keeps it tells its members.
    fn relay_deletion(
        &self,
        conn: &mut DbConn,
        core: &Core,
        status: &Status,
        author: &Account,
    ) -> CoreResult<()>;
}
