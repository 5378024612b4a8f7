//! What this server remembers about its exchanges with other servers:
//! activities already applied, which peers are alive, and what software
//! they run.

use super::{error::CoreResult, Core};
use crate::db::{
    self, deliveries,
    host_software::{self, HostSoftware},
    inbox_log::{self, AsReceived},
};
use chrono::{Duration, NaiveDateTime};

/// Activity ids are remembered at least this long.
const DEDUPE_DAYS: i64 = 14;
/// The JSON of activities about posts is kept this long, for boards to
/// relay (at once, or after retries of the work they caused).
const KEEP_AS_RECEIVED_DAYS: i64 = 3;

impl Core {
    /// Remember an incoming activity id (and, for an activity about a
    /// post, its JSON as it arrived, which the core keeps unread for the
    /// federation edge); `false` if it was applied already.
    pub async fn record_activity(&self, ap_id: &str, kept: Option<AsReceived>) -> CoreResult<bool> {
        let ap_id = ap_id.to_string();
        self.write(move |conn, _| Ok(inbox_log::record(conn, &ap_id, kept.as_ref())?))
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
        // Most peers are not failing: find out without taking the writer's turn.
        let probe = host.clone();
        let failing = self
            .read(move |conn, _| {
                Ok(
                    deliveries::host_state(conn, &probe)?
                        .is_some_and(|s| s.failing_since.is_some()),
                )
            })
            .await?;
        if !failing {
            return Ok(());
        }
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
            inbox_log::drop_bodies_before(conn, db::now() - Duration::days(KEEP_AS_RECEIVED_DAYS))?;
            Ok(inbox_log::prune_before(
                conn,
                db::now() - Duration::days(DEDUPE_DAYS),
            )?)
        })
        .await
    }

    /// What `host` was last found to run (`None` inside: it could not be
    /// told) and when; `None` if it was never asked.
    pub async fn host_software(
        &self,
        host: &str,
    ) -> CoreResult<Option<(Option<String>, NaiveDateTime)>> {
        let host = host.to_string();
        self.read(move |conn, _| {
            Ok(host_software::get(conn, &host)?.map(|h| (h.software, h.checked_at)))
        })
        .await
    }

    /// Remember what `host` runs, as of now.
    pub async fn remember_host_software(
        &self,
        host: &str,
        software: Option<String>,
    ) -> CoreResult<()> {
        let row = HostSoftware {
            host: host.to_string(),
            software,
            checked_at: db::now(),
        };
        self.write(move |conn, _| Ok(host_software::save(conn, &row)?))
            .await
    }
}
