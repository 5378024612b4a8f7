//! Delivery that loses nothing: the queue is in the database, written with
//! the post, retried while the receiver is down, and still there after the
//! sender is killed.

use crate::common::{eventually, Client, Instance, FEDERATION_DEADLINE as DEADLINE};
use std::time::Duration;

/// `follower` follows `target` (at `target_instance`) and waits for the Accept.
async fn follow(follower: &Client, target: &str) {
    let id = follower.resolve(target).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    follower.follow(&id).await;
    eventually("the follow to be accepted", DEADLINE, || async {
        (follower.relationship(&id).await["following"] == true).then_some(())
    })
    .await;
}

/// Wait until `sender` has a delivery to `host` that failed at least once.
async fn wait_failed_delivery(sender: &Instance, host: &str) {
    let condition = format!("host = '{host}' AND attempts >= 1 AND failed_at IS NULL");
    eventually(
        "a failed delivery waiting for a retry",
        DEADLINE,
        || async { (sender.count("deliveries", &condition).await >= 1).then_some(()) },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_post_reaches_a_receiver_that_was_down() {
    let mut a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    follow(&alice, &format!("bob@{}", b.domain)).await;

    // Alice's server stops (a clean shutdown); Bob posts meanwhile.
    a.terminate();
    assert!(!a.is_running());
    let post = bob
        .post_status("Posted while district A was down", "public")
        .await;
    let uri = post["uri"].as_str().unwrap().to_string();
    wait_failed_delivery(&b, &a.domain).await;

    // It comes back; the retry delivers the post.
    a.restart().await;
    eventually(
        "the post after the receiver restarted",
        DEADLINE,
        || async { alice.home_status(&uri).await },
    )
    .await;
    eventually("the delivery queue to drain", DEADLINE, || async {
        (b.count("deliveries", "failed_at IS NULL").await == 0).then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_sender_delivers_its_queue_after_restart_exactly_once() {
    let mut a = Instance::start("district-a").await;
    let mut b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    follow(&alice, &format!("bob@{}", b.domain)).await;
    follow(&carol, &format!("bob@{}", b.domain)).await;

    // A fan-out to two servers, one of them down: C gets the posts, A's copies wait in B's queue.
    a.kill();
    let mut uris = vec![];
    for i in 0..3 {
        let p = bob
            .post_status(&format!("@carol@{} fan-out number {i}", c.domain), "public")
            .await;
        uris.push(p["uri"].as_str().unwrap().to_string());
    }
    for uri in &uris {
        eventually("the post at C", DEADLINE, || async {
            carol.home_status(uri).await
        })
        .await;
    }
    wait_failed_delivery(&b, &a.domain).await;

    // The sender is killed with those deliveries queued, not shut down.
    b.kill();
    assert!(
        b.count(
            "deliveries",
            &format!("host = '{}' AND failed_at IS NULL", a.domain)
        )
        .await
            >= 3
    );
    a.restart().await;
    b.restart().await;

    for uri in &uris {
        eventually(
            "the queued post at A after B restarted",
            Duration::from_secs(60),
            || async { alice.home_status(uri).await },
        )
        .await;
    }
    eventually("B's queue to drain", DEADLINE, || async {
        (b.count("deliveries", "failed_at IS NULL").await == 0).then_some(())
    })
    .await;

    // Exactly once in effect, on both receivers.
    for uri in &uris {
        assert_eq!(a.count("statuses", &format!("ap_id = '{uri}'")).await, 1);
        assert_eq!(c.count("statuses", &format!("ap_id = '{uri}'")).await, 1);
        assert_eq!(
            c.count("received_activities", &format!("ap_id = '{uri}/activity'"))
                .await,
            1
        );
    }
    let mentions = carol
        .notifications()
        .await
        .into_iter()
        .filter(|n| n["type"] == "mention")
        .count();
    assert_eq!(mentions, 3);
}
