//! Timeline load: real HTTP requests on loopback, first one after another
//! (latency percentiles), then from several clients at once for a fixed
//! time (throughput and tail latency). Non-2xx answers count as errors.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// One endpoint to measure.
#[derive(Debug, Clone)]
pub struct Endpoint {
    pub name: &'static str,
    /// Path and query, e.g. `/api/v1/timelines/home?limit=40`.
    pub path: String,
    /// Whether every client uses the first token (a resource of the first
    /// reader, e.g. its list) instead of a token each.
    pub first_reader_only: bool,
}

/// How much load.
#[derive(Debug, Clone, Copy)]
pub struct Amounts {
    pub warmup: usize,
    pub sequential: usize,
    pub clients: usize,
    pub seconds: f64,
}

/// What one endpoint did.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    pub name: &'static str,
    pub p50: f64,
    pub p95: f64,
    pub p99: f64,
    pub rps: f64,
    pub p99_concurrent: f64,
    /// Requests in the sequential phase.
    pub sequential: usize,
    pub requests: u64,
    pub errors: u64,
    /// The first error seen (status and the start of the body).
    pub first_error: Option<String>,
}

/// Latencies (ms) and errors collected by one or more clients.
#[derive(Default)]
struct Samples {
    ms: Vec<f64>,
    errors: u64,
    first_error: Option<String>,
}

impl Samples {
    fn merge(&mut self, other: Samples) {
        self.ms.extend(other.ms);
        self.errors += other.errors;
        if self.first_error.is_none() {
            self.first_error = other.first_error;
        }
    }
}

/// The `q` quantile (0..=1) of sorted `values`, by the nearest rank.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn sorted(mut v: Vec<f64>) -> Vec<f64> {
    v.sort_by(|a, b| a.total_cmp(b));
    v
}

/// One GET; its latency in ms, or an error description.
async fn get(client: &reqwest::Client, url: &str, token: &str) -> Result<f64, String> {
    let started = Instant::now();
    let response = client
        .get(url)
        .bearer_auth(token)
        .send()
        .await
        .map_err(|e| format!("request failed: {e}"))?;
    let status = response.status();
    let body = response
        .bytes()
        .await
        .map_err(|e| format!("reading the answer failed: {e}"))?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status.is_success() {
        Ok(ms)
    } else {
        let text = String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned();
        Err(format!("{status}: {text}"))
    }
}

async fn record(samples: &mut Samples, client: &reqwest::Client, url: &str, token: &str) {
    match get(client, url, token).await {
        Ok(ms) => samples.ms.push(ms),
        Err(e) => {
            samples.errors += 1;
            samples.first_error.get_or_insert(e);
        }
    }
}

/// Warm up, then measure `endpoint` sequentially and with concurrent clients.
pub async fn measure(
    client: &reqwest::Client,
    base: &str,
    endpoint: &Endpoint,
    tokens: &[String],
    amounts: Amounts,
) -> Figures {
    let url = format!("{base}{}", endpoint.path);
    let token_for = |i: usize| -> String {
        if endpoint.first_reader_only || tokens.is_empty() {
            tokens.first().cloned().unwrap_or_default()
        } else {
            tokens[i % tokens.len()].clone()
        }
    };
    // Warm-up: `warmup` requests, or fewer if they take more than half
    // the concurrent phase's time (at least one).
    let mut warm = Samples::default();
    let warm_budget = Instant::now() + Duration::from_secs_f64(amounts.seconds / 2.0);
    let mut warmed = 0;
    for i in 0..amounts.warmup {
        if i >= 1 && Instant::now() > warm_budget {
            break;
        }
        record(&mut warm, client, &url, &token_for(i)).await;
        warmed += 1;
    }
    // Sequential: `sequential` requests, or fewer if they take longer than
    // the concurrent phase does (at least 10), so large seeds finish.
    let mut seq = Samples::default();
    let budget = Instant::now() + Duration::from_secs_f64(amounts.seconds);
    for i in 0..amounts.sequential {
        if i >= 10 && Instant::now() > budget {
            break;
        }
        record(&mut seq, client, &url, &token_for(0)).await;
    }
    let all = Arc::new(Mutex::new(Samples::default()));
    let started = Instant::now();
    let until = started + Duration::from_secs_f64(amounts.seconds);
    let mut tasks = vec![];
    for i in 0..amounts.clients {
        let (client, url, token, all) = (client.clone(), url.clone(), token_for(i), all.clone());
        tasks.push(tokio::spawn(async move {
            let mut mine = Samples::default();
            while Instant::now() < until {
                record(&mut mine, &client, &url, &token).await;
            }
            all.lock().unwrap_or_else(|p| p.into_inner()).merge(mine);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let concurrent = std::mem::take(&mut *all.lock().unwrap_or_else(|p| p.into_inner()));
    let done = concurrent.ms.len() as f64;
    let mut errors = Samples::default();
    errors.merge(warm);
    let seq_ms = sorted(std::mem::take(&mut seq.ms));
    let sequential = seq_ms.len() + seq.errors as usize;
    errors.merge(seq);
    let requests = (warmed + sequential) as u64 + done as u64 + concurrent.errors;
    let conc_ms = sorted(concurrent.ms.clone());
    errors.merge(Samples {
        ms: vec![],
        ..concurrent
    });
    Figures {
        name: endpoint.name,
        p50: percentile(&seq_ms, 0.50),
        p95: percentile(&seq_ms, 0.95),
        p99: percentile(&seq_ms, 0.99),
        rps: done / elapsed.max(1e-9),
        p99_concurrent: percentile(&conc_ms, 0.99),
        sequential,
        requests,
        errors: errors.errors,
        first_error: errors.first_error,
    }
}

/// How many items one page of `endpoint` holds (for the report: a
/// timeline that answers nothing measures nothing).
pub async fn items(
    client: &reqwest::Client,
    base: &str,
    endpoint: &Endpoint,
    token: &str,
) -> usize {
    let url = format!("{base}{}", endpoint.path);
    let Ok(r) = client.get(&url).bearer_auth(token).send().await else {
        return 0;
    };
    match r.json::<serde_json::Value>().await {
        Ok(serde_json::Value::Array(a)) => a.len(),
        Ok(v) => ["accounts", "statuses", "hashtags"]
            .iter()
            .filter_map(|k| v[*k].as_array().map(Vec::len))
            .sum(),
        Err(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 0.5), 50.0);
        assert_eq!(percentile(&v, 0.99), 99.0);
        assert_eq!(percentile(&v, 1.0), 100.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
        assert_eq!(percentile(&[7.0], 0.99), 7.0);
    }
}
