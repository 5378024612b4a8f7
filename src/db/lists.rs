//! Lists of accounts a local account made.

use super::{
    accounts::Account,
    schema::{accounts, list_accounts, lists},
    DbConn, Page,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = lists)]
pub struct List {
    pub id: i64,
    pub account_id: i64,
    pub title: String,
    /// Which replies appear: `followed`, `list` or `none`.
    pub replies_policy: String,
    /// Members' posts leave the home timeline.
    pub exclusive: bool,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, list: &List) -> QueryResult<()> {
    diesel::insert_into(lists::table)
        .values(list)
        .execute(conn)
        .map(|_| ())
}

pub fn update(conn: &mut DbConn, list: &List) -> QueryResult<()> {
    diesel::update(lists::table.find(list.id))
        .set(list)
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(lists::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// A list of `owner`'s.
pub fn get(conn: &mut DbConn, owner: i64, id: i64) -> QueryResult<Option<List>> {
    lists::table
        .filter(lists::id.eq(id))
        .filter(lists::account_id.eq(owner))
        .select(List::as_select())
        .first(conn)
        .optional()
}

pub fn of_owner(conn: &mut DbConn, owner: i64) -> QueryResult<Vec<List>> {
    lists::table
        .filter(lists::account_id.eq(owner))
        .order(lists::id)
        .select(List::as_select())
        .load(conn)
}

/// `owner`'s lists that contain `member`.
pub fn containing(conn: &mut DbConn, owner: i64, member: i64) -> QueryResult<Vec<List>> {
    lists::table
        .inner_join(list_accounts::table.on(list_accounts::list_id.eq(lists::id)))
        .filter(lists::account_id.eq(owner))
        .filter(list_accounts::account_id.eq(member))
        .select(List::as_select())
        .load(conn)
}

pub fn add_member(conn: &mut DbConn, list_id: i64, account_id: i64) -> QueryResult<()> {
    let present: bool = diesel::select(diesel::dsl::exists(
        list_accounts::table
            .filter(list_accounts::list_id.eq(list_id))
            .filter(list_accounts::account_id.eq(account_id)),
    ))
    .get_result(conn)?;
    if !present {
        diesel::insert_into(list_accounts::table)
            .values((
                list_accounts::list_id.eq(list_id),
                list_accounts::account_id.eq(account_id),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn remove_member(conn: &mut DbConn, list_id: i64, account_id: i64) -> QueryResult<()> {
    diesel::delete(
        list_accounts::table
            .filter(list_accounts::list_id.eq(list_id))
            .filter(list_accounts::account_id.eq(account_id)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Remove `member` from all of `owner`'s lists (after an unfollow).
pub fn remove_everywhere(conn: &mut DbConn, owner: i64, member: i64) -> QueryResult<()> {
    for list in containing(conn, owner, member)? {
        remove_member(conn, list.id, member)?;
    }
    Ok(())
}

pub fn member_ids(conn: &mut DbConn, list_id: i64) -> QueryResult<Vec<i64>> {
    list_accounts::table
        .filter(list_accounts::list_id.eq(list_id))
        .select(list_accounts::account_id)
        .load(conn)
}

/// A list's members, by account id (newest first).
pub fn members(conn: &mut DbConn, list_id: i64, page: &Page) -> QueryResult<Vec<Account>> {
    let q = list_accounts::table
        .inner_join(accounts::table.on(accounts::id.eq(list_accounts::account_id)))
        .filter(list_accounts::list_id.eq(list_id))
        .select(Account::as_select())
        .into_boxed();
    crate::load_page!(q, accounts::id, page, conn)
}

/// Members of `owner`'s exclusive lists (their posts stay out of home).
pub fn exclusive_member_ids(conn: &mut DbConn, owner: i64) -> QueryResult<Vec<i64>> {
    list_accounts::table
        .inner_join(lists::table.on(lists::id.eq(list_accounts::list_id)))
        .filter(lists::account_id.eq(owner))
        .filter(lists::exclusive.eq(true))
        .select(list_accounts::account_id)
        .load(conn)
}

/// (list id, owner) of every list that has `member`.
pub fn lists_with_member(conn: &mut DbConn, member: i64) -> QueryResult<Vec<(i64, i64)>> {
    list_accounts::table
        .inner_join(lists::table.on(lists::id.eq(list_accounts::list_id)))
        .filter(list_accounts::account_id.eq(member))
        .select((lists::id, lists::account_id))
        .load(conn)
}

/// Owners of exclusive lists that have `member` (its posts stay out of their home).
pub fn exclusive_owners_of(conn: &mut DbConn, member: i64) -> QueryResult<Vec<i64>> {
    list_accounts::table
        .inner_join(lists::table.on(lists::id.eq(list_accounts::list_id)))
        .filter(list_accounts::account_id.eq(member))
        .filter(lists::exclusive.eq(true))
        .select(lists::account_id)
        .load(conn)
}
