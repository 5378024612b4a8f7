//! Objects inside an activity are not believed: fetched from their own
//! server, never claimed to be ours (inbox items 7-8 of SECURITY.md).

use super::{Rig, PUBLIC};
use crate::common::fake_peer::{FakePeer, Signing};
use reqwest::StatusCode;
use serde_json::json;

/// SECURITY.md Inbox 7 (an embedded object on another host is re-fetched
/// from its own server, never believed) and SECURITY.md Inbox 8 (objects
/// and actors claiming to live on our server).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn items7_and_8_embedded_objects_are_not_trusted() {
    let r = Rig::new().await;
    r.accepted_post("mallory", "control").await;
    let other = FakePeer::start("other").await;
    other.add_actor("olivia");

    // 7. An object whose id is on another server: fetched from that server instead.
    let genuine = json!({"type": "Note", "id": other.url("/notes/1"), "attributedTo": other.actor("olivia"),
                         "to": [PUBLIC], "content": "<p>genuine words</p>"});
    other.serve("/notes/1", genuine);
    let mut forged = r.note("mallory", "<p>forged words</p>");
    forged["id"] = json!(other.url("/notes/1"));
    let status = r
        .send("mallory", &r.create("mallory", forged), &Signing::default())
        .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert!(
        other.fetched().contains(&"/notes/1".to_string()),
        "the object must be re-fetched from its own server"
    );
    let stored =
        r.a.count(
            "statuses",
            &format!(
                "ap_id = '{}' AND content LIKE '%genuine%'",
                other.url("/notes/1")
            ),
        )
        .await;
    assert_eq!(stored, 1);
    assert_eq!(r.a.count("statuses", "content LIKE '%forged%'").await, 0);

    // 7. An object whose url is on another server, and whose own server does not have it: nothing stored.
    let mut relayed = r.note("mallory", "<p>relayed</p>");
    relayed["url"] = json!(other.url("/somewhere"));
    let before = r.snapshot().await;
    let status = r
        .send(
            "mallory",
            &r.create("mallory", relayed),
            &Signing::default(),
        )
        .await;
    assert!(status.is_client_error(), "got {status}");
    assert_eq!(r.snapshot().await, before);

    // 7. An object attributed to someone else than the actor.
    let mut not_hers = r.note("mallory", "x");
    not_hers["attributedTo"] = json!(r.evil.actor("eve"));
    r.refused(
        "an object attributed to another actor",
        "mallory",
        &r.create("mallory", not_hers),
        &Signing::default(),
        StatusCode::FORBIDDEN,
    )
    .await;

    // 8. Objects and actors claiming to live on our server.
    let alice = r.a.user("alice").await;
    let local_note = format!("{}/users/alice/statuses/1", r.a.url());
    let mut claims_local = r.note("mallory", "x");
    claims_local["id"] = json!(local_note);
    r.refused(
        "an object claiming to be ours",
        "mallory",
        &r.create("mallory", claims_local),
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;
    let mut as_alice = r.create("mallory", r.note("mallory", "x"));
    as_alice["actor"] = alice.account["uri"].clone();
    as_alice["id"] = json!(format!("{}/activities/1", r.a.url()));
    r.refused(
        "an actor claiming to be ours",
        "mallory",
        &as_alice,
        &Signing::default(),
        StatusCode::BAD_REQUEST,
    )
    .await;
}
