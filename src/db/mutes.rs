//! Mutes: accounts a local account does not want to see (expired mutes
//! count as gone).

use super::{
    accounts::Account,
    schema::{accounts, mutes},
    DbConn, Page,
};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mutes)]
pub struct Mute {
    pub id: i64,
    pub account_id: i64,
    pub target_account_id: i64,
    /// Their notifications are hidden too.
    pub hide_notifications: bool,
    pub expires_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// Insert or replace the mute of `target_account_id` by `account_id`.
pub fn save(conn: &mut DbConn, mute: &Mute) -> QueryResult<()> {
    diesel::delete(
        mutes::table
            .filter(mutes::account_id.eq(mute.account_id))
            .filter(mutes::target_account_id.eq(mute.target_account_id)),
    )
    .execute(conn)?;
    diesel::insert_into(mutes::table)
        .values(mute)
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, me: i64, target: i64) -> QueryResult<()> {
    diesel::delete(
        mutes::table
            .filter(mutes::account_id.eq(me))
            .filter(mutes::target_account_id.eq(target)),
    )
    .execute(conn)
    .map(|_| ())
}

/// The current mutes of `me` among `targets`.
pub fn of(conn: &mut DbConn, me: i64, targets: &[i64]) -> QueryResult<Vec<Mute>> {
    let now = super::now();
    mutes::table
        .filter(mutes::account_id.eq(me))
        .filter(mutes::target_account_id.eq_any(targets))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(Mute::as_select())
        .load(conn)
}

/// Accounts `me` mutes (only those whose notifications are hidden, if `notifications`).
pub fn muted(conn: &mut DbConn, me: i64, notifications: bool) -> QueryResult<Vec<i64>> {
    let now = super::now();
    let mut q = mutes::table
        .filter(mutes::account_id.eq(me))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select(mutes::target_account_id)
        .into_boxed();
    if notifications {
        q = q.filter(mutes::hide_notifications.eq(true));
    }
    q.load(conn)
}

/// The accounts `me` mutes: (mute id, account), newest first.
pub fn list(conn: &mut DbConn, me: i64, page: &Page) -> QueryResult<Vec<(i64, Account)>> {
    let now = super::now();
    let q = mutes::table
        .inner_join(accounts::table.on(accounts::id.eq(mutes::target_account_id)))
        .filter(mutes::account_id.eq(me))
        .filter(mutes::expires_at.is_null().or(mutes::expires_at.gt(now)))
        .select((mutes::id, Account::as_select()))
        .into_boxed();
    crate::load_page!(q, mutes::id, page, conn)
}
