//! Reading positions (markers) per account and timeline.

use super::{schema::markers, DbConn};
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = markers)]
pub struct Marker {
    pub account_id: i64,
    pub timeline: String,
    pub last_read_id: i64,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

pub fn get(conn: &mut DbConn, account_id: i64, timeline: &str) -> QueryResult<Option<Marker>> {
    markers::table
        .filter(markers::account_id.eq(account_id))
        .filter(markers::timeline.eq(timeline))
        .select(Marker::as_select())
        .first(conn)
        .optional()
}

/// Insert or replace the marker.
pub fn save(conn: &mut DbConn, marker: &Marker) -> QueryResult<()> {
    let updated = diesel::update(
        markers::table
            .filter(markers::account_id.eq(marker.account_id))
            .filter(markers::timeline.eq(&marker.timeline)),
    )
    .set(marker)
    .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(markers::table)
            .values(marker)
            .execute(conn)?;
    }
    Ok(())
}
