//! Blocks (federated), mutes and hidden servers: follows end, timelines
//! and notifications leave the hidden out, and the lists show them.

use crate::common;

use crate::common::{
    eventually, openapi::validate, openapi::validate_all, Client, Instance,
    FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::Method;
use serde_json::json;

async fn follow(follower: &Client, acct: &str) -> String {
    let id = follower.resolve(acct).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    follower.follow(&id).await;
    eventually("the follow", DEADLINE, || async {
        (follower.relationship(&id).await["following"] == true).then_some(())
    })
    .await;
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blocks_end_follows_both_ways_and_federate() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let bob_at_a = follow(&alice, &format!("bob@{}", b.domain)).await;
    let alice_at_b = follow(&bob, &format!("alice@{}", a.domain)).await;

    let rel = alice
        .post(&format!("/api/v1/accounts/{bob_at_a}/block"), json!({}))
        .await;
    validate("Relationship", &rel);
    assert_eq!(rel["blocking"], true);
    assert_eq!(rel["following"], false);
    assert_eq!(rel["followed_by"], false);
    // Bob's server hears of it: no follows either way, and Bob is blocked by Alice.
    eventually("the block at Bob's server", DEADLINE, || async {
        let r = bob.relationship(&alice_at_b).await;
        (r["blocked_by"] == true && r["following"] == false && r["followed_by"] == false)
            .then_some(())
    })
    .await;
    // Bob can no longer follow Alice.
    let res = bob
        .request(
            Method::POST,
            &format!("/api/v1/accounts/{alice_at_b}/follow"),
            Some(json!({})),
        )
        .await;
    assert!(res.status().is_client_error(), "{}", res.status());
    // Bob's mention of Alice notifies nobody, and his posts stay out of her timelines.
    let mention = bob
        .post_status(&format!("@alice@{} hello?", a.domain), "public")
        .await;
    let uri = mention["uri"].as_str().unwrap().to_string();
    eventually("the mention stored at Alice's server", DEADLINE, || async {
        (a.count("statuses", &format!("ap_id = '{uri}'")).await == 1).then_some(())
    })
    .await;
    assert!(!alice
        .notifications()
        .await
        .iter()
        .any(|n| n["account"]["id"] == bob_at_a.as_str()));
    assert!(alice.home_status(&uri).await.is_none());
    let public = alice.get("/api/v1/timelines/public").await;
    assert!(!public
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["uri"] == uri.as_str()));

    let blocks = alice.get("/api/v1/blocks").await;
    validate_all("Account", &blocks);
    assert_eq!(blocks[0]["id"], bob_at_a.as_str());

    // Unblocking reaches Bob's server too.
    let rel = alice
        .post(&format!("/api/v1/accounts/{bob_at_a}/unblock"), json!({}))
        .await;
    assert_eq!(rel["blocking"], false);
    eventually("the unblock at Bob's server", DEADLINE, || async {
        (bob.relationship(&alice_at_b).await["blocked_by"] == false).then_some(())
    })
    .await;
    assert_eq!(alice.get("/api/v1/blocks").await, json!([]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutes_and_hidden_servers() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let bob = b.user("bob").await;
    let dev_id = follow(&alice, "dev").await;
    let alice_at_b = follow(&bob, &format!("alice@{}", a.domain)).await;

    // Alice mutes Dev, notifications too: his posts and his favourites vanish for her.
    let rel = alice
        .post(
            &format!("/api/v1/accounts/{dev_id}/mute"),
            json!({"notifications": true}),
        )
        .await;
    validate("Relationship", &rel);
    assert_eq!(rel["muting"], true);
    assert_eq!(rel["muting_notifications"], true);
    let devs = dev.post_status("Dev's post while muted", "public").await;
    assert!(alice
        .home_status(devs["uri"].as_str().unwrap())
        .await
        .is_none());
    let hers = alice.post_status("Alice's post", "public").await;
    dev.post(
        &format!(
            "/api/v1/statuses/{}/favourite",
            hers["id"].as_str().unwrap()
        ),
        json!({}),
    )
    .await;
    assert!(!alice
        .notifications()
        .await
        .iter()
        .any(|n| n["type"] == "favourite"));
    let mutes = alice.get("/api/v1/mutes").await;
    assert_eq!(mutes[0]["id"], dev_id.as_str());
    // Unmuted, his posts are back.
    alice
        .post(&format!("/api/v1/accounts/{dev_id}/unmute"), json!({}))
        .await;
    assert!(alice
        .home_status(devs["uri"].as_str().unwrap())
        .await
        .is_some());
    assert_eq!(alice.get("/api/v1/mutes").await, json!([]));

    // Alice hides Bob's whole server: Bob stops following her (his server
    // is told), and his posts leave her public timeline.
    let post = bob.post_status("Bob's public post", "public").await;
    let uri = post["uri"].as_str().unwrap().to_string();
    // Alice's server fetches it (so it would be in her public timeline).
    let found = alice
        .get(&format!(
            "/api/v2/search?resolve=true&q={}",
            common::client::urlencode(&uri)
        ))
        .await;
    assert_eq!(found["statuses"][0]["uri"], uri.as_str());
    let public = alice.get("/api/v1/timelines/public").await;
    assert!(public
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["uri"] == uri.as_str()));
    let host = b.domain.clone();
    alice
        .post("/api/v1/domain_blocks", json!({"domain": host}))
        .await;
    assert_eq!(alice.get("/api/v1/domain_blocks").await, json!([host]));
    eventually("Bob no longer following Alice", DEADLINE, || async {
        (bob.relationship(&alice_at_b).await["following"] == false).then_some(())
    })
    .await;
    let public = alice.get("/api/v1/timelines/public").await;
    assert!(!public
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["uri"] == uri.as_str()));
    let bob_at_a = alice.resolve(&format!("bob@{}", b.domain)).await;
    let rel = alice.relationship(bob_at_a["id"].as_str().unwrap()).await;
    assert_eq!(rel["domain_blocking"], true);
    let res = alice
        .request(
            Method::DELETE,
            "/api/v1/domain_blocks",
            Some(json!({"domain": host})),
        )
        .await;
    assert!(res.status().is_success());
    assert_eq!(alice.get("/api/v1/domain_blocks").await, json!([]));
}
