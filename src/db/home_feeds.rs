//! Home feeds, written on arrival (fan-out on write, as Mastodon's feeds):
//! for each local reader, the ids of the statuses that may reach their home
//! timeline, so that a page of it is a walk down one index instead of a
//! search through every status.
//!
//! A feed is a superset of a home timeline: it takes every status whose
//! author the reader follows (reblogs too, whatever the follow's options),
//! that mentions the reader, or that is public with a hashtag the reader
//! follows, whoever may read it. The home timeline applies every rule (who
//! is followed now, visibility, blocks, mutes, exclusive lists) to what it
//! reads here, so a feed never needs rewriting when those change; only what
//! widens it (a new follow, a followed hashtag) adds to it.
//!
//! A reader's feed holds every such status newer than the reader's floor
//! (`home_feed_floors`). A reader without a floor (new, or whose feed was
//! never read) gets one built on their next read; trimming keeps the newest
//! [`FEED_SIZE`] entries and raises the floor. Pages older than the floor
//! are read from the statuses themselves.

use super::{
    schema::{follows, home_feed_floors, home_feeds, status_tags, statuses, tag_follows, users},
    DbConn,
};
use diesel::prelude::*;

/// How many entries a reader's feed keeps (Mastodon keeps 800).
pub const FEED_SIZE: i64 = 800;

/// The reader's floor: the feed holds every candidate with a greater id.
/// `None`: the feed has not been built.
pub fn floor(conn: &mut DbConn, reader: i64) -> QueryResult<Option<i64>> {
    home_feed_floors::table
        .find(reader)
        .select(home_feed_floors::floor_id)
        .first(conn)
        .optional()
}

/// Ids of the reader's feed above `floor` within the page bounds: newest
/// first below `max_id` (and above `since_id`), or, with `min_id`, the
/// oldest above it, ascending.
pub fn ids(
    conn: &mut DbConn,
    reader: i64,
    floor: i64,
    max_id: Option<i64>,
    since_id: Option<i64>,
    min_id: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<i64>> {
    let mut q = home_feeds::table
        .into_boxed()
        .filter(home_feeds::account_id.eq(reader))
        .filter(home_feeds::status_id.gt(floor))
        .select(home_feeds::status_id)
        .limit(limit);
    if let Some(max) = max_id {
        q = q.filter(home_feeds::status_id.lt(max));
    }
    if let Some(since) = since_id {
        q = q.filter(home_feeds::status_id.gt(since));
    }
    if let Some(min) = min_id {
        q.filter(home_feeds::status_id.gt(min))
            .order(home_feeds::status_id.asc())
            .load(conn)
    } else {
        q.order(home_feeds::status_id.desc()).load(conn)
    }
}

/// Add `(reader, status)` entries, leaving those already there.
fn add(conn: &mut DbConn, entries: &[(i64, i64)]) -> QueryResult<()> {
    for chunk in entries.chunks(400) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(reader, status)| {
                (
                    home_feeds::account_id.eq(*reader),
                    home_feeds::status_id.eq(*status),
                )
            })
            .collect();
        match conn {
            DbConn::Sqlite(c) => diesel::insert_or_ignore_into(home_feeds::table)
                .values(&rows)
                .execute(c)?,
            DbConn::Pg(c) => diesel::insert_into(home_feeds::table)
                .values(&rows)
                .on_conflict_do_nothing()
                .execute(c)?,
        };
    }
    Ok(())
}

fn is_local(conn: &mut DbConn, account: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        users::table.filter(users::account_id.eq(account)),
    ))
    .get_result(conn)
}

/// A new status: into the feeds of its author (if local) and of the author's
/// local followers.
pub fn status_added(conn: &mut DbConn, status_id: i64, author: i64) -> QueryResult<()> {
    let mut readers: Vec<i64> = follows::table
        .inner_join(users::table.on(users::account_id.eq(follows::account_id)))
        .filter(follows::target_account_id.eq(author))
        .filter(follows::accepted.eq(true))
        .select(follows::account_id)
        .load(conn)?;
    if is_local(conn, author)? {
        readers.push(author);
    }
    let entries: Vec<(i64, i64)> = readers.into_iter().map(|r| (r, status_id)).collect();
    add(conn, &entries)
}

/// A status mentions `account`: into its feed if it is local.
pub fn mentioned(conn: &mut DbConn, status_id: i64, account: i64) -> QueryResult<()> {
    if is_local(conn, account)? {
        add(conn, &[(account, status_id)])?;
    }
    Ok(())
}

/// A status got hashtags: if it is public, into the feeds of the local
/// accounts that follow any of them.
pub fn tagged(conn: &mut DbConn, status_id: i64, tag_ids: &[i64]) -> QueryResult<()> {
    if tag_ids.is_empty() {
        return Ok(());
    }
    let public: bool = diesel::select(diesel::dsl::exists(
        statuses::table
            .filter(statuses::id.eq(status_id))
            .filter(statuses::visibility.eq("public")),
    ))
    .get_result(conn)?;
    if !public {
        return Ok(());
    }
    let mut readers: Vec<i64> = tag_follows::table
        .inner_join(users::table.on(users::account_id.eq(tag_follows::account_id)))
        .filter(tag_follows::tag_id.eq_any(tag_ids))
        .select(tag_follows::account_id)
        .load(conn)?;
    readers.sort_unstable();
    readers.dedup();
    let entries: Vec<(i64, i64)> = readers.into_iter().map(|r| (r, status_id)).collect();
    add(conn, &entries)
}

/// Add `newest` (ids, newest first, at most `FEED_SIZE + 1`) to a built
/// feed: the first [`FEED_SIZE`] go in; if there were more, the floor rises
/// to the first left out, so the feed still holds everything above it.
fn backfill(conn: &mut DbConn, reader: i64, floor: i64, newest: Vec<i64>) -> QueryResult<()> {
    let kept: Vec<(i64, i64)> = newest
        .iter()
        .take(FEED_SIZE as usize)
        .filter(|id| **id > floor)
        .map(|id| (reader, *id))
        .collect();
    add(conn, &kept)?;
    if let Some(first_left_out) = newest.get(FEED_SIZE as usize).copied() {
        if first_left_out > floor {
            raise_floor(conn, reader, first_left_out)?;
        }
    }
    Ok(())
}

fn raise_floor(conn: &mut DbConn, reader: i64, to: i64) -> QueryResult<()> {
    diesel::update(home_feed_floors::table.find(reader))
        .filter(home_feed_floors::floor_id.lt(to))
        .set(home_feed_floors::floor_id.eq(to))
        .execute(conn)
        .map(|_| ())
}

/// `reader` now follows `target` (accepted): the target's statuses join
/// the reader's feed, if it is built.
pub fn followed(conn: &mut DbConn, reader: i64, target: i64) -> QueryResult<()> {
    lock(conn, reader)?;
    let Some(floor) = floor(conn, reader)? else {
        return Ok(());
    };
    let newest: Vec<i64> = statuses::table
        .filter(statuses::account_id.eq(target))
        .filter(statuses::id.gt(floor))
        .order(statuses::id.desc())
        .limit(FEED_SIZE + 1)
        .select(statuses::id)
        .load(conn)?;
    backfill(conn, reader, floor, newest)
}

/// `reader` now follows a hashtag: its public statuses join the reader's
/// feed, if it is built.
pub fn tag_followed(conn: &mut DbConn, reader: i64, tag_id: i64) -> QueryResult<()> {
    lock(conn, reader)?;
    let Some(floor) = floor(conn, reader)? else {
        return Ok(());
    };
    let newest: Vec<i64> = status_tags::table
        .inner_join(statuses::table.on(statuses::id.eq(status_tags::status_id)))
        .filter(status_tags::tag_id.eq(tag_id))
        .filter(status_tags::status_id.gt(floor))
        .filter(statuses::visibility.eq("public"))
        .order(status_tags::status_id.desc())
        .limit(FEED_SIZE + 1)
        .select(status_tags::status_id)
        .load(conn)?;
    backfill(conn, reader, floor, newest)
}

/// Build the feed of a reader who has none from `newest`, the ids of their
/// candidates, newest first, at most `FEED_SIZE + 1`. Statuses that arrive
/// meanwhile are fanned out to the reader anyway, so nothing slips between.
///
/// Call it after [`lock`], with `newest` read after it.
pub fn build(conn: &mut DbConn, reader: i64, newest: Vec<i64>) -> QueryResult<()> {
    if floor(conn, reader)?.is_some() {
        return Ok(());
    }
    let kept: Vec<(i64, i64)> = newest
        .iter()
        .take(FEED_SIZE as usize)
        .map(|id| (reader, *id))
        .collect();
    add(conn, &kept)?;
    let row = (
        home_feed_floors::account_id.eq(reader),
        home_feed_floors::floor_id.eq(newest.get(FEED_SIZE as usize).copied().unwrap_or(0)),
    );
    match conn {
        DbConn::Sqlite(c) => diesel::insert_or_ignore_into(home_feed_floors::table)
            .values(row)
            .execute(c)?,
        DbConn::Pg(c) => diesel::insert_into(home_feed_floors::table)
            .values(row)
            .on_conflict_do_nothing()
            .execute(c)?,
    };
    Ok(())
}

/// Hold the reader's feed until the transaction ends, so that building it
/// and adding a new follow's statuses to it do not miss each other
/// (PostgreSQL; SQLite runs one write transaction at a time anyway).
pub fn lock(conn: &mut DbConn, reader: i64) -> QueryResult<()> {
    if let DbConn::Pg(c) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock(7461, CAST($1 AS INTEGER))")
            .bind::<diesel::sql_types::BigInt, _>(reader % i64::from(i32::MAX))
            .execute(c)?;
    }
    Ok(())
}

/// The readers whose feeds grew past [`FEED_SIZE`] by a margin.
pub fn overgrown(conn: &mut DbConn) -> QueryResult<Vec<i64>> {
    use diesel::dsl::count_star;
    home_feeds::table
        .group_by(home_feeds::account_id)
        .having(count_star().gt(FEED_SIZE + FEED_SIZE / 4))
        .select(home_feeds::account_id)
        .load(conn)
}

/// Keep the newest [`FEED_SIZE`] entries of the reader's feed, raising its
/// floor to the newest entry cut.
pub fn trim(conn: &mut DbConn, reader: i64) -> QueryResult<()> {
    let cut: Option<i64> = home_feeds::table
        .filter(home_feeds::account_id.eq(reader))
        .order(home_feeds::status_id.desc())
        .offset(FEED_SIZE)
        .select(home_feeds::status_id)
        .first(conn)
        .optional()?;
    let Some(cut) = cut else { return Ok(()) };
    diesel::delete(
        home_feeds::table
            .filter(home_feeds::account_id.eq(reader))
            .filter(home_feeds::status_id.le(cut)),
    )
    .execute(conn)?;
    raise_floor(conn, reader, cut)
}
