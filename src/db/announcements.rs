//! Announcements, their readers and reactions.

use super::{
    schema::{announcement_reactions, announcement_reads, announcements},
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = announcements)]
pub struct Announcement {
    pub id: i64,
    pub text: String,
    pub content: String,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub all_day: bool,
    pub published_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, a: &Announcement) -> QueryResult<()> {
    diesel::insert_into(announcements::table)
        .values(a)
        .execute(conn)
        .map(drop)
}

pub fn get(conn: &mut DbConn, id: i64) -> QueryResult<Option<Announcement>> {
    announcements::table
        .find(id)
        .select(Announcement::as_select())
        .first(conn)
        .optional()
}

/// Every announcement, newest first.
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Announcement>> {
    announcements::table
        .order(announcements::id.desc())
        .select(Announcement::as_select())
        .load(conn)
}

/// Announcements shown at `now`: started (or without a start) and not ended.
pub fn current(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<Vec<Announcement>> {
    announcements::table
        .filter(
            announcements::starts_at
                .is_null()
                .or(announcements::starts_at.le(now)),
        )
        .filter(
            announcements::ends_at
                .is_null()
                .or(announcements::ends_at.gt(now)),
        )
        .order(announcements::id.desc())
        .select(Announcement::as_select())
        .load(conn)
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(announcements::table.find(id)).execute(conn)? > 0)
}

/// Of `ids`, those `account_id` has dismissed (read).
pub fn read_among(conn: &mut DbConn, account_id: i64, ids: &[i64]) -> QueryResult<Vec<i64>> {
    announcement_reads::table
        .filter(announcement_reads::account_id.eq(account_id))
        .filter(announcement_reads::announcement_id.eq_any(ids))
        .select(announcement_reads::announcement_id)
        .load(conn)
}

pub fn mark_read(conn: &mut DbConn, id: i64, account_id: i64) -> QueryResult<()> {
    let done = announcement_reads::table
        .filter(announcement_reads::announcement_id.eq(id))
        .filter(announcement_reads::account_id.eq(account_id))
        .count()
        .get_result::<i64>(conn)?;
    if done == 0 {
        diesel::insert_into(announcement_reads::table)
            .values((
                announcement_reads::announcement_id.eq(id),
                announcement_reads::account_id.eq(account_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// (announcement, account, emoji) of every reaction to `ids`, oldest first.
pub fn reactions(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, i64, String)>> {
    announcement_reactions::table
        .filter(announcement_reactions::announcement_id.eq_any(ids))
        .order(announcement_reactions::created_at)
        .select((
            announcement_reactions::announcement_id,
            announcement_reactions::account_id,
            announcement_reactions::name,
        ))
        .load(conn)
}

pub fn add_reaction(conn: &mut DbConn, id: i64, account_id: i64, name: &str) -> QueryResult<()> {
    let there = announcement_reactions::table
        .filter(announcement_reactions::announcement_id.eq(id))
        .filter(announcement_reactions::account_id.eq(account_id))
        .filter(announcement_reactions::name.eq(name))
        .count()
        .get_result::<i64>(conn)?;
    if there == 0 {
        diesel::insert_into(announcement_reactions::table)
            .values((
                announcement_reactions::announcement_id.eq(id),
                announcement_reactions::account_id.eq(account_id),
                announcement_reactions::name.eq(name),
                announcement_reactions::created_at.eq(super::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn remove_reaction(conn: &mut DbConn, id: i64, account_id: i64, name: &str) -> QueryResult<()> {
    diesel::delete(
        announcement_reactions::table
            .filter(announcement_reactions::announcement_id.eq(id))
            .filter(announcement_reactions::account_id.eq(account_id))
            .filter(announcement_reactions::name.eq(name)),
    )
    .execute(conn)
    .map(drop)
}
