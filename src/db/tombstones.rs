//! Ids of deleted objects.

use super::{schema::tombstones, DbConn};
use diesel::prelude::*;

pub fn insert(conn: &mut DbConn, ap_id: &str) -> QueryResult<()> {
    if exists(conn, ap_id)? {
        return Ok(());
    }
    diesel::insert_into(tombstones::table)
        .values((
            tombstones::ap_id.eq(ap_id),
            tombstones::deleted_at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn exists(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        tombstones::table.filter(tombstones::ap_id.eq(ap_id)),
    ))
    .get_result(conn)
}
