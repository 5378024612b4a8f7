//! Timelines: the lists of statuses people read (home, public, hashtag,
//! list, one account's), each paged and filtered by who may read what.

use super::{
    schema::{status_tags, statuses, tag_follows},
    statuses::{
        followed_by, followed_with_reblogs, mentioning, not_hidden, visible_to, Query, Status,
    },
    DbConn, Hidden, Page,
};
use diesel::prelude::*;

fn page(conn: &mut DbConn, q: Query, page: &Page) -> QueryResult<Vec<Status>> {
    crate::load_page!(q, statuses::id, page, conn)
}

/// The home timeline of `me`: own statuses, those of accounts followed
/// (their reblogs unless `me` turned them off; not the members of its
/// exclusive lists), public posts with hashtags `me` follows, and those
/// mentioning `me`; only what `me` may read.
pub fn home(
    conn: &mut DbConn,
    me: i64,
    hidden: &Hidden,
    exclusive: &[i64],
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let with_followed_tags = status_tags::table
        .filter(
            status_tags::tag_id.eq_any(
                tag_follows::table
                    .filter(tag_follows::account_id.eq(me))
                    .select(tag_follows::tag_id),
            ),
        )
        .select(status_tags::status_id);
    let mut q = statuses::table
        .into_boxed()
        .filter(
            statuses::account_id
                .eq(me)
                .or(statuses::account_id.eq_any(followed_by(me)).and(
                    statuses::reblog_of_id
                        .is_null()
                        .or(statuses::account_id.eq_any(followed_with_reblogs(me))),
                ))
                .or(statuses::id.eq_any(mentioning(me)))
                .or(statuses::visibility
                    .eq("public")
                    .and(statuses::id.eq_any(with_followed_tags))),
        )
        .filter(visible_to(Some(me)));
    if !exclusive.is_empty() {
        q = q.filter(
            statuses::account_id
                .ne_all(exclusive.to_vec())
                .or(statuses::id.eq_any(mentioning(me))),
        );
    }
    page(conn, not_hidden(q, hidden), p)
}

/// Public statuses with any of the tags `tag_ids`; `local` restricts to
/// this server (true) or others (false).
pub fn tagged(
    conn: &mut DbConn,
    tag_ids: &[i64],
    local: Option<bool>,
    hidden: &Hidden,
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let mut q = statuses::table
        .into_boxed()
        .filter(
            statuses::id.eq_any(
                status_tags::table
                    .filter(status_tags::tag_id.eq_any(tag_ids.to_vec()))
                    .select(status_tags::status_id),
            ),
        )
        .filter(statuses::visibility.eq("public"))
        .filter(statuses::reblog_of_id.is_null());
    if let Some(local) = local {
        q = q.filter(statuses::local.eq(local));
    }
    page(conn, not_hidden(q, hidden), p)
}

/// Statuses of `members` that `me` may read (a list's timeline).
pub fn by_accounts(
    conn: &mut DbConn,
    members: &[i64],
    me: i64,
    hidden: &Hidden,
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let q = statuses::table
        .into_boxed()
        .filter(statuses::account_id.eq_any(members.to_vec()))
        .filter(visible_to(Some(me)));
    page(conn, not_hidden(q, hidden), p)
}

/// Public statuses; `local` restricts to this server (true) or others (false).
pub fn public(
    conn: &mut DbConn,
    local: Option<bool>,
    hidden: &Hidden,
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let mut q = statuses::table
        .into_boxed()
        .filter(statuses::visibility.eq("public"))
        .filter(statuses::reblog_of_id.is_null());
    if let Some(local) = local {
        q = q.filter(statuses::local.eq(local));
    }
    page(conn, not_hidden(q, hidden), p)
}

/// Statuses of one account that `viewer` may read.
pub fn by_account(
    conn: &mut DbConn,
    account_id: i64,
    viewer: Option<i64>,
    exclude_replies: bool,
    exclude_reblogs: bool,
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let mut q = statuses::table
        .into_boxed()
        .filter(statuses::account_id.eq(account_id))
        .filter(visible_to(viewer));
    if exclude_replies {
        q = q.filter(statuses::in_reply_to_ap_id.is_null());
    }
    if exclude_reblogs {
        q = q.filter(statuses::reblog_of_id.is_null());
    }
    page(conn, q, p)
}

/// Public statuses of a local account, newest first (its ActivityPub outbox).
pub fn public_of(
    conn: &mut DbConn,
    account_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Status>> {
    statuses::table
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::visibility.eq_any(["public", "unlisted"]))
        .filter(statuses::reblog_of_id.is_null())
        .order(statuses::id.desc())
        .offset(offset)
        .limit(limit)
        .select(Status::as_select())
        .load(conn)
}

pub fn count_public_of(conn: &mut DbConn, account_id: i64) -> QueryResult<i64> {
    statuses::table
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::visibility.eq_any(["public", "unlisted"]))
        .filter(statuses::reblog_of_id.is_null())
        .count()
        .get_result(conn)
}
