//! Who a status mentions.

use super::{
    accounts::Account,
    schema::{accounts, mentions},
    DbConn,
};
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = mentions)]
pub struct Mention {
    pub id: i64,
    pub status_id: i64,
    pub account_id: i64,
}

/// Store a mention, and put the status in the home feed of the mentioned.
pub fn insert(conn: &mut DbConn, mention: &Mention) -> QueryResult<()> {
    diesel::insert_into(mentions::table)
        .values(mention)
        .execute(conn)?;
    super::home_feeds::mentioned(conn, mention.status_id, mention.account_id)
}

pub fn delete_for_status(conn: &mut DbConn, status_id: i64) -> QueryResult<()> {
    diesel::delete(mentions::table.filter(mentions::status_id.eq(status_id)))
        .execute(conn)
        .map(|_| ())
}

/// (status id, mentioned account) for each of `status_ids`.
pub fn for_statuses(conn: &mut DbConn, status_ids: &[i64]) -> QueryResult<Vec<(i64, Account)>> {
    mentions::table
        .inner_join(accounts::table.on(accounts::id.eq(mentions::account_id)))
        .filter(mentions::status_id.eq_any(status_ids))
        .order(mentions::id)
        .select((mentions::status_id, Account::as_select()))
        .load(conn)
}
