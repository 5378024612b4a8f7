//! `Idempotency-Key`s of status posts: the same key from the same account
//! gives back the status it created instead of posting twice.

use super::{schema::idempotency_keys, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

pub fn status_for(conn: &mut DbConn, account_id: i64, key: &str) -> QueryResult<Option<i64>> {
    idempotency_keys::table
        .filter(idempotency_keys::account_id.eq(account_id))
        .filter(idempotency_keys::idempotency_key.eq(key))
        .select(idempotency_keys::status_id)
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, account_id: i64, key: &str, status_id: i64) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::account_id.eq(account_id),
            idempotency_keys::idempotency_key.eq(key),
            idempotency_keys::status_id.eq(status_id),
            idempotency_keys::created_at.eq(super::now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Forget keys older than `before`.
pub fn prune(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(idempotency_keys::table.filter(idempotency_keys::created_at.lt(before)))
        .execute(conn)
}
