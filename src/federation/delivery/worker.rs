//! The delivery worker: takes due deliveries from the queue, signs and
//! POSTs them, and reports each result to the core (which decides retries).
//! Several deliveries run at once, a few per host, so one slow server does
//! not hold up the others. A board's relay in a form the receiving server
//! does not read (`forms.rs`) is dropped unsent.

use super::{
    forms::{form_of, wanted, Form},
    signing::signed_post_headers,
    software::Software,
};
use crate::core::{
    outbox::{DeliveryResult, DueDelivery},
    Core,
};
use crate::federation::egress::{refusal_in, Egress};
use chrono::Duration;
use openssl::pkey::{PKey, Private};
use reqwest::{header::RETRY_AFTER, StatusCode};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::SystemTime,
};
use tokio::sync::{watch, Notify};
use url::Url;

const AP_JSON: &str = "application/activity+json";

#[derive(Clone)]
pub struct Worker {
    core: Core,
    egress: Egress,
    software: Software,
    signal: Arc<Notify>,
    in_flight: Arc<Mutex<HashMap<String, usize>>>,
    keys: Arc<Mutex<HashMap<String, PKey<Private>>>>,
}

impl Worker {
    pub fn new(core: Core, egress: Egress, signal: Arc<Notify>) -> Worker {
        Worker {
            software: Software::new(core.clone(), egress.clone()),
            core,
            egress,
            signal,
            in_flight: Default::default(),
            keys: Default::default(),
        }
    }

    /// Run until `shutdown` turns true. Deliveries in flight then finish on
    /// their own; anything not finished stays queued.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        if self.core.db().backend() == crate::db::Backend::Sqlite {
            // Only this process uses the database: a killed predecessor's leases are void.
            if let Err(e) = self.core.release_delivery_leases().await {
                tracing::warn!("delivery: could not release leases: {e}");
            }
        }
        // A lease outlives one attempt (the request timeout) by a little: if
        // this process dies mid-attempt, another one retries soon after.
        let lease =
            Duration::seconds(self.core.settings().federation.request_timeout_seconds as i64 + 5);
        let max_total = self.core.settings().federation.max_in_flight;
        loop {
            if *shutdown.borrow() {
                break;
            }
            let in_flight = self
                .in_flight
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            let busy: usize = in_flight.values().sum();
            if busy < max_total {
                match self
                    .core
                    .claim_deliveries(in_flight, max_total - busy, lease)
                    .await
                {
                    Ok(batch) => {
                        for d in batch {
                            self.start(d);
                        }
                    }
                    Err(e) => tracing::warn!("delivery: cannot read the queue: {e}"),
                }
            }
            tokio::select! {
                _ = self.signal.notified() => {}
                _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    fn start(&self, d: DueDelivery) {
        *self
            .in_flight
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(d.host.clone())
            .or_insert(0) += 1;
        let worker = self.clone();
        tokio::spawn(async move {
            let result = worker.send(&d).await;
            if let Err(e) = worker.core.finish_delivery(&d, result).await {
                tracing::warn!("delivery {}: cannot record the result: {e}", d.id);
            }
            {
                let mut map = worker.in_flight.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(n) = map.get_mut(&d.host) {
                    *n = n.saturating_sub(1);
                    if *n == 0 {
                        map.remove(&d.host);
                    }
                }
            }
            worker.signal.notify_one();
        });
    }

    fn key(&self, d: &DueDelivery) -> Result<PKey<Private>, String> {
        let mut keys = self.keys.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(k) = keys.get(&d.key_id) {
            return Ok(k.clone());
        }
        let key =
            PKey::private_key_from_pem(d.private_key_pem.as_bytes()).map_err(|e| e.to_string())?;
        keys.insert(d.key_id.clone(), key.clone());
        Ok(key)
    }

    async fn send(&self, d: &DueDelivery) -> DeliveryResult {
        // Inbox URLs come from other servers (shared inboxes included):
        // the egress policy decides, and a refusal is final.
        let Ok(url) = Url::parse(&d.inbox_url) else {
            return DeliveryResult::Refused(format!("inbox URL not allowed: {}", d.inbox_url));
        };
        if let Some(why) = self.unwanted(d, &url).await {
            return DeliveryResult::Unwanted(why);
        }
        let request = match self.egress.post(&url, "delivery to") {
            Ok(r) => r,
            Err(refusal) => return DeliveryResult::Refused(format!("{url}: {refusal}")),
        };
        let key = match self.key(d) {
            Ok(k) => k,
            Err(e) => return DeliveryResult::Refused(format!("signing key unusable: {e}")),
        };
        let body = d.payload.as_bytes();
        let headers = match signed_post_headers(&url, body, &d.key_id, &key, AP_JSON) {
            Ok(h) => h,
            Err(e) => return DeliveryResult::Refused(format!("cannot sign: {e}")),
        };
        let response = request
            .headers(headers)
            .header("accept", AP_JSON)
            .body(d.payload.clone())
            .send()
            .await;
        match response {
            // The resolver refused every address of the host.
            Err(e) if refusal_in(&e).is_some() => DeliveryResult::Refused(format!(
                "{url}: {}",
                refusal_in(&e).map(|r| r.to_string()).unwrap_or_default()
            )),
            Err(e) => DeliveryResult::Failed {
                error: e.to_string(),
                retry_after: None,
            },
            Ok(r) => classify(
                r.status(),
                r.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()),
            ),
        }
    }
}

impl Worker {
    /// Why the receiving server does not want `d` in this form; `None`
    /// when it does (or the delivery is no board's relay).
    async fn unwanted(&self, d: &DueDelivery, url: &Url) -> Option<String> {
        if !d.by_board {
            return None;
        }
        let activity: serde_json::Value = serde_json::from_str(&d.payload).ok()?;
        let form = form_of(&activity, true);
        if form == Form::Other {
            return None;
        }
        let software = self.software.of(&d.host, url.scheme()).await;
        (!wanted(form, software.as_deref())).then(|| {
            format!(
                "{} runs {}, which does not read a board's {form:?}",
                d.host,
                software.unwrap_or_default()
            )
        })
    }
}

/// Map an inbox's answer to a delivery result (RELIABILITY.md rule 3).
pub fn classify(status: StatusCode, retry_after: Option<&str>) -> DeliveryResult {
    let code = status.as_u16();
    if status.is_success() {
        DeliveryResult::Delivered
    } else if matches!(code, 401 | 408 | 429) || status.is_server_error() {
        DeliveryResult::Failed {
            error: format!("HTTP {code}"),
            retry_after: retry_after.and_then(parse_retry_after),
        }
    } else {
        DeliveryResult::Refused(format!("HTTP {code}"))
    }
}

/// `Retry-After` as seconds or an HTTP date.
fn parse_retry_after(value: &str) -> Option<Duration> {
    if let Ok(secs) = value.trim().parse::<i64>() {
        return Some(Duration::seconds(secs.max(0)));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    let secs = when.duration_since(SystemTime::now()).ok()?.as_secs();
    Some(Duration::seconds(secs as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn response_classes_follow_the_reliability_rules() {
        assert!(matches!(
            classify(StatusCode::ACCEPTED, None),
            DeliveryResult::Delivered
        ));
        for code in [400, 403, 404, 410, 422] {
            assert!(matches!(
                classify(StatusCode::from_u16(code).unwrap(), None),
                DeliveryResult::Refused(_)
            ));
        }
        for code in [401, 408, 429, 500, 502, 503] {
            assert!(matches!(
                classify(StatusCode::from_u16(code).unwrap(), None),
                DeliveryResult::Failed { .. }
            ));
        }
        match classify(StatusCode::TOO_MANY_REQUESTS, Some("90")) {
            DeliveryResult::Failed { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::seconds(90)))
            }
            other => panic!("{other:?}"),
        }
    }
}
