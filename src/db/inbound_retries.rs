//! Received activities whose work waits on a third server: leased, retried
//! and dropped like deliveries (see `core::inbound`).

use super::{schema::inbound_retries, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = inbound_retries)]
pub struct InboundRetry {
    pub id: i64,
    /// The activity's id.
    pub ap_id: String,
    /// The activity's JSON as it arrived, its signature verified.
    pub body: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Queue `r`; `false` if its activity is queued already.
pub fn insert(conn: &mut DbConn, r: &InboundRetry) -> QueryResult<bool> {
    let there: i64 = inbound_retries::table
        .filter(inbound_retries::ap_id.eq(&r.ap_id))
        .count()
        .get_result(conn)?;
    if there > 0 {
        return Ok(false);
    }
    diesel::insert_into(inbound_retries::table)
        .values(r)
        .execute(conn)?;
    Ok(true)
}

/// Up to `limit` retries due at `now` and not leased.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<InboundRetry>> {
    inbound_retries::table
        .filter(inbound_retries::next_attempt_at.le(now))
        .filter(
            inbound_retries::locked_until
                .is_null()
                .or(inbound_retries::locked_until.lt(now)),
        )
        .order(inbound_retries::next_attempt_at.asc())
        .limit(limit)
        .select(InboundRetry::as_select())
        .load(conn)
}

/// Lease one retry until `until`; `false` if another worker holds it.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        inbound_retries::table.find(id).filter(
            inbound_retries::locked_until
                .is_null()
                .or(inbound_retries::locked_until.lt(now)),
        ),
    )
    .set(inbound_retries::locked_until.eq(until))
    .execute(conn)?;
    Ok(n == 1)
}

/// Applied, refused for good or given up: forget it.
pub fn done(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(inbound_retries::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// Try again at `at`.
pub fn reschedule(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    at: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(inbound_retries::table.find(id))
        .set((
            inbound_retries::attempts.eq(attempts),
            inbound_retries::next_attempt_at.eq(at),
            inbound_retries::locked_until.eq(None::<NaiveDateTime>),
            inbound_retries::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Drop every lease (at start-up, when this process alone uses the database).
pub fn release_all_leases(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::update(inbound_retries::table.filter(inbound_retries::locked_until.is_not_null()))
        .set(inbound_retries::locked_until.eq(None::<NaiveDateTime>))
        .execute(conn)
}

/// The earliest time a retry is due, if any is queued.
pub fn next_due(conn: &mut DbConn) -> QueryResult<Option<NaiveDateTime>> {
    inbound_retries::table
        .select(diesel::dsl::min(inbound_retries::next_attempt_at))
        .first(conn)
}
