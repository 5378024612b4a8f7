//! Whom to follow: colleagues one's colleagues follow, then the most
//! followed teachers of this server; and the followers of an account that
//! one follows too ("familiar followers").

use crate::core::{
    error::CoreResult,
    views::{self, AccountView},
    Core,
};
use crate::db::{accounts, blocks, follows};

/// Why an account is suggested.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SuggestionSource {
    /// Followed by accounts the viewer follows.
    FriendsOfFriends,
    /// Much followed on this server.
    Popular,
}

impl Core {
    pub async fn follow_suggestions(
        &self,
        me: i64,
        limit: i64,
    ) -> CoreResult<Vec<(SuggestionSource, AccountView)>> {
        self.read(move |conn, _| {
            let mut excluded = follows::followed_ids(conn, me)?;
            excluded.push(me);
            excluded.extend(blocks::blocked_by(conn, me)?);
            excluded.extend(blocks::blocking(conn, me)?);
            excluded.extend(crate::db::mutes::muted(conn, me, false)?);
            excluded.extend(crate::db::suggestions::dismissed(conn, me)?);
            let mut picked: Vec<(SuggestionSource, i64)> = vec![];
            for id in follows::followed_by_followed(conn, me, &excluded, limit)? {
                picked.push((SuggestionSource::FriendsOfFriends, id));
            }
            excluded.extend(picked.iter().map(|(_, id)| *id));
            let room = limit - picked.len() as i64;
            if room > 0 {
                for id in follows::most_followed_local(conn, &excluded, room)? {
                    picked.push((SuggestionSource::Popular, id));
                }
            }
            let ids: Vec<i64> = picked.iter().map(|(_, id)| *id).collect();
            let found = accounts::by_ids(conn, &ids)?
                .into_iter()
                .filter(|a| a.discoverable && a.deleted_at.is_none() && a.suspended_at.is_none())
                .collect();
            let list = views::account_views(conn, found)?;
            Ok(picked
                .into_iter()
                .filter_map(|(source, id)| {
                    Some((source, list.iter().find(|v| v.account.id == id)?.clone()))
                })
                .collect())
        })
        .await
    }

    /// Never suggest `account_id` to `me` again.
    pub async fn dismiss_suggestion(&self, me: i64, account_id: i64) -> CoreResult<()> {
        self.write(move |conn, _| {
            crate::core::found(accounts::by_id(conn, account_id)?)?;
            Ok(crate::db::suggestions::dismiss(conn, me, account_id)?)
        })
        .await
    }

    /// Followers of `account_id` whom `me` follows too.
    pub async fn familiar_followers(
        &self,
        me: i64,
        account_id: i64,
    ) -> CoreResult<Vec<AccountView>> {
        self.read(move |conn, _| {
            let ids = follows::followers_among_followed(conn, me, account_id, 40)?;
            let list = accounts::by_ids(conn, &ids)?;
            views::account_views(conn, list)
        })
        .await
    }
}
