//! Removing a status from the database: its direct conversation goes with
//! it, and the live events for it and its reblogs tell the streams.

use crate::core::{
    error::CoreResult,
    events::{emit, Event},
    posts::conversations::forget_direct,
};
use crate::db::{
    statuses::{self, Status},
    DbConn,
};

/// Delete a status, emitting the deletes of it and of its reblogs.
pub(crate) fn delete_status(conn: &mut DbConn, status: &Status) -> CoreResult<()> {
    forget_direct(conn, status)?;
    for reblog_id in statuses::reblog_ids(conn, status.id)? {
        emit(Event::StatusDeleted {
            status_id: reblog_id,
        });
    }
    statuses::delete(conn, status.id)?;
    emit(Event::StatusDeleted {
        status_id: status.id,
    });
    Ok(())
}
