//! What trends and how busy the server is: recent public posts and hashtag
//! uses by discoverable accounts, and weekly activity counts.

use super::{
    schema::{accounts, oauth_tokens, status_tags, statuses, users},
    statuses::Status,
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Most candidates considered for trending posts.
const MAX_CANDIDATES: i64 = 2000;

/// Public, original (not reblogged) posts since `since` by discoverable,
/// active accounts, newest first.
pub fn recent_public_statuses(conn: &mut DbConn, since: NaiveDateTime) -> QueryResult<Vec<Status>> {
    statuses::table
        .inner_join(accounts::table.on(accounts::id.eq(statuses::account_id)))
        .filter(statuses::created_at.ge(since))
        .filter(statuses::visibility.eq("public"))
        .filter(statuses::reblog_of_id.is_null())
        .filter(accounts::discoverable.eq(true))
        .filter(accounts::suspended_at.is_null())
        .filter(accounts::deleted_at.is_null())
        .order(statuses::id.desc())
        .limit(MAX_CANDIDATES)
        .select(Status::as_select())
        .load(conn)
}

/// (tag, author, time) of every hashtag use in public posts since `since`
/// by discoverable, active accounts.
pub fn tag_uses(
    conn: &mut DbConn,
    since: NaiveDateTime,
) -> QueryResult<Vec<(i64, i64, NaiveDateTime)>> {
    status_tags::table
        .inner_join(statuses::table.on(statuses::id.eq(status_tags::status_id)))
        .inner_join(accounts::table.on(accounts::id.eq(statuses::account_id)))
        .filter(statuses::created_at.ge(since))
        .filter(statuses::visibility.eq("public"))
        .filter(accounts::discoverable.eq(true))
        .filter(accounts::suspended_at.is_null())
        .filter(accounts::deleted_at.is_null())
        .select((
            status_tags::tag_id,
            statuses::account_id,
            statuses::created_at,
        ))
        .limit(100_000)
        .load(conn)
}

/// Posts written on this server in [from, to).
pub fn local_posts_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    statuses::table
        .filter(statuses::local.eq(true))
        .filter(statuses::created_at.ge(from))
        .filter(statuses::created_at.lt(to))
        .count()
        .get_result(conn)
}

/// Accounts that signed in (were given a token) in [from, to).
pub fn sign_ins_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    oauth_tokens::table
        .filter(oauth_tokens::account_id.is_not_null())
        .filter(oauth_tokens::created_at.ge(from))
        .filter(oauth_tokens::created_at.lt(to))
        .select(oauth_tokens::account_id)
        .distinct()
        .load::<Option<i64>>(conn)
        .map(|v| v.len() as i64)
}

/// Accounts registered in [from, to).
pub fn registrations_between(
    conn: &mut DbConn,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> QueryResult<i64> {
    users::table
        .filter(users::created_at.ge(from))
        .filter(users::created_at.lt(to))
        .count()
        .get_result(conn)
}
