//! Streaming: WebSocket and server-sent events carry `update`,
//! `notification`, `status.update` and `delete` events within seconds,
//! also for what arrives from other districts; tokens are checked (header,
//! query or `Sec-WebSocket-Protocol`) and a revoked token closes its
//! stream; with PostgreSQL, events cross app processes.

use crate::common;

use crate::common::{instance::postgres, openapi::validate, Client, Instance, FEDERATION_DEADLINE};
use futures::{SinkExt, StreamExt};
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::{
    connect_async,
    tungstenite::{client::IntoClientRequest, Message},
    MaybeTlsStream, WebSocketStream,
};

type Ws = WebSocketStream<MaybeTlsStream<tokio::net::TcpStream>>;

/// One streaming event.
#[derive(Debug, Clone)]
struct Event {
    stream: Value,
    event: String,
    payload: String,
}

impl Event {
    fn json(&self) -> Value {
        serde_json::from_str(&self.payload).unwrap_or(Value::Null)
    }
}

async fn ws_connect(base: &str, query: &str, protocol_token: Option<&str>) -> Ws {
    let url = format!(
        "{}/api/v1/streaming?{query}",
        base.replacen("http", "ws", 1)
    );
    let mut req = url.into_client_request().unwrap();
    if let Some(t) = protocol_token {
        req.headers_mut()
            .insert("Sec-WebSocket-Protocol", t.parse().unwrap());
    }
    let (ws, response) = connect_async(req).await.expect("WebSocket connects");
    if let Some(t) = protocol_token {
        assert_eq!(
            response.headers()["sec-websocket-protocol"],
            t,
            "the protocol is echoed"
        );
    }
    ws
}

/// Wait for an event that `pick` accepts, skipping others.
async fn ws_event(ws: &mut Ws, what: &str, pick: impl Fn(&Event) -> bool) -> Event {
    let deadline = tokio::time::Instant::now() + FEDERATION_DEADLINE;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let frame = tokio::time::timeout(left, ws.next())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"));
        match frame {
            Some(Ok(Message::Text(text))) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert!(v.get("error").is_none(), "error from the server: {v}");
                let e = Event {
                    stream: v["stream"].clone(),
                    event: v["event"].as_str().unwrap().to_string(),
                    payload: v["payload"].as_str().unwrap().to_string(),
                };
                if pick(&e) {
                    return e;
                }
            }
            Some(Ok(_)) => {}
            other => panic!("the stream ended while waiting for {what}: {other:?}"),
        }
    }
}

/// Whether the WebSocket is closed by the server within the deadline.
async fn ws_closes(ws: &mut Ws) -> bool {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        match tokio::time::timeout(left, ws.next()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => {}
        }
    }
}

async fn subscribe(ws: &mut Ws, message: Value) {
    ws.send(Message::Text(message.to_string().into()))
        .await
        .unwrap();
}

/// Wait until the server has handled every message sent so far: messages
/// are handled in order, and a bad one is answered with an error.
async fn sync(ws: &mut Ws) {
    subscribe(ws, json!({"type": "subscribe", "stream": "nonsense"})).await;
    loop {
        let reply = tokio::time::timeout(FEDERATION_DEADLINE, ws.next())
            .await
            .expect("an answer")
            .unwrap()
            .unwrap();
        if let Message::Text(text) = reply {
            if text.contains("\"error\"") {
                assert!(text.contains("unknown stream"), "{text}");
                return;
            }
        }
    }
}

async fn follow(follower: &Client, acct: &str) -> String {
    let id = follower.resolve(acct).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    follower.follow(&id).await;
    common::eventually("the follow", FEDERATION_DEADLINE, || async {
        (follower.relationship(&id).await["following"] == true).then_some(())
    })
    .await;
    id
}

/// SECURITY.md API 3 (app revocation): a token revoked through
/// `/oauth/revoke` closes its open stream at once. (Suspension:
/// `token_scopes::a_suspended_account_loses_its_tokens_and_streams`.)
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_streams_local_and_remote_events() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    follow(&bob, &format!("alice@{}", a.domain)).await;

    // Bob: token in the query, stream chosen at connection. Alice: token as
    // the WebSocket protocol, streams chosen by message.
    let mut bob_ws = ws_connect(
        &b.base(),
        &format!("stream=user&access_token={}", bob.token),
        None,
    )
    .await;
    let mut alice_ws = ws_connect(&a.base(), "", Some(&alice.token)).await;
    subscribe(
        &mut alice_ws,
        json!({"type": "subscribe", "stream": "user"}),
    )
    .await;
    subscribe(
        &mut alice_ws,
        json!({"type": "subscribe", "stream": "hashtag", "tag": "Physics"}),
    )
    .await;
    sync(&mut alice_ws).await;
    // Anyone may watch the local public timeline.
    let mut public_ws = ws_connect(&a.base(), "stream=public:local", None).await;

    // Alice posts: her own stream, the hashtag and public streams, and
    // Bob's home stream in the other district.
    let post = alice
        .post_status("Pendulum lab tomorrow #physics", "public")
        .await;
    let uri = post["uri"].as_str().unwrap().to_string();
    // One message per stream, in no particular order.
    let mut user = None;
    let mut tagged = None;
    while user.is_none() || tagged.is_none() {
        let e = ws_event(&mut alice_ws, "Alice's own and the hashtag update", |e| {
            e.event == "update"
        })
        .await;
        if e.stream == json!(["user"]) {
            user = Some(e.json());
        } else if e.stream == json!(["hashtag", "physics"]) {
            tagged = Some(e.json());
        }
    }
    assert_eq!(user.unwrap()["uri"], uri.as_str());
    assert_eq!(tagged.unwrap()["uri"], uri.as_str());
    let public = ws_event(&mut public_ws, "the public:local update", |e| {
        e.event == "update"
    })
    .await;
    assert_eq!(public.json()["uri"], uri.as_str());
    let at_bob = ws_event(&mut bob_ws, "Alice's post on Bob's stream", |e| {
        e.event == "update" && e.json()["uri"] == uri.as_str()
    })
    .await;
    validate("Status", &at_bob.json());
    let id_at_b = at_bob.json()["id"].as_str().unwrap().to_string();

    // Bob replies: Alice's stream gets the mention notification and the update.
    bob.reply(
        &id_at_b,
        &format!("@alice@{} can I borrow your photogates?", a.domain),
        "public",
    )
    .await;
    // (The two may come in either order.)
    let mut notification = None;
    let mut update = None;
    while notification.is_none() || update.is_none() {
        let e = ws_event(&mut alice_ws, "the remote mention and reply", |e| {
            e.event == "notification"
                || (e.event == "update" && e.json()["account"]["username"] == "bob")
        })
        .await;
        if e.event == "notification" {
            notification = Some(e.json());
        } else {
            update = Some(e.json());
        }
    }
    let n = notification.unwrap();
    validate("Notification", &n);
    assert_eq!(n["type"], "mention");
    assert_eq!(n["account"]["acct"], format!("bob@{}", b.domain));
    assert_eq!(update.unwrap()["in_reply_to_id"], post["id"]);

    // Alice edits and deletes: Bob's stream gets status.update and delete.
    let id = post["id"].as_str().unwrap();
    alice
        .put(
            &format!("/api/v1/statuses/{id}"),
            json!({"status": "Pendulum lab moved to Friday #physics"}),
        )
        .await;
    let edited = ws_event(&mut bob_ws, "the edit", |e| e.event == "status.update").await;
    assert!(edited.json()["content"]
        .as_str()
        .unwrap()
        .contains("Friday"));
    alice.delete(&format!("/api/v1/statuses/{id}")).await;
    let deleted = ws_event(&mut bob_ws, "the delete", |e| e.event == "delete").await;
    assert_eq!(deleted.payload, id_at_b);

    // Unsubscribing stops the hashtag stream.
    subscribe(
        &mut alice_ws,
        json!({"type": "unsubscribe", "stream": "hashtag", "tag": "physics"}),
    )
    .await;
    sync(&mut alice_ws).await;
    alice.post_status("Second #physics post", "public").await;
    let next = ws_event(&mut alice_ws, "the next update", |e| e.event == "update").await;
    assert_eq!(
        next.stream,
        json!(["user"]),
        "no hashtag event after unsubscribing"
    );

    // A revoked token closes its stream at once.
    let res = reqwest::Client::new()
        .post(format!("{}/oauth/revoke", b.base()))
        .form(&[
            ("client_id", bob.client_id.as_str()),
            ("client_secret", bob.client_secret.as_str()),
            ("token", bob.token.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(ws_closes(&mut bob_ws).await, "the revoked stream closes");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streams_refuse_missing_and_bad_tokens() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let http = reqwest::Client::new();
    let health = http
        .get(format!("{}/api/v1/streaming/health", a.base()))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.text().await.unwrap(), "OK");
    for (path, token) in [
        ("/api/v1/streaming/user", None),
        ("/api/v1/streaming/user", Some("not-a-token")),
        ("/api/v1/streaming/direct", None),
    ] {
        let mut req = http.get(format!("{}{path}", a.base()));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.unwrap();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{path} {token:?}");
        let body: Value = res.json().await.unwrap();
        validate("Error", &body);
    }
    let unknown = http
        .get(format!("{}/api/v1/streaming/everything", a.base()))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    // A WebSocket for a private stream without a token is refused before the upgrade.
    let url = format!(
        "{}/api/v1/streaming?stream=user",
        a.base().replacen("http", "ws", 1)
    );
    assert!(connect_async(url).await.is_err());
}

/// Read server-sent events from `res` until `pick` accepts one.
async fn sse_event(
    res: &mut reqwest::Response,
    buffer: &mut String,
    what: &str,
    pick: impl Fn(&Event) -> bool,
) -> Event {
    let deadline = tokio::time::Instant::now() + FEDERATION_DEADLINE;
    loop {
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let mut event = None;
            let mut data = None;
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event: ") {
                    event = Some(v.to_string());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    data = Some(v.to_string());
                }
            }
            if let (Some(event), Some(payload)) = (event, data) {
                let e = Event {
                    stream: Value::Null,
                    event,
                    payload,
                };
                if pick(&e) {
                    return e;
                }
            }
        }
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        let chunk = tokio::time::timeout(left, res.chunk())
            .await
            .unwrap_or_else(|_| panic!("timed out waiting for {what}"))
            .unwrap()
            .unwrap_or_else(|| panic!("the stream ended while waiting for {what}"));
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_sent_events_cross_app_processes() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    follow(&dev, "alice").await;
    // With PostgreSQL, a second app process of the same server streams
    // what the first one writes; with SQLite there is one process.
    let sibling = match postgres() {
        Some(_) => Some(a.start_sibling().await),
        None => None,
    };
    let stream_base = sibling.as_ref().map_or(a.base(), |s| s.base());
    let mut res = reqwest::Client::new()
        .get(format!("{stream_base}/api/v1/streaming/user"))
        .bearer_auth(&dev.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    // The subscription is registered before the response starts.
    let mut buffer = String::new();
    let post = alice.post_status("Stream me", "public").await;
    let update = sse_event(&mut res, &mut buffer, "the update", |e| e.event == "update").await;
    assert_eq!(update.json()["id"], post["id"]);
    alice
        .post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                post["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    let dev_post = dev.post_status("My own post", "public").await;
    alice
        .post(
            &format!(
                "/api/v1/statuses/{}/favourite",
                dev_post["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await;
    let n = sse_event(&mut res, &mut buffer, "the favourite notification", |e| {
        e.event == "notification"
    })
    .await;
    assert_eq!(n.json()["type"], "favourite");
    assert_eq!(n.json()["account"]["username"], "alice");
}
