//! The delivery queue as the core runs it: handing out due deliveries and
//! deciding, from each result, whether to retry, park or give up.
//! Rules: retry with backoff from 2 s doubling up to 1 h (longer if the
//! receiver sends `Retry-After`); a server failing for `park_after_hours` is
//! tried once a day; a delivery older than `give_up_after_hours` is dropped.

use super::{error::CoreResult, Core};
use crate::{
    config::FederationSettings,
    db::{self, accounts, deliveries, site},
};
use chrono::{Duration, NaiveDateTime};
use std::collections::HashMap;

/// A delivery leased to a worker, with what it needs to sign it.
#[derive(Debug, Clone)]
pub struct DueDelivery {
    pub id: i64,
    pub inbox_url: String,
    pub host: String,
    pub attempts: i32,
    pub created_at: NaiveDateTime,
    /// The activity JSON as queued.
    pub payload: String,
    /// `keyId` and private key PEM of the signing actor.
    pub key_id: String,
    pub private_key_pem: String,
    /// Whether it is signed by a board (a `Group` of this server).
    pub by_board: bool,
}

/// What happened when a delivery was tried.
#[derive(Debug, Clone)]
pub enum DeliveryResult {
    Delivered,
    /// The receiver refused it for good (400, 403, 404, 410, 422 ...).
    Refused(String),
    /// Worth another try (network error, 401, 408, 429, 5xx).
    Failed {
        error: String,
        retry_after: Option<Duration>,
    },
    /// Not sent: the receiving server does not want this form of it.
    Unwanted(String),
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Retry {
    At(NaiveDateTime),
    GiveUp,
}

/// The retry decision after attempt number `attempts` (1 = first) failed.
pub fn next_attempt(
    policy: &FederationSettings,
    now: NaiveDateTime,
    created_at: NaiveDateTime,
    attempts: i32,
    host_failing_since: Option<NaiveDateTime>,
    retry_after: Option<Duration>,
) -> Retry {
    if now - created_at >= Duration::hours(policy.give_up_after_hours) {
        return Retry::GiveUp;
    }
    let exp = attempts.clamp(1, 20) - 1;
    let mut delay = Duration::seconds((2i64 << exp).min(3600));
    if let Some(after) = retry_after {
        delay = delay.max(after.min(Duration::days(1)));
    }
    let parked = host_failing_since
        .is_some_and(|since| now - since >= Duration::hours(policy.park_after_hours));
    if parked {
        delay = delay.max(Duration::days(1));
    }
    Retry::At(now + delay)
}

/// Who signs a queued activity, and the activity as queued.
#[derive(Clone)]
enum Signer {
    Ready {
        payload: std::sync::Arc<str>,
        key_id: std::sync::Arc<str>,
        pem: std::sync::Arc<str>,
        by_board: bool,
    },
    /// The activity is no longer queued.
    ActivityGone,
    /// The account that would sign it is gone (or has no key).
    AccountGone,
}

fn signer_of(conn: &mut db::DbConn, core: &Core, activity_id: i64) -> CoreResult<Signer> {
    let Some(activity) = deliveries::activity(conn, activity_id)? else {
        return Ok(Signer::ActivityGone);
    };
    let (key_id, pem, by_board) = match activity.actor_account_id {
        Some(id) => match accounts::by_id(conn, id)? {
            Some(a) if a.private_key_pem.is_some() => (
                format!("{}#main-key", a.ap_id),
                a.private_key_pem.unwrap_or_default(),
                a.actor_type == "Group",
            ),
            _ => return Ok(Signer::AccountGone),
        },
        None => {
            let (_, private) = site::keys(conn)?.unwrap_or_default();
            (
                format!("{}#main-key", core.uris().instance_actor()),
                private,
                false,
            )
        }
    };
    Ok(Signer::Ready {
        payload: activity.payload.into(),
        key_id: key_id.into(),
        pem: pem.into(),
        by_board,
    })
}

impl Core {
    /// Lease due deliveries, at most `limit`, keeping each host under the
    /// per-host limit given the deliveries already in flight.
    pub async fn claim_deliveries(
        &self,
        in_flight: HashMap<String, usize>,
        limit: usize,
        lease: Duration,
    ) -> CoreResult<Vec<DueDelivery>> {
        let per_host = self.settings().federation.max_in_flight_per_host;
        let mut counts = in_flight;
        let due = self
            .read(move |conn, _| Ok(deliveries::due(conn, db::now(), 200)?))
            .await?;
        let mut picked = vec![];
        for d in due {
            if picked.len() >= limit {
                break;
            }
            let count = counts.entry(d.host.clone()).or_insert(0);
            if *count >= per_host {
                continue;
            }
            *count += 1;
            picked.push(d);
        }
        if picked.is_empty() {
            return Ok(vec![]);
        }
        // One transaction for the whole batch; each activity and its
        // signer are read once, however many servers it goes to.
        self.write(move |conn, core| {
            let now = db::now();
            let mut signers: HashMap<i64, Signer> = HashMap::new();
            let mut out = vec![];
            for d in picked {
                if !deliveries::claim(conn, d.id, now, now + lease)? {
                    continue;
                }
                let signer = match signers.get(&d.activity_id) {
                    Some(s) => s.clone(),
                    None => {
                        let s = signer_of(conn, core, d.activity_id)?;
                        signers.insert(d.activity_id, s.clone());
                        s
                    }
                };
                match signer {
                    Signer::ActivityGone => deliveries::done(conn, d.id)?,
                    Signer::AccountGone => {
                        deliveries::give_up(conn, d.id, now, "the signing account is gone")?
                    }
                    Signer::Ready {
                        payload,
                        key_id,
                        pem,
                        by_board,
                    } => out.push(DueDelivery {
                        id: d.id,
                        inbox_url: d.inbox_url,
                        host: d.host,
                        attempts: d.attempts,
                        created_at: d.created_at,
                        payload: payload.to_string(),
                        key_id: key_id.to_string(),
                        private_key_pem: pem.to_string(),
                        by_board,
                    }),
                }
            }
            Ok(out)
        })
        .await
    }

    /// Record the result of one attempt.
    pub async fn finish_delivery(&self, d: &DueDelivery, result: DeliveryResult) -> CoreResult<()> {
        let policy = self.settings().federation.clone();
        let (id, host, attempts, created_at) = (d.id, d.host.clone(), d.attempts + 1, d.created_at);
        self.write(move |conn, _| {
            let now = db::now();
            match result {
                DeliveryResult::Delivered => {
                    deliveries::done(conn, id)?;
                    deliveries::host_succeeded(conn, &host, now)?;
                }
                DeliveryResult::Refused(why) => {
                    tracing::info!("delivery {id} to {host} refused for good: {why}");
                    deliveries::done(conn, id)?;
                    deliveries::host_succeeded(conn, &host, now)?;
                }
                DeliveryResult::Unwanted(why) => {
                    tracing::debug!("delivery {id} to {host} dropped: {why}");
                    deliveries::done(conn, id)?;
                }
                DeliveryResult::Failed { error, retry_after } => {
                    let state = deliveries::host_failed(conn, &host, now)?;
                    match next_attempt(
                        &policy,
                        now,
                        created_at,
                        attempts,
                        state.failing_since,
                        retry_after,
                    ) {
                        Retry::At(at) => deliveries::reschedule(conn, id, attempts, at, &error)?,
                        Retry::GiveUp => {
                            tracing::warn!("delivery {id} to {host} given up: {error}");
                            deliveries::give_up(conn, id, now, &error)?;
                        }
                    }
                }
            }
            Ok(())
        })
        .await
    }

    /// Drop all leases: at start-up, when this process is the only one
    /// using the database (SQLite), leases of a killed process are void.
    pub async fn release_delivery_leases(&self) -> CoreResult<usize> {
        self.write(|conn, _| Ok(deliveries::release_all_leases(conn)?))
            .await
    }

    /// Forget what was sent longer ago than `give_up_after_hours` (when no
    /// delivery of it can still be pending): activities whose deliveries are
    /// all done, and deliveries given up. In short transactions.
    pub async fn prune_sent_activities(&self) -> CoreResult<usize> {
        let hours = self.settings().federation.give_up_after_hours;
        let before = db::now() - Duration::hours(hours);
        let mut total = 0;
        loop {
            let gone = self
                .write(move |conn, _| Ok(deliveries::prune(conn, before, 2000)?))
                .await?;
            total += gone;
            if gone == 0 {
                return Ok(total);
            }
        }
    }

    /// (deliveries pending, activities queued so far).
    pub async fn delivery_counts(&self) -> CoreResult<(i64, i64)> {
        self.read(|conn, _| {
            Ok((
                deliveries::pending_count(conn)?,
                deliveries::activities_count(conn)?,
            ))
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Settings;

    fn t(h: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_700_000_000 + h * 3600, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn backoff_doubles_from_two_seconds_and_caps_at_an_hour() {
        let p = Settings::for_tests("a.test", "sqlite://x").federation;
        let at = |n| match next_attempt(&p, t(0), t(0), n, Some(t(0)), None) {
            Retry::At(at) => (at - t(0)).num_seconds(),
            Retry::GiveUp => -1,
        };
        assert_eq!(at(1), 2);
        assert_eq!(at(2), 4);
        assert_eq!(at(5), 32);
        assert_eq!(at(15), 3600);
    }

    #[test]
    fn retry_after_parking_and_giving_up() {
        let p = Settings::for_tests("a.test", "sqlite://x").federation;
        let r = next_attempt(&p, t(0), t(0), 1, None, Some(Duration::seconds(120)));
        assert_eq!(r, Retry::At(t(0) + Duration::seconds(120)));
        // Failing for more than three days: parked, tried once a day.
        let r = next_attempt(&p, t(80), t(0), 30, Some(t(0)), None);
        assert_eq!(r, Retry::At(t(80) + Duration::days(1)));
        // A week old: given up.
        assert_eq!(
            next_attempt(&p, t(24 * 7), t(0), 40, Some(t(0)), None),
            Retry::GiveUp
        );
    }
}
