//! Favourites (likes), local and remote.

use super::{
    accounts::Account,
    schema::{accounts, favourites},
    DbConn, Page,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = favourites)]
pub struct Favourite {
    pub id: i64,
    pub account_id: i64,
    pub status_id: i64,
    /// The `Like` activity's id.
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, f: &Favourite) -> QueryResult<()> {
    diesel::insert_into(favourites::table)
        .values(f)
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConn, account_id: i64, status_id: i64) -> QueryResult<Option<Favourite>> {
    favourites::table
        .filter(favourites::account_id.eq(account_id))
        .filter(favourites::status_id.eq(status_id))
        .select(Favourite::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Favourite>> {
    favourites::table
        .filter(favourites::ap_id.eq(ap_id))
        .select(Favourite::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(favourites::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Number of favourites of each of `status_ids`.
pub fn counts(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<HashMap<i64, i64>> {
    let rows: Vec<(i64, i64)> = favourites::table
        .filter(favourites::status_id.eq_any(status_ids))
        .group_by(favourites::status_id)
        .select((favourites::status_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}

/// Which of `status_ids` `account_id` favourited.
pub fn favourited(conn: &mut DbConn, account_id: i64, status_ids: &[i64]) -> QueryResult<Vec<i64>> {
    favourites::table
        .filter(favourites::account_id.eq(account_id))
        .filter(favourites::status_id.eq_any(status_ids))
        .select(favourites::status_id)
        .load(conn)
}

/// Who favourited a status: (favourite id, account), newest first.
pub fn accounts_of(
    conn: &mut DbConn,
    status_id: i64,
    page: &Page,
) -> QueryResult<Vec<(i64, Account)>> {
    let q = favourites::table
        .inner_join(accounts::table.on(accounts::id.eq(favourites::account_id)))
        .filter(favourites::status_id.eq(status_id))
        .select((favourites::id, Account::as_select()))
        .into_boxed();
    crate::load_page!(q, favourites::id, page, conn)
}

/// What an account favourited: (favourite id, status id), newest first.
pub fn of_account(conn: &mut DbConn, account_id: i64, page: &Page) -> QueryResult<Vec<(i64, i64)>> {
    let q = favourites::table
        .filter(favourites::account_id.eq(account_id))
        .select((favourites::id, favourites::status_id))
        .into_boxed();
    crate::load_page!(q, favourites::id, page, conn)
}
