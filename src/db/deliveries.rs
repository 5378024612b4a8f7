//! The outbound queue: activities to send and their pending deliveries, one
//! per remote inbox, plus what we know of each remote host's health.

use super::{
    schema::{deliveries, federation_hosts, outbox_activities},
    DbConn,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = outbox_activities)]
pub struct OutboxActivity {
    pub id: i64,
    pub ap_id: String,
    /// The local account that signs it; `None` for the instance actor.
    pub actor_account_id: Option<i64>,
    /// The activity JSON, exactly as sent.
    pub payload: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = deliveries)]
pub struct Delivery {
    pub id: i64,
    pub activity_id: i64,
    pub inbox_url: String,
    pub host: String,
    pub attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub failed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = federation_hosts)]
pub struct HostState {
    pub host: String,
    /// Set at the first failure after a success; cleared by any success.
    pub failing_since: Option<NaiveDateTime>,
    pub last_success_at: Option<NaiveDateTime>,
    pub last_failure_at: Option<NaiveDateTime>,
}

pub fn insert_activity(conn: &mut DbConn, a: &OutboxActivity) -> QueryResult<()> {
    diesel::insert_into(outbox_activities::table)
        .values(a)
        .execute(conn)
        .map(|_| ())
}

pub fn insert_delivery(conn: &mut DbConn, d: &Delivery) -> QueryResult<()> {
    diesel::insert_into(deliveries::table)
        .values(d)
        .execute(conn)
        .map(|_| ())
}

pub fn activity(conn: &mut DbConn, id: i64) -> QueryResult<Option<OutboxActivity>> {
    outbox_activities::table
        .find(id)
        .select(OutboxActivity::as_select())
        .first(conn)
        .optional()
}

/// Deliveries due now and not leased by a worker, oldest due first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<Delivery>> {
    deliveries::table
        .filter(deliveries::failed_at.is_null())
        .filter(deliveries::next_attempt_at.le(now))
        .filter(
            deliveries::locked_until
                .is_null()
                .or(deliveries::locked_until.lt(now)),
        )
        .order(deliveries::next_attempt_at.asc())
        .limit(limit)
        .select(Delivery::as_select())
        .load(conn)
}

/// Lease one delivery until `until`; `false` if another worker holds it.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    now: NaiveDateTime,
    until: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        deliveries::table.filter(deliveries::id.eq(id)).filter(
            deliveries::locked_until
                .is_null()
                .or(deliveries::locked_until.lt(now)),
        ),
    )
    .set(deliveries::locked_until.eq(until))
    .execute(conn)?;
    Ok(n == 1)
}

/// The delivery succeeded (or was refused for good and logged): forget it.
pub fn done(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(deliveries::table.find(id))
        .execute(conn)
        .map(|_| ())
}

pub fn reschedule(
    conn: &mut DbConn,
    id: i64,
    attempts: i32,
    next: NaiveDateTime,
    error: &str,
) -> QueryResult<()> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::attempts.eq(attempts),
            deliveries::next_attempt_at.eq(next),
            deliveries::locked_until.eq(None::<NaiveDateTime>),
            deliveries::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn give_up(conn: &mut DbConn, id: i64, now: NaiveDateTime, error: &str) -> QueryResult<()> {
    diesel::update(deliveries::table.find(id))
        .set((
            deliveries::failed_at.eq(now),
            deliveries::locked_until.eq(None::<NaiveDateTime>),
            deliveries::last_error.eq(error),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Drop every lease (at start-up of the only process that uses this database).
pub fn release_all_leases(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::update(deliveries::table.filter(deliveries::locked_until.is_not_null()))
        .set(deliveries::locked_until.eq(None::<NaiveDateTime>))
        .execute(conn)
}

/// Make every pending delivery to `host` due now (the host is back).
pub fn wake_host(conn: &mut DbConn, host: &str, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        deliveries::table
            .filter(deliveries::host.eq(host))
            .filter(deliveries::failed_at.is_null())
            .filter(deliveries::next_attempt_at.gt(now)),
    )
    .set(deliveries::next_attempt_at.eq(now))
    .execute(conn)
}

/// Forget up to `batch` of what was sent before `before`: deliveries given
/// up, then activities with no delivery left. Returns how many rows went.
pub fn prune(conn: &mut DbConn, before: NaiveDateTime, batch: i64) -> QueryResult<usize> {
    let given_up: Vec<i64> = deliveries::table
        .filter(deliveries::failed_at.lt(before))
        .select(deliveries::id)
        .limit(batch)
        .load(conn)?;
    let mut gone =
        diesel::delete(deliveries::table.filter(deliveries::id.eq_any(&given_up))).execute(conn)?;
    let sent: Vec<i64> = outbox_activities::table
        .filter(outbox_activities::created_at.lt(before))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            deliveries::table.filter(deliveries::activity_id.eq(outbox_activities::id)),
        )))
        .select(outbox_activities::id)
        .limit(batch)
        .load(conn)?;
    gone += diesel::delete(outbox_activities::table.filter(outbox_activities::id.eq_any(&sent)))
        .execute(conn)?;
    Ok(gone)
}

pub fn pending_count(conn: &mut DbConn) -> QueryResult<i64> {
    deliveries::table
        .filter(deliveries::failed_at.is_null())
        .count()
        .get_result(conn)
}

pub fn activities_count(conn: &mut DbConn) -> QueryResult<i64> {
    outbox_activities::table.count().get_result(conn)
}

pub fn host_state(conn: &mut DbConn, host: &str) -> QueryResult<Option<HostState>> {
    federation_hosts::table
        .find(host)
        .select(HostState::as_select())
        .first(conn)
        .optional()
}

fn save_host(conn: &mut DbConn, state: &HostState) -> QueryResult<()> {
    let exists = host_state(conn, &state.host)?.is_some();
    if exists {
        diesel::update(federation_hosts::table.find(&state.host))
            .set((
                federation_hosts::failing_since.eq(state.failing_since),
                federation_hosts::last_success_at.eq(state.last_success_at),
                federation_hosts::last_failure_at.eq(state.last_failure_at),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(federation_hosts::table)
            .values(state)
            .execute(conn)?;
    }
    Ok(())
}

/// Record a successful exchange with `host`; returns whether it had been failing.
pub fn host_succeeded(conn: &mut DbConn, host: &str, now: NaiveDateTime) -> QueryResult<bool> {
    let old = host_state(conn, host)?;
    let was_failing = old.as_ref().is_some_and(|s| s.failing_since.is_some());
    save_host(
        conn,
        &HostState {
            host: host.to_string(),
            failing_since: None,
            last_success_at: Some(now),
            last_failure_at: old.and_then(|s| s.last_failure_at),
        },
    )?;
    Ok(was_failing)
}

/// Record a failed delivery to `host`; returns the state after it.
pub fn host_failed(conn: &mut DbConn, host: &str, now: NaiveDateTime) -> QueryResult<HostState> {
    let old = host_state(conn, host)?;
    let state = HostState {
        host: host.to_string(),
        failing_since: old.as_ref().and_then(|s| s.failing_since).or(Some(now)),
        last_success_at: old.and_then(|s| s.last_success_at),
        last_failure_at: Some(now),
    };
    save_host(conn, &state)?;
    Ok(state)
}
