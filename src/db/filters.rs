//! Filters, their keywords and their statuses.

use super::schema::{filter_keywords, filter_statuses, filters};
use super::DbConn;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = filters, treat_none_as_null = true)]
pub struct Filter {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    /// JSON list of contexts.
    pub context: String,
    /// `warn`, `hide` or `blur`.
    pub action: String,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl Filter {
    pub fn contexts(&self) -> Vec<String> {
        serde_json::from_str(&self.context).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = filter_keywords)]
pub struct Keyword {
    pub id: i64,
    pub filter_id: i64,
    pub keyword: String,
    pub whole_word: bool,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = filter_statuses)]
pub struct FilteredStatus {
    pub id: i64,
    pub filter_id: i64,
    pub status_id: i64,
}

pub fn insert(conn: &mut DbConn, f: &Filter) -> QueryResult<()> {
    diesel::insert_into(filters::table)
        .values(f)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, f: &Filter) -> QueryResult<()> {
    diesel::update(filters::table.find(f.id))
        .set(f)
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(filters::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConn, owner: i64, id: i64) -> QueryResult<Option<Filter>> {
    filters::table
        .filter(filters::id.eq(id))
        .filter(filters::account_id.eq(owner))
        .select(Filter::as_select())
        .first(conn)
        .optional()
}

/// All of `owner`'s filters, oldest first.
pub fn of_owner(conn: &mut DbConn, owner: i64) -> QueryResult<Vec<Filter>> {
    filters::table
        .filter(filters::account_id.eq(owner))
        .order(filters::id)
        .select(Filter::as_select())
        .load(conn)
}

pub fn keywords(conn: &mut DbConn, filter_ids: &[i64]) -> QueryResult<Vec<Keyword>> {
    filter_keywords::table
        .filter(filter_keywords::filter_id.eq_any(filter_ids))
        .order(filter_keywords::id)
        .select(Keyword::as_select())
        .load(conn)
}

pub fn keyword(conn: &mut DbConn, id: i64) -> QueryResult<Option<Keyword>> {
    filter_keywords::table
        .find(id)
        .select(Keyword::as_select())
        .first(conn)
        .optional()
}

pub fn insert_keyword(conn: &mut DbConn, k: &Keyword) -> QueryResult<()> {
    diesel::insert_into(filter_keywords::table)
        .values(k)
        .execute(conn)
        .map(|_| ())
}

pub fn update_keyword(conn: &mut DbConn, k: &Keyword) -> QueryResult<()> {
    diesel::update(filter_keywords::table.find(k.id))
        .set(k)
        .execute(conn)
        .map(|_| ())
}

pub fn delete_keyword(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(filter_keywords::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn statuses(conn: &mut DbConn, filter_ids: &[i64]) -> QueryResult<Vec<FilteredStatus>> {
    filter_statuses::table
        .filter(filter_statuses::filter_id.eq_any(filter_ids))
        .order(filter_statuses::id)
        .select(FilteredStatus::as_select())
        .load(conn)
}

pub fn filtered_status(conn: &mut DbConn, id: i64) -> QueryResult<Option<FilteredStatus>> {
    filter_statuses::table
        .find(id)
        .select(FilteredStatus::as_select())
        .first(conn)
        .optional()
}

pub fn insert_status(conn: &mut DbConn, s: &FilteredStatus) -> QueryResult<()> {
    diesel::insert_into(filter_statuses::table)
        .values(s)
        .execute(conn)
        .map(|_| ())
}

pub fn delete_status(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(filter_statuses::table.find(id))
        .execute(conn)
        .map(|_| ())
}
