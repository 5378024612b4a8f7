//! Activities already received, so a redelivery has no effect; and, for a
//! few days, the JSON of each `Create`, `Update` and `Delete` of a post, so
//! that a board relays it as it arrived.

use super::{schema::received_activities, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

/// An activity about a post, as it arrived (its signature verified).
#[derive(Debug, Clone)]
pub struct AsReceived {
    /// The post's id.
    pub object_id: String,
    /// `Create`, `Update`, `Delete`, `Like` or `Undo` (of a `Like`).
    pub kind: String,
    /// The JSON, byte for byte.
    pub body: String,
}

/// Record `ap_id`, with its JSON if it is kept; `false` if it was already
/// recorded.
pub fn record(conn: &mut DbConn, ap_id: &str, kept: Option<&AsReceived>) -> QueryResult<bool> {
    let result = diesel::insert_into(received_activities::table)
        .values((
            received_activities::ap_id.eq(ap_id),
            received_activities::received_at.eq(super::now()),
            received_activities::object_id.eq(kept.map(|k| &k.object_id)),
            received_activities::kind.eq(kept.map(|k| &k.kind)),
            received_activities::body.eq(kept.map(|k| &k.body)),
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

/// The latest `kind` activity received about the post `object_id`, as it
/// arrived, if still kept.
pub fn as_received(conn: &mut DbConn, object_id: &str, kind: &str) -> QueryResult<Option<String>> {
    received_activities::table
        .filter(received_activities::object_id.eq(object_id))
        .filter(received_activities::kind.eq(kind))
        .filter(received_activities::body.is_not_null())
        .order(received_activities::received_at.desc())
        .select(received_activities::body)
        .first::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

/// The activity `ap_id` as it arrived, if still kept.
pub fn body_of(conn: &mut DbConn, ap_id: &str) -> QueryResult<Option<String>> {
    received_activities::table
        .find(ap_id)
        .select(received_activities::body)
        .first::<Option<String>>(conn)
        .optional()
        .map(Option::flatten)
}

/// Forget the JSON of activities received before `before` (their ids stay).
pub fn drop_bodies_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        received_activities::table
            .filter(received_activities::received_at.lt(before))
            .filter(received_activities::body.is_not_null()),
    )
    .set((
        received_activities::body.eq(None::<String>),
        received_activities::object_id.eq(None::<String>),
        received_activities::kind.eq(None::<String>),
    ))
    .execute(conn)
}

pub fn prune_before(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(received_activities::table.filter(received_activities::received_at.lt(before)))
        .execute(conn)
}
