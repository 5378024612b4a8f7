//! Servers a local account hides.

use super::{schema::account_domain_blocks as table, DbConn, Page};
use diesel::prelude::*;

/// Hide `domain` for `account_id`; false if it was hidden already.
pub fn insert(conn: &mut DbConn, id: i64, account_id: i64, domain: &str) -> QueryResult<bool> {
    if domains(conn, account_id)?.iter().any(|d| d == domain) {
        return Ok(false);
    }
    diesel::insert_into(table::table)
        .values((
            table::id.eq(id),
            table::account_id.eq(account_id),
            table::domain.eq(domain),
            table::created_at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| true)
}

pub fn delete(conn: &mut DbConn, account_id: i64, domain: &str) -> QueryResult<()> {
    diesel::delete(
        table::table
            .filter(table::account_id.eq(account_id))
            .filter(table::domain.eq(domain)),
    )
    .execute(conn)
    .map(|_| ())
}

/// Every domain `account_id` hides.
pub fn domains(conn: &mut DbConn, account_id: i64) -> QueryResult<Vec<String>> {
    table::table
        .filter(table::account_id.eq(account_id))
        .select(table::domain)
        .load(conn)
}

/// (block id, domain), newest first.
pub fn list(conn: &mut DbConn, account_id: i64, page: &Page) -> QueryResult<Vec<(i64, String)>> {
    let q = table::table
        .filter(table::account_id.eq(account_id))
        .select((table::id, table::domain))
        .into_boxed();
    crate::load_page!(q, table::id, page, conn)
}
