//! Timelines: home, public, and one account's statuses.

use crate::core::{
    error::CoreResult,
    hidden,
    views::{self, StatusView},
    Core,
};
use crate::db::{self, follows, Page};

/// Which part of the public timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicScope {
    All,
    Local,
    Remote,
}

/// Which of an account's statuses to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct AccountStatusFilter {
    pub exclude_replies: bool,
    pub exclude_reblogs: bool,
}

impl Core {
    /// Build the home feed of `me` if it has none (a new reader, or one
    /// whose feed was never read): from then on, statuses are added to it as
    /// they arrive (see `db::home_feeds`).
    pub(super) async fn ensure_home_feed(&self, me: i64) -> CoreResult<()> {
        let built = self
            .read(move |conn, _| Ok(db::home_feeds::floor(conn, me)?.is_some()))
            .await?;
        if built {
            return Ok(());
        }
        self.write(move |conn, _| {
            db::home_feeds::lock(conn, me)?;
            if db::home_feeds::floor(conn, me)?.is_none() {
                let newest =
                    db::timelines::home_candidates(conn, me, db::home_feeds::FEED_SIZE + 1)?;
                db::home_feeds::build(conn, me, newest)?;
            }
            Ok(())
        })
        .await
    }

    /// Cut the home feeds that grew long back to their newest entries
    /// (each in its own short transaction). Returns how many it cut.
    pub async fn trim_home_feeds(&self) -> CoreResult<usize> {
        let overgrown = self
            .read(|conn, _| Ok(db::home_feeds::overgrown(conn)?))
            .await?;
        for reader in &overgrown {
            let reader = *reader;
            self.write(move |conn, _| Ok(db::home_feeds::trim(conn, reader)?))
                .await?;
        }
        Ok(overgrown.len())
    }

    pub async fn home_timeline(&self, me: i64, page: Page) -> CoreResult<Vec<StatusView>> {
        self.ensure_home_feed(me).await?;
        self.read(move |conn, _| {
            let hidden = hidden::hidden_for(conn, me)?;
            let exclusive = db::lists::exclusive_member_ids(conn, me)?;
            let list = db::timelines::home(conn, me, &hidden, &exclusive, &page)?;
            let mut views = views::status_views(conn, list, Some(me))?;
            hidden::drop_hidden_reblogs(&mut views, &hidden);
            hidden::apply_for(conn, Some(me), "home", views)
        })
        .await
    }

    pub async fn public_timeline(
        &self,
        viewer: Option<i64>,
        scope: PublicScope,
        page: Page,
    ) -> CoreResult<Vec<StatusView>> {
        let local = match scope {
            PublicScope::All => None,
            PublicScope::Local => Some(true),
            PublicScope::Remote => Some(false),
        };
        self.read(move |conn, _| {
            let hidden = hidden::hidden_for_viewer(conn, viewer)?;
            let list = db::timelines::public(conn, local, &hidden, &page)?;
            let views = views::status_views(conn, list, viewer)?;
            hidden::apply_for(conn, viewer, "public", views)
        })
        .await
    }

    pub async fn account_statuses(
        &self,
        viewer: Option<i64>,
        account_id: i64,
        filter: AccountStatusFilter,
        page: Page,
    ) -> CoreResult<Vec<StatusView>> {
        self.read(move |conn, _| {
            if let Some(me) = viewer {
                if db::blocks::between(conn, me, account_id)? {
                    return Ok(vec![]);
                }
            }
            let list = db::timelines::by_account(
                conn,
                account_id,
                viewer,
                filter.exclude_replies,
                filter.exclude_reblogs,
                &page,
            )?;
            let views = views::status_views(conn, list, viewer)?;
            hidden::apply_for(conn, viewer, "account", views)
        })
        .await
    }

    /// Public posts of a local account, newest first, with their total
    /// (its ActivityPub outbox).
    pub async fn public_posts(
        &self,
        account_id: i64,
        offset: i64,
        limit: i64,
    ) -> CoreResult<(i64, Vec<StatusView>)> {
        self.read(move |conn, _| {
            let total = db::timelines::count_public_of(conn, account_id)?;
            let list = db::timelines::public_of(conn, account_id, offset, limit)?;
            Ok((total, views::status_views(conn, list, None)?))
        })
        .await
    }

    /// ActivityPub ids of an account's followers or followees, with their total.
    pub async fn follow_ap_ids(
        &self,
        account_id: i64,
        side: follows::Side,
        offset: i64,
        limit: i64,
    ) -> CoreResult<(i64, Vec<String>)> {
        self.read(move |conn, _| {
            let (_, followers, following) = follows::counts(conn, &[account_id])?.remove(0);
            let total = match side {
                follows::Side::Followers => followers,
                follows::Side::Following => following,
            };
            Ok((
                total,
                follows::ap_ids(conn, side, account_id, offset, limit)?,
            ))
        })
        .await
    }
}
