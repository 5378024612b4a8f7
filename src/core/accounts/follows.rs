//! Following: asking, answering, withdrawing, locally and across servers.

use crate::core::{
    error::{CoreError, CoreResult},
    found, notifications,
    ports::Outgoing,
    views::{self, AccountView, Relationship},
    Core,
};
use crate::db::{
    self, accounts,
    accounts::{Account, Recipient},
    follows::{self, Follow, Side},
    DbConn, Page,
};

/// What a follower chooses when following; `None` keeps the current choice.
#[derive(Debug, Clone, Copy, Default)]
pub struct FollowOptions {
    /// Be notified of each new post.
    pub notify: Option<bool>,
    /// See the account's reblogs in the home timeline.
    pub reblogs: Option<bool>,
}

impl Core {
    /// `me` follows `target_id`: at once for an open local account, as a
    /// request for a locked one, and by a `Follow` activity for a remote one.
    pub async fn follow(
        &self,
        me: &Account,
        target_id: i64,
        options: FollowOptions,
    ) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, core| {
            let target = found(accounts::by_id(conn, target_id)?)?;
            if target.deleted_at.is_some() || target.suspended_at.is_some() {
                return Err(CoreError::NotFound);
            }
            if target.id == me.id {
                return Err(CoreError::Forbidden("You cannot follow yourself".into()));
            }
            if db::blocks::between(conn, me.id, target.id)? {
                return Err(CoreError::Forbidden(
                    "You cannot follow an account you block or that blocks you".into(),
                ));
            }
            if db::board_bans::is_banned(conn, target.id, me.id)? {
                return Err(CoreError::Forbidden(
                    "You are banned from this board".into(),
                ));
            }
            if let Some(existing) = follows::get(conn, me.id, target.id)? {
                follows::set_options(
                    conn,
                    existing.id,
                    options.notify.unwrap_or(existing.notify),
                    options.reblogs.unwrap_or(existing.show_reblogs),
                )?;
            } else {
                let id = core.next_id();
                let follow = Follow {
                    id,
                    account_id: me.id,
                    target_account_id: target.id,
                    ap_id: (!target.is_local()).then(|| core.uris().activity(id)),
                    accepted: target.is_local() && !target.locked,
                    created_at: db::now(),
                    notify: options.notify.unwrap_or(false),
                    show_reblogs: options.reblogs.unwrap_or(true),
                };
                follows::insert(conn, &follow)?;
                if target.is_local() {
                    let kind = if follow.accepted {
                        "follow"
                    } else {
                        "follow_request"
                    };
                    notifications::notify(conn, core, &target, &me, kind, None)?;
                } else {
                    core.outbound().enqueue(
                        conn,
                        Outgoing::Follow {
                            follow: &follow,
                            follower: &me,
                            target: &target,
                        },
                        &[Recipient::from(&target)],
                    )?;
                }
            }
            views::relationship(conn, me.id, target_id)
        })
        .await
    }

    /// `me` stops following (or withdraws the request to follow) `target_id`.
    pub async fn unfollow(&self, me: &Account, target_id: i64) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, core| {
            let target = found(accounts::by_id(conn, target_id)?)?;
            if let Some(follow) = follows::get(conn, me.id, target.id)? {
                follows::delete(conn, follow.id)?;
                db::lists::remove_everywhere(conn, me.id, target.id)?;
                db::notifications::delete_between(conn, target.id, me.id, "follow_request")?;
                if !target.is_local() {
                    core.outbound().enqueue(
                        conn,
                        Outgoing::UndoFollow {
                            follow: &follow,
                            follower: &me,
                            target: &target,
                        },
                        &[Recipient::from(&target)],
                    )?;
                }
            }
            views::relationship(conn, me.id, target_id)
        })
        .await
    }

    /// Accounts waiting for `me` to answer their follow request.
    pub async fn follow_requests(
        &self,
        me: i64,
        page: Page,
    ) -> CoreResult<Vec<(i64, AccountView)>> {
        self.read(move |conn, _| paged_accounts(conn, Side::Followers, me, false, &page))
            .await
    }

    /// `me` accepts or rejects the follow request of `from_id`.
    pub async fn answer_follow_request(
        &self,
        me: &Account,
        from_id: i64,
        accept: bool,
    ) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, core| answer_request(conn, core, &me, from_id, accept))
            .await
    }

    pub async fn relationships(&self, me: i64, ids: Vec<i64>) -> CoreResult<Vec<Relationship>> {
        self.read(move |conn, _| views::relationships(conn, me, &ids))
            .await
    }

    /// Followers or followees of an account, paged by follow id.
    pub async fn follow_list(
        &self,
        account_id: i64,
        side: Side,
        page: Page,
    ) -> CoreResult<Vec<(i64, AccountView)>> {
        self.read(move |conn, _| paged_accounts(conn, side, account_id, true, &page))
            .await
    }

    /// A remote account asks to follow a local one.
    pub async fn receive_follow(
        &self,
        follower: Account,
        target: Account,
        follow_ap_id: String,
    ) -> CoreResult<()> {
        self.write(move |conn, core| {
            if !target.is_local() || target.deleted_at.is_some() || target.suspended_at.is_some() {
                return Err(CoreError::NotFound);
            }
            // A district-only board does not exist for other servers.
            if core
                .board_hooks()
                .hidden_from_other_servers(conn, &target)?
            {
                return Err(CoreError::NotFound);
            }
            if db::blocks::between(conn, follower.id, target.id)?
                || db::board_bans::is_banned(conn, target.id, follower.id)?
            {
                // Refused (blocked, or banned from the board), and the
                // follower's server is told so.
                let refused = Follow {
                    id: core.next_id(),
                    account_id: follower.id,
                    target_account_id: target.id,
                    ap_id: Some(follow_ap_id),
                    accepted: false,
                    created_at: db::now(),
                    notify: false,
                    show_reblogs: true,
                };
                core.outbound().enqueue(
                    conn,
                    Outgoing::RejectFollow {
                        follow: &refused,
                        follower: &follower,
                        target: &target,
                    },
                    &[Recipient::from(&follower)],
                )?;
                return Ok(());
            }
            let follow = match follows::get(conn, follower.id, target.id)? {
                Some(existing) => {
                    // A repeated Follow (the other side lost its state): answer again.
                    follows::set_ap_id(conn, existing.id, &follow_ap_id)?;
                    Follow {
                        ap_id: Some(follow_ap_id),
                        ..existing
                    }
                }
                None => {
                    let follow = Follow {
                        id: core.next_id(),
                        account_id: follower.id,
                        target_account_id: target.id,
                        ap_id: Some(follow_ap_id),
                        accepted: !target.locked,
                        created_at: db::now(),
                        notify: false,
                        show_reblogs: true,
                    };
                    follows::insert(conn, &follow)?;
                    let kind = if follow.accepted {
                        "follow"
                    } else {
                        "follow_request"
                    };
                    notifications::notify(conn, core, &target, &follower, kind, None)?;
                    follow
                }
            };
            if follow.accepted {
                core.outbound().enqueue(
                    conn,
                    Outgoing::AcceptFollow {
                        follow: &follow,
                        follower: &follower,
                        target: &target,
                    },
                    &[Recipient::from(&follower)],
                )?;
            }
            Ok(())
        })
        .await
    }

    /// A remote account answered a local account's follow request.
    pub async fn receive_follow_answer(
        &self,
        target: Account,
        follower_id: i64,
        accepted: bool,
    ) -> CoreResult<()> {
        self.write(move |conn, _| {
            let Some(follow) = follows::get(conn, follower_id, target.id)? else {
                return Ok(());
            };
            if accepted {
                follows::set_accepted(conn, follow.id)?;
            } else {
                follows::delete(conn, follow.id)?;
            }
            Ok(())
        })
        .await
    }

    /// A remote follower stops following (or withdraws its request).
    pub async fn receive_unfollow(&self, follower: Account, target_id: i64) -> CoreResult<()> {
        self.write(move |conn, _| {
            if let Some(follow) = follows::get(conn, follower.id, target_id)? {
                follows::delete(conn, follow.id)?;
                db::notifications::delete_between(conn, target_id, follower.id, "follow_request")?;
            }
            Ok(())
        })
        .await
    }

    /// The follow relation recorded under a `Follow` activity id.
    pub async fn follow_by_ap_id(&self, ap_id: &str) -> CoreResult<Option<Follow>> {
        let ap_id = ap_id.to_string();
        self.read(move |conn, _| Ok(follows::by_ap_id(conn, &ap_id)?))
            .await
    }
}

fn paged_accounts(
    conn: &mut DbConn,
    side: Side,
    account_id: i64,
    accepted: bool,
    page: &Page,
) -> CoreResult<Vec<(i64, AccountView)>> {
    let rows = follows::list(conn, side, account_id, accepted, page)?;
    let (ids, accounts): (Vec<i64>, Vec<Account>) = rows.into_iter().unzip();
    let views = views::account_views(conn, accounts)?;
    Ok(ids.into_iter().zip(views).collect())
}

/// `target` (a teacher, or a board through its moderators) accepts or
/// rejects the pending follow request of `from_id`.
pub(crate) fn answer_request(
    conn: &mut DbConn,
    core: &Core,
    target: &Account,
    from_id: i64,
    accept: bool,
) -> CoreResult<Relationship> {
    let follow = found(follows::get(conn, from_id, target.id)?.filter(|f| !f.accepted))?;
    let follower = found(accounts::by_id(conn, from_id)?)?;
    db::notifications::delete_between(conn, target.id, from_id, "follow_request")?;
    if accept {
        follows::set_accepted(conn, follow.id)?;
    } else {
        follows::delete(conn, follow.id)?;
    }
    if !follower.is_local() {
        let event = if accept {
            Outgoing::AcceptFollow {
                follow: &follow,
                follower: &follower,
                target,
            }
        } else {
            Outgoing::RejectFollow {
                follow: &follow,
                follower: &follower,
                target,
            }
        };
        core.outbound()
            .enqueue(conn, event, &[Recipient::from(&follower)])?;
    }
    views::relationship(conn, target.id, from_id)
}
