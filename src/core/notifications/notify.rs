//! Notifications: telling local people that someone mentioned or followed them.

use crate::core::{
    error::{CoreError, CoreResult},
    events::{self, Event},
    found,
    views::{self, NotificationView},
    Core,
};
use crate::db::{
    self, accounts,
    accounts::Account,
    notifications::{self as store, Notification},
    statuses, DbConn, Page,
};

/// Notify `to` (if local, and not the actor itself) of `kind` caused by `from`.
pub fn notify(
    conn: &mut DbConn,
    core: &Core,
    to: &Account,
    from: &Account,
    kind: &str,
    status_id: Option<i64>,
) -> CoreResult<()> {
    if to.id == from.id {
        return Ok(());
    }
    insert(conn, core, to, from, kind, status_id)
}

/// Notify a local account of something of its own (its poll ended).
pub fn notify_own(
    conn: &mut DbConn,
    core: &Core,
    to: &Account,
    kind: &str,
    status_id: Option<i64>,
) -> CoreResult<()> {
    insert(conn, core, to, to, kind, status_id)
}

fn insert(
    conn: &mut DbConn,
    core: &Core,
    to: &Account,
    from: &Account,
    kind: &str,
    status_id: Option<i64>,
) -> CoreResult<()> {
    if !to.is_local() || store::exists(conn, to.id, from.id, kind, status_id)? {
        return Ok(());
    }
    if crate::core::hidden::silenced_for(conn, to.id)?.hides(from) {
        return Ok(());
    }
    let id = core.next_id();
    store::insert(
        conn,
        &Notification {
            id,
            account_id: to.id,
            from_account_id: from.id,
            kind: kind.to_string(),
            status_id,
            created_at: db::now(),
        },
    )?;
    events::emit(Event::Notified {
        account_id: to.id,
        notification_id: id,
    });
    Ok(())
}

/// Tell the local followers who asked for it that `author` posted `status`
/// (not for replies to others, reblogs or direct messages).
pub fn notify_subscribers(
    conn: &mut DbConn,
    core: &Core,
    status: &statuses::Status,
    author: &Account,
) -> CoreResult<()> {
    let reply_to_other = status
        .in_reply_to_account_id
        .is_some_and(|id| id != author.id);
    if status.is_reblog() || reply_to_other || status.visibility == "direct" {
        return Ok(());
    }
    for subscriber in db::follows::subscribers(conn, author.id)? {
        if statuses::visible(conn, status.id, Some(subscriber.id))?.is_some() {
            notify(conn, core, &subscriber, author, "status", Some(status.id))?;
        }
    }
    Ok(())
}

pub(crate) fn hydrate(
    conn: &mut DbConn,
    me: i64,
    list: Vec<Notification>,
) -> CoreResult<Vec<NotificationView>> {
    let mut from_ids: Vec<i64> = list.iter().map(|n| n.from_account_id).collect();
    from_ids.sort_unstable();
    from_ids.dedup();
    let senders = accounts::by_ids(conn, &from_ids)?;
    let senders = views::account_views(conn, senders)?;
    let status_ids: Vec<i64> = list.iter().filter_map(|n| n.status_id).collect();
    let visible = statuses::visible_many(conn, &status_ids, Some(me))?;
    let status_views = views::status_views(conn, visible, Some(me))?;
    let status_views =
        crate::core::hidden::apply_for(conn, Some(me), "notifications", status_views)?;
    Ok(list
        .into_iter()
        .filter_map(|n| {
            let from = senders
                .iter()
                .find(|a| a.account.id == n.from_account_id)?
                .clone();
            let status = match n.status_id {
                Some(id) => Some(status_views.iter().find(|s| s.status.id == id)?.clone()),
                None => None,
            };
            Some(NotificationView {
                notification: n,
                from,
                status,
            })
        })
        .collect())
}

impl Core {
    pub async fn notifications(
        &self,
        me: i64,
        types: Vec<String>,
        exclude: Vec<String>,
        page: Page,
    ) -> CoreResult<Vec<NotificationView>> {
        self.read(move |conn, _| {
            let list = store::list(conn, me, &types, &exclude, &page)?;
            let silenced = crate::core::hidden::silenced_for(conn, me)?;
            let mut views = hydrate(conn, me, list)?;
            views.retain(|n| !silenced.hides(&n.from.account));
            Ok(views)
        })
        .await
    }

    pub async fn notification(&self, me: i64, id: i64) -> CoreResult<NotificationView> {
        self.read(move |conn, _| {
            let n = found(store::get(conn, me, id)?)?;
            hydrate(conn, me, vec![n])?.pop().ok_or(CoreError::NotFound)
        })
        .await
    }

    pub async fn dismiss_notification(&self, me: i64, id: i64) -> CoreResult<()> {
        self.write(move |conn, _| match store::dismiss(conn, me, id)? {
            0 => Err(CoreError::NotFound),
            _ => Ok(()),
        })
        .await
    }

    pub async fn clear_notifications(&self, me: i64) -> CoreResult<()> {
        self.write(move |conn, _| store::clear(conn, me).map(|_| ()).map_err(Into::into))
            .await
    }
}
