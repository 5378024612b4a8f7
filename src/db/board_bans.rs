//! Accounts banned from a board: they may not post in it.

use super::{schema::board_bans, DbConn};
use diesel::prelude::*;

/// Ban `account_id` from `board_id` (once); false if already banned.
pub fn ban(conn: &mut DbConn, board_id: i64, account_id: i64, reason: &str) -> QueryResult<bool> {
    if is_banned(conn, board_id, account_id)? {
        return Ok(false);
    }
    diesel::insert_into(board_bans::table)
        .values((
            board_bans::board_id.eq(board_id),
            board_bans::account_id.eq(account_id),
            board_bans::reason.eq(reason),
            board_bans::created_at.eq(super::now()),
        ))
        .execute(conn)?;
    Ok(true)
}

/// Lift a ban; false if there was none.
pub fn unban(conn: &mut DbConn, board_id: i64, account_id: i64) -> QueryResult<bool> {
    Ok(diesel::delete(
        board_bans::table
            .filter(board_bans::board_id.eq(board_id))
            .filter(board_bans::account_id.eq(account_id)),
    )
    .execute(conn)?
        > 0)
}

pub fn is_banned(conn: &mut DbConn, board_id: i64, account_id: i64) -> QueryResult<bool> {
    let n: i64 = board_bans::table
        .filter(board_bans::board_id.eq(board_id))
        .filter(board_bans::account_id.eq(account_id))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

/// A board's bans, newest first: (account id, reason, when).
pub fn list(
    conn: &mut DbConn,
    board_id: i64,
) -> QueryResult<Vec<(i64, String, chrono::NaiveDateTime)>> {
    board_bans::table
        .filter(board_bans::board_id.eq(board_id))
        .order(board_bans::created_at.desc())
        .select((
            board_bans::account_id,
            board_bans::reason,
            board_bans::created_at,
        ))
        .limit(500)
        .load(conn)
}
