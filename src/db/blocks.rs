//! Blocks between accounts.

use super::{
    accounts::Account,
    schema::{accounts, blocks},
    DbConn, Page,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = blocks)]
pub struct Block {
    pub id: i64,
    /// The blocker.
    pub account_id: i64,
    pub target_account_id: i64,
    /// The `Block` activity's id.
    pub ap_id: Option<String>,
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, block: &Block) -> QueryResult<()> {
    diesel::insert_into(blocks::table)
        .values(block)
        .execute(conn)
        .map(|_| ())
}

pub fn get(conn: &mut DbConn, blocker: i64, target: i64) -> QueryResult<Option<Block>> {
    blocks::table
        .filter(blocks::account_id.eq(blocker))
        .filter(blocks::target_account_id.eq(target))
        .select(Block::as_select())
        .first(conn)
        .optional()
}

pub fn by_ap_id(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<Block>> {
    blocks::table
        .filter(blocks::ap_id.eq(ap_id))
        .select(Block::as_select())
        .first(conn)
        .optional()
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(blocks::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Whether either of the two blocks the other.
pub fn between(conn: &mut DbConn, a: i64, b: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        blocks::table.filter(
            (blocks::account_id
                .eq(a)
                .and(blocks::target_account_id.eq(b)))
            .or(blocks::account_id
                .eq(b)
                .and(blocks::target_account_id.eq(a))),
        ),
    ))
    .get_result(conn)
}

/// Accounts `me` blocks.
pub fn blocked_by(conn: &mut DbConn, me: i64) -> QueryResult<Vec<i64>> {
    blocks::table
        .filter(blocks::account_id.eq(me))
        .select(blocks::target_account_id)
        .load(conn)
}

/// Accounts that block `me`.
pub fn blocking(conn: &mut DbConn, me: i64) -> QueryResult<Vec<i64>> {
    blocks::table
        .filter(blocks::target_account_id.eq(me))
        .select(blocks::account_id)
        .load(conn)
}

/// The accounts `me` blocks: (block id, account), newest first.
pub fn list(conn: &mut DbConn, me: i64, page: &Page) -> QueryResult<Vec<(i64, Account)>> {
    let q = blocks::table
        .inner_join(accounts::table.on(accounts::id.eq(blocks::target_account_id)))
        .filter(blocks::account_id.eq(me))
        .select((blocks::id, Account::as_select()))
        .into_boxed();
    crate::load_page!(q, blocks::id, page, conn)
}
