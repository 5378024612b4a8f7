//! What this server refuses to read from other servers (SECURITY.md
//! Fetching 3 to 6): documents of the wrong content type, id or size, slow
//! answers, endless reply chains, and WebFinger answers about someone else.
//! Each refusal leaves nothing stored and the server answering; a control
//! case shows the same kind of input accepted when it is right.

use crate::common::{
    eventually,
    fake_peer::{FakePeer, Raw},
    lookup::{assert_answering, lookup, note, raw, AP},
    Instance, FEDERATION_DEADLINE,
};
use reqwest::StatusCode;
use serde_json::json;
use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

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
    // The budget allows about 49 of them (each post and its author count).
    eventually("most of the chain fetched", FEDERATION_DEADLINE, || {
        let n = chain_fetches();
        async move { (n >= 45).then_some(()) }
    })
    .await;
    // Then wait until fetching has stopped: no new fetch for 2 s.
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
        (45..=52).contains(&fetched),
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
