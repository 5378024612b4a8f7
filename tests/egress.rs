//! What this server refuses to fetch, or to send to (SECURITY.md
//! "Fetching"): internal addresses in handles, URLs, redirects, shared
//! inboxes and attachments; documents of the wrong type, id or size; slow
//! answers; WebFinger answers about someone else. Each refusal is logged
//! with the URL and the reason, leaves nothing stored, and the server keeps
//! answering. The instances run in dev mode, which reaches loopback only:
//! private and link-local addresses are refused there as in production.

mod common;

use common::{
    client::urlencode,
    eventually,
    fake_peer::{FakePeer, Raw, Signing},
    Client, Instance, FEDERATION_DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";
const AP: &str = "application/activity+json";

fn search(q: &str) -> String {
    format!("/api/v2/search?resolve=true&q={}", urlencode(q))
}

/// Search with `resolve=true`: the status and the JSON answer.
async fn lookup(client: &Client, q: &str) -> (StatusCode, Value) {
    let res = client.request(Method::GET, &search(q), None).await;
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn assert_answering(a: &Instance) {
    let res = reqwest::get(format!("{}/api/v1/instance", a.base()))
        .await
        .expect("the server answers");
    assert_eq!(res.status(), StatusCode::OK);
}

/// Wait for a log line holding every one of `parts`.
async fn logged(a: &Instance, parts: &[&str]) {
    let what = format!("a log line with {parts:?}");
    eventually(&what, FEDERATION_DEADLINE, || async {
        a.log()
            .lines()
            .any(|l| parts.iter().all(|p| l.contains(p)))
            .then_some(())
    })
    .await;
}

fn note(peer: &FakePeer, path: &str, author: &str, content: &str) -> Value {
    json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Note", "id": peer.url(path), "attributedTo": peer.actor(author),
        "to": [PUBLIC], "cc": [], "content": content, "published": "2026-11-22T10:00:00Z"
    })
}

fn raw(content_type: &str, doc: &Value) -> Raw {
    Raw::Body {
        content_type: content_type.into(),
        body: doc.to_string().into_bytes(),
    }
}

/// SECURITY.md Fetching 1: WebFinger of `user@10.0.0.1` or
/// `user@[::ffff:169.254.169.254]`, and URLs at internal addresses (hex
/// spelling included) or with user info, are refused with a clear error
/// before anything is sent, and logged with the URL and the reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handles_and_urls_at_internal_addresses_are_refused() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let accounts = a.count("accounts", "").await;
    for (handle, ip) in [
        ("user@10.0.0.1", "10.0.0.1"),
        ("user@[::ffff:169.254.169.254]", "::ffff:169.254.169.254"),
        ("user@169.254.169.254", "169.254.169.254"),
    ] {
        let started = Instant::now();
        let (status, body) = lookup(&alice, handle).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{handle}: {body}");
        let error = body["error"].as_str().unwrap_or_default();
        assert!(
            error.contains(ip) && error.contains("not a public address"),
            "{handle}: {error}"
        );
        // Refused, not attempted: no connection timeout was waited for.
        assert!(started.elapsed() < Duration::from_secs(5), "{handle}");
        logged(
            &a,
            &["egress: refused WebFinger", ip, "not a public address"],
        )
        .await;
    }
    for (url, reason) in [
        ("http://169.254.169.254/latest/meta-data", "link-local"),
        ("http://0x0a000001/users/x", "private"),
        ("http://[fd00::1]/users/x", "unique local"),
        (
            &format!("http://user:secret@{}/users/alice", a.domain),
            "user info",
        ),
    ] {
        let (status, body) = lookup(&alice, url).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {body}");
        assert!(
            body["error"].as_str().unwrap_or_default().contains(reason),
            "{url}: {body}"
        );
        logged(&a, &["egress: refused fetch of", reason]).await;
    }
    // Passwords never reach the log.
    assert!(!a.log().contains("secret@"));
    assert_eq!(a.count("accounts", "").await, accounts);
    assert_eq!(a.count("statuses", "").await, 0);
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 2: a WebFinger redirect is followed only to an
/// allowed address (each hop checked), and at most 3 hops.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_are_checked_hop_by_hop() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let peer = FakePeer::start("peer").await;
    peer.add_actor("bob");
    let handle = format!("bob@{}", peer.domain);
    let webfinger = "/.well-known/webfinger";

    peer.serve_raw(
        webfinger,
        Some(Raw::Redirect(
            "http://169.254.169.254/latest/meta-data".into(),
        )),
    );
    let (status, body) = lookup(&alice, &handle).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    logged(
        &a,
        &[
            "egress: refused redirect to http://169.254.169.254/latest/meta-data",
            "link-local",
        ],
    )
    .await;

    // Four hops are too many; three are followed.
    let served = json!({
        "subject": format!("acct:{handle}"),
        "links": [{"rel": "self", "type": AP, "href": peer.actor("bob")}]
    });
    peer.serve_raw("/r/4", Some(raw("application/jrd+json", &served)));
    for (from, to) in [
        (webfinger, "/r/1"),
        ("/r/1", "/r/2"),
        ("/r/2", "/r/3"),
        ("/r/3", "/r/4"),
    ] {
        peer.serve_raw(from, Some(Raw::Redirect(peer.url(to))));
    }
    let (status, body) = lookup(&alice, &handle).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"]
        .as_str()
        .unwrap()
        .contains("more than 3 redirects"));
    logged(
        &a,
        &["egress: refused redirect to", "more than 3 redirects"],
    )
    .await;
    assert_eq!(a.count("accounts", "domain IS NOT NULL").await, 0);

    // The WebFinger answer itself, three hops away.
    peer.serve_raw(webfinger, Some(Raw::Redirect(peer.url("/r/2"))));
    let (status, body) = lookup(&alice, &handle).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["accounts"][0]["acct"], handle.as_str());
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 1: a `sharedInbox` at an internal address (or on
/// another host than its actor) is never stored nor delivered to; the
/// actor's own inbox gets the delivery instead.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_inboxes_at_internal_addresses_get_nothing() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let peer = FakePeer::start("peer").await;
    let other = FakePeer::start("other").await;
    peer.add_actor("carol");
    peer.set_shared_inbox("carol", "http://169.254.169.254/inbox");
    peer.add_actor("dave");
    peer.set_shared_inbox("dave", &other.url("/inbox"));
    let alice_uri = alice.account["uri"].as_str().unwrap().to_string();
    for (n, name) in ["carol", "dave"].into_iter().enumerate() {
        let follow = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "Follow", "id": peer.url(&format!("/follows/{n}")),
            "actor": peer.actor(name), "object": alice_uri
        });
        let status = peer
            .send(
                &format!("{}/inbox", a.base()),
                &a.domain,
                &follow,
                name,
                &Signing::default(),
            )
            .await
            .status();
        assert_eq!(status, StatusCode::ACCEPTED, "{name}'s follow");
    }
    assert_eq!(a.count("follows", "").await, 2);

    let post = alice.post_status("Lab safety week", "public").await;
    let uri = post["uri"].as_str().unwrap().to_string();
    for name in ["carol", "dave"] {
        let inbox = format!("/users/{name}/inbox");
        eventually(
            &format!("the post in {name}'s own inbox"),
            FEDERATION_DEADLINE,
            || {
                let got = peer.received_at(&inbox);
                let uri = uri.clone();
                async move {
                    got.iter()
                        .any(|v| v["type"] == "Create" && v["object"]["id"] == uri.as_str())
                        .then_some(())
                }
            },
        )
        .await;
    }
    assert!(other.received().is_empty(), "another host got deliveries");
    logged(
        &a,
        &[
            "egress: refused shared inbox http://169.254.169.254/inbox",
            "link-local",
        ],
    )
    .await;
    logged(&a, &["egress: ignoring shared inbox", "on another host"]).await;
    assert_eq!(
        a.count(
            "accounts",
            "shared_inbox_url IS NOT NULL AND domain IS NOT NULL"
        )
        .await,
        0
    );
    assert_eq!(
        a.count(
            "deliveries",
            "inbox_url LIKE '%169.254%' OR inbox_url LIKE '%other.test%'"
        )
        .await,
        0
    );
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 1: attachments (and avatars) at internal addresses
/// are dropped when a post arrives: never fetched for previews, never shown.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_at_internal_addresses_are_not_kept() {
    let a = Instance::start("district-a").await;
    let peer = FakePeer::start("peer").await;
    peer.add_actor("mallory");
    let mut post = note(&peer, "/notes/with-files", "mallory", "Look at these");
    post["attachment"] = json!([
        {"type": "Document", "mediaType": "image/png", "url": "http://10.0.0.1/x.png"},
        {"type": "Image", "mediaType": "image/png", "url": "http://[::ffff:169.254.169.254]/y.png"},
        {"type": "Document", "mediaType": "image/png", "url": "http://user:pw@127.0.0.1/z.png"},
        {"type": "Document", "mediaType": "image/png", "url": peer.url("/media/ok.png")},
    ]);
    let create = json!({
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "Create", "id": peer.url("/activities/1"), "actor": peer.actor("mallory"),
        "to": [PUBLIC], "object": post
    });
    let status = peer
        .send(
            &format!("{}/inbox", a.base()),
            &a.domain,
            &create,
            "mallory",
            &Signing::default(),
        )
        .await
        .status();
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = peer.url("/notes/with-files");
    assert_eq!(a.count("statuses", &format!("ap_id = '{id}'")).await, 1);
    assert_eq!(
        a.count(
            "media_attachments",
            "remote_url LIKE '%10.0.0.1%' OR remote_url LIKE '%169.254%' \
             OR remote_url LIKE '%a9fe%' OR remote_url LIKE '%127.0.0.1%'"
        )
        .await,
        0
    );
    let kept = peer.url("/media/ok.png");
    assert_eq!(
        a.count("media_attachments", &format!("remote_url = '{kept}'"))
            .await,
        1
    );
    logged(
        &a,
        &[
            "egress: refused attachment http://10.0.0.1/x.png",
            "private",
        ],
    )
    .await;
    logged(
        &a,
        &[
            "egress: refused attachment http://[::ffff:a9fe:a9fe]/y.png",
            "IPv4-mapped",
        ],
    )
    .await;
    logged(&a, &["egress: refused attachment", "user info"]).await;
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 3: a document served with a content type other than
/// ActivityPub's (an uploaded `.json` file, an HTML page) is not taken for
/// an object or an actor, even when its `id` is its URL.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_activitypub_content_types_are_read() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let peer = FakePeer::start("peer").await;
    peer.add_actor("bob");
    for (path, ctype) in [
        ("/uploads/note.json", "application/json"),
        ("/uploads/note.html", "text/html"),
        ("/uploads/note.txt", "text/plain"),
    ] {
        let doc = note(&peer, path, "bob", "Not really a post");
        peer.serve_raw(path, Some(raw(ctype, &doc)));
        let (status, body) = lookup(&alice, &peer.url(path)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(body["statuses"], json!([]), "{path}");
        assert!(peer.fetched().contains(&path.to_string()), "{path}");
    }
    // An actor document uploaded as a file.
    let me = peer.url("/uploads/me.json");
    let actor = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
        "type": "Person", "id": me, "preferredUsername": "admin", "name": "Admin",
        "inbox": peer.url("/users/admin/inbox"),
        "publicKey": {"id": format!("{me}#main-key"), "owner": me, "publicKeyPem": peer.public_key("bob")}
    });
    peer.serve_raw("/uploads/me.json", Some(raw("application/json", &actor)));
    let (_, body) = lookup(&alice, &peer.url("/uploads/me.json")).await;
    assert_eq!(body["accounts"], json!([]));
    assert_eq!(a.count("statuses", "").await, 0);
    assert_eq!(a.count("accounts", "domain IS NOT NULL").await, 0);

    // The control: the same kind of document as ActivityPub is read.
    let doc = note(&peer, "/notes/real", "bob", "A real post");
    peer.serve("/notes/real", doc);
    let (_, body) = lookup(&alice, &peer.url("/notes/real")).await;
    assert_eq!(body["statuses"][0]["uri"], peer.url("/notes/real"));
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 4: a document whose `id` is not the URL it was
/// fetched from is refused, unless the `id` is on the same server: then it
/// is read again from its `id` (its canonical address).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_must_be_what_its_url_says() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let peer = FakePeer::start("peer").await;
    let other = FakePeer::start("other").await;
    peer.add_actor("bob");
    other.add_actor("carol");
    // Served by peer, claiming to be carol's post on the other server.
    let forged = note(&other, "/notes/1", "carol", "Words put in Carol's mouth");
    peer.serve("/notes/claims-other", forged.clone());
    let (status, body) = lookup(&alice, &peer.url("/notes/claims-other")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["statuses"], json!([]));
    assert!(peer.fetched().contains(&"/notes/claims-other".to_string()));
    assert!(other.fetched().is_empty(), "{:?}", other.fetched());
    assert_eq!(a.count("statuses", "").await, 0);
    assert_eq!(a.count("accounts", "domain IS NOT NULL").await, 0);

    // Same server: read again from the id.
    let canonical = note(&peer, "/notes/canonical", "bob", "The real one");
    peer.serve("/notes/alias", canonical.clone());
    peer.serve("/notes/canonical", canonical);
    let (_, body) = lookup(&alice, &peer.url("/notes/alias")).await;
    assert_eq!(body["statuses"][0]["uri"], peer.url("/notes/canonical"));
    assert!(peer.fetched().contains(&"/notes/canonical".to_string()));
    assert_eq!(a.count("statuses", "").await, 1);
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 5: bodies over 1 MiB (documents and WebFinger) are
/// refused, a response slower than the total deadline is abandoned, and a
/// chain of replies stops at the fetch budget.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn size_time_and_fetch_budgets_hold() {
    let a = Instance::start_with(
        "district-a",
        &[("STAFFROOM_FEDERATION_REQUEST_TIMEOUT_SECONDS", "2")],
    )
    .await;
    let alice = a.user("alice").await;
    let peer = FakePeer::start("peer").await;
    peer.add_actor("bob");

    let big = "x".repeat(1024 * 1024 + 16);
    peer.serve("/notes/huge", note(&peer, "/notes/huge", "bob", &big));
    let (status, body) = lookup(&alice, &peer.url("/notes/huge")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["statuses"], json!([]));
    assert!(peer.fetched().contains(&"/notes/huge".to_string()));

    let webfinger = json!({"subject": format!("acct:bob@{}", peer.domain), "padding": big,
        "links": [{"rel": "self", "type": AP, "href": peer.actor("bob")}]});
    peer.serve_raw(
        "/.well-known/webfinger",
        Some(raw("application/jrd+json", &webfinger)),
    );
    let (_, body) = lookup(&alice, &format!("bob@{}", peer.domain)).await;
    assert_eq!(body["accounts"], json!([]));
    peer.serve_raw("/.well-known/webfinger", None);

    // A valid post trickling in over 6 s: the 2 s deadline covers the body.
    let slow = note(&peer, "/notes/slow", "bob", "Eventually");
    peer.serve_raw(
        "/notes/slow",
        Some(Raw::Trickle {
            content_type: AP.into(),
            body: slow.to_string().into_bytes(),
            chunks: 12,
            every: Duration::from_millis(500),
        }),
    );
    let started = Instant::now();
    let (_, body) = lookup(&alice, &peer.url("/notes/slow")).await;
    assert!(
        started.elapsed() < Duration::from_millis(5500),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(body["statuses"], json!([]));
    assert_eq!(a.count("statuses", "").await, 0);

    // 80 replies, each to the one before: fetching stops at the budget (50).
    for i in 0..80 {
        let mut n = note(&peer, &format!("/chain/{i}"), "bob", &format!("step {i}"));
        if i > 0 {
            n["inReplyTo"] = json!(peer.url(&format!("/chain/{}", i - 1)));
        }
        peer.serve(&format!("/chain/{i}"), n);
    }
    let (_, body) = lookup(&alice, &peer.url("/chain/79")).await;
    assert_eq!(body["statuses"][0]["uri"], peer.url("/chain/79"));
    let chain_fetches = || {
        peer.fetched()
            .iter()
            .filter(|p| p.starts_with("/chain/"))
            .count()
    };
    // Wait until fetching has stopped: no new fetch for 2 s.
    let last = Arc::new(Mutex::new((0, Instant::now())));
    eventually("the chain fetches to stop", FEDERATION_DEADLINE, || {
        let n = chain_fetches();
        let last = last.clone();
        async move {
            let mut l = last.lock().unwrap();
            if l.0 != n {
                *l = (n, Instant::now());
                return None;
            }
            (l.1.elapsed() > Duration::from_secs(2)).then_some(())
        }
    })
    .await;
    let fetched = chain_fetches();
    assert!(
        (20..=52).contains(&fetched),
        "{fetched} posts of the chain fetched"
    );
    assert!(!peer.fetched().contains(&"/chain/0".to_string()));
    assert!(a.count("statuses", "").await <= 52);
    assert_answering(&a).await;
}

/// SECURITY.md Fetching 6: a WebFinger answer about someone else (`subject`
/// mismatch) or naming an actor on another server is refused; nothing is
/// fetched from that other server, nothing stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webfinger_must_answer_for_its_own_accounts() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let peer = FakePeer::start("peer").await;
    let other = FakePeer::start("other").await;
    peer.add_actor("bob");
    peer.add_actor("eve");
    other.add_actor("bob");
    let handle = format!("bob@{}", peer.domain);
    let wf = "/.well-known/webfinger";

    let someone_else = json!({"subject": format!("acct:eve@{}", peer.domain),
        "links": [{"rel": "self", "type": AP, "href": peer.actor("eve")}]});
    peer.serve_raw(wf, Some(raw("application/jrd+json", &someone_else)));
    let (_, body) = lookup(&alice, &handle).await;
    assert_eq!(body["accounts"], json!([]), "{body}");

    let elsewhere = json!({"subject": format!("acct:{handle}"),
        "links": [{"rel": "self", "type": AP, "href": other.actor("bob")}]});
    peer.serve_raw(wf, Some(raw("application/jrd+json", &elsewhere)));
    let (_, body) = lookup(&alice, &handle).await;
    assert_eq!(body["accounts"], json!([]), "{body}");
    assert!(other.fetched().is_empty(), "{:?}", other.fetched());
    assert!(!peer.fetched().iter().any(|p| p.starts_with("/users/")));
    assert_eq!(a.count("accounts", "domain IS NOT NULL").await, 0);

    // The control: a truthful answer is followed.
    peer.serve_raw(wf, None);
    let (_, body) = lookup(&alice, &handle).await;
    assert_eq!(body["accounts"][0]["acct"], handle.as_str());
    assert_answering(&a).await;
}
