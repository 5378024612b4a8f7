//! Activities already received, so a redelivery has no effect.

use super::{schema::received_activities, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// Record `ap_id`; `false` if it was already recorded.
pub fn record(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    let result = diesel::insert_into(received_activities::table)
        .values((
            received_activities::ap_id.eq(ap_id),
            received_activities::received_at.eq(super::now()),
        ))
        .execute(conn);
    match result {
        Ok(_) => Ok(true),
        Err(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => Ok(false),
        Err(e) => Err(e),
    }
}

pub fn seen(conn: &mut DbConn, ap_id: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        received_activities::table.filter(received_activities::ap_id.eq(ap_id)),
    ))
    .get_result(conn)
}

/// Forget an activity whose processing failed, so a retry can apply it.
pub fn forget(conn: &mut DbConn, ap_id: &str) -> QueryResult<()> {
    diesel::delete(received_activities::table.filter(received_activities::ap_id.eq(ap_id)))
        .execute(conn)
        .map(|_| ())
}

pub fn prune_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::received_at.lt(before)))
        .execute(conn)
}
