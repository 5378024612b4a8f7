//! What this server refuses to fetch, or to send to, because of where it
//! is (SECURITY.md Fetching 1 and 2): internal addresses in handles, URLs,
//! redirects, shared inboxes, attachments and avatars. Each refusal is logged
//! with the URL and the reason, leaves nothing stored, and the server keeps
//! answering. The instances run in dev mode, which reaches loopback only:
//! private and link-local addresses are refused there as in production.

use crate::common::{
    eventually,
    fake_peer::{FakePeer, Raw, Signing},
    lookup::{assert_answering, logged, lookup, note, raw, AP, PUBLIC},
    Instance, FEDERATION_DEADLINE,
};
use reqwest::StatusCode;
use serde_json::json;
use std::time::{Duration, Instant};

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

/// SECURITY.md Fetching 1: attachments, avatars and header images at
/// internal addresses are dropped when they arrive (never fetched for
/// previews, never shown), and a parent post there is not fetched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attachments_at_internal_addresses_are_not_kept() {
    let a = Instance::start("district-a").await;
    let peer = FakePeer::start("peer").await;
    peer.add_actor("mallory");
    peer.set_actor_field(
        "mallory",
        "icon",
        json!({"type": "Image", "url": "http://10.0.0.1/avatar.png"}),
    );
    peer.set_actor_field(
        "mallory",
        "image",
        json!({"type": "Image", "url": "http://[fe80::1]/header.png"}),
    );
    let mut post = note(&peer, "/notes/with-files", "mallory", "Look at these");
    post["inReplyTo"] = json!("http://169.254.169.254/notes/1");
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
    logged(
        &a,
        &["egress: refused fetch of parent post http://169.254.169.254/notes/1"],
    )
    .await;
    let mallory = peer.actor("mallory");
    assert_eq!(
        a.count(
            "accounts",
            &format!("ap_id = '{mallory}' AND avatar_url IS NULL AND header_url IS NULL")
        )
        .await,
        1
    );
    logged(
        &a,
        &[
            "egress: refused avatar http://10.0.0.1/avatar.png",
            "private",
        ],
    )
    .await;
    logged(
        &a,
        &[
            "egress: refused header image http://[fe80::1]/header.png",
            "link-local",
        ],
    )
    .await;
    assert_answering(&a).await;
}
