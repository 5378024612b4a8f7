//! What this server remembers about its exchanges with other servers:
//! activities already applied, and which peers are alive.

use super::{error::CoreResult, Core};
use crate::db::{self, deliveries, inbox_log};
use chrono::Duration;

/// Activity ids are remembered at least this long.
const DEDUPE_DAYS: i64 = 14;

impl Core {
    /// Remember an incoming activity id; `false` if it was applied already.
    pub async fn record_activity(&self, ap_id: &str) -> CoreResult<bool> {
        let ap_id = ap_id.to_string();
        self.write(move |conn, _| Ok(inbox_log::record(conn, &ap_id)?))
            .await
    }

    pub async fn activity_seen(&self, ap_id: &str) -> CoreResult<bool> {
        let ap_id = ap_id.to_string();
        self.read(move |conn, _| Ok(inbox_log::seen(conn, &ap_id)?))
            .await
    }

    /// Forget an activity whose effects failed, so a redelivery can apply it.
    pub async fn forget_activity(&self, ap_id: &str) -> CoreResult<()> {
        let ap_id = ap_id.to_string();
        self.write(move |conn, _| Ok(inbox_log::forget(conn, &ap_id)?))
            .await
    }

    /// A peer reached us: if deliveries to it were failing, retry them now.
    pub async fn peer_contacted(&self, host: &str) -> CoreResult<()> {
        let host = host.to_string();
        self.write(move |conn, _| {
            let was_failing =
                deliveries::host_state(conn, &host)?.is_some_and(|s| s.failing_since.is_some());
            if was_failing {
                let now = db::now();
                deliveries::host_succeeded(conn, &host, now)?;
                deliveries::wake_host(conn, &host, now)?;
            }
            Ok(())
        })
        .await
    }

    /// Drop remembered activity ids past the de-duplication window.
    pub async fn prune_activity_log(&self) -> CoreResult<usize> {
        self.write(|conn, _| {
            Ok(inbox_log::prune_before(
                conn,
                db::now() - Duration::days(DEDUPE_DAYS),
            )?)
        })
        .await
    }
}
