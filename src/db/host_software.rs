//! What software each remote server runs, as its NodeInfo names it, and
//! when it was last asked.

use super::{schema::host_software, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = host_software)]
pub struct HostSoftware {
    /// `host[:port]`, lowercased, as deliveries name it.
    pub host: String,
    /// NodeInfo's `software.name`, lowercased; `None` when it could not be
    /// read.
    pub software: Option<String>,
    pub checked_at: NaiveDateTime,
}

pub fn get(conn: &mut DbConn, host: &str) -> QueryResult<Option<HostSoftware>> {
    host_software::table
        .find(host)
        .select(HostSoftware::as_select())
        .first(conn)
        .optional()
}

/// Insert or replace what is known of `row.host`.
pub fn save(conn: &mut DbConn, row: &HostSoftware) -> QueryResult<()> {
    let updated = diesel::update(host_software::table.find(&row.host))
        .set((
            host_software::software.eq(&row.software),
            host_software::checked_at.eq(row.checked_at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(host_software::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}
