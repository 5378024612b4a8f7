//! What a token may do: its scopes hold on every endpoint (streaming
//! too), and a token stops working, and its streams close, when it is
//! revoked or its account suspended.

use crate::common;

use crate::common::{Client, Instance};
use futures::{SinkExt, StreamExt};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::time::Duration;
use tokio_tungstenite::{connect_async, tungstenite::Message};

/// A token of `user` (signed in already as `client`) with only `scope`.
async fn token_with(client: &Client, base: &str, scope: &str) -> String {
    let res: Value = reqwest::Client::new()
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "password"),
            ("client_id", client.client_id.as_str()),
            ("client_secret", client.client_secret.as_str()),
            ("username", client.username().as_str()),
            ("password", common::instance::PASSWORD),
            ("scope", scope),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    res["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{scope}: {res}"))
        .to_string()
}

/// SECURITY.md API 2: scopes are checked on every endpoint, streaming
/// included: a `read` token cannot write (statuses, media, follows, lists,
/// filters, profile, boards ...), a `write` token cannot read, and neither
/// opens a stream it has no scope for (server-sent events, WebSocket URL,
/// WebSocket `subscribe` message). Nothing is changed by the refused calls.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scopes_hold_on_every_endpoint_and_stream() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let bob = a.user("bob").await;
    let base = a.base();
    let post = alice.post_status("Lab safety goggles", "public").await;
    let status = post["id"].as_str().unwrap().to_string();
    let (bob_id, statuses_before) = (bob.id(), a.count("statuses", "").await);
    let read = Client {
        token: token_with(&alice, &base, "read").await,
        ..alice.clone()
    };
    let write = Client {
        token: token_with(&alice, &base, "write").await,
        ..alice.clone()
    };

    let writes: Vec<(Method, String, Value)> = vec![
        (
            Method::POST,
            "/api/v1/statuses".into(),
            json!({"status": "x"}),
        ),
        (
            Method::PUT,
            format!("/api/v1/statuses/{status}"),
            json!({"status": "x"}),
        ),
        (
            Method::DELETE,
            format!("/api/v1/statuses/{status}"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/statuses/{status}/favourite"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/statuses/{status}/reblog"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/statuses/{status}/bookmark"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/accounts/{bob_id}/follow"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/accounts/{bob_id}/block"),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/v1/accounts/{bob_id}/mute"),
            json!({}),
        ),
        (
            Method::PATCH,
            "/api/v1/accounts/update_credentials".into(),
            json!({"note": "x"}),
        ),
        (Method::POST, "/api/v1/lists".into(), json!({"title": "x"})),
        (
            Method::POST,
            "/api/v2/filters".into(),
            json!({"title": "x", "context": ["home"]}),
        ),
        (
            Method::POST,
            "/api/v1/notifications/clear".into(),
            json!({}),
        ),
        (
            Method::POST,
            "/api/v1/markers".into(),
            json!({"home": {"last_read_id": status}}),
        ),
        (
            Method::POST,
            "/api/staffroom/v1/boards".into(),
            json!({"name": "x", "title": "x"}),
        ),
    ];
    for (method, path, body) in &writes {
        let res = read.request(method.clone(), path, Some(body.clone())).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "read token: {method} {path}"
        );
    }
    let reads = [
        "/api/v1/accounts/verify_credentials",
        "/api/v1/timelines/home",
        "/api/v1/notifications",
        "/api/v1/bookmarks",
        "/api/v1/favourites",
        "/api/v1/lists",
        "/api/v2/filters",
        "/api/v1/blocks",
        "/api/v1/mutes",
        "/api/v1/follow_requests",
        "/api/v1/conversations",
        "/api/v1/markers?timeline[]=home",
        "/api/staffroom/v1/boards/followed",
    ];
    for path in reads {
        let res = write.request(Method::GET, path, None).await;
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "write token: GET {path}"
        );
    }
    // Nothing changed.
    assert_eq!(a.count("statuses", "").await, statuses_before);
    for table in [
        "favourites",
        "bookmarks",
        "follows",
        "blocks",
        "mutes",
        "lists",
        "filters",
    ] {
        assert_eq!(a.count(table, "").await, 0, "{table}");
    }
    assert_eq!(
        alice.get("/api/v1/accounts/verify_credentials").await["note"],
        ""
    );

    // Streams: server-sent events, the WebSocket URL, and a subscribe message.
    let notifications_only = token_with(&alice, &base, "read:notifications").await;
    let sse = |path: &str, token: &str| {
        reqwest::Client::new()
            .get(format!("{base}/api/v1/streaming/{path}"))
            .bearer_auth(token)
            .send()
    };
    for path in [
        "user",
        "public",
        "public/local",
        "direct",
        "hashtag?tag=physics",
    ] {
        let res = sse(path, &write.token).await.unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "write token: {path}");
        let res = sse(path, &notifications_only).await.unwrap();
        assert_eq!(
            res.status(),
            StatusCode::FORBIDDEN,
            "read:notifications: {path}"
        );
    }
    let res = sse("user/notification", &notifications_only).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    drop(res);
    let ws = base.replacen("http", "ws", 1);
    let url = |q: &str| format!("{ws}/api/v1/streaming?{q}");
    let bearer = |q: &str, token: &str| {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut req = url(q).into_client_request().unwrap();
        req.headers_mut()
            .insert("Authorization", format!("Bearer {token}").parse().unwrap());
        req
    };
    assert!(connect_async(bearer("stream=user", &write.token))
        .await
        .is_err());
    assert!(connect_async(bearer("stream=public", &write.token))
        .await
        .is_err());
    // Connected without a stream, a write token cannot subscribe to one.
    let (mut socket, _) = connect_async(bearer("", &write.token)).await.unwrap();
    socket
        .send(Message::Text(
            json!({"type": "subscribe", "stream": "user"})
                .to_string()
                .into(),
        ))
        .await
        .unwrap();
    let reply = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Text(t))) => return t.to_string(),
                Some(Ok(_)) => {}
                other => panic!("no answer to the subscription: {other:?}"),
            }
        }
    })
    .await
    .expect("an answer to the subscription");
    assert!(reply.contains("error"), "{reply}");
}

/// Whether the stream of `res` (server-sent events) ends within `limit`.
async fn sse_ends(res: reqwest::Response, limit: Duration) -> bool {
    let mut body = res.bytes_stream();
    tokio::time::timeout(limit, async {
        while let Some(chunk) = body.next().await {
            if chunk.is_err() {
                return;
            }
        }
    })
    .await
    .is_ok()
}

/// SECURITY.md API 3 (suspension; app revocation is covered by
/// `streaming::websocket_streams_local_and_remote_events`): when an account
/// is suspended its tokens stop working at once and its open streams close
/// (at the next token check, within 30 s). Staffroom has no way to change a
/// password through the API yet: nothing there to revoke.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suspended_account_loses_its_tokens_and_streams() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let stream = reqwest::Client::new()
        .get(format!("{}/api/v1/streaming/user", a.base()))
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), StatusCode::OK);
    a.db()
        .write(|conn| {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use staffroom::db::schema::accounts;
            diesel::update(accounts::table.filter(accounts::username.eq("alice")))
                .set(accounts::suspended_at.eq(Some(staffroom::db::now())))
                .execute(conn)
                .map_err(staffroom::db::DbError::from)
        })
        .await
        .unwrap();
    assert_eq!(
        alice
            .status_of(Method::GET, "/api/v1/accounts/verify_credentials")
            .await,
        StatusCode::UNAUTHORIZED
    );
    assert!(
        sse_ends(stream, Duration::from_secs(45)).await,
        "the suspended account's stream closes"
    );
}

/// Handlers that take a caller (`Auth`, `MaybeAuth`, `AppAuth`) without
/// checking a scope (themselves or through the function they hand the
/// caller to), and why that is right.
const NO_SCOPE_NEEDED: &[(&str, &str, &str)] = &[(
    "mastodon/apps.rs",
    "verify_credentials",
    "any valid token may read its own app (as on Mastodon)",
)];

const SCOPE_CHECKS: [&str; 3] = [".require(", ".viewer(", "scopes.allows("];

/// SECURITY.md API 2, for endpoints added later: every API handler that
/// takes a caller checks a scope (`require`, `viewer`, `scopes.allows`),
/// itself or in the function of its file it hands the caller to, or is
/// listed above with the reason it need not.
#[test]
fn every_handler_with_a_caller_checks_a_scope() {
    let api = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/api");
    let mut pending = vec![api.clone()];
    let mut unchecked = vec![];
    let mut handlers = 0;
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path
                .strip_prefix(&api)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path).unwrap();
            let functions = functions_in(&text);
            let checks = |body: &str| SCOPE_CHECKS.iter().any(|c| body.contains(c));
            for f in functions.iter().filter(|f| f.public && f.is_async) {
                let takes_caller = ["Auth", "MaybeAuth", "AppAuth"].iter().any(|t| {
                    f.params.contains(&format!("auth: {t},"))
                        || f.params.contains(&format!("auth: {t}\n"))
                });
                if !takes_caller {
                    continue;
                }
                handlers += 1;
                // The caller handed to a function of this file that checks.
                let delegated = functions.iter().any(|g| {
                    g.name != f.name
                        && checks(&g.body)
                        && f.body.contains(&format!("{}(", g.name))
                        && f.body.contains("auth")
                });
                let listed = NO_SCOPE_NEEDED
                    .iter()
                    .any(|(file, name, _)| *file == rel && *name == f.name);
                if !checks(&f.body) && !delegated && !listed {
                    unchecked.push(format!("{rel}: {}", f.name));
                }
            }
        }
    }
    assert!(
        handlers > 100,
        "only {handlers} handlers found: is the scan broken?"
    );
    assert!(
        unchecked.is_empty(),
        "handlers that check no scope: {unchecked:?}"
    );
}

struct Function {
    name: String,
    public: bool,
    is_async: bool,
    params: String,
    body: String,
}

/// The functions of a source file (a rough scan, enough for handlers).
fn functions_in(text: &str) -> Vec<Function> {
    let mut found = vec![];
    let mut offset = 0;
    while let Some(at) = text[offset..].find("fn ") {
        let start = offset + at;
        offset = start + 3;
        let before = &text[text[..start].rfind('\n').map_or(0, |i| i + 1)..start];
        if !before.trim().is_empty()
            && ![
                "pub",
                "async",
                "pub async",
                "pub(crate) async",
                "pub(super) async",
                "pub(crate)",
                "pub(super)",
            ]
            .contains(&before.trim())
        {
            continue;
        }
        let rest = &text[offset..];
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(*c, '_' | '$'))
            .collect();
        let (Some(open), Some(brace)) = (rest.find('('), rest.find('{')) else {
            break;
        };
        if brace < open || rest[..open].contains(';') {
            continue;
        }
        let mut depth = 0;
        let mut end = rest.len();
        for (i, c) in rest[brace..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = brace + i;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push(Function {
            name,
            public: before.trim().starts_with("pub"),
            is_async: before.contains("async"),
            params: rest[open..brace].to_string(),
            body: rest[brace..end].to_string(),
        });
        offset += end;
    }
    found
}
