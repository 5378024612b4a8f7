//! Fan-out: a local author with many remote followers, each on a host of
//! its own, posts a public status through the API. Measured: the time
//! until every follower's server got the `Create`, and the server's CPU
//! seconds over that time.

use super::{
    peers::Peers,
    server::{Server, Usage},
};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct FanoutFigures {
    pub followers: usize,
    pub seconds: f64,
    pub cpu_seconds: f64,
    pub delivered: usize,
}

pub async fn measure(
    client: &reqwest::Client,
    server: &mut Server,
    peers: &Peers,
    author_token: &str,
    followers: usize,
) -> Result<FanoutFigures, String> {
    peers.expect_fanout(followers);
    let before: Usage = server.usage()?;
    let started = Instant::now();
    let response = client
        .post(format!("{}/api/v1/statuses", server.base))
        .bearer_auth(author_token)
        .json(&serde_json::json!({
            "status": "Fan-out bench: tomorrow's #physics lab uses the pendulum kit.",
            "visibility": "public"
        }))
        .send()
        .await
        .map_err(|e| format!("fan-out: posting failed: {e}"))?;
    if !response.status().is_success() {
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        return Err(format!("fan-out: posting answered {status}: {text}"));
    }
    let deadline = started + Duration::from_secs(300);
    let (done_at, delivered) = loop {
        let (done_at, delivered) = {
            let f = peers.fanout.lock().unwrap_or_else(|p| p.into_inner());
            (f.done_at, f.hosts.len())
        };
        if let Some(at) = done_at {
            break (at, delivered);
        }
        server.check_running()?;
        if Instant::now() > deadline {
            return Err(format!(
                "fan-out: only {delivered} of {followers} followers' servers got the post after 300 s"
            ));
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    };
    let after = server.usage()?;
    Ok(FanoutFigures {
        followers,
        seconds: done_at.duration_since(started).as_secs_f64(),
        cpu_seconds: after.cpu_seconds - before.cpu_seconds,
        delivered,
    })
}
