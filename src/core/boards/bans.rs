//! Banning a teacher from a board: they may no longer post in it (here or,
//! once the board has told them, on any server), and their membership
//! ends. A board's moderators (on any server) and this server's admins ban
//! and lift bans; every ban is written to the mod log and announced by the
//! board to its members' servers and the banned teacher's.

use crate::core::{
    boards::moderation::{authorize, log, moderated},
    error::{CoreError, CoreResult},
    found,
    ports::Outgoing,
    views::{self, AccountView},
    Core,
};
use crate::db::{
    accounts::{self, Account, Recipient},
    board_bans, follows, DbConn,
};

pub const BAN_MEMBER: &str = "ban_member";
pub const UNBAN_MEMBER: &str = "unban_member";

/// The moderation actions on members are named by the kernel's `Outgoing`.
pub use crate::core::ports::MemberAction;

/// Refuse a post by `author` in `board` if they are banned from it.
pub(crate) fn refuse_if_banned(
    conn: &mut DbConn,
    board: &Account,
    author: &Account,
) -> CoreResult<()> {
    if board_bans::is_banned(conn, board.id, author.id)? {
        return Err(CoreError::Forbidden("banned from this board".into()));
    }
    Ok(())
}

/// Ban or lift the ban of `target` from the local `board`, and tell the
/// members' servers and the target's.
fn apply(
    conn: &mut DbConn,
    core: &Core,
    board: &Account,
    moderator: &Account,
    target: &Account,
    action: MemberAction,
    reason: &str,
) -> CoreResult<&'static str> {
    if target.id == board.id || target.actor_type == "Group" {
        return Err(CoreError::Invalid("only teachers can be banned".into()));
    }
    let changed = match action {
        MemberAction::Ban => {
            let new = board_bans::ban(conn, board.id, target.id, reason)?;
            if let Some(follow) = follows::get(conn, target.id, board.id)? {
                follows::delete(conn, follow.id)?;
            }
            new
        }
        MemberAction::Unban => board_bans::unban(conn, board.id, target.id)?,
    };
    if changed {
        let mut recipients = follows::remote_followers(conn, board.id)?;
        if !target.is_local() {
            recipients.push(Recipient::from(target));
        }
        core.outbound().enqueue(
            conn,
            Outgoing::ModMember {
                board,
                moderator,
                target,
                action,
                reason,
                by_board: true,
            },
            &recipients,
        )?;
    }
    Ok(match action {
        MemberAction::Ban => BAN_MEMBER,
        MemberAction::Unban => UNBAN_MEMBER,
    })
}

/// A ban as moderators see it.
#[derive(Debug, Clone)]
pub struct BanView {
    pub account: AccountView,
    pub reason: String,
    pub created_at: chrono::NaiveDateTime,
}

impl Core {
    /// The teachers banned from board `name`, newest first (for its
    /// moderators and the admins).
    pub async fn board_bans(&self, me: &Account, name: &str) -> CoreResult<Vec<BanView>> {
        let (me, name) = (me.clone(), name.to_string());
        self.read(move |conn, _| {
            let board = moderated(conn, &name, &me)?;
            let bans = board_bans::list(conn, board.id)?;
            let ids: Vec<i64> = bans.iter().map(|(id, ..)| *id).collect();
            let found = accounts::by_ids(conn, &ids)?;
            let people = views::account_views(conn, found)?;
            Ok(bans
                .into_iter()
                .filter_map(|(id, reason, created_at)| {
                    Some(BanView {
                        account: people.iter().find(|v| v.account.id == id)?.clone(),
                        reason,
                        created_at,
                    })
                })
                .collect())
        })
        .await
    }

    /// A moderator bans `account` (`user` or `user@server`) from board
    /// `name`, or lifts the ban; for `name@server`, a board elsewhere, its
    /// server is asked.
    pub async fn moderate_member(
        &self,
        me: &Account,
        name: &str,
        account: &str,
        action: MemberAction,
        reason: &str,
    ) -> CoreResult<AccountView> {
        if !name.contains('@') {
            let (checker, board_name) = (me.clone(), name.to_string());
            self.read(move |conn, _| moderated(conn, &board_name, &checker).map(drop))
                .await?;
        }
        let target = self.resolve(account.trim_start_matches('@')).await?;
        let (me, reason) = (me.clone(), reason.to_string());
        if name.contains('@') {
            let board = self.resolve(name).await?;
            if board.actor_type != "Group" || board.is_local() {
                return Err(CoreError::NotFound);
            }
            return self
                .write(move |conn, core| {
                    core.outbound().enqueue(
                        conn,
                        Outgoing::ModMember {
                            board: &board,
                            moderator: &me,
                            target: &target,
                            action,
                            reason: &reason,
                            by_board: false,
                        },
                        &[Recipient::from(&board)],
                    )?;
                    views::account_view(conn, target)
                })
                .await;
        }
        let name = name.to_string();
        self.write(move |conn, core| {
            let board = moderated(conn, &name, &me)?;
            let logged = apply(conn, core, &board, &me, &target, action, &reason)?;
            log(
                conn,
                core,
                &board,
                &me,
                logged,
                (Some(target.id), None),
                &reason,
            )?;
            views::account_view(conn, target)
        })
        .await
    }

    /// A moderator on another server asks a board here to ban (or let back)
    /// the account `target`: refused unless they moderate the board.
    pub async fn receive_member_request(
        &self,
        moderator: &Account,
        board_id: &str,
        target: &Account,
        action: MemberAction,
        reason: &str,
    ) -> CoreResult<()> {
        let (moderator, board_id, target, reason) = (
            moderator.clone(),
            board_id.to_string(),
            target.clone(),
            reason.to_string(),
        );
        self.write(move |conn, core| {
            let board = found(accounts::by_ap_id(conn, &board_id)?.filter(Account::is_local))?;
            authorize(conn, &board, &moderator)?;
            let logged = apply(conn, core, &board, &moderator, &target, action, &reason)?;
            log(
                conn,
                core,
                &board,
                &moderator,
                logged,
                (Some(target.id), None),
                &reason,
            )
        })
        .await
    }

    /// A board on another server says it banned `target` (or lifted the
    /// ban): kept here, so this server refuses their posts to it too.
    pub async fn receive_board_ban(
        &self,
        board: &Account,
        target: &Account,
        action: MemberAction,
        reason: &str,
    ) -> CoreResult<()> {
        if board.is_local() || board.actor_type != "Group" {
            return Err(CoreError::Forbidden("not a board elsewhere".into()));
        }
        let (board, target, reason) = (board.clone(), target.clone(), reason.to_string());
        self.write(move |conn, _| {
            match action {
                MemberAction::Ban => {
                    board_bans::ban(conn, board.id, target.id, &reason)?;
                    // The board ended their membership too.
                    if let Some(follow) = follows::get(conn, target.id, board.id)? {
                        follows::delete(conn, follow.id)?;
                    }
                }
                MemberAction::Unban => {
                    board_bans::unban(conn, board.id, target.id)?;
                }
            }
            Ok(())
        })
        .await
    }
}
