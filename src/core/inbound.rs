//! Received activities waiting on a third server, as the core runs them.
//! An activity whose signature checked out but whose work needs a server
//! other than its sender's (the post an `Announce` embeds, read from its
//! origin; that post's author) is answered 202 and kept here when that
//! server cannot be reached, so one server's outage never stalls a peer's
//! queue to us. The federation edge retries it; the rules are the
//! delivery queue's (`outbox::next_attempt`): from 2 s doubling up to 1 h,
//! given up after `give_up_after_hours`. The JSON is kept as it arrived,
//! unread here.

use super::{
    error::CoreResult,
    outbox::{next_attempt, Retry},
    Core,
};
use crate::db::{self, inbound_retries, inbound_retries::InboundRetry};
use chrono::{Duration, NaiveDateTime};

/// A retry leased to the worker.
#[derive(Debug, Clone)]
pub struct DueInbound {
    pub id: i64,
    pub ap_id: String,
    /// The activity's JSON as it arrived.
    pub body: String,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
}

/// How one retry went.
#[derive(Debug, Clone)]
pub enum InboundResult {
    /// Applied, or nothing to do.
    Applied,
    /// Refused for good (the object is gone, the activity is invalid ...).
    Refused(String),
    /// The third server is still unreachable.
    Failed(String),
}

impl Core {
    /// Keep a verified activity for retrying (`false` if it is kept already).
    pub async fn queue_inbound(&self, ap_id: &str, body: String, error: &str) -> CoreResult<bool> {
        let (ap_id, error) = (ap_id.to_string(), error.to_string());
        self.write(move |conn, core| {
            let now = db::now();
            Ok(inbound_retries::insert(
                conn,
                &InboundRetry {
                    id: core.next_id(),
                    ap_id,
                    body,
                    attempts: 1,
                    next_attempt_at: now + Duration::seconds(2),
                    locked_until: None,
                    last_error: Some(error),
                    created_at: now,
                },
            )?)
        })
        .await
    }

    /// Lease up to `limit` due retries for `lease`.
    pub async fn claim_inbound(&self, limit: i64, lease: Duration) -> CoreResult<Vec<DueInbound>> {
        self.write(move |conn, _| {
            let now = db::now();
            let mut out = vec![];
            for r in inbound_retries::due(conn, now, limit)? {
                if inbound_retries::claim(conn, r.id, now, now + lease)? {
                    out.push(DueInbound {
                        id: r.id,
                        ap_id: r.ap_id,
                        body: r.body,
                        attempts: r.attempts,
                        created_at: r.created_at,
                    });
                }
            }
            Ok(out)
        })
        .await
    }

    /// Record how a retry went.
    pub async fn finish_inbound(&self, due: &DueInbound, result: InboundResult) -> CoreResult<()> {
        let policy = self.settings().federation.clone();
        let due = due.clone();
        self.write(move |conn, _| {
            match result {
                InboundResult::Applied => inbound_retries::done(conn, due.id)?,
                InboundResult::Refused(why) => {
                    tracing::info!("inbox: {} refused on retry: {why}", due.ap_id);
                    inbound_retries::done(conn, due.id)?
                }
                InboundResult::Failed(error) => {
                    let now = db::now();
                    let attempts = due.attempts + 1;
                    match next_attempt(&policy, now, due.created_at, attempts, None, None) {
                        Retry::At(at) => {
                            inbound_retries::reschedule(conn, due.id, attempts, at, &error)?
                        }
                        Retry::GiveUp => {
                            tracing::warn!("inbox: {} given up: {error}", due.ap_id);
                            inbound_retries::done(conn, due.id)?
                        }
                    }
                }
            }
            Ok(())
        })
        .await
    }

    /// When the next retry is due, if any is queued.
    pub async fn next_inbound_due(&self) -> CoreResult<Option<NaiveDateTime>> {
        self.read(|conn, _| Ok(inbound_retries::next_due(conn)?))
            .await
    }

    /// Drop all leases: at start-up, when this process alone uses the
    /// database (SQLite), the leases of a killed process are void.
    pub async fn release_inbound_leases(&self) -> CoreResult<usize> {
        self.write(|conn, _| Ok(inbound_retries::release_all_leases(conn)?))
            .await
    }
}
