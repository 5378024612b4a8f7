//! What trends and how busy the server is: recent public posts and hashtag
//! uses by discoverable accounts, and weekly activity counts.

use super::{
    schema::{accounts, favourites, oauth_tokens, status_tags, statuses, users},
    statuses::Status,
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Hashtags of public posts since `since` by discoverable, active
/// accounts, ranked by the people who used them, then by uses (then by
/// id): `limit` tag ids from `offset`. `first_id` is the first id made at
/// `since` (a post since then was stored after it), so only that week's
/// hashtag uses are read.
pub fn ranked_tags(
    conn: &mut DbConn,
    since: NaiveDateTime,
    first_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    use diesel::dsl::{count, count_star};
    use diesel::expression_methods::AggregateExpressionMethods;
    status_tags::table
        .inner_join(statuses::table.on(statuses::id.eq(status_tags::status_id)))
        .inner_join(accounts::table.on(accounts::id.eq(statuses::account_id)))
        .filter(status_tags::status_id.ge(first_id))
        .filter(statuses::created_at.ge(since))
        .filter(statuses::visibility.eq("public"))
        .filter(accounts::discoverable.eq(true))
        .filter(accounts::suspended_at.is_null())
        .filter(accounts::deleted_at.is_null())
        .group_by(status_tags::tag_id)
        .select(status_tags::tag_id)
        .order((
            count(statuses::account_id).aggregate_distinct().desc(),
            count_star().desc(),
            status_tags::tag_id.asc(),
        ))
        .offset(offset)
        .limit(limit)
        .load(conn)
}

/// Reactions to a post: (reblogs, favourites, replies).
pub type Reactions = (i64, i64, i64);

/// The public, original posts since `since` by discoverable, active
/// accounts that got any reblog, favourite or reply, with their counts.
/// Reactions come after the post, so only those stored since `first_id`
/// are read, not every post of the week.
pub fn reacted_public_statuses(
    conn: &mut DbConn,
    since: NaiveDateTime,
    first_id: i64,
) -> QueryResult<Vec<(Status, Reactions)>> {
    use diesel::dsl::count_star;
    use std::collections::HashMap;
    let mut reactions: HashMap<i64, Reactions> = HashMap::new();
    let reblogs: Vec<(Option<i64>, i64)> = statuses::table
        .filter(statuses::reblog_of_id.ge(first_id))
        .group_by(statuses::reblog_of_id)
        .select((statuses::reblog_of_id, count_star()))
        .load(conn)?;
    for (id, n) in reblogs {
        if let Some(id) = id {
            reactions.entry(id).or_default().0 = n;
        }
    }
    let favourites: Vec<(i64, i64)> = favourites::table
        .filter(favourites::status_id.ge(first_id))
        .group_by(favourites::status_id)
        .select((favourites::status_id, count_star()))
        .load(conn)?;
    for (id, n) in favourites {
        reactions.entry(id).or_default().1 = n;
    }
    let replies: Vec<(Option<i64>, i64)> = statuses::table
        .filter(statuses::in_reply_to_id.ge(first_id))
        .group_by(statuses::in_reply_to_id)
        .select((statuses::in_reply_to_id, count_star()))
        .load(conn)?;
    for (id, n) in replies {
        if let Some(id) = id {
            reactions.entry(id).or_default().2 = n;
        }
    }
    let ids: Vec<i64> = reactions.keys().copied().collect();
    let posts: Vec<Status> = statuses::table
        .inner_join(accounts::table.on(accounts::id.eq(statuses::account_id)))
        .filter(statuses::id.eq_any(&ids))
        .filter(statuses::created_at.ge(since))
        .filter(statuses::visibility.eq("public"))
        .filter(statuses::reblog_of_id.is_null())
        .filter(accounts::discoverable.eq(true))
        .filter(accounts::suspended_at.is_null())
        .filter(accounts::deleted_at.is_null())
        .select(Status::as_select())
        .load(conn)?;
    Ok(posts
        .into_iter()
        .map(|s| {
            let r = reactions.get(&s.id).copied().unwrap_or_default();
            (s, r)
        })
        .collect())
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
