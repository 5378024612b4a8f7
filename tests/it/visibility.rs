//! Followers-only and direct posts reach exactly the people addressed: the
//! right servers get a copy, the right people can read it, and a third
//! server that follows no one receives nothing at all.

use crate::common::{eventually, Instance, FEDERATION_DEADLINE as DEADLINE};
use reqwest::{Method, StatusCode};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_and_direct_posts_reach_only_their_audience() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let alice = a.user("alice").await; // follows Bob
    let erin = a.user("erin").await; // same server as Alice, follows no one
    let bob = b.user("bob").await;
    let dave = b.user("dave").await; // Bob's colleague, not a follower
    let carol = c.user("carol").await; // on a server that follows no one at B

    let bob_id = alice.resolve(&format!("bob@{}", b.domain)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    alice.follow(&bob_id).await;
    eventually("Alice to follow Bob", DEADLINE, || async {
        (alice.relationship(&bob_id).await["following"] == true).then_some(())
    })
    .await;

    // Followers-only: Alice (a follower) reads it; nobody else does.
    let private = bob
        .post_status("Private: my unit test scores this year", "private")
        .await;
    let private_uri = private["uri"].as_str().unwrap().to_string();
    let at_alice = eventually("the private post at Alice's", DEADLINE, || async {
        alice.home_status(&private_uri).await
    })
    .await;
    assert_eq!(at_alice["visibility"], "private");
    let id_at_a = at_alice["id"].as_str().unwrap().to_string();
    assert_eq!(
        erin.status_of(Method::GET, &format!("/api/v1/statuses/{id_at_a}"))
            .await,
        StatusCode::NOT_FOUND
    );
    assert!(erin.home_status(&private_uri).await.is_none());
    let anonymous = reqwest::get(format!("{}/api/v1/statuses/{id_at_a}", a.base()))
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::NOT_FOUND);
    let private_id = private["id"].as_str().unwrap();
    assert_eq!(
        dave.status_of(Method::GET, &format!("/api/v1/statuses/{private_id}"))
            .await,
        StatusCode::NOT_FOUND
    );
    let public_a = alice.get("/api/v1/timelines/public").await;
    assert!(!public_a
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["uri"] == private_uri.as_str()));
    // Not served to other servers either: fetching the object gives 404.
    let fetched = reqwest::Client::new()
        .get(format!("{}/users/bob/statuses/{private_id}", b.base()))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap();
    assert_eq!(fetched.status(), StatusCode::NOT_FOUND);

    // Direct to Alice: she reads it and is notified; Erin and Dave do not.
    let direct = bob
        .post_status(
            &format!("@alice@{} can we pair on Tuesday?", a.domain),
            "direct",
        )
        .await;
    let direct_uri = direct["uri"].as_str().unwrap().to_string();
    let dm = eventually("the direct message at Alice's", DEADLINE, || async {
        alice.home_status(&direct_uri).await
    })
    .await;
    assert_eq!(dm["visibility"], "direct");
    assert!(alice
        .notifications()
        .await
        .iter()
        .any(|n| n["type"] == "mention" && n["status"]["uri"] == direct_uri.as_str()));
    let dm_id = dm["id"].as_str().unwrap();
    assert_eq!(
        erin.status_of(Method::GET, &format!("/api/v1/statuses/{dm_id}"))
            .await,
        StatusCode::NOT_FOUND
    );
    assert!(erin.notifications().await.is_empty());
    let direct_id = direct["id"].as_str().unwrap();
    assert_eq!(
        dave.status_of(Method::GET, &format!("/api/v1/statuses/{direct_id}"))
            .await,
        StatusCode::NOT_FOUND
    );

    // A public post goes to followers' servers only: C follows no one at B.
    let public = bob
        .post_status(
            "Public: free robotics kits at the district office",
            "public",
        )
        .await;
    let public_uri = public["uri"].as_str().unwrap().to_string();
    eventually("the public post at Alice's", DEADLINE, || async {
        alice.home_status(&public_uri).await
    })
    .await;

    // Server C got nothing of all this: no activity reached its inbox, nothing is stored.
    assert_eq!(c.count("received_activities", "").await, 0);
    assert_eq!(c.count("statuses", "local = FALSE").await, 0);
    assert!(carol.home().await.is_empty());

    // A direct message to Carol reaches C, and nothing new reaches A.
    let before_a = a.count("received_activities", "").await;
    let to_carol = bob
        .post_status(
            &format!("@carol@{} welcome to the network", c.domain),
            "direct",
        )
        .await;
    let to_carol_uri = to_carol["uri"].as_str().unwrap().to_string();
    let at_carol = eventually("the direct message at Carol's", DEADLINE, || async {
        carol.home_status(&to_carol_uri).await
    })
    .await;
    assert_eq!(at_carol["visibility"], "direct");
    assert_eq!(c.count("statuses", "local = FALSE").await, 1);
    assert_eq!(a.count("received_activities", "").await, before_a);
    assert_eq!(
        a.count("statuses", &format!("ap_id = '{to_carol_uri}'"))
            .await,
        0
    );
}
