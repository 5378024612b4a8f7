//! Hashtags: names, which statuses carry them, who follows or features them.

use super::{
    schema::{featured_tags, status_tags, statuses, tag_follows, tags},
    DbConn, Page,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = tags)]
pub struct Tag {
    pub id: i64,
    /// Lowercased.
    pub name: String,
    pub created_at: NaiveDateTime,
}

pub fn by_name(conn: &mut DbConn, name: &str) -> QueryResult<Option<Tag>> {
    tags::table
        .filter(tags::name.eq(name.to_lowercase()))
        .select(Tag::as_select())
        .first(conn)
        .optional()
}

/// The tag named `name`, made (with id `new_id`) if it does not exist yet.
pub fn find_or_create(conn: &mut DbConn, name: &str, new_id: i64) -> QueryResult<Tag> {
    if let Some(tag) = by_name(conn, name)? {
        return Ok(tag);
    }
    let tag = Tag {
        id: new_id,
        name: name.to_lowercase(),
        created_at: super::now(),
    };
    diesel::insert_into(tags::table)
        .values(&tag)
        .execute(conn)?;
    Ok(tag)
}

/// Replace the tags of a status.
pub fn set_for_status(conn: &mut DbConn, status_id: i64, tag_ids: &[i64]) -> QueryResult<()> {
    diesel::delete(status_tags::table.filter(status_tags::status_id.eq(status_id)))
        .execute(conn)?;
    let mut ids = tag_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for &tag_id in &ids {
        diesel::insert_into(status_tags::table)
            .values((
                status_tags::status_id.eq(status_id),
                status_tags::tag_id.eq(tag_id),
            ))
            .execute(conn)?;
    }
    super::home_feeds::tagged(conn, status_id, &ids)
}

/// The tag names of each of `status_ids`.
pub fn names_for(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = status_tags::table
        .inner_join(tags::table.on(tags::id.eq(status_tags::tag_id)))
        .filter(status_tags::status_id.eq_any(status_ids))
        .order(tags::name)
        .select((status_tags::status_id, tags::name))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (status, name) in rows {
        out.entry(status).or_default().push(name);
    }
    Ok(out)
}

/// (day, posts, distinct authors) with the tag since `since`, newest day first.
pub fn daily_use(
    conn: &mut DbConn,
    tag_id: i64,
    since: NaiveDateTime,
) -> QueryResult<Vec<(chrono::NaiveDate, i64, i64)>> {
    let rows: Vec<(NaiveDateTime, i64)> = status_tags::table
        .inner_join(statuses::table.on(statuses::id.eq(status_tags::status_id)))
        .filter(status_tags::tag_id.eq(tag_id))
        .filter(statuses::created_at.ge(since))
        .filter(statuses::visibility.eq_any(["public", "unlisted"]))
        .select((statuses::created_at, statuses::account_id))
        .limit(100_000)
        .load(conn)?;
    let mut days: HashMap<chrono::NaiveDate, (i64, Vec<i64>)> = HashMap::new();
    for (at, account) in rows {
        let day = days.entry(at.date()).or_default();
        day.0 += 1;
        if !day.1.contains(&account) {
            day.1.push(account);
        }
    }
    let mut out: Vec<_> = days
        .into_iter()
        .map(|(d, (n, a))| (d, n, a.len() as i64))
        .collect();
    out.sort_by_key(|d| std::cmp::Reverse(d.0));
    Ok(out)
}

/// Local accounts that follow any of the tags `names`.
pub fn followers_of(conn: &mut DbConn, names: &[String]) -> QueryResult<Vec<i64>> {
    tag_follows::table
        .inner_join(tags::table.on(tags::id.eq(tag_follows::tag_id)))
        .filter(tags::name.eq_any(names))
        .select(tag_follows::account_id)
        .load(conn)
}

/// Ids of the tags `account_id` follows.
pub fn followed_ids(conn: &mut DbConn, account_id: i64) -> QueryResult<Vec<i64>> {
    tag_follows::table
        .filter(tag_follows::account_id.eq(account_id))
        .select(tag_follows::tag_id)
        .load(conn)
}

pub fn follow(conn: &mut DbConn, id: i64, account_id: i64, tag_id: i64) -> QueryResult<()> {
    if followed_ids(conn, account_id)?.contains(&tag_id) {
        return Ok(());
    }
    diesel::insert_into(tag_follows::table)
        .values((
            tag_follows::id.eq(id),
            tag_follows::account_id.eq(account_id),
            tag_follows::tag_id.eq(tag_id),
            tag_follows::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    super::home_feeds::tag_followed(conn, account_id, tag_id)
}

pub fn unfollow(conn: &mut DbConn, account_id: i64, tag_id: i64) -> QueryResult<()> {
    diesel::delete(
        tag_follows::table
            .filter(tag_follows::account_id.eq(account_id))
            .filter(tag_follows::tag_id.eq(tag_id)),
    )
    .execute(conn)
    .map(|_| ())
}

/// The tags `account_id` follows: (follow id, tag), newest first.
pub fn followed(conn: &mut DbConn, account_id: i64, page: &Page) -> QueryResult<Vec<(i64, Tag)>> {
    let q = tag_follows::table
        .inner_join(tags::table.on(tags::id.eq(tag_follows::tag_id)))
        .filter(tag_follows::account_id.eq(account_id))
        .select((tag_follows::id, Tag::as_select()))
        .into_boxed();
    crate::load_page!(q, tag_follows::id, page, conn)
}

/// The tags `account_id` features: (feature id, tag), oldest first.
pub fn featured(conn: &mut DbConn, account_id: i64) -> QueryResult<Vec<(i64, Tag)>> {
    featured_tags::table
        .inner_join(tags::table.on(tags::id.eq(featured_tags::tag_id)))
        .filter(featured_tags::account_id.eq(account_id))
        .order(featured_tags::id)
        .select((featured_tags::id, Tag::as_select()))
        .load(conn)
}

pub fn feature(conn: &mut DbConn, id: i64, account_id: i64, tag_id: i64) -> QueryResult<i64> {
    if let Some((existing, _)) = featured(conn, account_id)?
        .into_iter()
        .find(|(_, t)| t.id == tag_id)
    {
        return Ok(existing);
    }
    diesel::insert_into(featured_tags::table)
        .values((
            featured_tags::id.eq(id),
            featured_tags::account_id.eq(account_id),
            featured_tags::tag_id.eq(tag_id),
            featured_tags::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(id)
}

/// Stop featuring; false if `id` is not one of `account_id`'s.
pub fn unfeature(conn: &mut DbConn, account_id: i64, id: i64) -> QueryResult<bool> {
    diesel::delete(
        featured_tags::table
            .filter(featured_tags::account_id.eq(account_id))
            .filter(featured_tags::id.eq(id)),
    )
    .execute(conn)
    .map(|n| n > 0)
}

/// How many public statuses `account_id` posted with the tag, and the latest's time.
pub fn account_use(
    conn: &mut DbConn,
    account_id: i64,
    tag_id: i64,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    status_tags::table
        .inner_join(statuses::table.on(statuses::id.eq(status_tags::status_id)))
        .filter(status_tags::tag_id.eq(tag_id))
        .filter(statuses::account_id.eq(account_id))
        .filter(statuses::visibility.eq_any(["public", "unlisted"]))
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(statuses::created_at),
        ))
        .first(conn)
}

/// The tags `account_id` used most in its recent statuses.
pub fn most_used_by(conn: &mut DbConn, account_id: i64, limit: i64) -> QueryResult<Vec<Tag>> {
    let rows: Vec<(i64, i64)> = status_tags::table
        .inner_join(statuses::table.on(statuses::id.eq(status_tags::status_id)))
        .filter(statuses::account_id.eq(account_id))
        .group_by(status_tags::tag_id)
        .select((status_tags::tag_id, diesel::dsl::count_star()))
        .order((diesel::dsl::count_star().desc(), status_tags::tag_id))
        .limit(limit)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|(id, _)| *id).collect();
    let found: Vec<Tag> = tags::table
        .filter(tags::id.eq_any(&ids))
        .select(Tag::as_select())
        .load(conn)?;
    Ok(ids
        .iter()
        .filter_map(|id| found.iter().find(|t| t.id == *id).cloned())
        .collect())
}

pub fn by_ids(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Tag>> {
    tags::table
        .filter(tags::id.eq_any(ids))
        .select(Tag::as_select())
        .load(conn)
}
