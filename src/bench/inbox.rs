//! Inbox load: the fake remote servers' actors send signed `Create{Note}`s
//! to the server's shared inbox at once. Accepted/s counts 2xx answers;
//! stored/s waits until every status is in the database.

use super::peers::Actor;
use crate::db::{Db, DbError};
use crate::federation::delivery::signing::signed_post_headers;
use serde_json::json;
use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc, Mutex,
    },
    time::{Duration, Instant},
};
use url::Url;

#[derive(Debug, Clone, Default)]
pub struct InboxFigures {
    pub sent: u64,
    pub accepted_per_s: f64,
    pub stored_per_s: f64,
    pub errors: u64,
    pub first_error: Option<String>,
}

/// One request ready to go.
struct Prepared {
    body: Vec<u8>,
    headers: reqwest::header::HeaderMap,
}

/// Send `total` Creates, `concurrency` at a time, to `domain`'s shared
/// inbox (reached through `client`, which resolves the domain to loopback);
/// `senders` are the senders' account ids here, to count what was stored.
pub async fn measure(
    client: &reqwest::Client,
    domain: &str,
    actors: &[Actor],
    senders: &[i64],
    db: &Db,
    total: usize,
    concurrency: usize,
) -> Result<InboxFigures, String> {
    let inbox = Url::parse(&format!("http://{domain}/inbox")).map_err(|e| e.to_string())?;
    let before = stored(db, senders).await?;
    // Signing costs the sender a millisecond or so per request: done first,
    // so the clock measures the server.
    let stamp = chrono::Utc::now().timestamp_millis();
    let mut prepared = vec![];
    for i in 0..total {
        let actor = &actors[i % actors.len()];
        let id = actor.id();
        let note = format!("{id}/statuses/bench-{stamp}-{i}");
        let body = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Create", "id": format!("{note}/activity"), "actor": id,
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "cc": [format!("{id}/followers")],
            "object": {
                "type": "Note", "id": note, "attributedTo": id,
                "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "cc": [format!("{id}/followers")],
                "content": format!("<p>Inbox bench note {i}: our density lab went well #stem</p>"),
                "published": chrono::Utc::now().to_rfc3339(),
                "tag": [{"type": "Hashtag", "name": "#stem", "href": format!("http://{}/tags/stem", actor.host)}]
            }
        })
        .to_string()
        .into_bytes();
        let headers = signed_post_headers(
            &inbox,
            &body,
            &format!("{id}#main-key"),
            &actor.key,
            "application/activity+json",
        )?;
        prepared.push(Prepared { body, headers });
    }
    let queue = Arc::new(Mutex::new(prepared));
    let accepted = Arc::new(AtomicU64::new(0));
    let errors = Arc::new(Mutex::new((0u64, None::<String>)));
    let started = Instant::now();
    let mut tasks = vec![];
    for _ in 0..concurrency.max(1) {
        let (client, queue, accepted, errors, inbox) = (
            client.clone(),
            queue.clone(),
            accepted.clone(),
            errors.clone(),
            inbox.clone(),
        );
        tasks.push(tokio::spawn(async move {
            loop {
                let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop();
                let Some(p) = next else { break };
                let result = client
                    .post(inbox.clone())
                    .headers(p.headers)
                    .body(p.body)
                    .send()
                    .await;
                let failure = match result {
                    Ok(r) if r.status().is_success() => None,
                    Ok(r) => {
                        let status = r.status();
                        let text = r.text().await.unwrap_or_default();
                        Some(format!(
                            "{status}: {}",
                            text.chars().take(200).collect::<String>()
                        ))
                    }
                    Err(e) => Some(format!("request failed: {e}")),
                };
                match failure {
                    None => {
                        accepted.fetch_add(1, Ordering::Relaxed);
                    }
                    Some(e) => {
                        let mut errs = errors.lock().unwrap_or_else(|p| p.into_inner());
                        errs.0 += 1;
                        errs.1.get_or_insert(e);
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let answered = started.elapsed().as_secs_f64();
    let accepted = accepted.load(Ordering::Relaxed);
    // Stored: poll the database until every accepted status is there.
    let deadline = Instant::now() + Duration::from_secs(120);
    let stored_secs = loop {
        let n = stored(db, senders).await? - before;
        if n >= accepted as i64 {
            break started.elapsed().as_secs_f64();
        }
        if Instant::now() > deadline {
            return Err(format!(
                "inbox: only {n} of {accepted} accepted statuses were stored after 120 s"
            ));
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    };
    let (errors, first_error) = errors.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(InboxFigures {
        sent: total as u64,
        accepted_per_s: accepted as f64 / answered.max(1e-9),
        stored_per_s: accepted as f64 / stored_secs.max(1e-9),
        errors,
        first_error,
    })
}

/// Statuses of `senders` in the database.
async fn stored(db: &Db, senders: &[i64]) -> Result<i64, String> {
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let list: Vec<String> = senders.iter().map(|s| s.to_string()).collect();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM statuses WHERE account_id IN ({})",
        list.join(", ")
    );
    db.read(move |conn| {
        use diesel::RunQueryDsl;
        diesel::sql_query(sql)
            .get_result::<Count>(conn)
            .map(|c| c.n)
            .map_err(DbError::from)
    })
    .await
    .map_err(|e| format!("inbox: counting stored statuses: {e}"))
}
