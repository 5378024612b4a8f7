//! Two districts, two teachers: following across servers, posts reaching
//! the home timeline, replies, edits and deletes travelling both ways, and
//! locked accounts that approve or reject follow requests.

use crate::common;

use crate::common::{eventually, openapi::validate, Instance, FEDERATION_DEADLINE as DEADLINE};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn follow_post_reply_edit_delete_across_two_districts() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;

    // Alice finds bob@district-b from her server and follows him.
    let bob_at_a = alice.resolve(&format!("bob@{}", b.domain)).await;
    validate("Account", &bob_at_a);
    assert_eq!(bob_at_a["acct"], format!("bob@{}", b.domain));
    let bob_id = bob_at_a["id"].as_str().unwrap().to_string();
    let rel = alice.follow(&bob_id).await;
    validate("Relationship", &rel);
    eventually("Bob's server to accept the follow", DEADLINE, || async {
        (alice.relationship(&bob_id).await["following"] == true).then_some(())
    })
    .await;
    let followers = bob
        .get(&format!("/api/v1/accounts/{}/followers", bob.id()))
        .await;
    assert_eq!(followers[0]["acct"], format!("alice@{}", a.domain));

    // Bob posts; it reaches Alice's home timeline.
    let post = bob
        .post_status("Gear trains slipping? Try a worm gear. #robotics", "public")
        .await;
    validate("Status", &post);
    let uri = post["uri"].as_str().unwrap().to_string();
    let seen = eventually("Bob's post in Alice's home timeline", DEADLINE, || async {
        alice.home_status(&uri).await
    })
    .await;
    validate("Status", &seen);
    assert!(seen["content"].as_str().unwrap().contains("worm gear"));
    assert_eq!(seen["account"]["acct"], format!("bob@{}", b.domain));
    assert_eq!(seen["visibility"], "public");
    assert_eq!(seen["tags"][0]["name"], "robotics");

    // Alice replies; the reply reaches Bob, threaded under his post, and he is notified.
    let reply = alice
        .reply(
            seen["id"].as_str().unwrap(),
            &format!("@bob@{} thanks, trying it tomorrow!", b.domain),
            "public",
        )
        .await;
    validate("Status", &reply);
    assert_eq!(reply["mentions"][0]["acct"], format!("bob@{}", b.domain));
    let reply_uri = reply["uri"].as_str().unwrap().to_string();
    let post_id = post["id"].as_str().unwrap().to_string();
    let context = eventually("the reply in Bob's thread", DEADLINE, || async {
        let c = bob
            .get(&format!("/api/v1/statuses/{post_id}/context"))
            .await;
        (c["descendants"]
            .as_array()?
            .iter()
            .any(|d| d["uri"] == reply_uri.as_str()))
        .then_some(c)
    })
    .await;
    validate("Context", &context);
    let mention = eventually("Bob's mention notification", DEADLINE, || async {
        bob.notifications()
            .await
            .into_iter()
            .find(|n| n["type"] == "mention")
    })
    .await;
    validate("Notification", &mention);
    assert_eq!(mention["account"]["acct"], format!("alice@{}", a.domain));
    assert_eq!(mention["status"]["uri"], reply_uri.as_str());
    let reply_at_b = &context["descendants"][0];
    assert_eq!(reply_at_b["in_reply_to_id"], post_id.as_str());

    // Bob edits; the edit reaches Alice.
    let edited = bob
        .put(
            &format!("/api/v1/statuses/{post_id}"),
            json!({"status": "Gear trains slipping? Try a worm gear or a tighter mesh. #robotics"}),
        )
        .await;
    validate("Status", &edited);
    assert!(edited["edited_at"].is_string());
    let seen_id = seen["id"].as_str().unwrap().to_string();
    eventually("the edit at Alice's server", DEADLINE, || async {
        let s = alice.get(&format!("/api/v1/statuses/{seen_id}")).await;
        (s["content"].as_str()?.contains("tighter mesh") && s["edited_at"].is_string())
            .then_some(())
    })
    .await;

    // Bob deletes; it is gone at Alice's server.
    let deleted = bob.delete(&format!("/api/v1/statuses/{post_id}")).await;
    assert!(deleted["text"].as_str().unwrap().contains("tighter mesh"));
    eventually("the delete at Alice's server", DEADLINE, || async {
        (alice
            .status_of(Method::GET, &format!("/api/v1/statuses/{seen_id}"))
            .await
            == StatusCode::NOT_FOUND)
            .then_some(())
    })
    .await;
    assert!(alice.home_status(&uri).await.is_none());

    // Alice deletes her reply; it is gone at Bob's server too.
    let reply_id = reply["id"].as_str().unwrap().to_string();
    alice.delete(&format!("/api/v1/statuses/{reply_id}")).await;
    let reply_at_b_id = reply_at_b["id"].as_str().unwrap().to_string();
    eventually("the reply's delete at Bob's server", DEADLINE, || async {
        (bob.status_of(Method::GET, &format!("/api/v1/statuses/{reply_at_b_id}"))
            .await
            == StatusCode::NOT_FOUND)
            .then_some(())
    })
    .await;

    // Bob changes his profile; the Update reaches Alice's server.
    let me = bob
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"display_name": "Bob (robotics, grades 3-5)", "note": "Coach of the Gearheads"}),
        )
        .await;
    assert_eq!(me["display_name"], "Bob (robotics, grades 3-5)");
    eventually("the profile update at Alice's server", DEADLINE, || async {
        let bob_now = alice.get(&format!("/api/v1/accounts/{bob_id}")).await;
        (bob_now["display_name"] == "Bob (robotics, grades 3-5)"
            && bob_now["note"].as_str()?.contains("Gearheads"))
        .then_some(())
    })
    .await;

    // Alice unfollows; Bob's server forgets the follower.
    alice
        .post(&format!("/api/v1/accounts/{bob_id}/unfollow"), json!({}))
        .await;
    eventually("the unfollow at Bob's server", DEADLINE, || async {
        let f = bob
            .get(&format!("/api/v1/accounts/{}/followers", bob.id()))
            .await;
        f.as_array()?.is_empty().then_some(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn locked_accounts_approve_or_reject_remote_follow_requests() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let carol = b.user("carol").await;
    let out = b.cli(&["user", "list"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("carol"));
    // Carol locks her account.
    let me = carol
        .patch(
            "/api/v1/accounts/update_credentials",
            json!({"locked": true}),
        )
        .await;
    validate("CredentialAccount", &me);
    assert_eq!(me["locked"], true);

    let carol_at_a = alice.resolve(&format!("carol@{}", b.domain)).await;
    assert_eq!(carol_at_a["locked"], true);
    let carol_id = carol_at_a["id"].as_str().unwrap().to_string();
    let rel = alice.follow(&carol_id).await;
    assert_eq!(rel["requested"], true);
    assert_eq!(rel["following"], false);
    let carol_at_dev = dev.resolve(&format!("carol@{}", b.domain)).await;
    dev.follow(carol_at_dev["id"].as_str().unwrap()).await;

    // Both requests wait at Carol's server.
    let requests = eventually(
        "two follow requests at Carol's server",
        DEADLINE,
        || async {
            let r = carol.get("/api/v1/follow_requests").await;
            (r.as_array()?.len() == 2).then_some(r)
        },
    )
    .await;
    let from = |name: &str| {
        requests
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["username"] == name)
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let notes = carol.notifications().await;
    assert!(notes.iter().any(|n| n["type"] == "follow_request"));

    // Carol approves Alice and rejects Dev.
    let rel = carol
        .post(
            &format!("/api/v1/follow_requests/{}/authorize", from("alice")),
            json!({}),
        )
        .await;
    validate("Relationship", &rel);
    assert_eq!(rel["followed_by"], true);
    let rel = carol
        .post(
            &format!("/api/v1/follow_requests/{}/reject", from("dev")),
            json!({}),
        )
        .await;
    assert_eq!(rel["followed_by"], false);
    eventually("Alice's request to be accepted", DEADLINE, || async {
        (alice.relationship(&carol_id).await["following"] == true).then_some(())
    })
    .await;
    let carol_id_at_dev = dev.resolve(&format!("carol@{}", b.domain)).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    eventually("Dev's request to be rejected", DEADLINE, || async {
        let r = dev.relationship(&carol_id_at_dev).await;
        (r["following"] == false && r["requested"] == false).then_some(())
    })
    .await;

    // Carol's followers-only post reaches Alice (a follower), not Dev.
    let post = carol
        .post_status("Coaching notes for my followers", "private")
        .await;
    let uri = post["uri"].as_str().unwrap().to_string();
    let seen = eventually("the private post at Alice's", DEADLINE, || async {
        alice.home_status(&uri).await
    })
    .await;
    assert_eq!(seen["visibility"], "private");
    assert!(dev.home_status(&uri).await.is_none());
    let id = seen["id"].as_str().unwrap();
    assert_eq!(
        dev.status_of(Method::GET, &format!("/api/v1/statuses/{id}"))
            .await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_resolves_remote_accounts_and_posts_by_url() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let post = bob
        .post_status("Exit tickets for rate problems #math", "public")
        .await;
    let uri = post["uri"].as_str().unwrap();
    let search = |q: &str, resolve: bool| {
        format!(
            "/api/v2/search?q={}&resolve={resolve}",
            common::client::urlencode(q)
        )
    };

    // Without resolve, nothing unknown is fetched.
    let found = alice.get(&search(uri, false)).await;
    assert_eq!(found["statuses"], json!([]));

    // With resolve, the post is fetched from Bob's server, with its author.
    let found = alice.get(&search(uri, true)).await;
    validate("Search", &found);
    let status = &found["statuses"][0];
    validate("Status", status);
    assert_eq!(status["uri"], uri);
    assert!(status["content"].as_str().unwrap().contains("Exit tickets"));
    assert_eq!(status["account"]["acct"], format!("bob@{}", b.domain));
    // The same post is not stored twice.
    let again = alice.get(&search(uri, true)).await;
    assert_eq!(again["statuses"][0]["id"], status["id"]);

    // Accounts resolve by actor URL and by profile URL.
    let actor_url = format!("{}/users/bob", b.url());
    let by_actor = alice.get(&search(&actor_url, true)).await;
    assert_eq!(by_actor["accounts"][0]["id"], status["account"]["id"]);
    let by_profile = alice.get(&search(&format!("{}/@bob", b.url()), true)).await;
    assert_eq!(by_profile["accounts"][0]["id"], status["account"]["id"]);

    // Bob's statuses as Alice's server knows them, and lookup by handle.
    let bob_id = status["account"]["id"].as_str().unwrap();
    let list = alice
        .get(&format!("/api/v1/accounts/{bob_id}/statuses"))
        .await;
    assert_eq!(list[0]["uri"], uri);
    let looked_up = alice
        .get(&format!("/api/v1/accounts/lookup?acct=bob@{}", b.domain))
        .await;
    assert_eq!(looked_up["id"], bob_id);

    // Unknown URLs and handles find nothing, without an error.
    let missing = alice
        .get(&search(&format!("{}/users/bob/statuses/1", b.url()), true))
        .await;
    assert_eq!(missing["statuses"], json!([]));
    let nobody = alice
        .get(&search(&format!("nobody@{}", b.domain), true))
        .await;
    assert_eq!(nobody["accounts"], json!([]));
}
