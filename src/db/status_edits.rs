//! Earlier versions of edited statuses.

use super::{schema::status_edits, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = status_edits)]
pub struct StatusEdit {
    pub id: i64,
    pub status_id: i64,
    pub content: String,
    pub spoiler_text: String,
    pub sensitive: bool,
    /// When this version was written.
    pub created_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, edit: &StatusEdit) -> QueryResult<()> {
    diesel::insert_into(status_edits::table)
        .values(edit)
        .execute(conn)
        .map(|_| ())
}

/// Earlier versions of a status, oldest first.
pub fn of_status(conn: &mut DbConn, status_id: i64) -> QueryResult<Vec<StatusEdit>> {
    status_edits::table
        .filter(status_edits::status_id.eq(status_id))
        .order(status_edits::id.asc())
        .select(StatusEdit::as_select())
        .load(conn)
}
