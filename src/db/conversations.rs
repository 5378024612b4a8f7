//! Direct conversations, one row per local participant and thread.

use super::{schema::conversations, DbConn, Page};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = conversations)]
pub struct Conversation {
    pub id: i64,
    pub account_id: i64,
    pub root_status_id: i64,
    pub last_status_id: i64,
    /// The other participants: a JSON list of account ids.
    pub participant_ids: String,
    pub unread: bool,
    pub updated_at: NaiveDateTime,
}

impl Conversation {
    pub fn participants(&self) -> Vec<i64> {
        serde_json::from_str(&self.participant_ids).unwrap_or_default()
    }
}

pub fn by_root(conn: &mut DbConn, account_id: i64, root: i64) -> QueryResult<Option<Conversation>> {
    conversations::table
        .filter(conversations::account_id.eq(account_id))
        .filter(conversations::root_status_id.eq(root))
        .select(Conversation::as_select())
        .first(conn)
        .optional()
}

pub fn get(conn: &mut DbConn, account_id: i64, id: i64) -> QueryResult<Option<Conversation>> {
    conversations::table
        .filter(conversations::account_id.eq(account_id))
        .filter(conversations::id.eq(id))
        .select(Conversation::as_select())
        .first(conn)
        .optional()
}

/// Insert or update.
pub fn save(conn: &mut DbConn, c: &Conversation) -> QueryResult<()> {
    let n = diesel::update(conversations::table.find(c.id))
        .set(c)
        .execute(conn)?;
    if n == 0 {
        diesel::insert_into(conversations::table)
            .values(c)
            .execute(conn)?;
    }
    Ok(())
}

pub fn delete(conn: &mut DbConn, id: i64) -> QueryResult<()> {
    diesel::delete(conversations::table.find(id))
        .execute(conn)
        .map(|_| ())
}

/// `account_id`'s conversations, most recent first, paged by the last status id.
pub fn list(conn: &mut DbConn, account_id: i64, page: &Page) -> QueryResult<Vec<Conversation>> {
    let q = conversations::table
        .filter(conversations::account_id.eq(account_id))
        .select(Conversation::as_select())
        .into_boxed();
    crate::load_page!(q, conversations::last_status_id, page, conn)
}

/// Conversations whose last status is `status_id` (it is being deleted).
pub fn ending_with(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<Conversation>> {
    conversations::table
        .filter(conversations::last_status_id.eq(status_id))
        .select(Conversation::as_select())
        .load(conn)
}
