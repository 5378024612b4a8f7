//! Polls across districts: a vote from another server changes the counts on
//! the origin and comes back with its update; the rules of voting; and the
//! end of a poll, with notifications for the author and the voters.

use crate::common::{
    eventually, openapi::validate, Client, Instance, FEDERATION_DEADLINE as DEADLINE,
};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

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

async fn refused(c: &Client, path: &str, body: Value) -> StatusCode {
    c.request(Method::POST, path, Some(body)).await.status()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_votes_count_on_the_origin_and_polls_close() {
    let a = Instance::start("district-a").await;
    let b = Instance::start("district-b").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let bob = b.user("bob").await;
    follow(&bob, &format!("alice@{}", a.domain)).await;

    // Form-encoded, Rails style, as apps send a poll.
    let res = alice
        .http
        .post(format!("{}/api/v1/statuses", alice.base))
        .bearer_auth(&alice.token)
        .form(&[
            ("status", "Which robotics kit for 3rd grade?"),
            ("poll[options][]", "Lego"),
            ("poll[options][]", "VEX"),
            ("poll[options][]", "Sphero"),
            ("poll[expires_in]", "3600"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let post: Value = res.json().await.unwrap();
    validate("Status", &post);
    assert_eq!(post["poll"]["options"][1]["title"], "VEX");
    assert_eq!(post["poll"]["votes_count"], 0);
    let poll_id = post["poll"]["id"].as_str().unwrap().to_string();

    // The poll reaches Bob's server as a Question; he votes from there.
    let seen = eventually("the poll at Bob's server", DEADLINE, || async {
        bob.home_status(post["uri"].as_str().unwrap()).await
    })
    .await;
    validate("Poll", &seen["poll"]);
    assert_eq!(seen["poll"]["options"].as_array().unwrap().len(), 3);
    assert_eq!(seen["poll"]["voted"], false);
    let remote_poll = seen["poll"]["id"].as_str().unwrap().to_string();
    let voted = bob
        .post(
            &format!("/api/v1/polls/{remote_poll}/votes"),
            json!({"choices": ["1"]}),
        )
        .await;
    validate("Poll", &voted);
    assert_eq!(voted["voted"], true);
    assert_eq!(voted["own_votes"], json!([1]));
    assert_eq!(voted["options"][1]["votes_count"], 1);

    // The vote is counted at Alice's server.
    eventually("the remote vote at Alice's", DEADLINE, || async {
        let p = alice.get(&format!("/api/v1/polls/{poll_id}")).await;
        (p["options"][1]["votes_count"] == 1 && p["voters_count"] == 1).then_some(())
    })
    .await;

    // Dev votes at Alice's server; the new counts reach Bob's server.
    dev.post(
        &format!("/api/v1/polls/{poll_id}/votes"),
        json!({"choices": [0]}),
    )
    .await;
    eventually("the updated counts at Bob's", DEADLINE, || async {
        let p = bob.get(&format!("/api/v1/polls/{remote_poll}")).await;
        (p["votes_count"] == 2 && p["options"][0]["votes_count"] == 1).then_some(())
    })
    .await;

    // The rules: once per single-choice poll, valid choices, not one's own.
    let votes = format!("/api/v1/polls/{poll_id}/votes");
    assert_eq!(
        refused(&dev, &votes, json!({"choices": [2]})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        refused(&alice, &votes, json!({"choices": [0]})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let carol = a.user("carol").await;
    assert_eq!(
        refused(&carol, &votes, json!({"choices": [7]})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        refused(&carol, &votes, json!({"choices": [0, 1]})).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    // The poll ends (its end is moved into the past): the author and the
    // local voter are told, and Bob's server learns it closed.
    a.db()
        .write(move |conn| {
            use diesel::{ExpressionMethods, RunQueryDsl};
            use staffroom::db::schema::polls;
            diesel::update(polls::table)
                .set(polls::expires_at.eq(staffroom::db::now() - chrono::Duration::seconds(1)))
                .execute(conn)
                .map_err(staffroom::db::DbError::from)
        })
        .await
        .unwrap();
    for (who, client) in [("Alice", &alice), ("Dev", &dev), ("Bob", &bob)] {
        let n = eventually(&format!("{who}'s poll notification"), DEADLINE, || async {
            client
                .notifications()
                .await
                .into_iter()
                .find(|n| n["type"] == "poll")
        })
        .await;
        validate("Notification", &n);
        assert_eq!(n["status"]["uri"], post["uri"]);
    }
    let closed = bob.get(&format!("/api/v1/polls/{remote_poll}")).await;
    assert_eq!(closed["expired"], true);
    assert_eq!(
        refused(&carol, &votes, json!({"choices": [0]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an ended poll takes no votes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multiple_choice_polls_and_bad_polls() {
    let a = Instance::start("district-a").await;
    let alice = a.user("alice").await;
    let dev = a.user("dev").await;
    let post = alice
        .post(
            "/api/v1/statuses",
            json!({"status": "Which topics this term?", "poll": {"options": ["Circuits", "Gears", "Levers"], "expires_in": 86400, "multiple": true}}),
        )
        .await;
    let poll_id = post["poll"]["id"].as_str().unwrap();
    let voted = dev
        .post(
            &format!("/api/v1/polls/{poll_id}/votes"),
            json!({"choices": [0, 2]}),
        )
        .await;
    assert_eq!(voted["own_votes"], json!([0, 2]));
    assert_eq!(voted["votes_count"], 2);
    assert_eq!(voted["voters_count"], 1);

    for (what, poll) in [
        (
            "one option",
            json!({"options": ["Only"], "expires_in": 3600}),
        ),
        (
            "too many",
            json!({"options": ["a", "b", "c", "d", "e"], "expires_in": 3600}),
        ),
        (
            "too short",
            json!({"options": ["a", "b"], "expires_in": 10}),
        ),
        (
            "too long an option",
            json!({"options": ["a", "b".repeat(51)], "expires_in": 3600}),
        ),
        ("no expiry", json!({"options": ["a", "b"]})),
    ] {
        let res = alice
            .request(
                Method::POST,
                "/api/v1/statuses",
                Some(json!({"status": "poll", "poll": poll})),
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{what}");
    }
    assert_eq!(
        dev.status_of(Method::GET, "/api/v1/polls/12345").await,
        StatusCode::NOT_FOUND
    );
}
