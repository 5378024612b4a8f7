//! Moderating a board: who may (the board's moderators and this server's
//! admins), answering join requests of private boards, locking and pinning
//! threads, and the mod log every action is written to.

use super::{
    boards::board_view,
    error::{CoreError, CoreResult},
    follows::answer_request,
    found,
    interactions::set_pin,
    views::{self, AccountView},
    Core,
};
use crate::db::{
    self,
    accounts::{self, Account},
    boards::{self as store, ModAction},
    follows::{self, Side},
    statuses, users, DbConn, Page,
};

/// What a moderator did, as the log names it.
pub const APPROVE_MEMBER: &str = "approve_member";
pub const REJECT_MEMBER: &str = "reject_member";
pub const LOCK_THREAD: &str = "lock_thread";
pub const UNLOCK_THREAD: &str = "unlock_thread";
pub const PIN_THREAD: &str = "pin_thread";
pub const UNPIN_THREAD: &str = "unpin_thread";

/// The board named `name` on this server, if `actor` may moderate it.
fn moderated(conn: &mut DbConn, name: &str, actor: &Account) -> CoreResult<Account> {
    let board = found(accounts::local_by_username(conn, name)?)?;
    found(board_view(conn, board.clone())?)?;
    let admin =
        actor.is_local() && users::by_account(conn, actor.id)?.is_some_and(|u| u.role == "admin");
    if admin || store::is_moderator(conn, board.id, actor.id)? {
        Ok(board)
    } else {
        Err(CoreError::Forbidden(
            "only this board's moderators and the server's admins may do that".into(),
        ))
    }
}

fn log(
    conn: &mut DbConn,
    core: &Core,
    board: &Account,
    moderator: &Account,
    action: &str,
    target: Target,
    reason: &str,
) -> CoreResult<()> {
    Ok(store::log_action(
        conn,
        &ModAction {
            id: core.next_id(),
            board_id: board.id,
            moderator_id: moderator.id,
            action: action.into(),
            target_account_id: target.0,
            target_status_id: target.1,
            reason: reason.chars().take(1000).collect(),
            created_at: db::now(),
        },
    )?)
}

/// What an action was about: (account, status).
type Target = (Option<i64>, Option<i64>);

/// A mod log entry with the accounts it names.
#[derive(Debug, Clone)]
pub struct ModLogEntry {
    pub action: ModAction,
    pub moderator: AccountView,
    pub target: Option<AccountView>,
}

impl Core {
    /// The pending join requests of a board (for its moderators).
    pub async fn join_requests(&self, me: &Account, name: &str) -> CoreResult<Vec<AccountView>> {
        let (me, name) = (me.clone(), name.to_string());
        self.read(move |conn, _| {
            let board = moderated(conn, &name, &me)?;
            let page = Page {
                limit: 80,
                ..Page::default()
            };
            let list = follows::list(conn, Side::Followers, board.id, false, &page)?
                .into_iter()
                .map(|(_, a)| a)
                .collect();
            views::account_views(conn, list)
        })
        .await
    }

    /// Run one moderator action on board `name` as `me` and write it to the
    /// mod log; `act` returns the action's name and its target (account, status).
    async fn moderate<F>(&self, me: &Account, name: &str, reason: &str, act: F) -> CoreResult<()>
    where
        F: FnOnce(&mut DbConn, &Core, &Account) -> CoreResult<(&'static str, Target)>
            + Send
            + 'static,
    {
        let (me, name, reason) = (me.clone(), name.to_string(), reason.to_string());
        self.write(move |conn, core| {
            let board = moderated(conn, &name, &me)?;
            let (action, target) = act(conn, core, &board)?;
            log(conn, core, &board, &me, action, target, &reason)
        })
        .await
    }

    /// A moderator lets `account_id` into the board, or turns them away.
    pub async fn answer_join_request(
        &self,
        me: &Account,
        name: &str,
        account_id: i64,
        accept: bool,
        reason: &str,
    ) -> CoreResult<()> {
        self.moderate(me, name, reason, move |conn, core, board| {
            answer_request(conn, core, board, account_id, accept)?;
            let action = if accept {
                APPROVE_MEMBER
            } else {
                REJECT_MEMBER
            };
            Ok((action, (Some(account_id), None)))
        })
        .await
    }

    /// Lock (`on`) or unlock a thread of the board: a locked thread takes
    /// no new replies, from this server or any other.
    pub async fn lock_thread(
        &self,
        me: &Account,
        name: &str,
        status_id: i64,
        on: bool,
        reason: &str,
    ) -> CoreResult<()> {
        self.moderate(me, name, reason, move |conn, _, board| {
            if !store::set_locked(conn, board.id, status_id, on)? {
                return Err(CoreError::NotFound);
            }
            let author = statuses::by_id(conn, status_id)?.map(|s| s.account_id);
            let action = if on { LOCK_THREAD } else { UNLOCK_THREAD };
            Ok((action, (author, Some(status_id))))
        })
        .await
    }

    /// Pin (`on`) or unpin a thread of the board: pinned threads are the
    /// board's `featured` collection, and its members' servers are told
    /// (`Add`/`Remove`), as for a teacher's pinned posts.
    pub async fn pin_thread(
        &self,
        me: &Account,
        name: &str,
        status_id: i64,
        on: bool,
        reason: &str,
    ) -> CoreResult<()> {
        self.moderate(me, name, reason, move |conn, core, board| {
            if store::post(conn, status_id)?
                .filter(|p| p.thread_id.is_none())
                .map(|p| p.board_id)
                != Some(board.id)
            {
                return Err(CoreError::NotFound);
            }
            let status = found(statuses::by_id(conn, status_id)?)?;
            set_pin(conn, core, board, &status, on)?;
            let action = if on { PIN_THREAD } else { UNPIN_THREAD };
            Ok((action, (Some(status.account_id), Some(status.id))))
        })
        .await
    }

    /// A board's mod log, newest first (for its moderators).
    pub async fn mod_log(
        &self,
        me: &Account,
        name: &str,
        max_id: Option<i64>,
        limit: i64,
    ) -> CoreResult<Vec<ModLogEntry>> {
        let (me, name) = (me.clone(), name.to_string());
        self.read(move |conn, _| {
            let board = moderated(conn, &name, &me)?;
            let actions = store::mod_log(conn, board.id, max_id, limit)?;
            let mut ids: Vec<i64> = actions.iter().map(|a| a.moderator_id).collect();
            ids.extend(actions.iter().filter_map(|a| a.target_account_id));
            ids.sort_unstable();
            ids.dedup();
            let found = accounts::by_ids(conn, &ids)?;
            let people = views::account_views(conn, found)?;
            let view = |id: i64| people.iter().find(|v| v.account.id == id).cloned();
            Ok(actions
                .into_iter()
                .filter_map(|a| {
                    Some(ModLogEntry {
                        moderator: view(a.moderator_id)?,
                        target: a.target_account_id.and_then(view),
                        action: a,
                    })
                })
                .collect())
        })
        .await
    }
}
