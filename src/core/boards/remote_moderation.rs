//! Moderation across servers. A moderator of a board on another server
//! asks that server to act (the request is an activity signed by the
//! moderator); the board's server checks that they moderate the board, acts,
//! writes its mod log and tells the members' servers; those apply what a
//! board says about its own posts, and nothing anyone else says.

use crate::core::{
    boards::moderation::{apply, authorize, log, remove_everywhere_here, PostAction},
    error::{CoreError, CoreResult},
    found,
    ports::Outgoing,
    Core,
};
use crate::db::{
    accounts::{Account, Recipient},
    boards as store, pins,
    statuses::{self, Status},
    DbConn,
};

/// The post `ap_id` and the board that keeps it, as this server knows them.
fn post_in_board(conn: &mut DbConn, ap_id: &str) -> CoreResult<Option<(Status, i64)>> {
    let Some(status) = statuses::by_ap_id(conn, ap_id)?.filter(|s| !s.is_reblog()) else {
        return Ok(None);
    };
    Ok(store::post(conn, status.id)?.map(|p| (status, p.board_id)))
}

impl Core {
    /// Ask the server of `board` to carry out `action` on one of its posts
    /// (`status_id`, as this server knows it) on behalf of `me`.
    pub(super) async fn request_moderation(
        &self,
        me: &Account,
        board: Account,
        status_id: i64,
        action: PostAction,
        reason: &str,
    ) -> CoreResult<()> {
        if board.actor_type != "Group" || board.is_local() {
            return Err(CoreError::NotFound);
        }
        let (me, reason) = (me.clone(), reason.to_string());
        self.write(move |conn, core| {
            let status = found(statuses::by_id(conn, status_id)?)?;
            let in_board = store::post(conn, status.id)?.is_some_and(|p| p.board_id == board.id);
            if !in_board {
                return Err(CoreError::NotFound);
            }
            core.outbound().enqueue(
                conn,
                Outgoing::ModAction {
                    board: &board,
                    moderator: &me,
                    action,
                    status: &status,
                    reason: &reason,
                    by_board: false,
                },
                &[Recipient::from(&board)],
            )
        })
        .await
    }

    /// A moderator on another server asks a board of this server to act on
    /// the post `ap_id`: refused unless they moderate that board.
    pub async fn receive_mod_request(
        &self,
        moderator: &Account,
        ap_id: &str,
        action: PostAction,
        reason: &str,
    ) -> CoreResult<()> {
        let (moderator, ap_id, reason) = (moderator.clone(), ap_id.to_string(), reason.to_string());
        self.write(move |conn, core| {
            let (status, board_id) = found(post_in_board(conn, &ap_id)?)?;
            let board = found(crate::db::accounts::by_id(conn, board_id)?)?;
            if !board.is_local() {
                return Err(CoreError::NotFound);
            }
            authorize(conn, &board, &moderator)?;
            let (name, target) = apply(conn, core, &board, &moderator, &status, action, &reason)?;
            log(conn, core, &board, &moderator, name, target, &reason)
        })
        .await
    }

    /// The moderators a board elsewhere lists (its collection, just read).
    pub async fn set_remote_moderators(&self, board: &Account, ids: Vec<i64>) -> CoreResult<()> {
        if board.is_local() || board.actor_type != "Group" {
            return Err(CoreError::Forbidden("not a board elsewhere".into()));
        }
        let board_id = board.id;
        self.write(move |conn, _| {
            for old in store::moderators(conn, board_id)? {
                if !ids.contains(&old.id) {
                    store::remove_moderator(conn, board_id, old.id)?;
                }
            }
            for id in ids {
                store::add_moderator(conn, board_id, id)?;
            }
            Ok(())
        })
        .await
    }

    /// Whether the board `board` keeps the post `ap_id` here (so what it
    /// announces about that post is its members' business).
    pub async fn kept_by_board(&self, board: &Account, ap_id: &str) -> CoreResult<bool> {
        let (board_id, ap_id) = (board.id, ap_id.to_string());
        self.read(move |conn, _| {
            Ok(post_in_board(conn, &ap_id)?.is_some_and(|(_, b)| b == board_id))
        })
        .await
    }

    /// A board on another server says one of its moderators acted on its
    /// post `ap_id`: applied here if the board keeps that post.
    pub async fn receive_board_action(
        &self,
        board: &Account,
        ap_id: &str,
        action: PostAction,
    ) -> CoreResult<()> {
        let (board, ap_id) = (board.clone(), ap_id.to_string());
        self.write(move |conn, core| {
            let Some((status, board_id)) = post_in_board(conn, &ap_id)? else {
                return Ok(());
            };
            if board_id != board.id || board.is_local() {
                return Err(CoreError::Forbidden(
                    "a board acts only on its own posts".into(),
                ));
            }
            match action {
                PostAction::Lock | PostAction::Unlock => {
                    store::set_locked(conn, board.id, status.id, action == PostAction::Lock)?;
                }
                PostAction::Pin => {
                    pins::insert(conn, core.next_id(), board.id, status.id)?;
                }
                PostAction::Unpin => {
                    pins::delete(conn, board.id, status.id)?;
                }
                PostAction::Remove => remove_everywhere_here(conn, core, &status)?,
            }
            Ok(())
        })
        .await
    }
}
