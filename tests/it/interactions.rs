//! Favourites, reblogs, bookmarks and pins across three districts: counts
//! and notifications on the origin server, reblogs in followers' home
//! timelines, undo travelling too, edit history and source, and
//! `Idempotency-Key`.

use crate::common;

use crate::common::{
    eventually,
    openapi::{validate, validate_all},
    Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn follow(follower: &Client, target: &Client, target_domain: &str) -> String {
    let remote = follower
        .resolve(&format!("{}@{target_domain}", target.username()))
        .await;
    let id = remote["id"].as_str().unwrap().to_string();
    follower.follow(&id).await;
    eventually("the follow to be accepted", DEADLINE, || async {
        (follower.relationship(&id).await["following"] == true).then_some(())
    })
    .await;
    id
}

/// The status with `uri` as `client`'s server has it.
async fn by_uri(client: &Client, uri: &str) -> Value {
    let found = client
        .get(&format!(
            "/api/v2/search?resolve=true&type=statuses&q={}",
            common::client::urlencode(uri)
        ))
        .await;
    found["statuses"][0].clone()
}

async fn notification(client: &Client, kind: &str) -> Value {
    eventually(&format!("a {kind} notification"), DEADLINE, || async {
        client
            .notifications()
            .await
            .into_iter()
            .find(|n| n["type"] == kind)
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn favourites_reblogs_and_undo_travel_between_districts() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let c = Instance::start("district-c").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let carol = c.user("carol").await;
    follow(&bob, &alice, &a.domain).await;
    follow(&carol, &bob, &b.domain).await;

    let post = alice
        .post_status(
            "Density columns with honey, dish soap and water #science",
            "public",
        )
        .await;
    let (post_id, uri) = (
        post["id"].as_str().unwrap().to_string(),
        post["uri"].as_str().unwrap().to_string(),
    );
    let seen = eventually("Alice's post at Bob's server", DEADLINE, || async {
        bob.home_status(&uri).await
    })
    .await;
    let seen_id = seen["id"].as_str().unwrap().to_string();

    // Bob favourites it: the count and a notification at Alice's server.
    let faved = bob
        .post(&format!("/api/v1/statuses/{seen_id}/favourite"), json!({}))
        .await;
    validate("Status", &faved);
    assert_eq!(faved["favourited"], true);
    assert_eq!(faved["favourites_count"], 1);
    let n = notification(&alice, "favourite").await;
    validate("Notification", &n);
    assert_eq!(n["account"]["acct"], format!("bob@{}", b.domain));
    assert_eq!(n["status"]["id"], post_id.as_str());
    let by = alice
        .get(&format!("/api/v1/statuses/{post_id}/favourited_by"))
        .await;
    validate_all("Account", &by);
    assert_eq!(by[0]["acct"], format!("bob@{}", b.domain));
    assert_eq!(
        alice.get(&format!("/api/v1/statuses/{post_id}")).await["favourites_count"],
        1
    );
    // Favouriting twice changes nothing.
    bob.post(&format!("/api/v1/statuses/{seen_id}/favourite"), json!({}))
        .await;

    // Bob reblogs it: the count and a notification at Alice's, and the
    // reblog reaches Carol (who follows Bob) as a reblog of Alice's post.
    let reblog = bob
        .post(&format!("/api/v1/statuses/{seen_id}/reblog"), json!({}))
        .await;
    validate("Status", &reblog);
    assert_eq!(reblog["reblog"]["uri"], uri.as_str());
    assert_eq!(reblog["reblog"]["reblogged"], true);
    assert_eq!(reblog["account"]["username"], "bob");
    let n = notification(&alice, "reblog").await;
    assert_eq!(n["status"]["id"], post_id.as_str());
    let at_carol = eventually("Bob's reblog in Carol's home", DEADLINE, || async {
        carol
            .home()
            .await
            .into_iter()
            .find(|s| s["reblog"]["uri"] == uri.as_str())
    })
    .await;
    validate("Status", &at_carol);
    assert_eq!(at_carol["account"]["acct"], format!("bob@{}", b.domain));
    assert_eq!(
        at_carol["reblog"]["account"]["acct"],
        format!("alice@{}", a.domain)
    );
    assert!(at_carol["reblog"]["content"]
        .as_str()
        .unwrap()
        .contains("Density columns"));
    eventually("the reblog count at Alice's", DEADLINE, || async {
        let s = alice.get(&format!("/api/v1/statuses/{post_id}")).await;
        (s["reblogs_count"] == 1).then_some(())
    })
    .await;
    let by = alice
        .get(&format!("/api/v1/statuses/{post_id}/reblogged_by"))
        .await;
    assert_eq!(by[0]["acct"], format!("bob@{}", b.domain));

    // Bob's own view carries his marks; a bookmark stays on his server.
    let marked = bob
        .post(&format!("/api/v1/statuses/{seen_id}/bookmark"), json!({}))
        .await;
    assert_eq!(marked["bookmarked"], true);
    assert_eq!(marked["favourited"], true);
    assert_eq!(marked["reblogged"], true);
    let bookmarks = bob.get("/api/v1/bookmarks").await;
    validate_all("Status", &bookmarks);
    assert_eq!(bookmarks[0]["uri"], uri.as_str());
    let favourites = bob.get("/api/v1/favourites").await;
    assert_eq!(favourites[0]["uri"], uri.as_str());
    assert_eq!(alice.get("/api/v1/bookmarks").await, json!([]));

    // Alice edits: the edit reaches Bob, who reblogged it and is told; the
    // history has both versions on both servers.
    alice
        .put(
            &format!("/api/v1/statuses/{post_id}"),
            json!({"status": "Density columns with honey, dish soap, oil and water #science"}),
        )
        .await;
    let n = notification(&bob, "update").await;
    assert_eq!(n["status"]["id"], seen_id.as_str());
    for (client, id) in [(&alice, &post_id), (&bob, &seen_id)] {
        let history = eventually("two versions", DEADLINE, || async {
            let h = client.get(&format!("/api/v1/statuses/{id}/history")).await;
            (h.as_array()?.len() == 2).then_some(h)
        })
        .await;
        validate_all("StatusEdit", &history);
        assert!(!history[0]["content"].as_str().unwrap().contains("oil"));
        assert!(history[1]["content"].as_str().unwrap().contains("oil"));
    }
    let source = alice
        .get(&format!("/api/v1/statuses/{post_id}/source"))
        .await;
    validate("StatusSource", &source);
    assert_eq!(
        source["text"],
        "Density columns with honey, dish soap, oil and water #science"
    );
    assert_eq!(
        bob.status_of(Method::GET, &format!("/api/v1/statuses/{seen_id}/source"))
            .await,
        StatusCode::NOT_FOUND
    );

    // Bob takes both back: the counts drop at Alice's, the reblog leaves Carol's home.
    let unfaved = bob
        .post(
            &format!("/api/v1/statuses/{seen_id}/unfavourite"),
            json!({}),
        )
        .await;
    assert_eq!(unfaved["favourited"], false);
    let unboosted = bob
        .post(&format!("/api/v1/statuses/{seen_id}/unreblog"), json!({}))
        .await;
    assert_eq!(unboosted["reblogged"], false);
    assert_eq!(unboosted["uri"], uri.as_str());
    eventually("the counts to drop at Alice's", DEADLINE, || async {
        let s = alice.get(&format!("/api/v1/statuses/{post_id}")).await;
        (s["favourites_count"] == 0 && s["reblogs_count"] == 0).then_some(())
    })
    .await;
    eventually("the reblog to leave Carol's home", DEADLINE, || async {
        (!carol
            .home()
            .await
            .iter()
            .any(|s| s["reblog"]["uri"] == uri.as_str()))
        .then_some(())
    })
    .await;

    // Bob reblogs again and Alice deletes her post: the reblog goes too.
    bob.post(&format!("/api/v1/statuses/{seen_id}/reblog"), json!({}))
        .await;
    eventually("the new reblog at Carol's", DEADLINE, || async {
        carol
            .home()
            .await
            .into_iter()
            .find(|s| s["reblog"]["uri"] == uri.as_str())
    })
    .await;
    alice.delete(&format!("/api/v1/statuses/{post_id}")).await;
    eventually("the reblog gone with its original", DEADLINE, || async {
        (!carol
            .home()
            .await
            .iter()
            .any(|s| s["reblog"]["uri"] == uri.as_str()))
        .then_some(())
    })
    .await;
    // Carol's server kept a copy of the original (it came with the reblog);
    // told by Alice's server that it is gone, it deletes that copy too.
    let search = format!(
        "/api/v2/search?type=statuses&q={}",
        common::client::urlencode(&uri)
    );
    eventually("Carol's copy of the original gone", DEADLINE, || async {
        let found = carol.get(&search).await;
        found["statuses"].as_array()?.is_empty().then_some(())
    })
    .await;
    assert_eq!(c.count("statuses", &format!("ap_id = '{uri}'")).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pins_federate_and_private_posts_cannot_be_reblogged() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let bob = b.user("bob").await;
    let alice_at_b = follow(&bob, &alice, &a.domain).await;

    let post = alice.post_status("Our robotics rubric", "public").await;
    let id = post["id"].as_str().unwrap();
    let pinned = alice
        .post(&format!("/api/v1/statuses/{id}/pin"), json!({}))
        .await;
    assert_eq!(pinned["pinned"], true);
    let list = alice
        .get(&format!(
            "/api/v1/accounts/{}/statuses?pinned=true",
            alice.id()
        ))
        .await;
    assert_eq!(list[0]["id"], id);

    // The featured collection and the Add reach Bob's server.
    let featured: Value = reqwest::Client::new()
        .get(format!("{}/users/alice/collections/featured", a.base()))
        .header("accept", "application/activity+json")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(featured["orderedItems"][0]["id"], post["uri"]);
    let pinned_at_b = |path: String| {
        let bob = bob.clone();
        async move { bob.get(&path).await }
    };
    let path = format!("/api/v1/accounts/{alice_at_b}/statuses?pinned=true");
    eventually("the pin at Bob's server", DEADLINE, || async {
        let list = pinned_at_b(path.clone()).await;
        (list[0]["uri"] == post["uri"]).then_some(())
    })
    .await;
    alice
        .post(&format!("/api/v1/statuses/{id}/unpin"), json!({}))
        .await;
    eventually("the unpin at Bob's server", DEADLINE, || async {
        let list = pinned_at_b(path.clone()).await;
        list.as_array()?.is_empty().then_some(())
    })
    .await;

    // Only one's own statuses can be pinned; at most five.
    let bobs_view = by_uri(&bob, post["uri"].as_str().unwrap()).await;
    let res = bob
        .request(
            Method::POST,
            &format!("/api/v1/statuses/{}/pin", bobs_view["id"].as_str().unwrap()),
            Some(json!({})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    for i in 0..5 {
        let s = alice.post_status(&format!("pin {i}"), "public").await;
        alice
            .post(
                &format!("/api/v1/statuses/{}/pin", s["id"].as_str().unwrap()),
                json!({}),
            )
            .await;
    }
    let sixth = alice
        .request(
            Method::POST,
            &format!("/api/v1/statuses/{id}/pin"),
            Some(json!({})),
        )
        .await;
    assert_eq!(sixth.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A followers-only post reaches Bob but cannot be reblogged.
    let private = alice.post_status("Only for my followers", "private").await;
    let private_at_b = eventually("the private post at Bob's", DEADLINE, || async {
        bob.home_status(private["uri"].as_str().unwrap()).await
    })
    .await;
    let res = bob
        .request(
            Method::POST,
            &format!(
                "/api/v1/statuses/{}/reblog",
                private_at_b["id"].as_str().unwrap()
            ),
            Some(json!({})),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let err: Value = res.json().await.unwrap();
    validate("Error", &err);
    // Someone who may not see it cannot favourite it either: it does not exist for them.
    let dev = a.user("dev").await;
    let private_id = private["id"].as_str().unwrap();
    for action in ["favourite", "reblog", "bookmark"] {
        assert_eq!(
            dev.status_of(
                Method::POST,
                &format!("/api/v1/statuses/{private_id}/{action}")
            )
            .await,
            StatusCode::NOT_FOUND,
            "{action}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotency_key_prevents_double_posts() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let post = |key: &'static str| {
        let alice = alice.clone();
        async move {
            let res = alice
                .http
                .post(format!("{}/api/v1/statuses", alice.base))
                .bearer_auth(&alice.token)
                .header("Idempotency-Key", key)
                .json(&json!({"status": "posted once, whatever the network does"}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::OK);
            res.json::<Value>().await.unwrap()
        }
    };
    let first = post("key-1").await;
    let again = post("key-1").await;
    assert_eq!(first["id"], again["id"]);
    let other = post("key-2").await;
    assert_ne!(first["id"], other["id"]);
    let mine = alice
        .get(&format!("/api/v1/accounts/{}/statuses", alice.id()))
        .await;
    assert_eq!(mine.as_array().unwrap().len(), 2);
}
