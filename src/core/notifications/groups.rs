//! Grouped notifications (Mastodon 4.3's `/api/v2/notifications`): the
//! favourites or the reblogs of one post, and the follows of one day, shown
//! as one entry with a count and some of the accounts behind it.

use crate::core::{
    error::{CoreError, CoreResult},
    hidden,
    notifications::notify::hydrate,
    views::{self, AccountView, NotificationView, StatusView},
    Core,
};
use crate::db::{
    self, accounts, markers,
    notifications::{self as store, GroupMembers, Notification},
    Page,
};
use chrono::{NaiveDateTime, TimeDelta};

/// The types grouped when a client does not say (`grouped_types[]`).
pub const DEFAULT_GROUPED: [&str; 3] = ["favourite", "follow", "reblog"];
/// Accounts named per group.
const SAMPLE_ACCOUNTS: usize = 8;

/// The key of the group `n` belongs to, given the types to group.
pub fn group_key(n: &Notification, grouped: &[String]) -> String {
    let grouping = grouped.contains(&n.kind);
    match (n.kind.as_str(), n.status_id) {
        ("favourite" | "reblog", Some(status)) if grouping => format!("{}-{status}", n.kind),
        ("follow", _) if grouping => {
            format!("follow-{}", n.created_at.and_utc().timestamp() / 86_400)
        }
        _ => format!("ungrouped-{}", n.id),
    }
}

/// The notifications a key names (`None` for a key we never make).
fn members(key: &str) -> Option<GroupMembers> {
    let (kind, rest) = key.rsplit_once('-')?;
    let n: i64 = rest.parse().ok()?;
    match kind {
        "favourite" | "reblog" => Some(GroupMembers::AboutStatus {
            kind: kind.to_string(),
            status_id: n,
        }),
        "follow" => {
            let from = chrono::DateTime::UNIX_EPOCH
                .naive_utc()
                .checked_add_signed(TimeDelta::try_days(n)?)?;
            Some(GroupMembers::Between {
                kind: kind.to_string(),
                from,
                to: from + TimeDelta::days(1),
            })
        }
        "ungrouped" => Some(GroupMembers::One(n)),
        _ => None,
    }
}

/// One group as a page shows it.
#[derive(Debug, Clone)]
pub struct NotificationGroup {
    pub key: String,
    pub kind: String,
    /// All notifications of the group, on this page or not.
    pub count: i64,
    pub most_recent_id: i64,
    /// The oldest and newest of the group's notifications on this page.
    pub page_min_id: i64,
    pub page_max_id: i64,
    pub latest_page_at: NaiveDateTime,
    /// The latest accounts behind the group, newest first.
    pub sample_account_ids: Vec<i64>,
    pub status_id: Option<i64>,
}

/// A page of groups with the accounts and statuses they refer to.
#[derive(Debug, Clone, Default)]
pub struct GroupedNotifications {
    pub groups: Vec<NotificationGroup>,
    pub accounts: Vec<AccountView>,
    pub statuses: Vec<StatusView>,
    /// The newest and oldest notification ids on the page (for paging).
    pub newest_id: Option<i64>,
    pub oldest_id: Option<i64>,
}

/// What a client asks of the grouped list.
#[derive(Debug, Clone, Default)]
pub struct GroupQuery {
    pub types: Vec<String>,
    pub exclude_types: Vec<String>,
    /// Empty means [`DEFAULT_GROUPED`].
    pub grouped_types: Vec<String>,
}

fn assemble(
    conn: &mut db::DbConn,
    me: i64,
    pages: Vec<(String, Vec<NotificationView>)>,
) -> CoreResult<GroupedNotifications> {
    let silenced = hidden::silenced_for(conn, me)?;
    let mut out = GroupedNotifications::default();
    let mut account_ids = vec![];
    for (key, items) in pages {
        let Some(first) = items.first() else { continue };
        let members = members(&key).ok_or(CoreError::NotFound)?;
        let mut sample = vec![];
        for n in store::in_group(conn, me, &members, 100)? {
            let from = n.from_account_id;
            if !sample.contains(&from) && !silenced.accounts.contains(&from) {
                sample.push(from);
            }
            if sample.len() == SAMPLE_ACCOUNTS {
                break;
            }
        }
        if sample.is_empty() {
            sample.push(first.from.account.id);
        }
        account_ids.extend(sample.iter().copied());
        if let Some(s) = &first.status {
            if !out.statuses.iter().any(|v| v.status.id == s.status.id) {
                out.statuses.push(s.clone());
            }
        }
        let ids = items.iter().map(|n| n.notification.id);
        let (min, max) = (ids.clone().min().unwrap_or(0), ids.max().unwrap_or(0));
        out.newest_id = Some(out.newest_id.map_or(max, |v| v.max(max)));
        out.oldest_id = Some(out.oldest_id.map_or(min, |v| v.min(min)));
        out.groups.push(NotificationGroup {
            kind: first.notification.kind.clone(),
            count: store::count_in_group(conn, me, &members)?.max(1),
            most_recent_id: store::in_group(conn, me, &members, 1)?
                .first()
                .map_or(max, |n| n.id),
            page_min_id: min,
            page_max_id: max,
            latest_page_at: first.notification.created_at,
            sample_account_ids: sample,
            status_id: first.status.as_ref().map(|s| s.status.id),
            key,
        });
    }
    account_ids.sort_unstable();
    account_ids.dedup();
    let found = accounts::by_ids(conn, &account_ids)?;
    out.accounts = views::account_views(conn, found)?;
    out.groups.sort_by_key(|g| std::cmp::Reverse(g.page_max_id));
    Ok(out)
}

/// Split `items` (newest first) into at most `limit` groups. Paging newer
/// (`oldest_first`) keeps the oldest groups; otherwise the newest. A
/// notification is left for the next page as soon as a group would be
/// one too many, so paging never skips one.
fn group(
    items: Vec<NotificationView>,
    grouped: &[String],
    limit: usize,
    oldest_first: bool,
) -> Vec<(String, Vec<NotificationView>)> {
    let mut groups: Vec<(String, Vec<NotificationView>)> = vec![];
    let ordered: Box<dyn Iterator<Item = NotificationView>> = if oldest_first {
        Box::new(items.into_iter().rev())
    } else {
        Box::new(items.into_iter())
    };
    for n in ordered {
        let key = group_key(&n.notification, grouped);
        match groups.iter().position(|(k, _)| *k == key) {
            Some(i) => groups[i].1.push(n),
            None if groups.len() == limit => break,
            None => groups.push((key, vec![n])),
        }
    }
    for (_, list) in groups.iter_mut() {
        list.sort_by_key(|n| std::cmp::Reverse(n.notification.id));
    }
    groups
}

fn grouped_types(q: &GroupQuery) -> Vec<String> {
    if q.grouped_types.is_empty() {
        DEFAULT_GROUPED.iter().map(|s| s.to_string()).collect()
    } else {
        q.grouped_types.clone()
    }
}

impl Core {
    /// One page of grouped notifications; `page.limit` counts groups.
    pub async fn notification_groups(
        &self,
        me: i64,
        query: GroupQuery,
        page: Page,
    ) -> CoreResult<GroupedNotifications> {
        self.read(move |conn, _| {
            let groups_wanted = page.limit.max(1) as usize;
            let scan = Page {
                limit: (page.limit * 4).clamp(40, 400),
                ..page
            };
            let list = store::list(conn, me, &query.types, &query.exclude_types, &scan)?;
            let silenced = hidden::silenced_for(conn, me)?;
            let mut views = hydrate(conn, me, list)?;
            views.retain(|n| !silenced.hides(&n.from.account));
            let oldest_first = page.min_id.is_some() && page.max_id.is_none();
            let pages = group(views, &grouped_types(&query), groups_wanted, oldest_first);
            assemble(conn, me, pages)
        })
        .await
    }

    /// The group `key` with all its notifications.
    pub async fn notification_group(&self, me: i64, key: &str) -> CoreResult<GroupedNotifications> {
        let members = members(key).ok_or(CoreError::NotFound)?;
        let key = key.to_string();
        self.read(move |conn, _| {
            let list = store::in_group(conn, me, &members, 400)?;
            let views = hydrate(conn, me, list)?;
            if views.is_empty() {
                return Err(CoreError::NotFound);
            }
            assemble(conn, me, vec![(key, views)])
        })
        .await
    }

    /// Every account behind the group `key`, newest first.
    pub async fn notification_group_accounts(
        &self,
        me: i64,
        key: &str,
    ) -> CoreResult<Vec<AccountView>> {
        let members = members(key).ok_or(CoreError::NotFound)?;
        self.read(move |conn, _| {
            let list = store::in_group(conn, me, &members, 400)?;
            if list.is_empty() {
                return Err(CoreError::NotFound);
            }
            let mut ids: Vec<i64> = vec![];
            for n in &list {
                if !ids.contains(&n.from_account_id) {
                    ids.push(n.from_account_id);
                }
            }
            ids.truncate(80);
            let found = accounts::by_ids(conn, &ids)?;
            let mut list = views::account_views(conn, found)?;
            list.sort_by_key(|v| ids.iter().position(|id| *id == v.account.id));
            Ok(list)
        })
        .await
    }

    /// Dismiss every notification of the group `key`.
    pub async fn dismiss_notification_group(&self, me: i64, key: &str) -> CoreResult<()> {
        let members = members(key).ok_or(CoreError::NotFound)?;
        self.write(
            move |conn, _| match store::dismiss_group(conn, me, &members)? {
                0 => Err(CoreError::NotFound),
                _ => Ok(()),
            },
        )
        .await
    }

    /// Groups with notifications newer than the notifications marker (at most `limit`).
    pub async fn unread_notification_groups(
        &self,
        me: i64,
        query: GroupQuery,
        limit: i64,
    ) -> CoreResult<i64> {
        self.read(move |conn, _| {
            let after = markers::get(conn, me, "notifications")?.map_or(0, |m| m.last_read_id);
            let groups = store::count_groups_after(
                conn,
                me,
                after,
                &query.types,
                &query.exclude_types,
                &grouped_types(&query),
            )?;
            Ok(groups.min(limit))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(id: i64, kind: &str, status_id: Option<i64>, at: &str) -> Notification {
        Notification {
            id,
            account_id: 1,
            from_account_id: 2,
            kind: kind.into(),
            status_id,
            created_at: NaiveDateTime::parse_from_str(at, "%Y-%m-%d %H:%M").unwrap(),
        }
    }

    #[test]
    fn keys_group_favourites_per_post_and_follows_per_day_and_parse_back() {
        let grouped: Vec<String> = DEFAULT_GROUPED.iter().map(|s| s.to_string()).collect();
        let fav = n(10, "favourite", Some(77), "2026-11-23 10:00");
        assert_eq!(group_key(&fav, &grouped), "favourite-77");
        let follow = n(11, "follow", None, "2026-11-23 23:59");
        let key = group_key(&follow, &grouped);
        match members(&key).unwrap() {
            GroupMembers::Between { from, to, .. } => {
                assert!(from <= follow.created_at && follow.created_at < to)
            }
            other => panic!("{other:?}"),
        }
        let mention = n(12, "mention", Some(77), "2026-11-23 10:00");
        assert_eq!(group_key(&mention, &grouped), "ungrouped-12");
        assert_eq!(group_key(&fav, &[]), "ungrouped-10");
        assert_eq!(members("ungrouped-12"), Some(GroupMembers::One(12)));
        assert_eq!(members("mention-12"), None);
        assert_eq!(members("favourite-x"), None);
        assert_eq!(members("follow-99999999999999"), None);
    }
}
