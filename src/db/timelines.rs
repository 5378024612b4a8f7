//! Timelines: the lists of statuses people read (home, public, hashtag,
//! list, one account's), each paged and filtered by who may read what.

use super::{
    home_feeds,
    schema::{status_tags, statuses},
    statuses::{followed_by, followed_with_reblogs, not_hidden, visible_to, Query, Status},
    DbConn, Hidden, MultiBackend, Page,
};
use diesel::{
    dsl,
    prelude::*,
    sql_types::{BigInt, Bool},
};

type Predicate = Box<dyn BoxableExpression<statuses::table, MultiBackend, SqlType = Bool>>;

fn page(conn: &mut DbConn, q: Query, page: &Page) -> QueryResult<Vec<Status>> {
    crate::load_page!(q, statuses::id, page, conn)
}

/// Whether a status is tagged with a hashtag `me` follows (one index probe
/// per status, not a list of every status with those hashtags).
fn has_followed_tag(me: i64) -> Predicate {
    Box::new(
        dsl::sql::<Bool>(
            "EXISTS (SELECT 1 FROM status_tags st JOIN tag_follows tf ON tf.tag_id = st.tag_id \
             WHERE st.status_id = statuses.id AND tf.account_id = ",
        )
        .bind::<BigInt, _>(me)
        .sql(")"),
    )
}

/// Whether a status mentions `me` (one index probe per status).
fn mentions_me(me: i64) -> Predicate {
    Box::new(
        dsl::sql::<Bool>(
            "EXISTS (SELECT 1 FROM mentions m WHERE m.status_id = statuses.id AND m.account_id = ",
        )
        .bind::<BigInt, _>(me)
        .sql(")"),
    )
}

/// What reaches the home timeline of `me`, before who may read it: own
/// statuses, those of accounts followed (their reblogs unless `me` turned
/// them off), those mentioning `me`, public posts with hashtags `me`
/// follows. `every_reblog`: reblogs of followed accounts whatever the
/// follow's options (what a home feed keeps).
fn home_reach(me: i64, every_reblog: bool) -> Predicate {
    let followed: Predicate = if every_reblog {
        Box::new(statuses::account_id.eq_any(followed_by(me)))
    } else {
        Box::new(
            statuses::account_id.eq_any(followed_by(me)).and(
                statuses::reblog_of_id
                    .is_null()
                    .or(statuses::account_id.eq_any(followed_with_reblogs(me))),
            ),
        )
    };
    Box::new(
        statuses::account_id
            .eq(me)
            .or(followed)
            .or(mentions_me(me))
            .or(statuses::visibility.eq("public").and(has_followed_tag(me))),
    )
}

/// Ids of the newest statuses that may reach the home timeline of `me`,
/// newest first (what a home feed is built from).
pub fn home_candidates(conn: &mut DbConn, me: i64, limit: i64) -> QueryResult<Vec<i64>> {
    statuses::table
        .filter(home_reach(me, true))
        .order(statuses::id.desc())
        .limit(limit)
        .select(statuses::id)
        .load(conn)
}

/// The home timeline of `me` as `me` may read it, without the members of
/// its exclusive lists (unless they mention `me`).
fn home_query(me: i64, hidden: &Hidden, exclusive: &[i64]) -> Query {
    let mut q = statuses::table
        .into_boxed()
        .filter(home_reach(me, false))
        .filter(visible_to(Some(me)));
    if !exclusive.is_empty() {
        q = q.filter(
            statuses::account_id
                .ne_all(exclusive.to_vec())
                .or(mentions_me(me)),
        );
    }
    not_hidden(q, hidden)
}

/// The home timeline of `me`: what [`home_reach`] brings that `me` may read
/// and does not hide, read from the home feed above its floor (see
/// `home_feeds`) and from the statuses below it. The feed must be built.
pub fn home(
    conn: &mut DbConn,
    me: i64,
    hidden: &Hidden,
    exclusive: &[i64],
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let (h, x) = (hidden.clone(), exclusive.to_vec());
    let query = move || home_query(me, &h, &x);
    from_feed(conn, me, p, &query, &|_| true, |conn, p| {
        page(conn, query(), p)
    })
}

/// Statuses of `members` (accounts `me` follows) that `me` may read: a
/// list's timeline, read like the home timeline from `me`'s home feed.
pub fn by_accounts(
    conn: &mut DbConn,
    members: &[i64],
    me: i64,
    hidden: &Hidden,
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let h = hidden.clone();
    // Who wrote it is checked on the rows read: in SQL, `account_id IN
    // (members)` can lead the planner to read every status of every member.
    let query = move || {
        not_hidden(
            statuses::table.into_boxed().filter(visible_to(Some(me))),
            &h,
        )
    };
    let is_member = |s: &Status| members.contains(&s.account_id);
    // Below the feed: each member's statuses walked on the account index
    // and merged, rather than every status of every member sorted.
    let members = members.to_vec();
    let directly = |conn: &mut DbConn, p: &Page| {
        let since = p.since_id;
        let source = |conn: &mut DbConn, max: Option<i64>, min: Option<i64>, n: i64| {
            let mut ids: Vec<i64> = Vec::new();
            for member in &members {
                let mut q = statuses::table
                    .into_boxed()
                    .filter(statuses::account_id.eq(*member))
                    .select(statuses::id)
                    .limit(n);
                if let Some(max) = max {
                    q = q.filter(statuses::id.lt(max));
                }
                if let Some(since) = since {
                    q = q.filter(statuses::id.gt(since));
                }
                ids.extend(match min {
                    Some(min) => q
                        .filter(statuses::id.gt(min))
                        .order(statuses::id.asc())
                        .load::<i64>(conn)?,
                    None => q.order(statuses::id.desc()).load::<i64>(conn)?,
                });
            }
            if min.is_some() {
                ids.sort_unstable();
            } else {
                ids.sort_unstable_by(|a, b| b.cmp(a));
            }
            ids.truncate(n as usize);
            Ok(ids)
        };
        walk(conn, p, source, &query, &is_member)
    };
    from_feed(conn, me, p, &query, &is_member, directly)
}

/// One page of `query()` restricted to the home feed of `me` above its
/// floor; what lies below the floor comes from `directly` (the same
/// statuses read without the feed).
fn from_feed(
    conn: &mut DbConn,
    me: i64,
    p: &Page,
    query: &impl Fn() -> Query,
    keep: &dyn Fn(&Status) -> bool,
    mut directly: impl FnMut(&mut DbConn, &Page) -> QueryResult<Vec<Status>>,
) -> QueryResult<Vec<Status>> {
    let floor = match home_feeds::floor(conn, me)? {
        Some(floor) if p.min_id.is_none_or(|min| min >= floor) => floor,
        _ => return directly(conn, p),
    };
    let since = p.since_id;
    let mut found = walk(
        conn,
        p,
        |conn, max, min, n| home_feeds::ids(conn, me, floor, max, since, min, n),
        query,
        keep,
    )?;
    if p.min_id.is_none() && floor > 0 && (found.len() as i64) < p.limit {
        let below = Page {
            max_id: Some(p.max_id.map_or(floor + 1, |max| max.min(floor + 1))),
            since_id: p.since_id,
            min_id: None,
            limit: p.limit - found.len() as i64,
        };
        found.extend(directly(conn, &below)?);
    }
    Ok(found)
}

/// One page (newest first) of `query()` over the ids `source` yields:
/// `source(conn, max_id, min_id, n)` gives the next `n` ids of an index,
/// newest first below `max_id`, or oldest first above `min_id`. The ids are
/// walked in chunks, each checked by the query, until the page is full or
/// the index runs out, so the work follows the page, not the table.
fn walk(
    conn: &mut DbConn,
    p: &Page,
    mut source: impl FnMut(&mut DbConn, Option<i64>, Option<i64>, i64) -> QueryResult<Vec<i64>>,
    query: &impl Fn() -> Query,
    keep: &dyn Fn(&Status) -> bool,
) -> QueryResult<Vec<Status>> {
    let ascending = p.min_id.is_some();
    let (mut max_id, mut min_id) = (p.max_id, p.min_id);
    let mut found: Vec<Status> = Vec::new();
    loop {
        let wanted = p.limit - found.len() as i64;
        let chunk = (wanted * 2).max(40);
        let mut ids = source(conn, max_id, min_id, chunk)?;
        let Some(&last) = ids.last() else { break };
        let exhausted = (ids.len() as i64) < chunk;
        ids.dedup();
        let mut rows: Vec<Status> = query()
            .filter(statuses::id.eq_any(ids.clone()))
            .select(Status::as_select())
            .load(conn)?;
        rows.retain(|s| keep(s));
        rows.sort_by_key(|s| ids.iter().position(|id| *id == s.id));
        found.extend(rows.into_iter().take(wanted as usize));
        if found.len() as i64 >= p.limit || exhausted {
            break;
        }
        if ascending {
            min_id = Some(last);
        } else {
            max_id = Some(last);
        }
    }
    if ascending {
        found.reverse();
    }
    Ok(found)
}

/// Public statuses with any of the tags `tag_ids`; `local` restricts to
/// this server (true) or others (false). Walks the hashtags' index.
pub fn tagged(
    conn: &mut DbConn,
    tag_ids: &[i64],
    local: Option<bool>,
    hidden: &Hidden,
    p: &Page,
) -> QueryResult<Vec<Status>> {
    let since = p.since_id;
    let tags = tag_ids.to_vec();
    let source = move |conn: &mut DbConn, max: Option<i64>, min: Option<i64>, n: i64| {
        let mut q = status_tags::table
            .into_boxed()
            .filter(status_tags::tag_id.eq_any(tags.clone()))
            .select(status_tags::status_id)
            .limit(n);
        if let Some(max) = max {
            q = q.filter(status_tags::status_id.lt(max));
        }
        if let Some(since) = since {
            q = q.filter(status_tags::status_id.gt(since));
        }
        match min {
            Some(min) => q
                .filter(status_tags::status_id.gt(min))
                .order(status_tags::status_id.asc())
                .load::<i64>(conn),
            None => q.order(status_tags::status_id.desc()).load::<i64>(conn),
        }
    };
    let hidden = hidden.clone();
    let query = move || {
        let mut q = statuses::table
            .into_boxed()
            .filter(statuses::visibility.eq("public"))
            .filter(statuses::reblog_of_id.is_null());
        if let Some(local) = local {
            q = q.filter(statuses::local.eq(local));
        }
        not_hidden(q, &hidden)
    };
    walk(conn, p, source, &query, &|_| true)
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
