//! What a viewer does not want to see: the accounts they blocked, that
//! blocked them or that they muted, and the servers they hid. Timelines,
//! threads, notifications and streams all leave these out; blocking and
//! muting themselves are `accounts::blocks`.

use crate::core::{error::CoreResult, views::StatusView};
use crate::db::{account_domain_blocks, blocks, mutes, DbConn, Hidden};

/// What `me` does not want to see in timelines, threads and streams.
pub fn hidden_for(conn: &mut DbConn, me: i64) -> CoreResult<Hidden> {
    let mut accounts = blocks::blocked_by(conn, me)?;
    accounts.extend(blocks::blocking(conn, me)?);
    accounts.extend(mutes::muted(conn, me, false)?);
    accounts.sort_unstable();
    accounts.dedup();
    Ok(Hidden {
        accounts,
        domains: account_domain_blocks::domains(conn, me)?,
    })
}

/// [`hidden_for`] a viewer, if any.
pub fn hidden_for_viewer(conn: &mut DbConn, viewer: Option<i64>) -> CoreResult<Hidden> {
    match viewer {
        Some(me) => hidden_for(conn, me),
        None => Ok(Hidden::default()),
    }
}

/// Leave out reblogs of statuses by hidden accounts.
pub fn drop_hidden_reblogs(list: &mut Vec<StatusView>, hidden: &Hidden) {
    if !hidden.is_empty() {
        list.retain(|v| {
            v.reblog
                .as_ref()
                .is_none_or(|r| !hidden.hides(&r.account.account))
        });
    }
}

/// Whose notifications `me` does not want: blocked (either way), muted with
/// notifications, and hidden servers.
pub fn silenced_for(conn: &mut DbConn, me: i64) -> CoreResult<Hidden> {
    let mut accounts = blocks::blocked_by(conn, me)?;
    accounts.extend(blocks::blocking(conn, me)?);
    accounts.extend(mutes::muted(conn, me, true)?);
    Ok(Hidden {
        accounts,
        domains: account_domain_blocks::domains(conn, me)?,
    })
}
