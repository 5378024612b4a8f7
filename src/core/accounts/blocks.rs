//! Blocks, mutes and hidden servers: what a teacher does not want to see,
//! and who may not reach them. A block ends follows both ways and is sent
//! to the blocked account's server; mutes and hidden servers stay here.

use crate::core::{
    error::{CoreError, CoreResult},
    found,
    ports::Outgoing,
    views::{self, AccountView, Relationship},
    Core,
};
use crate::db::{
    self, account_domain_blocks, accounts,
    accounts::{Account, Recipient},
    blocks::{self, Block},
    follows,
    mutes::{self, Mute},
    notifications, DbConn, Page,
};

/// End the follows between `a` and `b` (both ways), telling remote sides.
fn end_follows(conn: &mut DbConn, core: &Core, a: &Account, b: &Account) -> CoreResult<()> {
    for (follower, target) in [(a, b), (b, a)] {
        let Some(follow) = follows::get(conn, follower.id, target.id)? else {
            continue;
        };
        follows::delete(conn, follow.id)?;
        notifications::delete_between(conn, target.id, follower.id, "follow_request")?;
        // A local account's side is told (the other side's server learns of
        // the block itself, from the Block).
        if follower.is_local() && !target.is_local() {
            core.outbound().enqueue(
                conn,
                Outgoing::UndoFollow {
                    follow: &follow,
                    follower,
                    target,
                },
                &[Recipient::from(target)],
            )?;
        } else if target.is_local() && !follower.is_local() {
            core.outbound().enqueue(
                conn,
                Outgoing::RejectFollow {
                    follow: &follow,
                    follower,
                    target,
                },
                &[Recipient::from(follower)],
            )?;
        }
    }
    Ok(())
}

fn domain_of(input: &str) -> CoreResult<String> {
    let d = input
        .trim()
        .trim_start_matches("https://")
        .trim_end_matches('/');
    let ok = !d.is_empty()
        && d.len() <= 253
        && d.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'));
    if ok {
        Ok(d.to_ascii_lowercase())
    } else {
        Err(CoreError::Invalid(format!("`{input}` is not a domain")))
    }
}

impl Core {
    /// `me` blocks `target_id`: follows end both ways and the target's
    /// server is told.
    pub async fn block(&self, me: &Account, target_id: i64) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, core| {
            let target = found(accounts::by_id(conn, target_id)?)?;
            if target.id == me.id {
                return Err(CoreError::Invalid("You cannot block yourself".into()));
            }
            if blocks::get(conn, me.id, target.id)?.is_none() {
                end_follows(conn, core, &me, &target)?;
                let id = core.next_id();
                let block = Block {
                    id,
                    account_id: me.id,
                    target_account_id: target.id,
                    ap_id: Some(core.uris().activity(id)),
                    created_at: db::now(),
                };
                blocks::insert(conn, &block)?;
                core.outbound().enqueue(
                    conn,
                    Outgoing::Block {
                        block: &block,
                        account: &me,
                        target: &target,
                    },
                    &[Recipient::from(&target)],
                )?;
            }
            views::relationship(conn, me.id, target_id)
        })
        .await
    }

    pub async fn unblock(&self, me: &Account, target_id: i64) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, core| {
            let target = found(accounts::by_id(conn, target_id)?)?;
            if let Some(block) = blocks::get(conn, me.id, target.id)? {
                blocks::delete(conn, block.id)?;
                core.outbound().enqueue(
                    conn,
                    Outgoing::UndoBlock {
                        block: &block,
                        account: &me,
                        target: &target,
                    },
                    &[Recipient::from(&target)],
                )?;
            }
            views::relationship(conn, me.id, target_id)
        })
        .await
    }

    /// `me` mutes `target_id` (also its notifications, if asked) for
    /// `duration_secs` (or until unmuted).
    pub async fn mute(
        &self,
        me: &Account,
        target_id: i64,
        notifications: bool,
        duration_secs: Option<i64>,
    ) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, core| {
            let target = found(accounts::by_id(conn, target_id)?)?;
            if target.id == me.id {
                return Err(CoreError::Invalid("You cannot mute yourself".into()));
            }
            let now = db::now();
            mutes::save(
                conn,
                &Mute {
                    id: core.next_id(),
                    account_id: me.id,
                    target_account_id: target.id,
                    hide_notifications: notifications,
                    expires_at: duration_secs
                        .filter(|s| *s > 0)
                        .map(|s| now + chrono::Duration::seconds(s.min(10 * 365 * 86_400))),
                    created_at: now,
                },
            )?;
            views::relationship(conn, me.id, target_id)
        })
        .await
    }

    pub async fn unmute(&self, me: &Account, target_id: i64) -> CoreResult<Relationship> {
        let me = me.clone();
        self.write(move |conn, _| {
            found(accounts::by_id(conn, target_id)?)?;
            mutes::delete(conn, me.id, target_id)?;
            views::relationship(conn, me.id, target_id)
        })
        .await
    }

    /// The accounts `me` blocks or mutes: (cursor, account), newest first.
    pub async fn blocked_accounts(
        &self,
        me: i64,
        muted: bool,
        page: Page,
    ) -> CoreResult<Vec<(i64, AccountView)>> {
        self.read(move |conn, _| {
            let rows = if muted {
                mutes::list(conn, me, &page)?
            } else {
                blocks::list(conn, me, &page)?
            };
            let (cursors, list): (Vec<i64>, Vec<Account>) = rows.into_iter().unzip();
            Ok(cursors
                .into_iter()
                .zip(views::account_views(conn, list)?)
                .collect())
        })
        .await
    }

    /// Hide a whole server from `me`; its accounts stop following `me`.
    pub async fn block_domain(&self, me: &Account, domain: &str) -> CoreResult<()> {
        let domain = domain_of(domain)?;
        if domain == self.settings().domain {
            return Err(CoreError::Invalid("You cannot hide your own server".into()));
        }
        let me = me.clone();
        self.write(move |conn, core| {
            if account_domain_blocks::insert(conn, core.next_id(), me.id, &domain)? {
                for follower in follows::followers_on_domain(conn, me.id, &domain)? {
                    end_follows(conn, core, &follower, &me)?;
                }
            }
            Ok(())
        })
        .await
    }

    pub async fn unblock_domain(&self, me: i64, domain: &str) -> CoreResult<()> {
        let domain = domain_of(domain)?;
        self.write(move |conn, _| Ok(account_domain_blocks::delete(conn, me, &domain)?))
            .await
    }

    /// The servers `me` hides: (cursor, domain), newest first.
    pub async fn blocked_domains(&self, me: i64, page: Page) -> CoreResult<Vec<(i64, String)>> {
        self.read(move |conn, _| Ok(account_domain_blocks::list(conn, me, &page)?))
            .await
    }

    /// A remote account blocked a local one: follows end both ways.
    pub async fn receive_block(
        &self,
        actor: &Account,
        target: &Account,
        block_id: &str,
    ) -> CoreResult<()> {
        let (actor, target, block_id) = (actor.clone(), target.clone(), block_id.to_string());
        self.write(move |conn, core| {
            if blocks::get(conn, actor.id, target.id)?.is_some() {
                return Ok(());
            }
            for (follower, followed) in [(&actor, &target), (&target, &actor)] {
                if let Some(f) = follows::get(conn, follower.id, followed.id)? {
                    follows::delete(conn, f.id)?;
                }
            }
            blocks::insert(
                conn,
                &Block {
                    id: core.next_id(),
                    account_id: actor.id,
                    target_account_id: target.id,
                    ap_id: Some(block_id),
                    created_at: db::now(),
                },
            )?;
            Ok(())
        })
        .await
    }

    /// A remote account lifted its block, named by the `Block` id or its target.
    pub async fn receive_unblock(
        &self,
        actor: &Account,
        block_id: Option<String>,
        target: Option<i64>,
    ) -> CoreResult<()> {
        let actor = actor.clone();
        self.write(move |conn, _| {
            let by_id = match &block_id {
                Some(id) => blocks::by_ap_id(conn, id)?,
                None => None,
            };
            let block = match (by_id, target) {
                (Some(b), _) => Some(b),
                (None, Some(t)) => blocks::get(conn, actor.id, t)?,
                (None, None) => None,
            };
            match block {
                Some(b) if b.account_id != actor.id => Err(CoreError::Forbidden(
                    "cannot undo another account's block".into(),
                )),
                Some(b) => Ok(blocks::delete(conn, b.id)?),
                None => Ok(()),
            }
        })
        .await
    }
}
