//! Accounts a teacher asked not to be suggested again.

use super::{schema::suggestion_dismissals, DbConn};
use diesel::prelude::*;

/// Accounts `account_id` asked not to be suggested.
pub fn dismissed(conn: &mut DbConn, account_id: i64) -> QueryResult<Vec<i64>> {
    suggestion_dismissals::table
        .filter(suggestion_dismissals::account_id.eq(account_id))
        .select(suggestion_dismissals::target_account_id)
        .load(conn)
}

pub fn dismiss(conn: &mut DbConn, account_id: i64, target: i64) -> QueryResult<()> {
    let there = suggestion_dismissals::table
        .filter(suggestion_dismissals::account_id.eq(account_id))
        .filter(suggestion_dismissals::target_account_id.eq(target))
        .count()
        .get_result::<i64>(conn)?;
    if there == 0 {
        diesel::insert_into(suggestion_dismissals::table)
            .values((
                suggestion_dismissals::account_id.eq(account_id),
                suggestion_dismissals::target_account_id.eq(target),
                suggestion_dismissals::created_at.eq(super::now()),
            ))
            .execute(conn)?;
    }
    Ok(())
}
