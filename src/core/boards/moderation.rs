//! Moderating a board: who may (the board's moderators and this server's
//! admins), answering join requests of private boards, locking and pinning
//! threads, and the mod log every action is written to.

use crate::core::{
    accounts::follows::answer_request,
    boards::board::board_view,
    error::{CoreError, CoreResult},
    found,
    ports::Outgoing,
    posts::interactions::set_pin,
    views::{self, AccountView},
    Core,
};
use crate::db::{
    self,
    accounts::{self, Account, Recipient},
    boards::{self as store, ModAction},
    follows::{self, Side},
    statuses::{self, Status},
    users, DbConn, Page,
};

/// What a moderator did, as the log names it.
pub const APPROVE_MEMBER: &str = "approve_member";
pub const REJECT_MEMBER: &str = "reject_member";
pub const LOCK_THREAD: &str = "lock_thread";
pub const UNLOCK_THREAD: &str = "unlock_thread";
pub const PIN_THREAD: &str = "pin_thread";
pub const UNPIN_THREAD: &str = "unpin_thread";
pub const REMOVE_POST: &str = "remove_post";
pub const ADD_MODERATOR: &str = "add_moderator";
pub const REMOVE_MODERATOR: &str = "remove_moderator";

/// The moderation actions on posts are named by the kernel's `Outgoing`.
pub use crate::core::ports::PostAction;

impl PostAction {
    /// The mod log's name for it.
    pub fn log_name(self) -> &'static str {
        match self {
            PostAction::Lock => LOCK_THREAD,
            PostAction::Unlock => UNLOCK_THREAD,
            PostAction::Pin => PIN_THREAD,
            PostAction::Unpin => UNPIN_THREAD,
            PostAction::Remove => REMOVE_POST,
        }
    }
}

/// The board named `name` on this server, if `actor` may moderate it.
pub(super) fn moderated(conn: &mut DbConn, name: &str, actor: &Account) -> CoreResult<Account> {
    let board = found(accounts::local_by_username(conn, name)?)?;
    authorize(conn, &board, actor)?;
    Ok(board)
}

/// Refuse `actor` unless they moderate `board` (a board of this server),
/// here or from another server, or are an admin of this server.
pub(super) fn authorize(conn: &mut DbConn, board: &Account, actor: &Account) -> CoreResult<()> {
    found(board_view(conn, board.clone())?)?;
    let admin =
        actor.is_local() && users::by_account(conn, actor.id)?.is_some_and(|u| u.role == "admin");
    if admin || store::is_moderator(conn, board.id, actor.id)? {
        Ok(())
    } else {
        Err(CoreError::Forbidden(
            "only this board's moderators and the server's admins may do that".into(),
        ))
    }
}

pub(super) fn log(
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
pub(super) type Target = (Option<i64>, Option<i64>);

/// A mod log entry with the accounts it names.
#[derive(Debug, Clone)]
pub struct ModLogEntry {
    pub action: ModAction,
    pub moderator: AccountView,
    pub target: Option<AccountView>,
}

/// Carry out `action` on `status`, a post of the local `board`, and tell
/// the members' servers; returns the mod log's name and target. Locks and
/// pins are for threads; a removal takes a thread or a reply out of the
/// board on every server.
pub(super) fn apply(
    conn: &mut DbConn,
    core: &Core,
    board: &Account,
    moderator: &Account,
    status: &Status,
    action: PostAction,
    reason: &str,
) -> CoreResult<(&'static str, Target)> {
    let post = store::post(conn, status.id)?
        .filter(|p| p.board_id == board.id)
        .filter(|p| action == PostAction::Remove || p.thread_id.is_none())
        .ok_or(CoreError::NotFound)?;
    let target = (Some(status.account_id), Some(status.id));
    match action {
        PostAction::Pin | PostAction::Unpin => {
            set_pin(conn, core, board, status, action == PostAction::Pin)?;
            return Ok((action.log_name(), target));
        }
        PostAction::Lock | PostAction::Unlock => {
            if post.locked == (action == PostAction::Lock) {
                return Ok((action.log_name(), target));
            }
            store::set_locked(conn, board.id, status.id, action == PostAction::Lock)?;
        }
        PostAction::Remove => {}
    }
    // Members' servers hear it from the board (and the author's server).
    let mut recipients = follows::remote_followers(conn, board.id)?;
    recipients.extend(
        accounts::by_id(conn, status.account_id)?
            .filter(|a| !a.is_local())
            .map(Recipient::from),
    );
    core.outbound().enqueue(
        conn,
        Outgoing::ModAction {
            board,
            moderator,
            action,
            status,
            reason,
            by_board: true,
        },
        &recipients,
    )?;
    if action == PostAction::Remove {
        remove_everywhere_here(conn, core, status)?;
    }
    Ok((action.log_name(), target))
}

/// A post removed by a board's moderators: gone from this server, and
/// never taken back in.
pub(super) fn remove_everywhere_here(
    conn: &mut DbConn,
    core: &Core,
    status: &Status,
) -> CoreResult<()> {
    crate::core::posts::interactions::retract_local_reblogs(conn, core, status)?;
    crate::db::tombstones::insert(conn, &status.ap_id)?;
    crate::core::posts::removal::delete_status(conn, status)
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

    /// A moderator acts on a post of board `name`: a board of this server,
    /// or `name@server`, whose server is then asked to (it decides whether
    /// `me` moderates it, and tells every member's server).
    pub async fn moderate_post(
        &self,
        me: &Account,
        name: &str,
        status_id: i64,
        action: PostAction,
        reason: &str,
    ) -> CoreResult<()> {
        if name.contains('@') {
            let board = self.resolve(name).await?;
            return self
                .request_moderation(me, board, status_id, action, reason)
                .await;
        }
        let moderator = me.clone();
        let why = reason.to_string();
        self.moderate(me, name, reason, move |conn, core, board| {
            let status = found(statuses::by_id(conn, status_id)?)?;
            apply(conn, core, board, &moderator, &status, action, &why)
        })
        .await
    }

    /// Appoint `account` (`user` here or `user@server`, a teacher on
    /// another server) a moderator of board `name`, or (`on` false) relieve
    /// them; `me` must moderate the board or be an admin (`None`: the
    /// server's own command line). A board keeps at least one moderator.
    pub async fn set_moderator(
        &self,
        me: Option<&Account>,
        name: &str,
        account: &str,
        on: bool,
    ) -> CoreResult<AccountView> {
        // Authorized before anyone is looked up on another server.
        let (checker, board_name) = (me.cloned(), name.to_string());
        self.read(move |conn, _| match &checker {
            Some(me) => moderated(conn, &board_name, me).map(drop),
            None => found(accounts::local_by_username(conn, &board_name)?).map(drop),
        })
        .await?;
        let who = self.resolve(account.trim_start_matches('@')).await?;
        if who.actor_type == "Group" {
            return Err(CoreError::Invalid(format!(
                "`{account}` is a board, not a teacher"
            )));
        }
        let (me, name) = (me.cloned(), name.to_string());
        self.write(move |conn, core| {
            let board = found(accounts::local_by_username(conn, &name)?)?;
            if let Some(me) = &me {
                authorize(conn, &board, me)?;
            }
            let action = if on {
                store::add_moderator(conn, board.id, who.id)?;
                ADD_MODERATOR
            } else {
                if store::moderators(conn, board.id)?.len() <= 1
                    && store::is_moderator(conn, board.id, who.id)?
                {
                    return Err(CoreError::Invalid(
                        "a board keeps at least one moderator".into(),
                    ));
                }
                if !store::remove_moderator(conn, board.id, who.id)? {
                    return Err(CoreError::NotFound);
                }
                REMOVE_MODERATOR
            };
            // The mod log names who did it (the command line is no one's).
            if let Some(by) = &me {
                log(conn, core, &board, by, action, (Some(who.id), None), "")?;
            }
            views::account_view(conn, who)
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
