//! Retrying received activities whose work waits on a third server (the
//! rules and the queue: `core::inbound`). Each retry runs the activity's
//! own checks and effects again (`verify`, then `receive`), exactly as the
//! inbox does after the signature is checked; the signature itself was
//! checked when it arrived, before it was queued.

use super::super::{activities::InboxActivity, error::FedError, FedData};
use crate::core::{
    inbound::{DueInbound, InboundResult},
    Core,
};
use activitypub_federation::{config::FederationConfig, traits::Activity};
use chrono::Duration;
use tokio::sync::watch;

/// Retries leased at once.
const BATCH: i64 = 8;
/// How long a lease lasts (a retry fetches from other servers).
const LEASE_SECONDS: i64 = 120;
/// The longest wait between looks at the queue.
const IDLE: std::time::Duration = std::time::Duration::from_secs(2);

/// Run until `shutdown` turns true; what is not done stays queued.
pub async fn run(config: FederationConfig<Core>, mut shutdown: watch::Receiver<bool>) {
    let core = config.to_request_data().app_data().clone();
    if core.db().backend() == crate::db::Backend::Sqlite {
        // Only this process uses the database: a killed predecessor's leases are void.
        if let Err(e) = core.release_inbound_leases().await {
            tracing::warn!("inbox retries: could not release leases: {e}");
        }
    }
    loop {
        if *shutdown.borrow() {
            break;
        }
        // A read first: the queue is nearly always empty.
        let due = match core.next_inbound_due().await {
            Ok(next) => next.is_some_and(|at| at <= crate::db::now()),
            Err(e) => {
                tracing::warn!("inbox retries: cannot read the queue: {e}");
                false
            }
        };
        let claimed = match due {
            true => {
                core.claim_inbound(BATCH, Duration::seconds(LEASE_SECONDS))
                    .await
            }
            false => Ok(vec![]),
        };
        match claimed {
            Ok(batch) => {
                for due in batch {
                    let result = apply(&due, &config.to_request_data()).await;
                    if let Err(e) = core.finish_inbound(&due, result).await {
                        tracing::warn!("inbox retries: cannot record {}: {e}", due.ap_id);
                    }
                }
            }
            Err(e) => tracing::warn!("inbox retries: cannot read the queue: {e}"),
        }
        tokio::select! {
            _ = tokio::time::sleep(IDLE) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Apply one queued activity again.
async fn apply(due: &DueInbound, data: &FedData) -> InboundResult {
    let activity: InboxActivity = match serde_json::from_str(&due.body) {
        Ok(a) => a,
        Err(e) => return InboundResult::Refused(format!("no longer readable: {e}")),
    };
    let result = match activity.verify(data).await {
        Ok(()) => activity.receive(data).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) | Err(FedError::Ignored(_)) => InboundResult::Applied,
        Err(e @ (FedError::Unavailable(_) | FedError::Internal(_))) => {
            InboundResult::Failed(e.to_string())
        }
        Err(e) => InboundResult::Refused(e.to_string()),
    }
}
