//! Looking things up on other servers from a test, and what to check after:
//! a search with `resolve=true`, the server still answering, a log line.

use super::{
    client::urlencode,
    eventually,
    fake_peer::{FakePeer, Raw},
    Client, Instance, FEDERATION_DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
pub const AP: &str = "application/activity+json";

pub fn search(q: &str) -> String {
    format!("/api/v2/search?resolve=true&q={}", urlencode(q))
}

/// Search with `resolve=true`: the status and the JSON answer.
pub async fn lookup(client: &Client, q: &str) -> (StatusCode, Value) {
    let res = client.request(Method::GET, &search(q), None).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn assert_answering(a: &Instance) {
    let res = reqwest::get(format!("{}/api/v1/instance", a.base()))
        .await
        .expect("the server answers");
    assert_eq!(res.status(), StatusCode::OK);
}

/// Wait for a log line holding every one of `parts`.
pub async fn logged(a: &Instance, parts: &[&str]) {
    let what = format!("a log line with {parts:?}");
    eventually(&what, FEDERATION_DEADLINE, || async {
        a.log()
            .lines()
            .any(|l| parts.iter().all(|p| l.contains(p)))
            .then_some(())
    })
    .await;
}

pub fn note(peer: &FakePeer, path: &str, author: &str, content: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Note", "id": peer.url(path), "attributedTo": peer.actor(author),
        "to": [PUBLIC], "cc": [], "content": content, "published": "2026-11-22T10:00:00Z"
    })
}

pub fn raw(content_type: &str, doc: &Value) -> Raw {
    Raw::Body {
        content_type: content_type.into(),
        body: doc.to_string().into_bytes(),
    }
}
