//! Notifications: someone mentioned, followed or asked to follow an account.

use super::{schema::notifications, DbConn, Page};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    /// The account notified.
    pub account_id: i64,
    pub from_account_id: i64,
    /// Mastodon's notification type: mention, follow, follow_request ...
    pub kind: String,
    pub status_id: Option<i64>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, n: &Notification) -> QueryResult<()> {
    diesel::insert_into(notifications::table)
        .values(n)
        .execute(conn)
        .map(|_| ())
}

pub fn exists(
    conn: &mut DbConn,
    account_id: i64,
    from: i64,
    kind: &str,
    status_id: Option<i64>,
) -> QueryResult<bool> {
    let same = notifications::table
        .filter(notifications::account_id.eq(account_id))
        .filter(notifications::from_account_id.eq(from))
        .filter(notifications::kind.eq(kind));
    let n: i64 = match status_id {
        Some(s) => same
            .filter(notifications::status_id.eq(s))
            .count()
            .get_result(conn)?,
        None => same
            .filter(notifications::status_id.is_null())
            .count()
            .get_result(conn)?,
    };
    Ok(n > 0)
}

/// Notifications of `account_id`, newest first; `types` empty means all types.
pub fn list(
    conn: &mut DbConn,
    account_id: i64,
    types: &[String],
    exclude: &[String],
    page: &Page,
) -> QueryResult<Vec<Notification>> {
    let mut q = notifications::table
        .filter(notifications::account_id.eq(account_id))
        .select(Notification::as_select())
        .into_boxed();
    if !types.is_empty() {
        q = q.filter(notifications::kind.eq_any(types.to_vec()));
    }
    if !exclude.is_empty() {
        q = q.filter(notifications::kind.ne_all(exclude.to_vec()));
    }
    crate::load_page!(q, notifications::id, page, conn)
}

/// How many groups the notifications of `account_id` newer than `after`
/// make (of `types`, not of `exclude`), counted by the database. Grouped
/// (when named in `grouped`): the favourites, or the reblogs, of one post;
/// the follows of one UTC day. Every other notification is a group alone.
pub fn count_groups_after(
    conn: &mut DbConn,
    account_id: i64,
    after: i64,
    types: &[String],
    exclude: &[String],
    grouped: &[String],
) -> QueryResult<i64> {
    let grouping = |kind: &str| grouped.iter().any(|g| g == kind);
    let day = match conn {
        DbConn::Sqlite(_) => "CAST(strftime('%s', created_at) AS INTEGER) / 86400",
        DbConn::Pg(_) => "CAST(EXTRACT(EPOCH FROM created_at) AS BIGINT) / 86400",
    };
    // Built from fixed fragments only; what the client sent is bound below.
    let mut key = String::from("COUNT(DISTINCT CASE");
    for kind in ["favourite", "reblog"] {
        if grouping(kind) {
            key.push_str(&format!(
                " WHEN kind = '{kind}' AND status_id IS NOT NULL THEN '{kind}-' || status_id"
            ));
        }
    }
    if grouping("follow") {
        key.push_str(&format!(" WHEN kind = 'follow' THEN 'follow-' || ({day})"));
    }
    key.push_str(" ELSE 'ungrouped-' || id END)");
    let mut q = notifications::table
        .filter(notifications::account_id.eq(account_id))
        .filter(notifications::id.gt(after))
        .select(diesel::dsl::sql::<diesel::sql_types::BigInt>(&key))
        .into_boxed();
    if !types.is_empty() {
        q = q.filter(notifications::kind.eq_any(types.to_vec()));
    }
    if !exclude.is_empty() {
        q = q.filter(notifications::kind.ne_all(exclude.to_vec()));
    }
    q.get_result(conn)
}

pub fn get(conn: &mut DbConn, account_id: i64, id: i64) -> QueryResult<Option<Notification>> {
    notifications::table
        .filter(notifications::account_id.eq(account_id))
        .filter(notifications::id.eq(id))
        .select(Notification::as_select())
        .first(conn)
        .optional()
}

pub fn dismiss(conn: &mut DbConn, account_id: i64, id: i64) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::account_id.eq(account_id))
            .filter(notifications::id.eq(id)),
    )
    .execute(conn)
}

pub fn clear(conn: &mut DbConn, account_id: i64) -> QueryResult<usize> {
    diesel::delete(notifications::table.filter(notifications::account_id.eq(account_id)))
        .execute(conn)
}

/// Remove notifications of one kind from one account to another (e.g. a
/// follow request once it is answered or withdrawn).
pub fn delete_between(
    conn: &mut DbConn,
    account_id: i64,
    from: i64,
    kind: &str,
) -> QueryResult<usize> {
    diesel::delete(
        notifications::table
            .filter(notifications::account_id.eq(account_id))
            .filter(notifications::from_account_id.eq(from))
            .filter(notifications::kind.eq(kind)),
    )
    .execute(conn)
}

/// Notifications of `account_id` newer than `after`, counted up to `limit`.
pub fn count_after(conn: &mut DbConn, account_id: i64, after: i64, limit: i64) -> QueryResult<i64> {
    let ids: Vec<i64> = notifications::table
        .filter(notifications::account_id.eq(account_id))
        .filter(notifications::id.gt(after))
        .select(notifications::id)
        .limit(limit)
        .load(conn)?;
    Ok(ids.len() as i64)
}

/// Which of an account's notifications make up one notification group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupMembers {
    /// Notifications of `kind` about one status (favourites, reblogs).
    AboutStatus { kind: String, status_id: i64 },
    /// Notifications of `kind` made in [from, to) (follows of one day).
    Between {
        kind: String,
        from: NaiveDateTime,
        to: NaiveDateTime,
    },
    /// One notification alone.
    One(i64),
}

fn group_query<'a>(
    account_id: i64,
    members: &GroupMembers,
) -> notifications::BoxedQuery<'a, super::MultiBackend> {
    let q = notifications::table
        .filter(notifications::account_id.eq(account_id))
        .into_boxed();
    match members.clone() {
        GroupMembers::AboutStatus { kind, status_id } => q
            .filter(notifications::kind.eq(kind))
            .filter(notifications::status_id.eq(status_id)),
        GroupMembers::Between { kind, from, to } => q
            .filter(notifications::kind.eq(kind))
            .filter(notifications::created_at.ge(from))
            .filter(notifications::created_at.lt(to)),
        GroupMembers::One(id) => q.filter(notifications::id.eq(id)),
    }
}

/// The notifications of a group, newest first (at most `limit`).
pub fn in_group(
    conn: &mut DbConn,
    account_id: i64,
    members: &GroupMembers,
    limit: i64,
) -> QueryResult<Vec<Notification>> {
    group_query(account_id, members)
        .order(notifications::id.desc())
        .limit(limit)
        .select(Notification::as_select())
        .load(conn)
}

pub fn count_in_group(
    conn: &mut DbConn,
    account_id: i64,
    members: &GroupMembers,
) -> QueryResult<i64> {
    group_query(account_id, members).count().get_result(conn)
}

pub fn dismiss_group(
    conn: &mut DbConn,
    account_id: i64,
    members: &GroupMembers,
) -> QueryResult<usize> {
    let ids: Vec<i64> = group_query(account_id, members)
        .select(notifications::id)
        .load(conn)?;
    diesel::delete(notifications::table.filter(notifications::id.eq_any(ids))).execute(conn)
}
